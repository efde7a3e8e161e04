import { createHash, createHmac, generateKeyPairSync, X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import fc from 'fast-check';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { createAwsTlsMaterial } from '../aws/aws-tls.js';
import { createLuaRuntime, type LuaMeta, type LuaRuntime, type ScriptHost } from './index.js';

/**
 * The modules Exasol offers (cjson; in UDFs socket, ssl, openssl.*), run in both runtimes under the default
 * `exasol` profile: the wasm stand-ins must answer like Debian's C modules.
 */

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

async function runScript(lua: LuaRuntime, source: string): Promise<readonly string[]> {
  return (await lua.runScript({ source, parameterNames: [], args: [], meta, host: noHost })).output;
}

/** Runs `source` as the body of a UDF's run(ctx) (socket, ssl and openssl are UDF libraries); output() lines come back. */
async function run(lua: LuaRuntime, source: string): Promise<readonly string[]> {
  const body = `local lines = {}
local function output(s) lines[#lines + 1] = tostring(s) end
function run(ctx)
(function()
${source}
end)()
for _, l in ipairs(lines) do ctx.emit(l) end
end`;
  const out = await lua.runUdf({
    source: body,
    inputType: 'SCALAR',
    outputMode: 'EMITS',
    inputNames: ['x'],
    groups: [[[1]]],
    meta,
    getConnection: () => Promise.reject(new Error('no connections')),
  });
  return out.rows.map((r) => String(r[0]));
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
    const payload = JSON.stringify({
      method: req.method,
      url: req.url,
      type: req.headers['content-type'] ?? '',
      x: req.headers['x-a'] ?? '',
      body: body.toString('utf8'),
    });
    res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
    res.end(payload);
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
let rawPort = 0;
let rawServer: net.Server;

/** A raw TCP peer: `hold` → one line and a partial one, then silence; `close` → 'bye' and close; `echo…` → echo. */
function rawPeer(sock: net.Socket): void {
  let mode = '';
  sock.on('data', (d: Buffer) => {
    if (mode === 'echo') {
      sock.write(d);
      return;
    }
    const text = d.subarray(0, 4).toString('latin1');
    mode = text === 'echo' ? 'echo' : text;
    if (mode === 'hold') sock.write('line one\r\nline t');
    else if (mode === 'clos') sock.end('bye');
    else if (mode === 'echo' && d.length > 4) sock.write(d.subarray(4));
  });
  sock.on('error', () => undefined);
}

beforeAll(async () => {
  httpServer = http.createServer(echo);
  httpsServer = https.createServer(selfSignedCert(), echo);
  httpPort = await listen(httpServer);
  httpsPort = await listen(httpsServer);
  rawServer = net.createServer(rawPeer);
  rawPort = await new Promise((resolve) => {
    rawServer.listen(0, '127.0.0.1', () => {
      resolve((rawServer.address() as AddressInfo).port);
    });
  });
  const probe = http.createServer();
  closedPort = await listen(probe);
  await new Promise((r) => probe.close(r));
});
afterAll(async () => {
  await Promise.all([
    new Promise((r) => httpServer.close(r)),
    new Promise((r) => httpsServer.close(r)),
    new Promise((r) => rawServer.close(r)),
  ]);
});

for (const kind of kinds)
  describeTier(luaTier(kind), `${kind} Lua runtime: modules`, () => {
    let lua: LuaRuntime;
    beforeAll(async () => {
      lua = await createLuaRuntime(kind);
    });
    afterAll(async () => {
      await lua.close();
    });

    describe(`openssl.digest and openssl.hmac`, () => {
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

    describe(`exasol profile: module names and file access`, () => {
      it('with opensslPrefix "_openssl", luaossl is only reachable as _openssl.*', async () => {
        const alt = await createLuaRuntime(kind, { opensslPrefix: '_openssl' });
        try {
          const out = await run(
            alt,
            `output(tostring((pcall(require, '_openssl.digest'))) .. ' ' .. tostring((pcall(require, 'openssl.digest'))))`,
          );
          expect(out).toEqual(['true false']);
        } finally {
          await alt.close();
        }
      });

      it('luaossl x509.store:add(path) and :addDefaults() fail with "Feature not supported"', async () => {
        const out = await run(
          lua,
          `local store = require('openssl.x509.store').new()
         local ok, e = pcall(store.add, store, '/etc/ssl/certs')
         local ok2, e2 = pcall(store.addDefaults, store)
         output(tostring(ok) .. ' ' .. e:match('Feature not supported') .. ' ' .. tostring(ok2) .. ' ' .. e2:match('Feature not supported'))`,
        );
        expect(out).toEqual(['false Feature not supported false Feature not supported']);
      });
    });

    describe('luaossl x509, x509.store, x509.chain: what the in-memory TLS check uses', () => {
      const tlsMaterial = createAwsTlsMaterial(['127.0.0.1', 'localhost'], 'expired');
      const good = new X509Certificate(tlsMaterial.s3.cert);
      it('parses names and dates, and verifies as OpenSSL does (trusted, expired, untrusted, self-signed)', async () => {
        const out = await run(
          lua,
          `local x509, store, chain = require('openssl.x509'), require('openssl.x509.store'), require('openssl.x509.chain')
           local ca, good, old = x509.new([[${tlsMaterial.caPem}]], 'PEM'), x509.new([[${tlsMaterial.s3.cert}]], 'PEM'),
             x509.new([[${tlsMaterial.sagemaker.cert}]], 'PEM')
           local trusted = store.new()
           trusted:add(ca)
           local function verify(s, c, ch) local ok, r = s:verify(c, ch or chain.new()) return tostring(ok) .. (ok and '' or ': ' .. r) end
           output(verify(trusted, good))
           output(verify(trusted, old))
           output(verify(store.new(), good))
           output(verify(store.new(), ca))
           local untrusted = chain.new()
           untrusted:add(ca)
           output(verify(store.new(), good, untrusted))
           output(verify(trusted, good, untrusted))
           local names = {}
           for t, n in pairs(good:getSubjectAlt()) do names[#names + 1] = t .. '=' .. n end
           output(table.concat(names, ','))
           for _, e in ipairs(good:getSubject():all()) do output(e.sn .. '=' .. e.blob) end
           output(tostring((ca:getSubjectAlt())))
           local nb, na = good:getLifetime()
           output(string.format('%d %d', nb, na))
           output(tostring(pcall(x509.new, 'not a certificate')))`,
        );
        expect(out).toEqual([
          'true',
          'false: certificate has expired',
          'false: unable to get local issuer certificate',
          'false: self-signed certificate',
          'false: self-signed certificate in certificate chain',
          'true',
          'IP=127.0.0.1,DNS=localhost',
          'CN=127.0.0.1',
          'nil',
          `${String(Date.parse(good.validFrom) / 1000)} ${String(Date.parse(good.validTo) / 1000)}`,
          'false',
        ]);
      });
    });

    describe(`cjson`, () => {
      it("behaves like Debian's lua-cjson 2.1.0", async () => {
        const out = await runScript(lua, CJSON_CASES);
        expect(out.map((l) => (l.startsWith('true table: ') ? 'true table: ' : l))).toEqual(CJSON_EXPECTED);
      });
    });

    describe(`socket and ssl: LuaSocket TCP and LuaSec wrap`, () => {
      /** One HTTP/1.1 exchange over a socket (plain, or TLS when `tls`), as sme's HTTP client does it. */
      const exchange = (port: number, tls: string, path: string, body = ''): string =>
        `local socket, ssl = require('socket'), require('ssl')
       local body = '${body}'
       local sock = socket.tcp()
       sock:settimeout(5)
       assert(sock:connect('127.0.0.1', ${port}))
       ${tls}
       local req = 'POST ${path} HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: ' .. #body .. '\\r\\nConnection: close\\r\\n\\r\\n' .. body
       output('sent ' .. sock:send(req) .. ' of ' .. #req)
       local status = sock:receive('*l')
       local len
       while true do
         local line = assert(sock:receive('*l'))
         if line == '' then break end
         local n = line:lower():match('^content%-length:%s*(%d+)')
         if n then len = tonumber(n) end
       end
       output(status)
       output(sock:receive(len))
       local rest, err, partial = sock:receive('*a')
       output(tostring(rest) .. ' ' .. tostring(err) .. ' ' .. tostring(partial))
       sock:close()`;
      const wrapTls = (verify: string): string =>
        `sock = assert(ssl.wrap(sock, {mode = 'client', protocol = 'tlsv1_2', verify = '${verify}', options = 'all'}))
       sock:sni('localhost')
       local ok, herr = sock:dohandshake()
       output('handshake ' .. tostring(ok) .. ' ' .. tostring(herr))
       if not ok then return end
       local pem = sock:getpeercertificate():pem()
       local chain = sock:getpeerchain()
       output(pem:match('^%-%-%-%-%-BEGIN CERTIFICATE%-%-%-%-%-') and ('pem ok, chain ' .. #chain .. ' ' ..
         tostring(chain[1]:pem() == pem)) or pem)
       sock:settimeout(5)`;

      it('plain HTTP/1.1 over socket.tcp: send returns bytes sent; receive by line, count and *a', async () => {
        const out = await run(lua, exchange(httpPort, '', '/p', '{"a":1}'));
        expect(out[0]).toMatch(/^sent (\d+)\.0 of \1$/);
        expect(out.slice(1, 2)).toEqual(['HTTP/1.1 201 Created']);
        expect(JSON.parse(out[2] ?? '')).toMatchObject({ method: 'POST', url: '/p', body: '{"a":1}' });
        // LuaSocket: '*a' on a connection already closed with nothing left is nil, 'closed', ''.
        expect(out[3]).toBe('nil closed ');
      });

      it('TLS with ssl.wrap(verify="none"), sni, dohandshake; getpeercertificate():pem()', async () => {
        const out = await run(lua, exchange(httpsPort, wrapTls('none'), '/s'));
        expect(out.slice(0, 3)).toEqual([
          'handshake true nil',
          'pem ok, chain 1 true',
          expect.stringMatching(/^sent \d+\.0 of \d+$/),
        ]);
        expect(out[3]).toBe('HTTP/1.1 201 Created');
        expect(JSON.parse(out[4] ?? '')).toMatchObject({ url: '/s' });
      });

      it('verify="peer" against a self-signed server fails the handshake', async () => {
        const out = await run(lua, exchange(httpsPort, wrapTls('peer'), '/v'));
        expect(out[0]).toBe('handshake false certificate verify failed');
      });

      it('receive gives nil, "timeout", partial on timeout and nil, "closed", partial when the peer closes', async () => {
        const out = await run(
          lua,
          `local socket = require('socket')
         local sock = assert(socket.connect('127.0.0.1', ${rawPort}))
         sock:settimeout(0.3)
         output(sock:send('hold'))
         output(table.concat({tostring((sock:receive('*l'))), select(2, sock:receive('*l'))}, '|'))
         sock:close()
         sock = socket.tcp()
         sock:settimeout(2)
         sock:connect('127.0.0.1', ${rawPort})
         sock:send('close')
         local r, e, p = sock:receive(100)
         output(tostring(r) .. '|' .. tostring(e) .. '|' .. tostring(p))
         output(tostring(sock:receive('*a')))
         local c, ce = socket.connect('127.0.0.1', ${closedPort})
         output(tostring(c) .. '|' .. tostring(ce))`,
        );
        expect(out).toEqual(['4.0', 'line one|timeout|line t', 'nil|closed|bye', 'nil', 'nil|connection refused']);
      });

      it('carries binary data intact both ways', async () => {
        const out = await run(
          lua,
          `local socket = require('socket')
         local sock = assert(socket.connect('127.0.0.1', ${rawPort}))
         sock:settimeout(2)
         local bytes = {} for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
         local sent = table.concat(bytes):rep(3)
         sock:send('echo' .. sent)
         local got = sock:receive(#sent)
         output(#got .. ' ' .. tostring(got == sent))
         sock:close()`,
        );
        expect(out).toEqual(['768 true']);
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
