/**
 * A small HTTP/1.1 client over a byte stream, portable so that Node tests run the very code the Lua UDFs run.
 * The Lua adapter (host/lua-http.ts) opens the stream with LuaSocket's `socket.tcp()` and, for https, LuaSec's
 * `ssl.wrap` — nothing else of those libraries (no `socket.http`, `ssl.https`, `ltn12`: Exasol does not document
 * them, Exasol's Lua rule L4, packages/sandbox/README.md).
 *
 * Connections are kept alive (HTTP/1.1's default; no `Connection: close` is sent): `keepAliveHttpClient` keeps one
 * idle stream per scheme, host and port — a UDF instance sends one request at a time — so the TCP connect, TLS
 * handshake and the in-memory certificate check (host/lua-tls.ts, once when a stream is opened) are paid once per
 * target instead of once per request. A stream goes back to the pool only when its response was read completely by
 * `Content-Length` or chunked framing (or had no body) and the server did not answer `Connection: close` (an
 * HTTP/1.0 answer must say `Connection: keep-alive`); a body read until the server closes ends the stream.
 *
 * A server may close an idle stream at any time (AWS documents no idle timeout for its endpoints; the sandbox closes
 * them after a short one). So when a request on a reused stream fails before any byte of the answer arrived, with
 * the peer gone (`closed`, reset, broken pipe), it is sent once more on a fresh connection. A timeout is never
 * retried (the server may be working on the request), nor any failure on a fresh stream or after bytes arrived.
 * A server that carried a request out and then dropped the connection without answering looks the same, so such a
 * request may arrive twice, as with the AWS SDK's own retries: creates are adopted when they answer "already
 * exists" (packages/core/src/job-name.ts), InvokeEndpoint only predicts again.
 *
 * The response body is read by `Transfer-Encoding: chunked`, else by `Content-Length`, else until the server
 * closes. Interim 1xx answers are skipped; redirects are not followed (AWS's APIs do not redirect signed requests).
 */
import { formatInteger } from './aws-errors.js';
import { HttpTransportError, type HttpRequest, type HttpResponse } from './http-port.js';

/**
 * An open connection. Every method throws `HttpTransportError` (reason: the library's text such as `timeout`,
 * `closed`, `connection refused`; `partialData` when some bytes had arrived before a receive failed) when the
 * socket fails.
 */
export interface HttpStream {
  send(data: string): void;
  /** One line without its CR LF (LuaSocket's `receive('*l')`). */
  receiveLine(): string;
  /** Exactly `n` bytes (LuaSocket's `receive(n)`). */
  receiveBytes(n: number): string;
  /** Everything until the peer closes (LuaSocket's `receive('*a')`). */
  receiveAll(): string;
  close(): void;
}

/** Where a URL points: `http(s)://host[:port]` plus the request target (path and query). */
export interface HttpTarget {
  readonly https: boolean;
  readonly host: string;
  readonly port: number;
  /** `host` or `host:port` as the Host header carries it. */
  readonly authority: string;
  readonly target: string;
}

/** Opens a stream to host:port (TLS for https, with SNI = host). Throws `HttpTransportError`. */
export type HttpOpener = (target: HttpTarget) => HttpStream;

function digitsValue(text: string): number | undefined {
  if (text.length === 0 || text.length > 15) return undefined;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const b = text.charCodeAt(i);
    if (b < 48 || b > 57) return undefined;
    n = n * 10 + (b - 48);
  }
  return n;
}

function hexValue(text: string): number | undefined {
  if (text.length === 0 || text.length > 12) return undefined;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const b = text.charCodeAt(i);
    let d: number;
    if (b >= 48 && b <= 57) d = b - 48;
    else if (b >= 97 && b <= 102) d = b - 87;
    else if (b >= 65 && b <= 70) d = b - 55;
    else return undefined;
    n = n * 16 + d;
  }
  return n;
}

function trim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && (s.charCodeAt(start) === 32 || s.charCodeAt(start) === 9)) start++;
  while (end > start && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9 || s.charCodeAt(end - 1) === 13))
    end--;
  return s.substring(start, end);
}

