import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { LuaFactory } from 'wasmoon';
import { describe, expect } from 'vitest';
import { amzDate, signRequest } from '../src/lua/sigv4/sigv4.js';
import { byteStringToUtf8, nodeSha256Crypto, utf8ToByteString } from '../src/node/node-crypto.js';
import { itTier } from '@sme/test-tiers';
import { luaBundlePath, luaBundleText } from './support/lua-build.js';
import { generatedRequest, type GeneratedRequest } from './support/sigv4-arbitraries.js';

const b = utf8ToByteString;

/** The request as both builds take it; strings are plain text here (Lua receives their UTF-8 bytes). */
function luaInput(r: GeneratedRequest) {
  return {
    request: {
      method: r.method,
      path: r.path,
      query: r.query,
      headers: [['host', r.host], ...r.headers],
      body: r.body,
    },
    credentials: {
      accessKeyId: r.accessKeyId,
      secretAccessKey: r.secretAccessKey,
      ...(r.sessionToken === undefined ? {} : { sessionToken: r.sessionToken }),
    },
    options: { region: r.region, service: r.service, amzDate: amzDate(r.epochMillis) },
  };
}

function nodeSign(r: GeneratedRequest): { authorization: string; canonicalRequest: string } {
  const input = luaInput(r);
  const signed = signRequest(
    nodeSha256Crypto,
    {
      method: r.method,
      path: b(r.path),
      query: r.query.map(([n, v]) => [b(n), b(v)] as const),
      headers: input.request.headers.map(([n, v]) => [b(n), b(v)] as const),
      body: b(r.body),
    },
    { ...input.credentials, secretAccessKey: b(r.secretAccessKey) },
    input.options,
  );
  return { authorization: signed.authorization, canonicalRequest: byteStringToUtf8(signed.canonicalRequest) };
}

const batch = fc.sample(generatedRequest, { numRuns: 150, seed: 20240611 });
const expected = batch.map(nodeSign);

/** Lua 5.4 driver: signs every request of a JSON batch with the bundle's signer and luaossl. */
const NATIVE_DRIVER = `
local cjson = require('cjson')
local bundle = dofile(arg[1])
local f = assert(io.open(arg[2], 'rb')); local batch = cjson.decode(f:read('a')); f:close()
local crypto = bundle.luaSha256Crypto(nil)
local out = {}
for i, item in ipairs(batch) do
  local s = bundle.signRequest(nil, crypto, item.request, item.credentials, item.options)
  out[i] = { authorization = s.authorization, canonicalRequest = s.canonicalRequest }
end
io.write(cjson.encode(out))
`;

describe('SigV4: Lua build gives byte-identical results to the Node build', () => {
  itTier('native-lua', 'under real lua5.4 with luaossl (one process for the batch)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sme-sigv4-'));
    writeFileSync(join(dir, 'driver.lua'), NATIVE_DRIVER);
    writeFileSync(join(dir, 'batch.json'), JSON.stringify(batch.map(luaInput)));
    const run = spawnSync(
      'lua5.4',
      [join(dir, 'driver.lua'), luaBundlePath('aws-call-udf.lua'), join(dir, 'batch.json')],
      {
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  itTier('wasm', 'under wasmoon, with the crypto port supplied from JavaScript', async () => {
    const engine = await new LuaFactory().createEngine({ enableProxy: false });
    try {
      // Binary strings do not survive the JS/Lua boundary of wasmoon (it decodes UTF-8): cross it in hex.
      engine.global.set('js_sha256_hex', (hex: string) =>
        createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex'),
      );
      engine.global.set('js_hmac_hex', (keyHex: string, dataHex: string) =>
        createHmac('sha256', Buffer.from(keyHex, 'hex')).update(Buffer.from(dataHex, 'hex')).digest('hex'),
      );
      engine.global.set('bundle_source', luaBundleText('aws-call-udf.lua'));
      engine.global.set('batch', batch.map(luaInput));
      const results = (await engine.doString(`
        local function tohex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end
        local function fromhex(h) return (h:gsub('..', function(x) return string.char(tonumber(x, 16)) end)) end
        local crypto = {
          sha256Hex = function(_, data) return js_sha256_hex(tohex(data)) end,
          hmacSha256 = function(_, key, data) return fromhex(js_hmac_hex(tohex(key), tohex(data))) end,
        }
        local bundle = load(bundle_source, '=aws-call-udf')()
        local out = {}
        for i, item in ipairs(batch) do
          local s = bundle.signRequest(nil, crypto, item.request, item.credentials, item.options)
          out[i] = { authorization = s.authorization, canonicalRequest = s.canonicalRequest }
        end
        return out
      `)) as unknown;
      expect(results).toEqual(expected);
    } finally {
      engine.global.close();
    }
  });
});
