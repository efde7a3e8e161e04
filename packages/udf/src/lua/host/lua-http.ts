import { HttpTransportError, type HttpPort, type HttpRequest, type HttpResponse } from '../aws/http-port.js';
import type { HttpModule, HttpRequestTable, Ltn12Module } from './lua-libs.js';

export interface LuaHttpOptions {
  /** Per socket operation (connect, each read/write), in seconds: LuaSocket has no total deadline. */
  readonly timeoutSeconds: number;
  /** CA bundle file / directory for verifying AWS's certificate (LuaSec verifies nothing unless told). */
  readonly tlsCaFile?: string;
  readonly tlsCaPath?: string;
}

/** `HttpPort` over LuaSocket (`http://`) and LuaSec (`https://`, peer verification on, TLS ≥ 1.1). */
export function luaHttpPort(options: LuaHttpOptions): HttpPort {
  return {
    send(request: HttpRequest): HttpResponse {
      const https = request.url.substring(0, 8) === 'https://';
      // Native modules of the Lua runtime, loaded with Lua's own `require`.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ltn12 = require('ltn12') as Ltn12Module;
      const transport = https
        ? // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('ssl.https') as HttpModule)
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('socket.http') as HttpModule);
      transport.TIMEOUT = options.timeoutSeconds;
      const chunks: string[] = [];
      const headers: Record<string, string> = {};
      for (const name in request.headers) headers[name] = request.headers[name] ?? '';
      const table: HttpRequestTable = {
        url: request.url,
        method: request.method,
        headers,
        source: ltn12.source.string(request.body),
        sink: ltn12.sink.table(chunks),
        redirect: false,
      };
      if (https) {
        // LuaSec's defaults are verify = "none" (ssl/https.lua, cfg): AWS's certificate must be checked.
        table.verify = 'peer';
        table.protocol = 'any';
        table.options = ['all', 'no_sslv2', 'no_sslv3', 'no_tlsv1'];
        table.capath = options.tlsCaPath ?? '/etc/ssl/certs';
        if (options.tlsCaFile !== undefined) table.cafile = options.tlsCaFile;
      }
      const [ok, status, responseHeaders] = transport.request(table);
      if (ok === undefined) throw new HttpTransportError(typeof status === 'string' ? status : 'no answer');
      const lower: Record<string, string> = {};
      for (const name in responseHeaders) {
        lower[name.toLowerCase()] = responseHeaders[name] ?? '';
      }
      return { status, headers: lower, body: chunks.join('') };
    },
  };
}
