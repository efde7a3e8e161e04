import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { createLuaRuntime, type LuaMeta, type LuaRuntime, type ScriptHost } from './index.js';

/** The modules Exasol offers (cjson, socket.http, ssl.https, openssl.*), run in both runtimes. */

const kinds = ['native', 'wasm'] as const;

const meta: LuaMeta = {
  database_name: 'SANDBOX',
  database_version: '8.34.0',
  script_schema: 'S',
  script_name: 'M',
  session_id: '1',
  statement_id: '1',
  current_user: 'SYS',
  current_schema: null,
  node_count: 1,
  node_id: 0,
  vm_id: 0,
};
const noHost: ScriptHost = {
  query: () => Promise.reject(new Error('no SQL here')),
  importScript: () => Promise.resolve(undefined),
};

async function run(lua: LuaRuntime, source: string): Promise<readonly string[]> {
  return (await lua.runScript({ source, parameterNames: [], args: [], meta, host: noHost })).output;
}

const HEX = `local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end
local function unhex(h) return (h:gsub('%x%x', function(x) return string.char(tonumber(x, 16)) end)) end`;

const CJSON_CASES = `local cjson = require('cjson')
local function try(f, ...) local ok, r = pcall(f, ...) output(tostring(ok) .. ' ' .. tostring(r)) end
try(cjson.encode, {1, 2, 3})
try(cjson.encode, {a = 'x/y'})
try(cjson.encode, 0.1 + 0.2)
try(cjson.encode, 2^53)
try(cjson.encode, 123456789012345)
try(cjson.encode, 3)
try(cjson.encode, -0.0)
try(cjson.encode, 1/3)
try(cjson.encode, '\\1\\127é\\n\\t"\\\\')
try(cjson.encode, {})
try(cjson.encode, {[1] = 1, [3] = 3})
try(cjson.encode, {[1] = 1, [30] = 3})
try(cjson.encode, 0/0)
try(cjson.encode, {true, false, cjson.null})
try(cjson.encode, function() end)
try(cjson.encode, {[1.5] = 1})
try(cjson.encode, {['1'] = 2})
local d = cjson.decode('{"a":1,"b":[1,2.5,null],"c":1e3,"s":"\\\\u00e9\\\\ud83d\\\\ude00 \\\\/ \\\\n"}')
output(math.type(d.a) .. ' ' .. tostring(d.a) .. ' ' .. tostring(d.b[3] == cjson.null) .. ' ' .. tostring(d.c) .. ' ' .. d.s)
output(type(cjson.null) .. ' ' .. #d.b)
try(cjson.decode, '{bad')
try(cjson.decode, '[1,2')
try(cjson.decode, '  [ ]  ')
try(function() return #cjson.decode('[[],{}]') end)
try(function() return cjson.decode('{"AutoMLJobName":"job-1","Nested":{"K":[true]}}').Nested.K[1] end)`;

const CJSON_EXPECTED = [
  'true [1,2,3]',
  'true {"a":"x\\/y"}',
  'true 0.3',
  'true 9.007199254741e+15',
  'true 1.2345678901234e+14',
  'true 3',
  'true -0',
  'true 0.33333333333333',
  'true "\\u0001\\u007fé\\n\\t\\"\\\\"',
  'true {}',
  'true [1,null,3]',
  'false Cannot serialise table: excessively sparse array',
  'false Cannot serialise number: must not be NaN or Inf',
  'true [true,false,null]',
  'false Cannot serialise function: type not supported',
  'true {"1.5":1}',
  'true {"1":2}',
  'float 1.0 true 1000.0 é😀 / \n',
  'userdata 3',
  'false Expected object key string but found invalid token at character 2',
  'false Expected comma or array end but found T_END at character 5',
  'true table: ',
  'true 2',
  'true true',
];

function selfSignedCert(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3_600_000);
  const attrs = [{ name: 'commonName', value: 'localhost' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { key, cert: forge.pki.certificateToPem(cert) };
}

/** Echoes the request: `/raw` returns the body as sent, anything else a JSON summary. */
function echo(req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.setHeader('X-Echo', req.method ?? '');
    res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    if (req.url === '/raw') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(body);
      return;
    }
    res.writeHead(201, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        method: req.method,
        url: req.url,
        type: req.headers['content-type'] ?? '',
        x: req.headers['x-a'] ?? '',
        body: body.toString('utf8'),
      }),
    );
  });
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

