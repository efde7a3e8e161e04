import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCallUdfScript, type AwsCallUdfScriptOptions } from '../src/deploy/aws-call-udf-script.js';
import { describeTier } from '@sme/test-tiers';

const run = promisify(execFile);

/**
 * Exasol's UDF API around the script body, with `require` limited to the libraries Exasol documents (`socket`,
 * `ssl`, `cjson`, luaossl): `socket.http`, `ssl.https` and `ltn12` are refused, as the strict sandbox refuses them.
 */
const DRIVER = `
local cjson = require('cjson')
local f = assert(io.open(arg[1], 'rb')); local body = f:read('a'); f:close()
f = assert(io.open(arg[2], 'rb')); local input = cjson.decode(f:read('a')); f:close()
local documented = { 'socket', 'ssl', 'cjson', 'openssl.digest', 'openssl.hmac', 'openssl.x509', 'openssl.x509.store',
  'openssl.x509.chain' }
if input.coreOpenssl then documented = { 'socket', 'ssl', 'cjson', '_openssl.digest', '_openssl.hmac', '_openssl.x509.cert',
  '_openssl.x509.store', '_openssl.x509.chain' } end
for _, name in ipairs(documented) do require(name) end
local allowed = {}
for _, name in ipairs(documented) do allowed[name] = true end
require = function(name)
  if allowed[name] then return package.loaded[name] end
  error("module '" .. tostring(name) .. "' not found (not documented for Exasol)")
end
exa = { meta = {}, get_connection = function()
  return { type = 'PASSWORD', address = '', user = 'AKIAHTTPTEST00000001', password = 'secret0123456789abcdefghijklmnopqrstuvw' }
end }
assert(load(body, '=SME_AWS_SAGEMAKER_CALL'))()
local ctx = { connection_name = 'C', aws_region = 'eu-west-1', operation = input.operation or 'ListEndpoints', payload = '{}' }
if input.runs == nil then io.write(run(ctx)) else
  -- Several calls in one Lua VM, as Exasol calls run() again for the next row.
  local out = {}
  for i = 1, input.runs do out[i] = run(ctx) end
  io.write('[' .. table.concat(out, ',') .. ']')
end
`;

let dir: string;

/** What the driver does: `runs` calls of `operation` in one Lua VM (then the answer is their array). */
interface DriverInput {
  coreOpenssl?: boolean;
  runs?: number;
  operation?: string;
}

