import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { connect as tlsConnect } from 'node:tls';
import { deflateSync, inflateSync } from 'node:zlib';
import type * as Driver from '@exasol/exasol-driver-ts';
import WebSocket from 'ws';
import type { ClientOptions, RawData } from 'ws';
import type { ResolvedExasol } from './exasol-config.js';
import { normaliseFingerprint } from './exasol-dsn.js';
import { TlsFingerprintMismatch } from './exasol-errors.js';
import { exactIntegersAsStrings } from './exact-json.js';

/** The driver's module type, for the few runtime values the adapter uses (command classes, the driver). */
export type DriverModule = typeof Driver;
export type ExasolDriverInstance = InstanceType<DriverModule['ExasolDriver']>;

let loaded: DriverModule | undefined;

/**
 * Loads the driver's CommonJS build. Its ESM build does `import * as forge from 'node-forge'`, and under
 * Node's native ESM (and vitest) that namespace only has `default`, so password login dies with
 * "Cannot read properties of undefined (reading 'BigInteger')" (@exasol/exasol-driver-ts 0.8.0). The CJS build gets
 * node-forge through `require` and works. Loaded on first use so that importing the adapter stays cheap.
 */
export function loadDriver(): DriverModule {
  loaded ??= createRequire(import.meta.url)('@exasol/exasol-driver-ts') as DriverModule;
  return loaded;
}

/** What the socket saw, for error translation (the driver keeps only an error's message). */
export interface TransportState {
  lastError: Error | undefined;
  opened: boolean;
}

type Handler = ((event: unknown) => unknown) | null;

/**
 * The `ExaWebsocket` the driver talks through: a `ws` client whose incoming frames are rewritten so that
 * integers beyond 2^53 reach the driver's `JSON.parse` as strings, and whose errors are remembered with
 * their codes.
 */
class ExasolSocket {
  onmessage: Handler = null;
  onopen: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;
  binaryType: 'arraybuffer' | 'blob' = 'arraybuffer';
  private readonly ws: WebSocket;

  constructor(ws: WebSocket, state: TransportState) {
    this.ws = ws;
    ws.on('open', () => {
      state.opened = true;
      this.onopen?.({ type: 'open' });
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      this.onmessage?.({ type: 'message', target: this, data: exactFrame(data, isBinary) });
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.onclose?.({ type: 'close', code, reason: reason.toString('utf8') });
    });
    ws.on('error', (error: Error) => {
      state.lastError = error;
      this.onerror?.(error);
    });
  }

  get readyState(): Driver.ReadyState {
    // ws uses the WHATWG numbering (1 open, 2 closing, 3 closed) that the driver's enum copies; the enum's
    // runtime object lives in the lazily loaded CJS module, so the number is passed through as is.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
    return this.ws.readyState as Driver.ReadyState;
  }

  send(data: string | Uint8Array): void {
    this.ws.send(data);
  }

  close(): void {
    this.ws.close();
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Text frames are JSON; binary frames are zlib-compressed JSON (after a login with compression). */
function exactFrame(data: RawData, isBinary: boolean): string | Uint8Array {
  const buffer = toBuffer(data);
  if (!isBinary) return exactIntegersAsStrings(buffer.toString('utf8'));
  const text = inflateSync(buffer).toString('utf8');
  const exact = exactIntegersAsStrings(text);
  return exact === text ? new Uint8Array(buffer) : new Uint8Array(deflateSync(Buffer.from(exact, 'utf8')));
}

/** The URL the driver connects to: `wss://host:port`, or `ws://` when TLS is off (the sandbox only). */
export function exasolUrl(resolved: ResolvedExasol): string {
  return `${resolved.tls.mode === 'none' ? 'ws' : 'wss'}://${resolved.host}:${resolved.port}`;
}

/** `ws` options for the TLS mode: system CAs, a CA file's PEM, a pinned fingerprint, or no check. */
export function socketOptions(resolved: ResolvedExasol, caPem: string | undefined): ClientOptions {
  // Exasol compresses with its own zlib framing; the permessage-deflate extension is not part of its API.
  const base: ClientOptions = { handshakeTimeout: resolved.connectTimeoutMs, perMessageDeflate: false };
  const tls = resolved.tls;
  switch (tls.mode) {
    case 'none':
    case 'system-ca':
      return base;
    case 'ca-file':
      return { ...base, ca: caPem };
    case 'insecure':
      return { ...base, rejectUnauthorized: false };
    case 'fingerprint':
      // A pinned certificate is usually self-signed (docker-db), so chain verification is off and the
      // fingerprint is the check. It runs on secureConnect, before a byte of HTTP or login data is sent.
      return {
        ...base,
        rejectUnauthorized: false,
        createConnection: ((options: ConnectionOptions): TLSSocket => {
          // Same SNI rule as ws's own tlsConnect: no server name for IP addresses.
          const host = options.host ?? '';
          const socket = tlsConnect({
            ...options,
            path: undefined,
            servername: options.servername ?? (isIP(host) !== 0 ? '' : host),
          } as ConnectionOptions);
          socket.once('secureConnect', () => {
            const actual = normaliseFingerprint(socket.getPeerCertificate().fingerprint256) ?? '(none)';
            if (actual !== tls.fingerprint) socket.destroy(new TlsFingerprintMismatch(tls.fingerprint, actual));
          });
          return socket;
        }) as unknown as ClientOptions['createConnection'],
      };
  }
}

/** Creates a driver whose sockets follow the resolved TLS settings and report into `state`. */
export function createDriver(
  resolved: ResolvedExasol,
  caPem: string | undefined,
  state: TransportState,
): ExasolDriverInstance {
  const { ExasolDriver } = loadDriver();
  const options = socketOptions(resolved, caPem);
  const factory = (url: string): Driver.ExaWebsocket => {
    state.lastError = undefined;
    state.opened = false;
    return new ExasolSocket(new WebSocket(url, options), state);
  };
  return new ExasolDriver(factory, {
    host: resolved.host,
    port: resolved.port,
    url: exasolUrl(resolved),
    user: resolved.user,
    password: resolved.password,
    schema: resolved.schema,
    compression: resolved.compression,
    autocommit: true,
    clientName: 'sme',
    clientVersion: '0.1.0',
  });
}
