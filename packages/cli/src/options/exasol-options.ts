import type { ExasolOptions } from '@sme/exasol-adapter';
import type { Argv } from 'yargs';
import { withFlags, type FlagTable } from './flag-table.js';

/** The Exasol connection flags: every option of the adapter's `ExasolOptions` a user can type. */
export type ExasolArgs = Omit<ExasolOptions, 'connectTimeoutMs'>;

/**
 * The Exasol connection flags, in help order. The adapter's `resolveExasolOptions` decides their precedence over the
 * environment and the config file; these texts only name the environment variables it reads.
 */
export const EXASOL_FLAGS: FlagTable<ExasolArgs> = {
  dsn: { type: 'string', describe: 'host[:port], or host/FINGERPRINT:port to pin the TLS certificate (env SME_DSN)' },
  host: { type: 'string', describe: 'Exasol host (instead of --dsn)' },
  port: { type: 'number', describe: 'Exasol port (default 8563)' },
  user: { type: 'string', describe: 'database user (env SME_USER)' },
  password: {
    type: 'string',
    alias: 'pass',
    describe: 'password (env SME_PASSWORD; prompted without echo when absent on a terminal)',
  },
  schema: { type: 'string', describe: 'schema holding sme’s scripts and metadata (env SME_SCHEMA)' },
  caFile: { type: 'string', describe: 'PEM file of the CA that signed the server certificate' },
  fingerprint: { type: 'string', describe: 'SHA-256 fingerprint of the server certificate to pin' },
  insecureSkipVerify: { type: 'boolean', describe: 'accept any server certificate (unsafe; for tests only)' },
  tls: { type: 'boolean', default: undefined, describe: 'use TLS (default; --no-tls for ws://)' },
  compression: { type: 'boolean', describe: 'compress WebSocket frames' },
};

/** Connection flags shared by every command that talks to Exasol. Env: SME_DSN, SME_USER, SME_PASSWORD, SME_SCHEMA. */
export function withExasolOptions<T>(yargs: Argv<T>): Argv<T & ExasolArgs> {
  return withFlags(yargs, EXASOL_FLAGS, 'Exasol connection:');
}
