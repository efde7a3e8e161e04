import { parseExasolIdentifier } from '@sme/core';
import { pickExasolOptions, type ConfiguredExasolOptions, type ExasolOptions } from '@sme/exasol-adapter';
import type { ConfiguredSageMakerOptions, SageMakerOptions } from '@sme/sagemaker-adapter';
import { cliError } from '../cli-error-codes.js';
import type { AwsArgs } from '../options/aws-options.js';
import { EXASOL_FLAGS, type ExasolArgs } from '../options/exasol-options.js';
import { loadConfigFile, type ConfigFileValues } from './config-file.js';

/** Schema used when neither `--schema`, `SME_SCHEMA` nor the config file names one. */
export const DEFAULT_SCHEMA = 'SME';

/** The flags every command may carry (all optional; yargs camel-cases them). */
export type CliSettingsArgs = ExasolArgs & AwsArgs & { readonly config?: string };

/** Environment variables as `process.env` holds them. */
export type CliEnv = Readonly<Record<string, string | undefined>>;

/**
 * What the adapters' own resolvers get, layer by layer: the flags as typed, the environment and the config file's
 * values. The resolvers decide the precedence (flag > environment variable > config file > default), not this package.
 */
export interface CliSettings {
  /** Exasol flags for `resolveExasolOptions` (without the schema: sessions open without one). */
  readonly exasol: ExasolOptions;
  /** The config file's Exasol values, `resolveExasolOptions`'s layer below the environment (without the schema). */
  readonly exasolConfigured: ConfiguredExasolOptions;
  /** The environment handed to the Exasol resolver: `SME_SCHEMA` removed (the schema is ours, see `schema`). */
  readonly exasolEnv: CliEnv;
  /** AWS options from flags, for `loadSageMakerOptions` (they beat the environment). */
  readonly aws: SageMakerOptions;
  /**
   * AWS options from the config file, for `loadSageMakerOptions`'s `configured` layer: the adapter places them
   * below the environment and above the AWS profile, so this package decides no AWS precedence itself.
   */
  readonly awsConfigured: ConfiguredSageMakerOptions;
  /** The schema holding sme's metadata table and scripts, as stored (`sme` → `SME`, `"Ml"` → `Ml`). */
  readonly schema: string;
  /** The config file read, if any. */
  readonly configFile?: string;
}

/**
 * Parses the `--schema` value as Exasol reads an identifier: unquoted names fold to upper case.
 *
 * @throws SmeError `SME-E-CLI-SCHEMA` for a name that is not a valid identifier.
 */
export function parseSchemaName(raw: string): string {
  const parsed = parseExasolIdentifier(raw.trim());
  if (!parsed.ok) {
    throw cliError('SME-E-CLI-SCHEMA', `the schema '${raw}' is not a valid name: ${parsed.reason}`, {
      key: 'schema',
      value: raw.slice(0, 80),
      remedy:
        'Give --schema (or SME_SCHEMA, or "schema" in the config file) a name such as SME, or a quoted name such as \'"Ml_Schema"\'.',
    });
  }
  return parsed.identifier.name;
}

/**
 * Gathers the layers of every setting for the adapters' resolvers: the flags, the environment and the optional config
 * file (`--config` or `SME_CONFIG`), a JSON object keyed by long flag names (`"dsn"`, `"aws-endpoint-url"` or
 * `"awsEndpointUrl"`) that may not hold a password. The precedence (flag > environment variable > config file >
 * default) is decided by `resolveExasolOptions` and `loadSageMakerOptions` alone; sme's schema, which the sessions do
 * not open in, is picked by the Exasol adapter's precedence too (`pickExasolOptions`), then parsed as a name.
 *
 * @example
 * const settings = resolveCliSettings({ dsn: 'exa:8563', schema: 'ml' }, process.env);
 * settings.schema; // 'ML'
 */
export function resolveCliSettings(args: CliSettingsArgs, env: CliEnv): CliSettings {
  const configFile = args.config ?? (env.SME_CONFIG === '' ? undefined : env.SME_CONFIG);
  const file: ConfigFileValues = configFile === undefined ? {} : loadConfigFile(configFile);
  const { region, profile, awsEndpointUrl, s3EndpointUrl, ...exasolFile } = file;
  const { schema: fileSchema, ...exasolConfigured } = exasolFile;
  const exasolFlags = Object.fromEntries(
    Object.keys(EXASOL_FLAGS).flatMap((key) => {
      const value = args[key as keyof ExasolArgs];
      return key === 'schema' || value === undefined ? [] : [[key, value]];
    }),
  ) as ExasolOptions;
  const { SME_SCHEMA: _ignored, ...exasolEnv } = env;
  const schemaText = pickExasolOptions({ schema: args.schema }, env, { schema: fileSchema }).schema;
  return Object.freeze({
    exasol: Object.freeze(exasolFlags),
    exasolConfigured: Object.freeze(withoutUndefined(exasolConfigured)),
    exasolEnv,
    aws: Object.freeze(
      withoutUndefined({
        region: args.region,
        profile: args.profile,
        endpointUrl: args.awsEndpointUrl,
        s3EndpointUrl: args.s3EndpointUrl,
      }),
    ),
    awsConfigured: Object.freeze(withoutUndefined({ region, profile, endpointUrl: awsEndpointUrl, s3EndpointUrl })),
    schema: parseSchemaName(schemaText ?? DEFAULT_SCHEMA),
    ...(configFile === undefined ? {} : { configFile }),
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
