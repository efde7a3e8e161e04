import { AWS_ERROR_CODES, catalogError, isRegionName, partitionOfRegion, type SmeError } from './core-api.js';
import type { AwsPartition } from './core-api.js';
import { sageMakerError, type SageMakerErrorCode } from './sagemaker-error-codes.js';

// The region rules are core's AWS vocabulary; re-exported for callers of this package.
export { partitionOfRegion };

/** Static AWS credentials, for tests and sandboxes. Anything else should come from the default credential chain. */
export interface SageMakerCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * User-facing options of the SageMaker adapters; every member is optional. Flags, env vars and the AWS
 * profile files resolve through {@link resolveSageMakerOptions} (or {@link loadSageMakerOptions}, which also
 * reads the profile files).
 */
export interface SageMakerOptions {
  /** AWS region, e.g. `eu-central-1`. Else `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`. */
  readonly region?: string;
  /** Named profile of `~/.aws/config` / `~/.aws/credentials` (SSO profiles included). Else `AWS_PROFILE`. */
  readonly profile?: string;
  /** SageMaker control-plane endpoint. Else `AWS_ENDPOINT_URL_SAGEMAKER`, then `AWS_ENDPOINT_URL`. */
  readonly endpointUrl?: string;
  /** SageMaker runtime (InvokeEndpoint) endpoint. Else `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`, then `AWS_ENDPOINT_URL`. */
  readonly runtimeEndpointUrl?: string;
  /** S3 endpoint. Else `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`. */
  readonly s3EndpointUrl?: string;
  /** STS endpoint (GetCallerIdentity, for role names). Else `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`. */
  readonly stsEndpointUrl?: string;
  /** Static credentials; when absent the default AWS credential chain is used. */
  readonly credentials?: SageMakerCredentials;
  /** Total attempts per call, 1–20 (1 = no retry). Else `AWS_MAX_ATTEMPTS`, the profile's `max_attempts`, then 3. */
  readonly maxAttempts?: number;
  /** Base of the jittered exponential backoff in milliseconds, 0–60000. Default 100. */
  readonly retryBaseDelayMs?: number;
  /** Cap of one backoff delay in milliseconds, 0–300000. Default 20000 (the SDK's cap). */
  readonly retryMaxDelayMs?: number;
  /** Path-style S3 addressing. Default: on when an S3 endpoint override is set (S3-compatible servers need it). */
  readonly s3ForcePathStyle?: boolean;
  /**
   * Whether the SDK retries a throttled call itself (default true). A caller whose calls go through a client-side
   * limiter that retries throttled calls (core's RateLimiter: `sme jobs`, `sme endpoint list`) turns it off, so that
   * the limiter sees every throttle and the two back-offs do not add up; other errors are still retried.
   */
  readonly retryThrottling?: boolean;
}

/** Environment variables as `process.env` holds them. */
export type SageMakerEnv = Readonly<Record<string, string | undefined>>;

/** Parsed AWS profile files: profile name (without the `profile ` prefix) → key → value. */
export interface AwsSharedConfig {
  readonly configFile: Readonly<Record<string, Readonly<Record<string, string | undefined>>>>;
  readonly credentialsFile: Readonly<Record<string, Readonly<Record<string, string | undefined>>>>;
}

/** AWS partition, derived from the region: it is the second field of every ARN. */
export type { AwsPartition };

/** Where a resolved value came from: an option name, an env var name, `profile:<name>` or `default`. */
export type SettingSource = string;

/** Endpoint overrides per service; absent means the SDK's regional AWS endpoint. */
export interface ResolvedEndpoints {
  readonly sagemaker?: string;
  readonly runtime?: string;
  readonly s3?: string;
  readonly sts?: string;
}

/** Validated, frozen options. `credentials` is non-enumerable so that printing the object shows no secret. */
export interface ResolvedSageMakerOptions {
  /**
   * The default region; absent when none is set. A call that needs it then fails with `SME-E-AWS-REGION-MISSING`
   * ({@link defaultRegionOf}); calls for a recorded job or endpoint name their own region and do not.
   */
  readonly region?: string;
  readonly regionSource?: SettingSource;
  readonly partition?: AwsPartition;
  /** The profile to take credentials from; absent means the SDK's default (`AWS_PROFILE` or `default`). */
  readonly profile?: string;
  readonly endpoints: ResolvedEndpoints;
  readonly credentials?: SageMakerCredentials;
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly s3ForcePathStyle: boolean;
  readonly retryThrottling: boolean;
}

