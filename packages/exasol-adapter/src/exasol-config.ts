import {
  checkHost,
  conflict,
  invalid,
  missing,
  normaliseFingerprint,
  parseDsn,
  shown,
  type ParsedDsn,
} from './exasol-dsn.js';

/** Default port of the Exasol WebSocket API (https://github.com/exasol/websocket-api). */
export const DEFAULT_EXASOL_PORT = 8563;

/** Default time allowed for TCP connect + TLS + WebSocket handshake before a host counts as unreachable. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connection options as a user gives them (CLI flags, config file, library callers). Every field is optional;
 * {@link resolveExasolOptions} fills in environment variables and defaults and validates the result.
 */
export interface ExasolOptions {
  /** `host[:port]`, pyexasol-style `host/FINGERPRINT[:port]` or `host/nocertcheck[:port]`. Env `SME_DSN`. */
  readonly dsn?: string;
  /** Host name or IP address, instead of `dsn`. */
  readonly host?: string;
  /** Port, default 8563. */
  readonly port?: number;
  /** Database user. Env `SME_USER`. */
  readonly user?: string;
  /** Password. Env `SME_PASSWORD`; the CLI prompts (without echo) when both are absent on a terminal. */
  readonly password?: string;
  /** Schema to open the session in. Env `SME_SCHEMA`. */
  readonly schema?: string;
  /** PEM file with the CA certificate(s) that signed the server certificate (instead of the system CAs). */
  readonly caFile?: string;
  /** SHA-256 fingerprint of the server certificate to pin (hex, upper or lower case, colons optional). */
  readonly fingerprint?: string;
  /** Accept any server certificate. Unsafe: for throw-away test servers only. */
  readonly insecureSkipVerify?: boolean;
  /** `false` speaks plain `ws://` (the local sandbox only; real Exasol is TLS only). Default `true`. */
  readonly tls?: boolean;
  /** Compress every WebSocket frame after login (zlib). Default `false`. */
  readonly compression?: boolean;
  /** Milliseconds allowed for connect + TLS + WebSocket handshake. Default 10000. */
  readonly connectTimeoutMs?: number;
}

/** Environment variables read by {@link resolveExasolOptions}. */
export interface ExasolEnv {
  readonly SME_DSN?: string;
  readonly SME_USER?: string;
  readonly SME_PASSWORD?: string;
  readonly SME_SCHEMA?: string;
  readonly [name: string]: string | undefined;
}

/** How the server certificate is checked. */
export type ExasolTls =
  | { readonly mode: 'system-ca' }
  | { readonly mode: 'ca-file'; readonly caFile: string }
  | { readonly mode: 'fingerprint'; readonly fingerprint: string }
  | { readonly mode: 'insecure' }
  | { readonly mode: 'none' };

