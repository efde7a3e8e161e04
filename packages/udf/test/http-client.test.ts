import { describe, expect, it } from 'vitest';
import { httpExchange, parseHttpUrl, readResponse, requestHead, type HttpStream } from '../src/lua/aws/http-client.js';
import { HttpTransportError } from '../src/lua/aws/http-port.js';

/** A stream over fixed response bytes with LuaSocket's receive semantics; records what was sent. */
function scripted(response: string, options: { failAfter?: number; reason?: string } = {}) {
  let at = 0;
  const sent: string[] = [];
  let closed = false;
  const limit = options.failAfter ?? response.length;
  const fail = (): never => {
    throw new HttpTransportError(options.reason ?? 'closed');
  };
  const stream: HttpStream = {
    send: (data) => {
      sent.push(data);
    },
    receiveLine: () => {
      const end = response.indexOf('\n', at);
      if (end < 0 || end >= limit) return fail();
      let line = response.slice(at, end);
      at = end + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      return line;
    },
    receiveBytes: (n) => {
      if (at + n > limit) return fail();
      const data = response.slice(at, at + n);
      at += n;
      return data;
    },
    receiveAll: () => {
      if (limit < response.length) return fail();
      const data = response.slice(at);
      at = response.length;
      return data;
    },
    close: () => {
      closed = true;
    },
  };
  return { stream, sent, isClosed: () => closed };
}

const GET = { url: 'http://h.example:8080/p/a%20b?x=1&y=2', method: 'GET', headers: {}, body: '' };

describe('HTTP/1.1 client over a stream (the code the Lua UDFs run)', () => {
  it('parses URLs into host, port, Host authority and request target', () => {
    expect(parseHttpUrl('https://api.sagemaker.eu-west-1.amazonaws.com')).toEqual({
      https: true,
      host: 'api.sagemaker.eu-west-1.amazonaws.com',
      port: 443,
      authority: 'api.sagemaker.eu-west-1.amazonaws.com',
      target: '/',
    });
    expect(parseHttpUrl('http://127.0.0.1:4566/base/x?q=1#frag')).toMatchObject({
      https: false,
      host: '127.0.0.1',
      port: 4566,
      authority: '127.0.0.1:4566',
      target: '/base/x?q=1',
    });
    expect(parseHttpUrl('http://h?list-type=2').target).toBe('/?list-type=2');
    for (const bad of ['ftp://h/', 'http://', 'http://h:0/', 'http://h:99999/', 'http://h:x/']) {
      expect(() => parseHttpUrl(bad)).toThrow(HttpTransportError);
    }
  });

  it('writes Host, Content-Length and Connection: close, replacing the caller’s framing headers', () => {
    const head = requestHead(
      {
        url: 'http://h:81/x',
        method: 'POST',
        headers: { 'x-amz-date': '20250101T000000Z', 'content-length': '999', connection: 'keep-alive' },
        body: '{"a":1}',
      },
      parseHttpUrl('http://h:81/x'),
    );
    expect(head).toBe(
      'POST /x HTTP/1.1\r\nx-amz-date: 20250101T000000Z\r\nhost: h:81\r\ncontent-length: 7\r\nconnection: close\r\n\r\n',
    );
    const signedHost = requestHead(
      { url: 'http://h:81/x', method: 'GET', headers: { host: 'h:81' }, body: '' },
      parseHttpUrl('http://h:81/x'),
    );
    expect(signedHost.match(/host:/gi)).toHaveLength(1);
  });

  it('reads a body by Content-Length, leaving bytes after it unread', () => {
    const { stream } = scripted('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Amzn-RequestId: r1\r\n\r\nhelloEXTRA');
    expect(readResponse(stream, 'POST')).toEqual({
      status: 200,
      headers: { 'content-length': '5', 'x-amzn-requestid': 'r1' },
      body: 'hello',
    });
  });

  it('reads a chunked body with extensions and trailers', () => {
    const { stream } = scripted(
      'HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '4;ext=1\r\n{"__\r\nA\r\ntype":"X"}\r\n0\r\nx-trailer: t\r\n\r\n',
    );
    expect(readResponse(stream, 'POST')).toMatchObject({ status: 400, body: '{"__type":"X"}' });
  });

  it('reads until close without Content-Length or chunking, and skips 100 Continue', () => {
    const { stream } = scripted('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nServer: x\r\n\r\nline1\nline2');
    expect(readResponse(stream, 'GET')).toMatchObject({ status: 200, body: 'line1\nline2' });
  });

  it('joins repeated headers and reads no body for HEAD, 204 and 304', () => {
    const { stream } = scripted('HTTP/1.1 204 No Content\r\nA: 1\r\na: 2\r\n\r\n');
    expect(readResponse(stream, 'DELETE')).toEqual({ status: 204, headers: { a: '1, 2' }, body: '' });
  });

  it('fails with HttpTransportError on malformed answers and on socket errors, closing the stream', () => {
    for (const bad of [
      'SSH-2.0-OpenSSH\r\n\r\n',
      'HTTP/1.1 abc\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ]) {
      const s = scripted(bad);
      expect(() => httpExchange(() => s.stream, GET)).toThrow(HttpTransportError);
      expect(s.isClosed()).toBe(true);
    }
    const truncated = 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc';
    const s = scripted(truncated, { failAfter: truncated.length - 3, reason: 'timeout' });
    expect(() => httpExchange(() => s.stream, GET)).toThrow(expect.objectContaining({ reason: 'timeout' }));
    expect(s.isClosed()).toBe(true);
  });

  it('sends head and body in one write to the opened target', () => {
    const s = scripted('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    let opened: unknown;
    const r = httpExchange(
      (t) => {
        opened = t;
        return s.stream;
      },
      { ...GET, method: 'POST', body: 'xyz' },
    );
    expect(r).toEqual({ status: 200, headers: { 'content-length': '0' }, body: '' });
    expect(opened).toMatchObject({ host: 'h.example', port: 8080, https: false });
    expect(s.sent).toEqual([
      'POST /p/a%20b?x=1&y=2 HTTP/1.1\r\nhost: h.example:8080\r\ncontent-length: 3\r\nconnection: close\r\n\r\nxyz',
    ]);
  });
});
