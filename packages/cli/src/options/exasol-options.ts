import type { Argv } from 'yargs';

export interface ExasolArgs {
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
}

const GROUP = 'Exasol connection:';

/** Connection flags shared by every command that talks to Exasol. Env: SME_DSN, SME_USER, SME_PASSWORD, SME_SCHEMA. */
export function withExasolOptions<T>(yargs: Argv<T>): Argv<T & ExasolArgs> {
  return yargs
    .option('dsn', {
      type: 'string',
      group: GROUP,
      describe: 'host[:port], or host/FINGERPRINT:port to pin the TLS certificate (env SME_DSN)',
    })
    .option('host', { type: 'string', group: GROUP, describe: 'Exasol host (instead of --dsn)' })
    .option('port', { type: 'number', group: GROUP, describe: 'Exasol port (default 8563)' })
    .option('user', { type: 'string', group: GROUP, describe: 'database user (env SME_USER)' })
    .option('password', {
      type: 'string',
      alias: 'pass',
      group: GROUP,
      describe: 'password (env SME_PASSWORD; prompted without echo when absent on a terminal)',
    })
    .option('schema', {
      type: 'string',
      group: GROUP,
      describe: 'schema holding sme’s scripts and metadata (env SME_SCHEMA)',
    })
    .option('ca-file', {
      type: 'string',
      group: GROUP,
      describe: 'PEM file of the CA that signed the server certificate',
    })
    .option('fingerprint', {
      type: 'string',
      group: GROUP,
      describe: 'SHA-256 fingerprint of the server certificate to pin',
    })
    .option('insecure-skip-verify', {
      type: 'boolean',
      group: GROUP,
      describe: 'accept any server certificate (unsafe; for tests only)',
    })
    .option('tls', {
      type: 'boolean',
      group: GROUP,
      default: undefined,
      describe: 'use TLS (default; --no-tls for ws://)',
    })
    .option('compression', { type: 'boolean', group: GROUP, describe: 'compress WebSocket frames' });
}