let httpServer: http.Server;
let httpsServer: https.Server;
let httpPort = 0;
let httpsPort = 0;
let closedPort = 0;

beforeAll(async () => {
  httpServer = http.createServer(echo);
  httpsServer = https.createServer(selfSignedCert(), echo);
  httpPort = await listen(httpServer);
  httpsPort = await listen(httpsServer);
  const probe = http.createServer();
  closedPort = await listen(probe);
  await new Promise((r) => probe.close(r));
});
afterAll(async () => {
  await Promise.all([new Promise((r) => httpServer.close(r)), new Promise((r) => httpsServer.close(r))]);
});

for (const kind of kinds) {
  describeTier(luaTier(kind), `${kind} Lua runtime: modules`, () => {
    let lua: LuaRuntime;
    beforeAll(async () => {
      lua = await createLuaRuntime(kind);
    });
    afterAll(async () => {
      await lua.close();
    });

    describe('openssl.digest and openssl.hmac', () => {
      it('match known SHA-256 and RFC 4231 HMAC-SHA256 vectors (binary keys)', async () => {
        const out = await run(
          lua,
          `${HEX}
         local digest, hmac = require('openssl.digest'), require('openssl.hmac')
         output(hex(digest.new('sha256'):final('abc')))
         output(hex(digest.new('sha256'):final('')))
         output(hex(digest.new('sha256'):update('a'):update('b'):final('c')))
         output(hex(hmac.new(string.rep('\\x0b', 20), 'sha256'):final('Hi There')))
         output(hex(hmac.new(string.rep('\\xaa', 131), 'sha256'):final('Test Using Larger Than Block-Size Key - Hash Key First')))
         local ok, e = pcall(digest.new, 'nope') output(tostring(ok) .. ' ' .. tostring(e):match('nope: invalid digest type'))`,
        );
        expect(out).toEqual([
          'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
          'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
          'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
          '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
          'false nope: invalid digest type',
        ]);
      });

      it('derive the AWS SigV4 signing key like Node crypto does', async () => {
        const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
        const h = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();
        const expected = h(h(h(h(`AWS4${secret}`, '20150830'), 'us-east-1'), 'iam'), 'aws4_request').toString('hex');
        const out = await run(
          lua,
          `${HEX}
         local hmac = require('openssl.hmac')
         local function h(k, d) return hmac.new(k, 'sha256'):final(d) end
         output(hex(h(h(h(h('AWS4${secret}', '20150830'), 'us-east-1'), 'iam'), 'aws4_request')))`,
        );
        expect(out).toEqual([expected]);
      });

      it('agree with Node crypto on arbitrary binary keys and messages (property)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.uint8Array({ maxLength: 150 }),
            fc.uint8Array({ maxLength: 300 }),
            fc.nat({ max: 300 }),
            async (key, msg, split) => {
              const k = Buffer.from(key);
              const m = Buffer.from(msg);
              const cut = Math.min(split, m.length);
              const out = await run(
                lua,
                `${HEX}
               local k, m = unhex('${k.toString('hex')}'), unhex('${m.toString('hex')}')
               output(hex(require('openssl.hmac').new(k, 'sha256'):update(m:sub(1, ${cut})):final(m:sub(${cut + 1}))))
               output(hex(require('openssl.digest').new('sha256'):final(m)))`,
              );
              expect(out).toEqual([
                createHmac('sha256', k).update(m).digest('hex'),
                createHash('sha256').update(m).digest('hex'),
              ]);
            },
          ),
          { numRuns: 40 },
        );
      });
    });

    describe('cjson', () => {
      it("behaves like Debian's lua-cjson 2.1.0", async () => {
        const out = await run(lua, CJSON_CASES);
        expect(out.map((l) => (l.startsWith('true table: ') ? 'true table: ' : l))).toEqual(CJSON_EXPECTED);
      });
    });

    describe('socket.http, ssl.https, ltn12, socket', () => {
      it('simple string form: GET and form POST return body, code, headers, status', async () => {
        const out = await run(
          lua,
          `local http, cjson = require('socket.http'), require('cjson')
         local body, code, headers, status = http.request('http://127.0.0.1:${httpPort}/a?b=1')
         local j = cjson.decode(body)
         output(code .. ' ' .. status .. ' ' .. headers['x-echo'] .. ' ' .. j.method .. ' ' .. j.url)
         body, code = http.request('http://127.0.0.1:${httpPort}/f', 'x=1&y=2')
         j = cjson.decode(body)
         output(code .. ' ' .. j.method .. ' ' .. j.type .. ' ' .. j.body)`,
        );
        expect(out).toEqual([
          '201 HTTP/1.1 201 Created GET GET /a?b=1',
          '201 POST application/x-www-form-urlencoded x=1&y=2',
        ]);
      });

      it('table form with method, headers, ltn12 source and sink returns 1, code, headers, status', async () => {
        const out = await run(
          lua,
          `local http, ltn12, cjson = require('socket.http'), require('ltn12'), require('cjson')
         local parts = {}
         local r, code, headers, status = http.request{
           url = 'http://127.0.0.1:${httpPort}/t', method = 'PUT',
           headers = {['Content-Length'] = 5, ['X-A'] = 'yes'},
           source = ltn12.source.string('hello'), sink = ltn12.sink.table(parts)}
         local j = cjson.decode(table.concat(parts))
         output(r .. ' ' .. code .. ' ' .. status .. ' ' .. headers['set-cookie'] .. ' ' .. headers['content-type'])
         output(j.method .. ' ' .. j.x .. ' ' .. j.body)`,
        );
        expect(out).toEqual(['1 201 HTTP/1.1 201 Created a=1, b=2 application/json', 'PUT yes hello']);
      });

      it('carries binary bodies intact both ways', async () => {
        const out = await run(
          lua,
          `local http, ltn12 = require('socket.http'), require('ltn12')
         local bytes = {} for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
         local sent = table.concat(bytes):rep(3)
         local got = {}
         local r, code = http.request{url = 'http://127.0.0.1:${httpPort}/raw', method = 'POST',
           headers = {['content-length'] = #sent}, source = ltn12.source.string(sent), sink = ltn12.sink.table(got)}
         output(code .. ' ' .. #table.concat(got) .. ' ' .. tostring(table.concat(got) == sent))`,
        );
        expect(out).toEqual(['200 768 true']);
      });

      it('reports a refused connection as nil, "connection refused"', async () => {
        const out = await run(
          lua,
          `local r, e = require('socket.http').request('http://127.0.0.1:${closedPort}/')
         output(tostring(r) .. ' ' .. tostring(e))`,
        );
        expect(out).toEqual(['nil connection refused']);
      });

      it('HTTPS to a self-signed server: works unverified (LuaSec default, verify="none"), fails with verify="peer"', async () => {
        const out = await run(
          lua,
          `local https, http, ltn12, cjson = require('ssl.https'), require('socket.http'), require('ltn12'), require('cjson')
         local body, code = https.request('https://127.0.0.1:${httpsPort}/s')
         output(code .. ' ' .. cjson.decode(body).url)
         local parts = {}
         local r, c2 = https.request{url = 'https://127.0.0.1:${httpsPort}/v', method = 'POST', verify = 'none',
           protocol = 'tlsv1_2', headers = {['content-length'] = 2}, source = ltn12.source.string('{}'),
           sink = ltn12.sink.table(parts)}
         output(r .. ' ' .. c2 .. ' ' .. cjson.decode(table.concat(parts)).body)
         local r3, e3 = https.request{url = 'https://127.0.0.1:${httpsPort}/p', verify = 'peer'}
         output(tostring(r3) .. ' ' .. tostring(e3))
         local b4, c4 = http.request('https://127.0.0.1:${httpsPort}/via-http')
         output(c4 .. ' ' .. cjson.decode(b4).url)`,
        );
        expect(out).toEqual(['201 /s', '1 201 {}', 'nil certificate verify failed', '201 /via-http']);
      });

      it('socket.gettime is wall-clock seconds', async () => {
        const before = Date.now() / 1000;
        const out = await run(lua, `output(string.format('%.3f', require('socket').gettime()))`);
        const t = Number(out[0]);
        expect(t).toBeGreaterThanOrEqual(before - 1);
        expect(t).toBeLessThanOrEqual(Date.now() / 1000 + 1);
      });
    });
  });
}
