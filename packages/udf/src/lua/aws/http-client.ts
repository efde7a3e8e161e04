/**
 * A small HTTP/1.1 client over a byte stream, portable so that Node tests run the very code the Lua UDFs run.
 * The Lua adapter (host/lua-http.ts) opens the stream with LuaSocket's `socket.tcp()` and, for https, LuaSec's
 * `ssl.wrap` — nothing else of those libraries (no `socket.http`, `ssl.https`, `ltn12`: Exasol does not document
 * them, Exasol's Lua rule L4, packages/sandbox/README.md).
 *
 * One request per connection (`Connection: close`). The response body is read by `Transfer-Encoding: chunked`,
 * else by `Content-Length`, else until the server closes. Interim 1xx answers are skipped; redirects are not
 * followed (AWS's APIs do not redirect signed requests).
 */
import { formatInteger } from './aws-errors.js';
import { HttpTransportError, type HttpRequest, type HttpResponse } from './http-port.js';

/**
 * An open connection. Every method throws `HttpTransportError` (reason: the library's text such as `timeout`,
 * `closed`, `connection refused`) when the socket fails.
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

/** The request head: request line, the caller's headers, then Host, Content-Length and Connection if missing. */
export function requestHead(request: HttpRequest, target: HttpTarget): string {
  const lines: string[] = [request.method + ' ' + target.target + ' HTTP/1.1'];
  let hasHost = false;
  for (const name in request.headers) {
    const lower = name.toLowerCase();
    // Framing is this client's business: its own Content-Length and Connection replace the caller's.
    if (lower === 'content-length' || lower === 'connection' || lower === 'transfer-encoding') continue;
    if (lower === 'host') hasHost = true;
    lines.push(name + ': ' + (request.headers[name] ?? ''));
  }
  if (!hasHost) lines.push('host: ' + target.authority);
  lines.push('content-length: ' + formatInteger(request.body.length));
  lines.push('connection: close');
  return lines.join('\r\n') + '\r\n\r\n';
}

/** Reads a status line and headers; header names lower case, repeated headers joined with `, `. */
function readHead(stream: HttpStream): { status: number; headers: Record<string, string> } {
  const statusLine = stream.receiveLine();
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
  return { status, headers };
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

/** Reads one response (skipping interim 1xx answers) from a stream the request was written to. */
export function readResponse(stream: HttpStream, method: string): HttpResponse {
  let head = readHead(stream);
  while (head.status >= 100 && head.status < 200) head = readHead(stream);
  const { status, headers } = head;
  if (method === 'HEAD' || status === 204 || status === 304) return { status, headers, body: '' };
  const encoding = (headers['transfer-encoding'] ?? '').toLowerCase();
  if (encoding.indexOf('chunked') >= 0) return { status, headers, body: readChunked(stream) };
  const lengthText = headers['content-length'];
  if (lengthText !== undefined) {
    const length = digitsValue(lengthText);
    if (length === undefined) throw new HttpTransportError('malformed Content-Length');
    return { status, headers, body: length === 0 ? '' : stream.receiveBytes(length) };
  }
  return { status, headers, body: stream.receiveAll() };
}

/** Sends one request over a fresh connection and reads the answer; the stream is closed in every case. */
export function httpExchange(open: HttpOpener, request: HttpRequest): HttpResponse {
  const target = parseHttpUrl(request.url);
  const stream = open(target);
  try {
    stream.send(requestHead(request, target) + request.body);
    return readResponse(stream, request.method);
  } finally {
    stream.close();
  }
}