/** Splits `http(s)://authority/target`; throws `HttpTransportError` for anything else. */
export function parseHttpUrl(url: string): HttpTarget {
  let https: boolean;
  let rest: string;
  if (url.substring(0, 8) === 'https://') {
    https = true;
    rest = url.substring(8);
  } else if (url.substring(0, 7) === 'http://') {
    https = false;
    rest = url.substring(7);
  } else {
    throw new HttpTransportError('unsupported URL scheme');
  }
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charAt(i);
    if (c === '/' || c === '?' || c === '#') {
      end = i;
      break;
    }
  }
  const authority = rest.substring(0, end);
  let target = rest.substring(end);
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.substring(0, hash);
  if (target === '' || target.charAt(0) === '?') target = '/' + target;
  // IPv6 literals (`[::1]`) are not supported: AWS endpoints are names.
  const colon = authority.indexOf(':');
  const host = colon >= 0 ? authority.substring(0, colon) : authority;
  const port = colon >= 0 ? digitsValue(authority.substring(colon + 1)) : https ? 443 : 80;
  if (host === '' || port === undefined || port < 1 || port > 65535) {
    throw new HttpTransportError('invalid URL authority');
  }
  return { https, host, port, authority, target };
}

/**
 * The request head: request line, the caller's headers, then Host if missing and Content-Length. No Connection
 * header: HTTP/1.1 connections persist unless a side says `close`.
 */
export function requestHead(request: HttpRequest, target: HttpTarget): string {
  const lines: string[] = [request.method + ' ' + target.target + ' HTTP/1.1'];
  let hasHost = false;
  for (const name in request.headers) {
    const lower = name.toLowerCase();
    // Framing is this client's business: its own Content-Length replaces the caller's, and it keeps connections.
    if (lower === 'content-length' || lower === 'connection' || lower === 'transfer-encoding') continue;
    if (lower === 'host') hasHost = true;
    lines.push(name + ': ' + (request.headers[name] ?? ''));
  }
  if (!hasHost) lines.push('host: ' + target.authority);
  lines.push('content-length: ' + formatInteger(request.body.length));
  return lines.join('\r\n') + '\r\n\r\n';
}

interface ResponseHead {
  status: number;
  /** `HTTP/1.0` answers close after the response unless they say `Connection: keep-alive`. */
  http10: boolean;
  headers: Record<string, string>;
}

/** Reads a status line (unless given) and headers; header names lower case, repeated headers joined with `, `. */
function readHead(stream: HttpStream, receivedStatusLine?: string): ResponseHead {
  const statusLine = receivedStatusLine ?? stream.receiveLine();
  // `HTTP/1.1 200 OK`: the code is the second field.
  if (statusLine.substring(0, 5) !== 'HTTP/') throw new HttpTransportError('malformed HTTP status line');
  const space = statusLine.indexOf(' ');
  const status = space < 0 ? undefined : digitsValue(statusLine.substring(space + 1, space + 4));
  if (status === undefined || status < 100 || status > 999) throw new HttpTransportError('malformed HTTP status line');
  const headers: Record<string, string> = {};
  let count = 0;
  for (;;) {
    const line = stream.receiveLine();
    if (line === '' || line === '\r') break;
    if (++count > 200) throw new HttpTransportError('too many HTTP response headers');
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = trim(line.substring(0, colon)).toLowerCase();
    const value = trim(line.substring(colon + 1));
    const before = headers[name];
    headers[name] = before === undefined ? value : before + ', ' + value;
  }
  return { status, http10: statusLine.substring(0, 9) === 'HTTP/1.0 ', headers };
}

function readChunked(stream: HttpStream): string {
  const parts: string[] = [];
  for (;;) {
    const line = stream.receiveLine();
    const semicolon = line.indexOf(';');
    const size = hexValue(trim(semicolon >= 0 ? line.substring(0, semicolon) : line));
    if (size === undefined) throw new HttpTransportError('malformed chunk size');
    if (size === 0) break;
    parts.push(stream.receiveBytes(size));
    stream.receiveLine();
  }
  // Trailer fields, up to the empty line.
  let trailer = stream.receiveLine();
  while (trailer !== '' && trailer !== '\r') trailer = stream.receiveLine();
  return parts.join('');
}

/** Whether the comma-separated `Connection` header holds `token` (lower case). */
function hasConnectionToken(headers: Record<string, string>, token: string): boolean {
  const value = headers['connection'];
  if (value === undefined) return false;
  for (const part of value.split(',')) if (trim(part).toLowerCase() === token) return true;
  return false;
}

/** One response, and whether its stream may carry the next request. */
interface FramedResponse {
  readonly response: HttpResponse;
  readonly reusable: boolean;
}