/** Validated, frozen connection settings. `password` is the only secret: never print this object whole. */
export interface ResolvedExasol {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly schema: string | undefined;
  readonly tls: ExasolTls;
  readonly compression: boolean;
  readonly connectTimeoutMs: number;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function resolveTls(options: ExasolOptions, fromDsn: ParsedDsn['certCheck']): ExasolTls {
  const dsnFingerprint = typeof fromDsn === 'object' ? fromDsn.fingerprint : undefined;
  let fingerprint: string | undefined;
  if (options.fingerprint !== undefined) {
    fingerprint = normaliseFingerprint(options.fingerprint);
    if (fingerprint === undefined) {
      throw invalid(
        'fingerprint',
        shown(options.fingerprint),
        'not a SHA-256 certificate fingerprint (64 hex digits, colons allowed)',
        'copy the fingerprint the server prints, e.g. with: openssl x509 -noout -fingerprint -sha256',
      );
    }
    if (dsnFingerprint !== undefined && dsnFingerprint !== fingerprint) {
      throw conflict('fingerprint and the DSN fingerprint', 'two different fingerprints', 'give the fingerprint once');
    }
  } else {
    fingerprint = dsnFingerprint;
  }
  const insecure = options.insecureSkipVerify === true || fromDsn === 'nocertcheck';
  const caFile = nonEmpty(options.caFile);

  const chosen = [
    fingerprint !== undefined ? 'fingerprint' : undefined,
    insecure ? 'insecureSkipVerify (or /nocertcheck)' : undefined,
    caFile !== undefined ? 'caFile' : undefined,
  ].filter((x): x is string => x !== undefined);

  if (options.tls === false) {
    if (chosen.length > 0) {
      throw conflict(
        `tls=false and ${chosen.join(', ')}`,
        'certificate options without TLS',
        'drop the certificate options, or use TLS',
      );
    }
    return { mode: 'none' };
  }
  if (chosen.length > 1) {
    throw conflict(chosen.join(' and '), chosen.join(', '), 'choose one way to check the server certificate');
  }
  if (fingerprint !== undefined) return { mode: 'fingerprint', fingerprint };
  if (insecure) return { mode: 'insecure' };
  if (caFile !== undefined) return { mode: 'ca-file', caFile };
  return { mode: 'system-ca' };
}

/**
 * What a configuration file may set (the `sme` CLI's `--config`): every option but the password (secrets stay out of
 * files) and the connect timeout. {@link resolveExasolOptions} takes these values as the layer below the environment,
 * so a caller never has to know which environment variable would have overridden a file value.
 */
export type ConfiguredExasolOptions = Omit<ExasolOptions, 'password' | 'connectTimeoutMs'>;

/** A value and the name of the option, environment variable or configured key (`config:…`) it came from. */
interface Picked<T> {
  readonly value: T;
  readonly key: string;
}

/** Every option as its first layer gives it, with where it came from. */
type Layered = { readonly [K in keyof ExasolOptions]?: Picked<NonNullable<ExasolOptions[K]>> };

/** The first candidate that holds a value. */
function firstSet<T>(...candidates: readonly (Picked<T | undefined> | undefined)[]): Picked<T> | undefined {
  for (const c of candidates) {
    if (c?.value !== undefined) return { value: c.value, key: c.key };
  }
  return undefined;
}

/** An unset or blank string counts as not given, in every layer. */
function given<T>(value: T | undefined): T | undefined {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

/**
 * The address comes whole from the first layer that names one (by `dsn` or `host`): options, then `SME_DSN`, then the
 * configured values. So `--host` on the command line ignores an `SME_DSN`, and `SME_DSN` a file's `host`.
 */
function pickAddress(options: ExasolOptions, env: ExasolEnv, configured: ConfiguredExasolOptions): Layered {
  const fromLayer = (layer: ConfiguredExasolOptions, prefix: string): Layered | undefined => {
    const dsn = given(layer.dsn);
    const host = given(layer.host);
    if (dsn === undefined && host === undefined) return undefined;
    return {
      ...(dsn === undefined ? {} : { dsn: { value: dsn, key: `${prefix}dsn` } }),
      ...(host === undefined ? {} : { host: { value: host, key: `${prefix}host` } }),
    };
  };
  const envDsn = nonEmpty(env.SME_DSN);
  return (
    fromLayer(options, '') ??
    (envDsn === undefined ? undefined : { dsn: { value: envDsn, key: 'SME_DSN' } }) ??
    fromLayer(configured, 'config:') ??
    {}
  );
}

/** The one precedence of every setting: option > environment variable > configured value (> default, see below). */
function layered(options: ExasolOptions, env: ExasolEnv, configured: ConfiguredExasolOptions): Layered {
  function pick<K extends keyof ConfiguredExasolOptions>(key: K): Picked<NonNullable<ExasolOptions[K]>> | undefined {
    return firstSet<NonNullable<ExasolOptions[K]>>(
      { value: given(options[key]) ?? undefined, key },
      { value: given(configured[key]) ?? undefined, key: `config:${key}` },
    );
  }
  function pickWithEnv(key: 'user' | 'schema', envName: 'SME_USER' | 'SME_SCHEMA'): Picked<string> | undefined {
    return firstSet<string>(
      { value: given(options[key]), key },
      { value: nonEmpty(env[envName]), key: envName },
      { value: given(configured[key]), key: `config:${key}` },
    );
  }
  return {
    ...pickAddress(options, env, configured),
    port: pick('port'),
    user: pickWithEnv('user', 'SME_USER'),
    // Never configured: a password comes from the caller (a flag, a prompt) or SME_PASSWORD only.
    password: firstSet<string>(
      { value: options.password === '' ? undefined : options.password, key: 'password' },
      { value: nonEmpty(env.SME_PASSWORD), key: 'SME_PASSWORD' },
    ),
    schema: pickWithEnv('schema', 'SME_SCHEMA'),
    caFile: pick('caFile'),
    fingerprint: pick('fingerprint'),
    insecureSkipVerify: pick('insecureSkipVerify'),
    tls: pick('tls'),
    compression: pick('compression'),
    ...(options.connectTimeoutMs === undefined
      ? {}
      : { connectTimeoutMs: { value: options.connectTimeoutMs, key: 'connectTimeoutMs' } }),
  };
}

/**
 * The value of every setting from the first layer that sets it (option > environment variable > configured value),
 * not yet validated: what {@link resolveExasolOptions} then checks. For a caller that needs one setting before it
 * connects, e.g. the schema `sme deploy --print` writes into its scripts.
 *
 * @example pickExasolOptions({}, { SME_SCHEMA: 'ML' }, { schema: 'SME' }).schema // 'ML'
 */
export function pickExasolOptions(
  options: ExasolOptions,
  env: ExasolEnv = {},
  configured: ConfiguredExasolOptions = {},
): ExasolOptions {
  return Object.freeze(
    Object.fromEntries(
      // Unset settings are present as undefined: left out, as the options type has them.
      (Object.entries(layered(options, env, configured)) as [string, Picked<unknown> | undefined][]).flatMap(
        ([name, picked]) => (picked === undefined ? [] : [[name, picked.value]]),
      ),
    ) as ExasolOptions,
  );
}

/**
 * Resolves user-facing options, the environment and configured values (a config file's) into one validated, frozen
 * {@link ResolvedExasol}. Every setting: option > environment variable > configured value > default. `dsn` and
 * `host` exclude each other, and the address comes whole from one layer (an `SME_DSN` is ignored when the options
 * give `host`; a configured `host` when `SME_DSN` is set). Pure: reads nothing but its arguments (the CA file is read
 * at connect time).
 *
 * @throws SmeError `SME-E-EXA-OPTION-MISSING` / `-INVALID` / `-CONFLICT`, naming the option, env var or configured
 *   key (`config:…`) and the value received (never the password).
 * @example
 * const resolved = resolveExasolOptions({ dsn: 'localhost/ABCD…:8563', user: 'sys' }, process.env);
 */
export function resolveExasolOptions(
  options: ExasolOptions,
  env: ExasolEnv = {},
  configured: ConfiguredExasolOptions = {},
): ResolvedExasol {
  const picked = layered(options, env, configured);
  if (picked.dsn !== undefined && picked.host !== undefined) {
    throw conflict(
      `${picked.dsn.key} and ${picked.host.key}`,
      `dsn '${shown(picked.dsn.value)}', host '${shown(picked.host.value)}'`,
      picked.dsn.key === 'dsn'
        ? 'give either --dsn or --host/--port'
        : 'keep either "dsn" or "host" in the config file',
    );
  }
  let host: string;
  let dsnPort: number | undefined;
  let certCheck: ParsedDsn['certCheck'];
  if (picked.host !== undefined) {
    host = checkHost(picked.host.key, picked.host.value.trim());
  } else {
    if (picked.dsn === undefined) {
      throw missing('dsn', 'pass --dsn host:port (or --host and --port), set SME_DSN, or put "dsn" in the config file');
    }
    const parsed = parseDsn(picked.dsn.value, picked.dsn.key);
    host = parsed.host;
    dsnPort = parsed.port;
    certCheck = parsed.certCheck;
  }

  const optionPort = picked.port;
  if (optionPort !== undefined) {
    const value = optionPort.value;
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw invalid(
        optionPort.key,
        String(value),
        'port must be a number from 1 to 65535',
        'use the port of the Exasol WebSocket API, e.g. 8563',
      );
    }
    if (dsnPort !== undefined && dsnPort !== value) {
      throw conflict(`${optionPort.key} and the DSN port`, `port ${value}, DSN port ${dsnPort}`, 'give the port once');
    }
  }
  const port = optionPort?.value ?? dsnPort ?? DEFAULT_EXASOL_PORT;

  const user = picked.user?.value;
  if (user === undefined) throw missing('user', 'pass --user, set SME_USER, or put "user" in the config file');

  const password = picked.password?.value;
  if (password === undefined) {
    throw missing('password', 'pass --password, set SME_PASSWORD, or run on a terminal to be prompted');
  }

  const connectTimeoutMs = picked.connectTimeoutMs?.value ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (!Number.isInteger(connectTimeoutMs) || connectTimeoutMs <= 0) {
    throw invalid(
      'connectTimeoutMs',
      String(connectTimeoutMs),
      'the connect timeout must be a positive whole number of milliseconds',
      'e.g. 10000',
    );
  }

  return Object.freeze({
    host,
    port,
    user,
    password,
    schema: picked.schema?.value.trim(),
    tls: Object.freeze(
      resolveTls(
        {
          caFile: picked.caFile?.value,
          fingerprint: picked.fingerprint?.value,
          insecureSkipVerify: picked.insecureSkipVerify?.value,
          tls: picked.tls?.value,
        },
        certCheck,
      ),
    ),
    compression: picked.compression?.value ?? false,
    connectTimeoutMs,
  });
}

/** Where the password will come from, so a CLI knows whether to prompt before resolving. */
export function needsPasswordPrompt(options: ExasolOptions, env: ExasolEnv = {}): boolean {
  return (options.password === undefined || options.password === '') && nonEmpty(env.SME_PASSWORD) === undefined;
}

/** A printable summary of resolved settings, without the password. */
export function describeExasol(resolved: ResolvedExasol): string {
  const tls = resolved.tls.mode === 'fingerprint' ? `fingerprint ${resolved.tls.fingerprint}` : resolved.tls.mode;
  return `${resolved.user}@${resolved.host}:${resolved.port} (tls: ${tls}${resolved.schema !== undefined ? `, schema ${resolved.schema}` : ''})`;
}
