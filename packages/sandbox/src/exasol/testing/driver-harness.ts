/**
 * Test support: the official driver (`@exasol/exasol-driver-ts`, a devDependency) connected to a sandbox over TLS with
 * certificate-fingerprint pinning. The driver's ESM build breaks password login under Node's native ESM
 * (@exasol/exasol-driver-ts 0.8.0: `import * as forge` has only `default`), so its CJS build is loaded with
 * `createRequire`.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { WebSocket } from 'ws';

/** The slice of the driver's API the tests use (re-declared to keep its types out of the build). */
export interface DriverQueryResult {
  getColumns(): { name: string; dataType: Record<string, unknown> }[];
  getRows(): Record<string, unknown>[];
}
export interface DriverStatement {
  execute(...args: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}
export interface Driver {
  connect(): Promise<void>;
  close(): Promise<void>;
  query(sql: string): Promise<DriverQueryResult>;
  execute(sql: string): Promise<number>;
  executeBatch(sqls: string[]): Promise<unknown>;
  prepare(sql: string): Promise<DriverStatement>;
  sendCommand(cmd: Record<string, unknown>): Promise<Record<string, unknown>>;
}

interface DriverModule {
  ExasolDriver: new (factory: (url: string) => unknown, config: Record<string, unknown>, logger?: unknown) => Driver;
  Logger: new (level: number) => unknown;
}

export interface ConnectOptions {
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Expected SHA-256 fingerprint (upper-case hex, with or without colons); skipped for ws://. */
  readonly fingerprint?: string | undefined;
  readonly schema?: string;
  readonly compression?: boolean;
  readonly autocommit?: boolean;
}

/** A WebSocket factory that pins the server certificate's SHA-256 fingerprint. */
export function pinnedWebSocketFactory(fingerprint: string | undefined): (url: string) => WebSocket {
  const expected = fingerprint?.replaceAll(':', '').toUpperCase();
  return (url: string) => {
    const ws = new WebSocket(url, { rejectUnauthorized: false });
    if (url.startsWith('wss:')) {
      ws.on('upgrade', (res: IncomingMessage) => {
        const socket = res.socket as unknown as Pick<TLSSocket, 'getPeerCertificate'>;
        const actual = socket.getPeerCertificate().fingerprint256.replaceAll(':', '');
        // ws checks readyState right after 'upgrade': terminating here means 'open' never fires.
        if (actual !== expected) ws.terminate();
      });
    }
    return ws;
  };
}

export async function connectDriver(o: ConnectOptions): Promise<Driver> {
  const require = createRequire(import.meta.url);
  const mod = require('@exasol/exasol-driver-ts') as DriverModule;
  const driver = new mod.ExasolDriver(
    pinnedWebSocketFactory(o.fingerprint),
    {
      url: o.url,
      user: o.user,
      password: o.password,
      encryption: o.url.startsWith('wss:'),
      ...(o.schema !== undefined ? { schema: o.schema } : {}),
      compression: o.compression ?? false,
      autocommit: o.autocommit ?? true,
    },
    new mod.Logger(0),
  );
  await driver.connect();
  return driver;
}