function readFramedResponse(stream: HttpStream, method: string, statusLine?: string): FramedResponse {
  let head = readHead(stream, statusLine);
  while (head.status >= 100 && head.status < 200) head = readHead(stream);
  const { status, headers } = head;
  const persistent = head.http10 ? hasConnectionToken(headers, 'keep-alive') : !hasConnectionToken(headers, 'close');
  if (method === 'HEAD' || status === 204 || status === 304) {
    return { response: { status, headers, body: '' }, reusable: persistent };
  }
  const encoding = (headers['transfer-encoding'] ?? '').toLowerCase();
  if (encoding.indexOf('chunked') >= 0) {
    return { response: { status, headers, body: readChunked(stream) }, reusable: persistent };
  }
  const lengthText = headers['content-length'];
  if (lengthText !== undefined) {
    const length = digitsValue(lengthText);
    if (length === undefined) throw new HttpTransportError('malformed Content-Length');
    return {
      response: { status, headers, body: length === 0 ? '' : stream.receiveBytes(length) },
      reusable: persistent,
    };
  }
  // Delimited by the server closing: nothing can follow on this stream.
  return { response: { status, headers, body: stream.receiveAll() }, reusable: false };
}

/** Reads one response (skipping interim 1xx answers) from a stream the request was written to. */
export function readResponse(stream: HttpStream, method: string): HttpResponse {
  return readFramedResponse(stream, method).response;
}

/**
 * Whether a failure to send or to receive the status line on a reused stream means the server had closed it while
 * idle: the peer was gone (LuaSocket's and LuaSec's `closed`, the system's connection reset or broken pipe) and no
 * byte of an answer had arrived.
 */
function peerWasGone(e: unknown): boolean {
  if (!(e instanceof HttpTransportError) || e.partialData) return false;
  const reason = e.reason.toLowerCase();
  return reason === 'closed' || reason.indexOf('reset') >= 0 || reason.indexOf('broken pipe') >= 0;
}

/** Sends a request over HTTP/1.1 and reads the answer; throws `HttpTransportError` when none arrived. */
export interface HttpClient {
  send(request: HttpRequest): HttpResponse;
  /** Closes the idle streams. */
  closeIdle(): void;
}

/**
 * An HTTP/1.1 client keeping one idle stream per scheme, host and port for the next request to the same target
 * (see the top of this file for when a stream is kept and when a request is sent again). Not for concurrent use: a
 * UDF instance sends one request at a time.
 */
export function keepAliveHttpClient(open: HttpOpener): HttpClient {
  const idle: Record<string, HttpStream | undefined> = {};

  /**
   * Sends and reads on `stream`, which then goes back to the pool or is closed (also when this throws). A `reused`
   * stream the server had closed while idle answers `undefined` instead of failing.
   */
  const exchangeOn = (
    stream: HttpStream,
    reused: boolean,
    key: string,
    request: HttpRequest,
    target: HttpTarget,
  ): HttpResponse | undefined => {
    let kept = false;
    try {
      let statusLine: string;
      try {
        stream.send(requestHead(request, target) + request.body);
        statusLine = stream.receiveLine();
      } catch (e) {
        if (reused && peerWasGone(e)) return undefined;
        throw e;
      }
      const { response, reusable } = readFramedResponse(stream, request.method, statusLine);
      if (reusable) {
        idle[key] = stream;
        kept = true;
      }
      return response;
    } finally {
      if (!kept) stream.close();
    }
  };

  return {
    send(request: HttpRequest): HttpResponse {
      const target = parseHttpUrl(request.url);
      const key = (target.https ? 'https://' : 'http://') + target.host + ':' + formatInteger(target.port);
      const idleStream = idle[key];
      if (idleStream !== undefined) {
        idle[key] = undefined;
        const response = exchangeOn(idleStream, true, key, request, target);
        if (response !== undefined) return response;
        // The server had closed the idle stream: the request did not reach it, or it gave no answer. Once more, on
        // a fresh connection.
      }
      const response = exchangeOn(open(target), false, key, request, target);
      // Only a reused stream answers undefined; a fresh one throws.
      if (response === undefined) throw new HttpTransportError('closed');
      return response;
    },
    closeIdle(): void {
      for (const key in idle) {
        const stream = idle[key];
        idle[key] = undefined;
        if (stream !== undefined) stream.close();
      }
    },
  };
}