async function callOnce(
  options: Omit<AwsCallUdfScriptOptions, 'schema'>,
  input: DriverInput = {},
): Promise<Record<string, unknown>> {
  const script = awsCallUdfScript({ schema: 'SME', ...options });
  writeFileSync(join(dir, 'body.lua'), script.slice(script.indexOf(' AS\n') + 4));
  writeFileSync(join(dir, 'driver.lua'), DRIVER);
  writeFileSync(join(dir, 'input.json'), JSON.stringify(input));
  const { stdout, stderr } = await run('lua5.4', [
    join(dir, 'driver.lua'),
    join(dir, 'body.lua'),
    join(dir, 'input.json'),
  ]);
  expect(stderr).toBe('');
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function callMany(
  options: Omit<AwsCallUdfScriptOptions, 'schema'>,
  input: DriverInput & { runs: number },
): Promise<Record<string, unknown>[]> {
  return (await callOnce(options, input)) as unknown as Record<string, unknown>[];
}

/**
 * A raw TCP server: reads a request head (+ body by Content-Length), then answers `reply` bytes verbatim and closes
 * the connection, or with `keepOpen` leaves it open for the next request (`connections` counts them).
 */
async function rawServer(
  reply: (request: string) => string | undefined,
  options: { keepOpen?: boolean } = {},
): Promise<{ url: string; server: Server; requests: string[]; connections: () => number }> {
  const requests: string[] = [];
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    let data = '';
    let ended = false;
    socket.on('data', (chunk: Buffer) => {
      // After its answer the server closes: what the client still sends there is never read.
      if (ended) return;
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(data.slice(0, end))?.[1] ?? '0');
      if (data.length < end + 4 + length) return;
      const request = data.slice(0, end + 4 + length);
      data = data.slice(end + 4 + length);
      requests.push(request);
      const answer = reply(request);
      if (answer === undefined) return;
      if (options.keepOpen === true) socket.write(answer, 'latin1');
      else {
        ended = true;
        socket.end(answer, 'latin1');
      }
    });
    socket.on('error', () => undefined);
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${String((server.address() as { port: number }).port)}`,
    server,
    requests,
    connections: () => sockets.length,
  };
}

const closeServer = (s: { close(cb: () => void): unknown }) =>
  new Promise<void>((r) => {
    s.close(() => {
      r();
    });
  });

describeTier('native-lua', 'HTTP client of the UDFs under real lua5.4 (socket + ssl only)', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sme-http-'));
  });

  it('reads chunked, Content-Length and close-delimited answers and frames its request', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nx-amzn-RequestId: r-chunked\r\n\r\n6\r\n{"Endp\r\nD\r\noints":[]}   \r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n{"Endpoints":[]}',
      'HTTP/1.0 200 OK\r\n\r\n{"Endpoints":["close-delimited"]}',
    ];
    let i = 0;
    const s = await rawServer(() => answers[i++]);
    try {
      const results = [];
      for (let n = 0; n < answers.length; n++)
        results.push(await callOnce({ awsEndpointUrl: s.url, timeoutSeconds: 5 }));
      expect(results[0]).toMatchObject({
        ok: true,
        httpStatus: 200,
        requestId: 'r-chunked',
        body: '{"Endpoints":[]}   ',
      });
      expect(results[1]).toMatchObject({ ok: true, body: '{"Endpoints":[]}' });
      expect(results[2]).toMatchObject({ ok: true, body: '{"Endpoints":["close-delimited"]}' });
      const head = s.requests[0] ?? '';
      expect(head.startsWith('POST / HTTP/1.1\r\n')).toBe(true);
      expect(head).toMatch(/\r\nhost: 127\.0\.0\.1:\d+\r\n/);
      expect(head).toContain('\r\ncontent-length: 2\r\n');
      expect(head).not.toMatch(/\r\nconnection:/i);
      expect(head.endsWith('\r\n\r\n{}')).toBe(true);
    } finally {
      await closeServer(s.server);
    }
  });

  it('signs with luaossl loaded as _openssl.* where openssl.* is not available', async () => {
    const s = await rawServer((request) => {
      const auth = /\r\nauthorization: ([^\r]*)/i.exec(request)?.[1] ?? '';
      return `HTTP/1.1 200 OK\r\nContent-Length: ${String(auth.length)}\r\n\r\n${auth}`;
    });
    try {
      const r = await callOnce({ awsEndpointUrl: s.url, timeoutSeconds: 5 }, { coreOpenssl: true });
      expect(r).toMatchObject({ ok: true });
      expect(String(r.body)).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIAHTTPTEST00000001\/\d{8}\/eu-west-1\/sagemaker\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
      );
    } finally {
      await closeServer(s.server);
    }
  });

  it('answers SME-E-AWS-UNREACHABLE for a server that never answers (timeout) and one that cuts the body', async () => {
    const silent = await rawServer(() => undefined);
    const cut = await rawServer(() => 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc');
    try {
      const timedOut = await callOnce({ awsEndpointUrl: silent.url, timeoutSeconds: 1 });
      expect(timedOut).toMatchObject({ ok: false, code: 'SME-E-AWS-UNREACHABLE', kind: 'Unreachable' });
      expect(String(timedOut.message)).toContain('timeout');
      const truncated = await callOnce({ awsEndpointUrl: cut.url, timeoutSeconds: 2 });
      expect(truncated).toMatchObject({ ok: false, code: 'SME-E-AWS-UNREACHABLE' });
      expect(String(truncated.message)).toContain('closed');
    } finally {
      await closeServer(silent.server);
      await closeServer(cut.server);
    }
  });

  describe('keep-alive', () => {
    const answer = 'HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n{"Endpoints":[]}';

    it('sends the calls of one UDF instance over one connection', async () => {
      const s = await rawServer(() => answer, { keepOpen: true });
      try {
        const results = await callMany({ awsEndpointUrl: s.url, timeoutSeconds: 5 }, { runs: 3 });
        expect(results).toHaveLength(3);
        for (const r of results) expect(r).toMatchObject({ ok: true, body: '{"Endpoints":[]}' });
        expect(s.requests).toHaveLength(3);
        expect(s.connections()).toBe(1);
      } finally {
        await closeServer(s.server);
      }
    });

    it('opens a new connection after the server answered Connection: close', async () => {
      const s = await rawServer(() => answer.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'));
      try {
        const results = await callMany({ awsEndpointUrl: s.url, timeoutSeconds: 5 }, { runs: 2 });
        for (const r of results) expect(r).toMatchObject({ ok: true });
        expect(s.connections()).toBe(2);
      } finally {
        await closeServer(s.server);
      }
    });

    it('sends a call once more on a fresh connection when the server had closed the idle one', async () => {
      // Answers with keep-alive framing, then closes: the client keeps the stream and finds it gone on the next
      // call. CreateEndpoint is never retried by the call's own retry policy, so a second request is this one.
      const s = await rawServer(() => answer);
      try {
        const results = await callMany(
          { awsEndpointUrl: s.url, timeoutSeconds: 5 },
          { runs: 2, operation: 'CreateEndpoint' },
        );
        for (const r of results) expect(r).toMatchObject({ ok: true, body: '{"Endpoints":[]}' });
        expect(s.requests).toHaveLength(2);
        expect(s.connections()).toBe(2);
      } finally {
        await closeServer(s.server);
      }
    });
  });

  describe('https (ssl.wrap, SNI, in-memory peer verification)', () => {
    let https: ReturnType<typeof createHttpsServer>;
    let url: string;
    let certFile: string;
    const sniSeen: string[] = [];
    let requestsSeen = 0;
    beforeAll(async () => {
      const key = join(dir, 'key.pem');
      certFile = join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost',
          '-keyout',
          key,
          '-out',
          certFile,
        ],
        { stdio: 'ignore' },
      );
      https = createHttpsServer({ key: readFileSync(key), cert: readFileSync(certFile) }, (req, res) => {
        requestsSeen++;
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': 'r-tls' });
          res.end('{"Endpoints":[]}');
        });
      });
      https.on('secureConnection', (socket: { servername?: string | false }) => {
        sniSeen.push(String(socket.servername));
      });
      await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
      url = `https://localhost:${String((https.address() as { port: number }).port)}`;
    });
    afterAll(async () => {
      await closeServer(https);
    });

    it('verifies the server in memory against the CA baked in (extraCaPem) and sends the host name as SNI', async () => {
      const r = await callOnce({ awsEndpointUrl: url, extraCaPem: readFileSync(certFile, 'utf8'), timeoutSeconds: 5 });
      expect(r).toMatchObject({ ok: true, requestId: 'r-tls', body: '{"Endpoints":[]}' });
      expect(sniSeen).toContain('localhost');
    });

    it('keeps the TLS connection for the next call: one handshake and one verification', async () => {
      const handshakes = sniSeen.length;
      const before = requestsSeen;
      const results = await callMany(
        { awsEndpointUrl: url, extraCaPem: readFileSync(certFile, 'utf8'), timeoutSeconds: 5 },
        { runs: 3 },
      );
      for (const r of results) expect(r).toMatchObject({ ok: true, requestId: 'r-tls' });
      expect(requestsSeen - before).toBe(3);
      expect(sniSeen.length - handshakes).toBe(1);
    });

    it('refuses a certificate that does not chain to a trusted root, naming the host, and sends nothing', async () => {
      const before = requestsSeen;
      const r = await callOnce({ awsEndpointUrl: url, timeoutSeconds: 5 });
      expect(r).toMatchObject({ ok: false, code: 'SME-E-AWS-TLS-UNTRUSTED', kind: 'TlsMismatch' });
      expect(String(r.message)).toContain('host localhost');
      expect(String(r.message)).toContain('host localhost: self-signed certificate');
      expect(requestsSeen).toBe(before);
    });

    it('refuses a trusted certificate issued for another host name', async () => {
      const other = url.replace('localhost', '127.0.0.1');
      const r = await callOnce({
        awsEndpointUrl: other,
        extraCaPem: readFileSync(certFile, 'utf8'),
        timeoutSeconds: 5,
      });
      expect(r).toMatchObject({ ok: false, code: 'SME-E-AWS-TLS-NAME-MISMATCH' });
      expect(String(r.message)).toContain('the certificate is for DNS:localhost, not the address 127.0.0.1');
    });
  });
});