const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_RETRY_BASE_DELAY_MS = 100;
const DEFAULT_RETRY_MAX_DELAY_MS = 20_000;

/** Shortens a received value for an error message. */
function shown(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

/** A boolean option, or undefined when omitted; `omitted` says what then applies. */
function optionalBoolean(key: string, value: unknown, omitted: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalid(
    'SME-E-AWS-OPTION-INVALID',
    key,
    typeof value === 'object' ? '(object)' : JSON.stringify(value),
    `must be true or false (omitted, ${omitted})`,
  );
}

/** `message` says what is wrong with the value; the code's one remedy comes from the catalog. */
/** Codes of settings checks: the adapter's own, and the two that core's AWS catalog holds for both front doors. */
type ConfigErrorCode = SageMakerErrorCode | 'SME-E-AWS-ENDPOINT-INVALID' | 'SME-E-AWS-REGION-INVALID';

function invalid(code: ConfigErrorCode, key: string, value: string, message: string): SmeError {
  const text = `${message} (${key} = '${shown(value)}')`;
  const details = { key, value: shown(value) };
  return code === 'SME-E-AWS-ENDPOINT-INVALID' || code === 'SME-E-AWS-REGION-INVALID'
    ? catalogError(AWS_ERROR_CODES, code, text, details)
    : sageMakerError(code, text, details);
}

function redactUrl(raw: string): string {
  // A URL with user:password must not be echoed: show only what precedes the credentials.
  const at = raw.indexOf('@');
  return at < 0 ? raw : `${raw.slice(0, raw.indexOf('//') + 2)}***@${raw.slice(at + 1)}`;
}

function validEndpoint(key: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('SME-E-AWS-ENDPOINT-INVALID', key, redactUrl(raw), 'endpoint URL is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(
      'SME-E-AWS-ENDPOINT-INVALID',
      key,
      redactUrl(raw),
      `endpoint URL must use http or https, not ${url.protocol.slice(0, -1)}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('SME-E-AWS-ENDPOINT-INVALID', key, redactUrl(raw), 'endpoint URL must not contain credentials');
  }
  if (url.search !== '' || url.hash !== '') {
    throw invalid('SME-E-AWS-ENDPOINT-INVALID', key, raw, 'endpoint URL must not have a query or fragment');
  }
  return raw;
}

function nonEmpty(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

interface Picked<T> {
  readonly value: T;
  readonly source: SettingSource;
}

function firstOf<T>(...candidates: readonly (Picked<T | undefined> | undefined)[]): Picked<T> | undefined {
  for (const c of candidates) {
    if (c !== undefined && c.value !== undefined) return { value: c.value, source: c.source };
  }
  return undefined;
}

function profileSection(
  shared: AwsSharedConfig | undefined,
  profile: string,
): Readonly<Record<string, string | undefined>> | undefined {
  if (shared === undefined) return undefined;
  const fromCredentials = shared.credentialsFile[profile];
  const fromConfig = shared.configFile[profile];
  if (fromCredentials === undefined && fromConfig === undefined) return undefined;
  // Same precedence as the SDK's shared-config loader: the config file wins over the credentials file.
  return { ...fromCredentials, ...fromConfig };
}

function integerIn(key: string, raw: number | string, min: number, max: number, hint: string): number {
  const value = typeof raw === 'number' ? raw : Number(raw.trim());
  if (!Number.isInteger(value) || value < min || value > max || (typeof raw === 'string' && raw.trim() === '')) {
    throw invalid('SME-E-AWS-OPTION-INVALID', key, String(raw), `must be an integer from ${min} to ${max}; ${hint}`);
  }
  return value;
}

function resolveCredentials(credentials: SageMakerCredentials | undefined): SageMakerCredentials | undefined {
  if (credentials === undefined) return undefined;
  for (const field of ['accessKeyId', 'secretAccessKey'] as const) {
    const v: unknown = credentials[field];
    if (typeof v !== 'string' || v.trim() === '') {
      // The value itself is never shown: it may be a secret.
      throw sageMakerError('SME-E-AWS-CREDENTIALS-INVALID', `credentials.${field} is missing or empty`, {
        key: `credentials.${field}`,
      });
    }
  }
  const token: unknown = credentials.sessionToken;
  if (token !== undefined && (typeof token !== 'string' || token.trim() === '')) {
    throw sageMakerError('SME-E-AWS-CREDENTIALS-INVALID', 'credentials.sessionToken is empty', {
      key: 'credentials.sessionToken',
    });
  }
  return Object.freeze({
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
  });
}

/**
 * The options a configuration file may set (the `sme` CLI's `--config`): below the environment, above the AWS
 * profile files. Handing them to {@link resolveSageMakerOptions} keeps the precedence in one place, so a caller
 * never has to know which environment variable would have overridden a file value.
 */
export type ConfiguredSageMakerOptions = Pick<
  SageMakerOptions,
  'region' | 'profile' | 'endpointUrl' | 'runtimeEndpointUrl' | 's3EndpointUrl' | 'stsEndpointUrl' | 'maxAttempts'
>;

/**
 * Resolves the options: explicit option > environment variable > configured (a config file's values) > profile
 * file > default; validates every value and returns a frozen object. Pure: the profile files are passed in already parsed (see
 * {@link loadSageMakerOptions} for the variant that reads them).
 *
 * @throws SmeError `SME-E-AWS-REGION-INVALID`, `SME-E-AWS-ENDPOINT-INVALID`,
 *   `SME-E-AWS-OPTION-INVALID`, `SME-E-AWS-CREDENTIALS-INVALID`, `SME-E-AWS-PROFILE-NOT-FOUND`.
 * @example
 * const resolved = resolveSageMakerOptions({ region: 'eu-central-1' }, process.env);
 */
export function resolveSageMakerOptions(
  options: SageMakerOptions = {},
  env: SageMakerEnv = {},
  shared?: AwsSharedConfig,
  configured: ConfiguredSageMakerOptions = {},
): ResolvedSageMakerOptions {
  const profilePicked = firstOf<string>(
    { value: nonEmpty(options.profile), source: 'profile' },
    { value: nonEmpty(env.AWS_PROFILE), source: 'AWS_PROFILE' },
    { value: nonEmpty(configured.profile), source: 'config:profile' },
  );
  const profileName = profilePicked?.value ?? 'default';
  const section = profileSection(shared, profileName);
  const credentials = resolveCredentials(options.credentials);
  if (profilePicked !== undefined && shared !== undefined && section === undefined && credentials === undefined) {
    throw invalid(
      'SME-E-AWS-PROFILE-NOT-FOUND',
      profilePicked.source,
      profileName,
      'no such profile in the AWS config or credentials file',
    );
  }
  const profileSource = `profile:${profileName}`;

  const regionPicked = firstOf<string>(
    { value: nonEmpty(options.region), source: 'region' },
    { value: nonEmpty(env.AWS_REGION), source: 'AWS_REGION' },
    { value: nonEmpty(env.AWS_DEFAULT_REGION), source: 'AWS_DEFAULT_REGION' },
    { value: nonEmpty(configured.region), source: 'config:region' },
    { value: nonEmpty(section?.region), source: profileSource },
  );
  if (regionPicked !== undefined && !isRegionName(regionPicked.value)) {
    throw invalid('SME-E-AWS-REGION-INVALID', regionPicked.source, regionPicked.value, 'not an AWS region name');
  }

  const ignoreEnvEndpoints = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true';
  const envEndpoint = (name: string): Picked<string | undefined> => ({
    value: ignoreEnvEndpoints ? undefined : nonEmpty(env[name]),
    source: name,
  });
  const endpoint = (option: keyof ConfiguredSageMakerOptions, specificEnv: string): string | undefined => {
    const raw = options[option];
    const fromConfig = configured[option];
    const picked = firstOf<string>(
      { value: typeof raw === 'string' ? nonEmpty(raw) : undefined, source: option },
      envEndpoint(specificEnv),
      envEndpoint('AWS_ENDPOINT_URL'),
      { value: typeof fromConfig === 'string' ? nonEmpty(fromConfig) : undefined, source: `config:${option}` },
    );
    return picked === undefined ? undefined : validEndpoint(picked.source, picked.value);
  };
  const endpoints: ResolvedEndpoints = Object.freeze({
    sagemaker: endpoint('endpointUrl', 'AWS_ENDPOINT_URL_SAGEMAKER'),
    runtime: endpoint('runtimeEndpointUrl', 'AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME'),
    s3: endpoint('s3EndpointUrl', 'AWS_ENDPOINT_URL_S3'),
    sts: endpoint('stsEndpointUrl', 'AWS_ENDPOINT_URL_STS'),
  });

  const attemptsPicked = firstOf<number | string>(
    { value: options.maxAttempts, source: 'maxAttempts' },
    { value: nonEmpty(env.AWS_MAX_ATTEMPTS), source: 'AWS_MAX_ATTEMPTS' },
    { value: configured.maxAttempts, source: 'config:maxAttempts' },
    { value: nonEmpty(section?.max_attempts), source: profileSource },
  );
  const maxAttempts =
    attemptsPicked === undefined
      ? DEFAULT_MAX_ATTEMPTS
      : integerIn(attemptsPicked.source, attemptsPicked.value, 1, 20, '1 turns retries off, 3 is the default');
  const retryBaseDelayMs =
    options.retryBaseDelayMs === undefined
      ? DEFAULT_RETRY_BASE_DELAY_MS
      : integerIn('retryBaseDelayMs', options.retryBaseDelayMs, 0, 60_000, 'the default is 100 ms');
  const retryMaxDelayMs =
    options.retryMaxDelayMs === undefined
      ? DEFAULT_RETRY_MAX_DELAY_MS
      : integerIn('retryMaxDelayMs', options.retryMaxDelayMs, 0, 300_000, 'the default is 20000 ms');

  const forcePathStyle = optionalBoolean(
    's3ForcePathStyle',
    options.s3ForcePathStyle,
    'path style is on exactly when an S3 endpoint override is set',
  );
  const retryThrottling = optionalBoolean(
    'retryThrottling',
    options.retryThrottling,
    'the SDK retries throttled calls',
  );

  const resolved = {
    ...(regionPicked === undefined
      ? {}
      : {
          region: regionPicked.value,
          regionSource: regionPicked.source,
          partition: partitionOfRegion(regionPicked.value),
        }),
    ...(profilePicked === undefined ? {} : { profile: profileName }),
    endpoints,
    maxAttempts,
    retryBaseDelayMs,
    retryMaxDelayMs,
    s3ForcePathStyle: forcePathStyle ?? endpoints.s3 !== undefined,
    retryThrottling: retryThrottling ?? true,
  };
  if (credentials !== undefined) {
    Object.defineProperty(resolved, 'credentials', { value: credentials, enumerable: false });
  }
  return Object.freeze(resolved);
}

/**
 * {@link resolveSageMakerOptions} after reading the AWS profile files (`AWS_CONFIG_FILE`,
 * `AWS_SHARED_CREDENTIALS_FILE` or their `~/.aws` defaults) for the region, `max_attempts` and the check that
 * a named profile exists.
 *
 * @example
 * const resolved = await loadSageMakerOptions({ profile: 'ml' });
 */
export async function loadSageMakerOptions(
  options: SageMakerOptions = {},
  env: SageMakerEnv = process.env,
  configured: ConfiguredSageMakerOptions = {},
): Promise<ResolvedSageMakerOptions> {
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const files = await loadSharedConfigFiles({
    ...(env.AWS_CONFIG_FILE === undefined ? {} : { configFilepath: env.AWS_CONFIG_FILE }),
    ...(env.AWS_SHARED_CREDENTIALS_FILE === undefined ? {} : { filepath: env.AWS_SHARED_CREDENTIALS_FILE }),
    ignoreCache: true,
  });
  return resolveSageMakerOptions(options, env, files, configured);
}

/**
 * The default region of resolved options.
 *
 * @throws SmeError `SME-E-AWS-REGION-MISSING` when no option, environment variable or profile names one.
 * @example
 * defaultRegionOf(resolveSageMakerOptions({ region: 'eu-central-1' })); // 'eu-central-1'
 */
export function defaultRegionOf(options: ResolvedSageMakerOptions): string {
  if (options.region !== undefined) return options.region;
  throw sageMakerError(
    'SME-E-AWS-REGION-MISSING',
    `no AWS region set: no region option, no AWS_REGION or AWS_DEFAULT_REGION, and profile [${options.profile ?? 'default'}] names none`,
    { key: 'region' },
  );
}
