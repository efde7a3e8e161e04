import { describe, expect, it } from 'vitest';
import {
  keepAliveHttpClient,
  parseHttpUrl,
  readResponse,
  requestHead,
  type HttpOpener,
  type HttpStream,
} from '../src/lua/aws/http-client.js';
import { HttpTransportError } from '../src/lua/aws/http-port.js';

/** A stream over fixed response bytes with LuaSocket's receive semantics; records what was sent. */
function scripted(response: string, options: { failAfter?: number; reason?: string } = {}) {
  let at = 0;
  const sent: string[] = [];
  let closed = false;
  const limit = options.failAfter ?? response.length;
  // Bytes before the failure point that a failing receive consumed are reported, as LuaSocket's partial result.
  const fail = (): never => {
    const partial = limit > at;
    at = limit;
    throw new HttpTransportError(options.reason ?? 'closed', partial);
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

/** One request on a client of its own: a fresh stream, closed afterwards. */
function exchangeOnce(open: HttpOpener, request: typeof GET) {
  const client = keepAliveHttpClient(open);
  try {
    return client.send(request);
  } finally {
    client.closeIdle();
  }
}

/** An opener handing out the given streams in turn, counting the targets it was asked for. */
function openerOf(...streams: HttpStream[]) {
  const opened: string[] = [];
  const open: HttpOpener = (t) => {
    const s = streams[opened.length];
    opened.push(t.authority);
    if (s === undefined) throw new HttpTransportError('connection refused');
    return s;
  };
  return { open, opened };
}

const OK = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${String(body.length)}\r\n\r\n${body}`;

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

  it('writes Host and Content-Length, dropping the caller’s framing headers (HTTP/1.1 keeps the connection)', () => {
    const head = requestHead(
      {
        url: 'http://h:81/x',
        method: 'POST',
        headers: { 'x-amz-date': '20250101T000000Z', 'content-length': '999', connection: 'keep-alive' },
        body: '{"a":1}',
      },
      parseHttpUrl('http://h:81/x'),
    );
    expect(head).toBe('POST /x HTTP/1.1\r\nx-amz-date: 20250101T000000Z\r\nhost: h:81\r\ncontent-length: 7\r\n\r\n');
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
      expect(() => exchangeOnce(() => s.stream, GET)).toThrow(HttpTransportError);
      expect(s.isClosed()).toBe(true);
    }
    const truncated = 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc';
    const s = scripted(truncated, { failAfter: truncated.length - 3, reason: 'timeout' });
    expect(() => exchangeOnce(() => s.stream, GET)).toThrow(expect.objectContaining({ reason: 'timeout' }));
    expect(s.isClosed()).toBe(true);
  });

  it('sends head and body in one write to the opened target', () => {
    const s = scripted('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    let opened: unknown;
    const r = exchangeOnce(
      (t) => {
        opened = t;
        return s.stream;
      },
      { ...GET, method: 'POST', body: 'xyz' },
    );
    expect(r).toEqual({ status: 200, headers: { 'content-length': '0' }, body: '' });
    expect(opened).toMatchObject({ host: 'h.example', port: 8080, https: false });
    expect(s.sent).toEqual(['POST /p/a%20b?x=1&y=2 HTTP/1.1\r\nhost: h.example:8080\r\ncontent-length: 3\r\n\r\nxyz']);
  });

  describe('keep-alive', () => {
    it('reuses one stream for requests to the same target, by Content-Length, chunked framing and no body', () => {
      const s = scripted(
        OK('one') +
          'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n' +
          'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n' +
          OK('four'),
      );
      const { open, opened } = openerOf(s.stream);
      const client = keepAliveHttpClient(open);
      expect(client.send(GET).body).toBe('one');
      expect(client.send({ ...GET, url: 'http://h.example:8080/other' }).body).toBe('two');
      expect(client.send({ ...GET, method: 'HEAD' })).toMatchObject({ status: 200, body: '' });
      expect(client.send(GET).body).toBe('four');
      expect(opened).toEqual(['h.example:8080']);
      expect(s.sent).toHaveLength(4);
      expect(s.sent[1]?.startsWith('GET /other HTTP/1.1\r\n')).toBe(true);
      expect(s.isClosed()).toBe(false);
      client.closeIdle();
      expect(s.isClosed()).toBe(true);
    });

    it('keeps one idle stream per scheme, host and port', () => {
      const a = scripted(OK('a1') + OK('a2'));
      const b = scripted(OK('b1'));
      const { open, opened } = openerOf(a.stream, b.stream);
      const client = keepAliveHttpClient(open);
      expect(client.send(GET).body).toBe('a1');
      expect(client.send({ ...GET, url: 'https://h.example:8080/' }).body).toBe('b1');
      expect(client.send(GET).body).toBe('a2');
      expect(opened).toEqual(['h.example:8080', 'h.example:8080']);
    });

    it('closes the stream when the server answers Connection: close, or HTTP/1.0 without keep-alive', () => {
      const closing = scripted('HTTP/1.1 200 OK\r\nConnection: Keep-Alive, close\r\nContent-Length: 1\r\n\r\nx');
      const old = scripted('HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\ny');
      const oldKeep = scripted('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nz' + OK('again'));
      const { open, opened } = openerOf(closing.stream, old.stream, oldKeep.stream);
      const client = keepAliveHttpClient(open);
      expect(client.send(GET).body).toBe('x');
      expect(closing.isClosed()).toBe(true);
      expect(client.send(GET).body).toBe('y');
      expect(old.isClosed()).toBe(true);
      expect(client.send(GET).body).toBe('z');
      expect(client.send(GET).body).toBe('again');
      expect(oldKeep.isClosed()).toBe(false);
      expect(opened).toHaveLength(3);
    });

    it('closes a stream whose body ran until the server closed it', () => {
      const untilClose = scripted('HTTP/1.1 200 OK\r\n\r\nall of it');
      const next = scripted(OK('next'));
      const { open, opened } = openerOf(untilClose.stream, next.stream);
      const client = keepAliveHttpClient(open);
      expect(client.send(GET).body).toBe('all of it');
      expect(untilClose.isClosed()).toBe(true);
      expect(client.send(GET).body).toBe('next');
      expect(opened).toHaveLength(2);
    });

    it('sends once more on a fresh stream when the server had closed the reused one (closed, reset, broken pipe)', () => {
      for (const reason of ['closed', 'Connection reset by peer', 'Broken pipe']) {
        const first = OK('first');
        const stale = scripted(first + 'never read', { failAfter: first.length, reason });
        const fresh = scripted(OK('second'));
        const { open, opened } = openerOf(stale.stream, fresh.stream);
        const client = keepAliveHttpClient(open);
        expect(client.send(GET).body).toBe('first');
        expect(client.send({ ...GET, method: 'POST', body: 'p' }).body).toBe('second');
        expect(opened).toHaveLength(2);
        expect(stale.isClosed()).toBe(true);
        expect(stale.sent).toHaveLength(2);
        expect(fresh.sent).toEqual([stale.sent[1]]);
      }
    });

    it('sends only once more: a fresh stream failing the same way fails the request', () => {
      const first = OK('first');
      const stale = scripted(first, { failAfter: first.length });
      const alsoClosed = scripted('', { failAfter: 0 });
      const { open, opened } = openerOf(stale.stream, alsoClosed.stream, scripted(OK('unused')).stream);
      const client = keepAliveHttpClient(open);
      client.send(GET);
      expect(() => client.send(GET)).toThrow(expect.objectContaining({ reason: 'closed' }));
      expect(opened).toHaveLength(2);
      expect(alsoClosed.isClosed()).toBe(true);
    });

    it('does not send again after a timeout on a reused stream (the server may be working on it)', () => {
      const first = OK('first');
      const slow = scripted(first + 'HTTP/1.1 200', { failAfter: first.length, reason: 'timeout' });
      const { open, opened } = openerOf(slow.stream, scripted(OK('unused')).stream);
      const client = keepAliveHttpClient(open);
      client.send(GET);
      expect(() => client.send(GET)).toThrow(expect.objectContaining({ reason: 'timeout' }));
      expect(opened).toHaveLength(1);
      expect(slow.isClosed()).toBe(true);
    });

    it('does not send again once any byte of the answer arrived on the reused stream', () => {
      const first = OK('first');
      const partialStatus = first + 'HTTP/1.1 2';
      const cutHead = scripted(partialStatus + '00 OK\r\n', { failAfter: partialStatus.length });
      const headers = first + 'HTTP/1.1 200 OK\r\n';
      const cutHeaders = scripted(headers + 'Content-Length: 1\r\n', { failAfter: headers.length });
      for (const s of [cutHead, cutHeaders]) {
        const { open, opened } = openerOf(s.stream, scripted(OK('unused')).stream);
        const client = keepAliveHttpClient(open);
        client.send(GET);
        expect(() => client.send(GET)).toThrow(expect.objectContaining({ reason: 'closed' }));
        expect(opened).toHaveLength(1);
        expect(s.isClosed()).toBe(true);
      }
    });
  });
});
