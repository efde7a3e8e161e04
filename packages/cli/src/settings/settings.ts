import type { ExasolOptions } from '@sme/exasol-adapter';
import type { ConfiguredSageMakerOptions, SageMakerOptions } from '@sme/sagemaker-adapter';
import { parseExasolIdentifier, SmeError } from '@sme/core';
import { loadConfigFile } from './config-file.js';

/** Schema used when neither `--schema`, `SME_SCHEMA` nor the config file names one. */
export const DEFAULT_SCHEMA = 'SME';

/** The flags every command may carry (all optional; yargs camel-cases them). */
export interface CliSettingsArgs {
  readonly config?: string;
  readonly dsn?: string;
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly schema?: string;
  readonly caFile?: string;
  readonly fingerprint?: string;
  readonly insecureSkipVerify?: boolean;
  readonly tls?: boolean;
  readonly compression?: boolean;
  readonly region?: string;
  readonly profile?: string;
  readonly awsEndpointUrl?: string;
  readonly s3EndpointUrl?: string;
}

/** Environment variables as `process.env` holds them. */
export type CliEnv = Readonly<Record<string, string | undefined>>;

/** Where each part of the configuration ended up: what the adapters' own resolvers get. */
export interface CliSettings {
  /** Exasol options for `resolveExasolOptions` (without the schema: sessions open without one). */
  readonly exasol: ExasolOptions;
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

type FileValues = Readonly<Record<string, unknown>>;

function fileString(file: FileValues, key: string): string | undefined {
  const value = file[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw fileType(key, value, 'a string');
  return value;
}

function fileNumber(file: FileValues, key: string): number | undefined {
  const value = file[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw fileType(key, value, 'a number');
  return value;
}

function fileBoolean(file: FileValues, key: string): boolean | undefined {
  const value = file[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw fileType(key, value, 'true or false');
  return value;
}

function fileType(key: string, value: unknown, wanted: string): SmeError {
  return new SmeError(
    'SME-E-CLI-CONFIG',
    'InvalidInput',
    `the config file's key "${key}" must be ${wanted}; received ${JSON.stringify(value)}`,
    { key, value: JSON.stringify(value).slice(0, 80), remedy: `Give "${key}" as ${wanted}.` },
  );
}

function present(env: CliEnv, ...names: string[]): boolean {
  return names.some((name) => env[name] !== undefined && env[name] !== '');
}

/**
 * Parses the `--schema` value as Exasol reads an identifier: unquoted names fold to upper case.
 *
 * @throws SmeError `SME-E-CLI-SCHEMA` for a name that is not a valid identifier.
 */
export function parseSchemaName(raw: string): string {
  const parsed = parseExasolIdentifier(raw.trim());
  if (!parsed.ok) {
    throw new SmeError('SME-E-CLI-SCHEMA', 'InvalidInput', `--schema '${raw}' is not a valid name: ${parsed.reason}`, {
      key: 'schema',
      value: raw.slice(0, 80),
      remedy: 'Give a schema name such as SME, or a quoted name such as \'"Ml_Schema"\'.',
    });
  }
  return parsed.identifier.name;
}

/**
 * The one place where flags, environment variables and the optional config file meet. Precedence for every
 * setting: flag > environment variable > config file > default. The config file (`--config` or `SME_CONFIG`) is
 * a JSON object keyed by long flag names (`"dsn"`, `"aws-endpoint-url"` or `"awsEndpointUrl"`); it may not hold a
 * password. Environment variables themselves are read by the adapters' resolvers (`resolveExasolOptions`,
 * `loadSageMakerOptions`), which receive what this function returns; the AWS resolver also takes the file's AWS
 * values as its own layer below the environment (`awsConfigured`).
 *
 * @example
 * const settings = resolveCliSettings({ dsn: 'exa:8563', schema: 'ml' }, process.env);
 * settings.schema; // 'ML'
 */
export function resolveCliSettings(args: CliSettingsArgs, env: CliEnv): CliSettings {
  const configFile = args.config ?? (present(env, 'SME_CONFIG') ? env.SME_CONFIG : undefined);
  const file: FileValues = configFile === undefined ? {} : loadConfigFile(configFile);

  // A value from the file only counts when neither the flag nor its environment variable is set.
  const fromFile = <T>(flag: T | undefined, envNames: readonly string[], read: () => T | undefined): T | undefined =>
    flag !== undefined ? flag : present(env, ...envNames) ? undefined : read();

  const fileDsn = fromFile(args.dsn, ['SME_DSN'], () => fileString(file, 'dsn'));
  const host = args.host ?? (args.dsn === undefined ? fileString(file, 'host') : undefined);
  const exasol: ExasolOptions = {
    dsn: host === undefined ? fileDsn : args.dsn,
    host,
    port: args.port ?? fileNumber(file, 'port'),
    user: fromFile(args.user, ['SME_USER'], () => fileString(file, 'user')),
    password: args.password,
    caFile: args.caFile ?? fileString(file, 'caFile'),
    fingerprint: args.fingerprint ?? fileString(file, 'fingerprint'),
    insecureSkipVerify: args.insecureSkipVerify ?? fileBoolean(file, 'insecureSkipVerify'),
    tls: args.tls ?? fileBoolean(file, 'tls'),
    compression: args.compression ?? fileBoolean(file, 'compression'),
  };
  const aws: SageMakerOptions = {
    region: args.region,
    profile: args.profile,
    endpointUrl: args.awsEndpointUrl,
    s3EndpointUrl: args.s3EndpointUrl,
  };
  const awsConfigured: ConfiguredSageMakerOptions = {
    region: fileString(file, 'region'),
    profile: fileString(file, 'profile'),
    endpointUrl: fileString(file, 'awsEndpointUrl'),
    s3EndpointUrl: fileString(file, 's3EndpointUrl'),
  };
  const schemaText =
    args.schema ?? (present(env, 'SME_SCHEMA') ? env.SME_SCHEMA : undefined) ?? fileString(file, 'schema');
  const { SME_SCHEMA: _ignored, ...exasolEnv } = env;
  return Object.freeze({
    exasol: Object.freeze(withoutUndefined(exasol)),
    exasolEnv,
    aws: Object.freeze(withoutUndefined(aws)),
    awsConfigured: Object.freeze(withoutUndefined(awsConfigured)),
    schema: parseSchemaName(schemaText ?? DEFAULT_SCHEMA),
    ...(configFile === undefined ? {} : { configFile }),
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
