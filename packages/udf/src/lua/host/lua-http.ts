import { keepAliveHttpClient, type HttpStream, type HttpTarget } from '../aws/http-client.js';
import { HttpTransportError, type HttpPort, type HttpRequest, type HttpResponse } from '../aws/http-port.js';
import type { LuaStreamSocket, SocketModule, SslModule, SslParams } from './lua-libs.js';
import { awsRootCertificatesPem } from '../aws/aws-root-certificates.js';
import { luaTlsVerifier, type TlsVerifier } from './lua-tls.js';

export interface LuaHttpOptions {
  /** Per socket operation (connect, handshake, each read/write), in seconds: LuaSocket has no total deadline. */
  readonly timeoutSeconds: number;
  /**
   * PEM text of root certificates trusted besides AWS's own (`AWS_ROOT_CERTIFICATES`, always trusted): what
   * `sme deploy --aws-ca-file` baked in, for private endpoints and the sandbox. There is no unverified mode.
   */
  readonly extraRootsPem?: string;
  /** Seconds since the epoch, for the certificates' validity dates (default `os.time()`). */
  readonly nowSeconds?: () => number;
}

/**
 * LuaSec's settings of the in-database HTTPS calls: TLS 1.1 or later, and LuaSec's own verification off because it
 * could only read roots from files (`cafile`/`capath`), which Exasol's Lua does not have (Exasol's Lua rule L3, packages/sandbox/README.md).
 * The peer is verified in memory right after the handshake instead (`lua-tls.ts`), before anything is sent.
 */
export function tlsParameters(): SslParams {
  return {
    mode: 'client',
    protocol: 'any',
    verify: 'none',
    options: ['all', 'no_sslv2', 'no_sslv3', 'no_tlsv1'],
  };
}

/** An `HttpStream` over a LuaSocket TCP object or a LuaSec connection. */
function luaStream(sock: LuaStreamSocket): HttpStream {
  const receive = (pattern: string | number): string => {
    const [data, err, partial] = sock.receive(pattern);
    if (data === undefined) throw new HttpTransportError(err, partial !== undefined && partial !== '');
    return data;
  };
  return {
    send(data: string): void {
      const [sent, err] = sock.send(data);
      if (sent === undefined) throw new HttpTransportError(err);
    },
    receiveLine: () => receive('*l'),
    receiveBytes: (n: number) => receive(n),
    receiveAll: () => receive('*a'),
    close(): void {
      sock.close();
    },
  };
}

/** Connects (and for https wraps with LuaSec, SNI = host, handshake); every step under the socket timeout. */
function openStream(target: HttpTarget, options: LuaHttpOptions, verifier: TlsVerifier): HttpStream {
  // Native modules of the Lua runtime, loaded with Lua's own `require`: `socket` and `ssl` only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const socket = require('socket') as SocketModule;
  const [tcp, createError] = socket.tcp();
  if (tcp === undefined) throw new HttpTransportError(createError);
  tcp.settimeout(options.timeoutSeconds);
  const [connected, connectError] = tcp.connect(target.host, target.port);
  if (connected === undefined) {
    tcp.close();
    throw new HttpTransportError(connectError);
  }
  if (!target.https) return luaStream(tcp);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ssl = require('ssl') as SslModule;
  const [conn, wrapError] = ssl.wrap(tcp, tlsParameters());
  if (conn === undefined) {
    tcp.close();
    throw new HttpTransportError('TLS setup failed: ' + wrapError);
  }
  conn.settimeout(options.timeoutSeconds);
  conn.sni(target.host);
  const [shaken, handshakeError] = conn.dohandshake();
  if (shaken !== true) {
    conn.close();
    throw new HttpTransportError('TLS handshake failed: ' + handshakeError);
  }
  try {
    verifier.verify(conn, target.host);
  } catch (e) {
    conn.close();
    throw e;
  }
  return luaStream(conn);
}

/**
 * `HttpPort` over LuaSocket's `socket.tcp()` and LuaSec's `ssl.wrap` (https, the peer verified in memory against
 * AWS's roots and `extraRootsPem` once per connection): the keep-alive HTTP/1.1 client of `http-client.ts`, which
 * keeps one idle connection per target in this port object. Create one port per UDF instance (Lua VM) and reuse it.
 */
export function luaHttpPort(options: LuaHttpOptions): HttpPort {
  const roots = awsRootCertificatesPem() + (options.extraRootsPem ?? '');
  const verifier = luaTlsVerifier(roots, options.nowSeconds ?? (() => os.time()));
  const client = keepAliveHttpClient((target) => openStream(target, options, verifier));
  return {
    send(request: HttpRequest): HttpResponse {
      return client.send(request);
    },
  };
}

let instancePort: { readonly config: object; readonly port: HttpPort } | undefined;

/**
 * The port of this UDF instance, so that its connections outlive one `run` call: Exasol calls `run` again in the
 * same Lua VM for the next group (SET) or row (SCALAR), always with the configuration table baked into the UDF.
 * A different `config` object gets a new port.
 */
export function instanceHttpPort(config: object, options: LuaHttpOptions): HttpPort {
  if (instancePort === undefined || instancePort.config !== config) {
    instancePort = { config, port: luaHttpPort(options) };
  }
  return instancePort.port;
}
