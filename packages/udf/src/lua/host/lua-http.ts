import { httpExchange, type HttpStream, type HttpTarget } from '../aws/http-client.js';
import { HttpTransportError, type HttpPort, type HttpRequest, type HttpResponse } from '../aws/http-port.js';
import type { LuaStreamSocket, SocketModule, SslModule, SslParams } from './lua-libs.js';

export interface LuaHttpOptions {
  /** Per socket operation (connect, handshake, each read/write), in seconds: LuaSocket has no total deadline. */
  readonly timeoutSeconds: number;
  /** CA bundle file / directory for verifying AWS's certificate (LuaSec verifies nothing unless told). */
  readonly tlsCaFile?: string;
  readonly tlsCaPath?: string;
}

/**
 * Every TLS setting of the in-database HTTPS calls, in one place: peer verification on (LuaSec's default is `none`),
 * TLS 1.1 or later, the CA certificates from a file or directory. LuaSec reads `cafile`/`capath` from the file system,
 * which Exasol's Lua does not have (Exasol's Lua rule L3, packages/sandbox/README.md): there `ssl.wrap` fails and the
 * call answers SME-E-AWS-UNREACHABLE. Verifying against roots held in memory is the planned replacement; it only
 * changes this function and `openStream`.
 */
export function tlsParameters(options: LuaHttpOptions): SslParams {
  const params: SslParams = {
    mode: 'client',
    protocol: 'any',
    verify: 'peer',
    options: ['all', 'no_sslv2', 'no_sslv3', 'no_tlsv1'],
    capath: options.tlsCaPath ?? '/etc/ssl/certs',
  };
  if (options.tlsCaFile !== undefined) params.cafile = options.tlsCaFile;
  return params;
}

/** An `HttpStream` over a LuaSocket TCP object or a LuaSec connection. */
function luaStream(sock: LuaStreamSocket): HttpStream {
  const receive = (pattern: string | number): string => {
    const [data, err] = sock.receive(pattern);
    if (data === undefined) throw new HttpTransportError(err);
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
function openStream(target: HttpTarget, options: LuaHttpOptions): HttpStream {
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
  const [conn, wrapError] = ssl.wrap(tcp, tlsParameters(options));
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
  return luaStream(conn);
}

/**
 * `HttpPort` over LuaSocket's `socket.tcp()` and LuaSec's `ssl.wrap` (https, peer verification on): the HTTP/1.1
 * client of `http-client.ts`, one connection per request.
 */
export function luaHttpPort(options: LuaHttpOptions): HttpPort {
  return {
    send(request: HttpRequest): HttpResponse {
      return httpExchange((target) => openStream(target, options), request);
    },
  };
}
