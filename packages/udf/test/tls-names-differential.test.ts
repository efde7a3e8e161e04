import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import fc from 'fast-check';
import { LuaFactory } from 'wasmoon';
import { describe, expect, it } from 'vitest';
import { itTier } from '@sme/test-tiers';
import { hostNameMismatch, type CertificateNames } from '../src/lua/aws/tls-names.js';
import { luaBundlePath, luaBundleText } from './support/lua-build.js';

/**
 * The host-name check of the in-database TLS verification (tls-names.ts) against Node's `tls.checkServerIdentity`
 * on generated host names and certificates: the same verdict (match or not) for every case, in Node and in the Lua
 * build under both runtimes. The generator aims at the rules' edges: wildcards whole, partial, double, in A-labels,
 * under a TLD; empty labels; trailing dots; upper case; bytes outside `!`…DEL; CN only without DNS names; IPv4
 * hosts against IP entries, and addresses with leading zeros (not addresses, so names).
 */

interface Case {
  readonly host: string;
  readonly names: CertificateNames;
}

const labelChars = ['a', 'b', 'c', 'x', 'y', 'z', 'A', 'B', 'X', 'Y', 'Z', '0', '1', '9', '-', '_', '!', 'é', '\x7f'];
const label = fc.array(fc.constantFrom(...labelChars), { maxLength: 4 }).map((cs) => cs.join(''));
const patternLabel = fc.oneof(
  { weight: 3, arbitrary: label },
  { weight: 3, arbitrary: fc.tuple(label, label).map(([p, s]) => p + '*' + s) },
  { weight: 1, arbitrary: fc.constantFrom('*', '**', 'xn--*', 'xn--a', 'a*b*c', ' ', '') },
);
const dotted = (first: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(first, fc.array(fc.constantFrom('example', 'com', 'Amazonaws', 'x', ''), { maxLength: 3 }), fc.boolean())
    .map(([f, rest, dot]) => [f, ...rest].join('.') + (dot ? '.' : ''));
const pattern = dotted(patternLabel);
const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));

/** A host that a name may match: its wildcard replaced by some characters, case and trailing dot varied. */
function hostFrom(name: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(fc.constantFrom('a', 'B', '9', '-', 'é'), { maxLength: 3 }), fc.boolean(), fc.boolean())
    .map(([fill, upper, dot]) => {
      let h = name.replace('*', fill.join(''));
      if (upper) h = h.toUpperCase();
      if (dot && !h.endsWith('.')) h += '.';
      return h;
    });
}

const cases: fc.Arbitrary<Case> = fc
  .record({
    dnsNames: fc.array(pattern, { maxLength: 3 }),
    ipAddresses: fc.array(ipv4, { maxLength: 2 }),
    commonNames: fc.array(pattern, { maxLength: 1 }),
  })
  .chain((names) => {
    const related = [...names.dnsNames, ...names.commonNames].map(hostFrom);
    const hosts: fc.Arbitrary<string>[] = [
      dotted(label),
      ipv4,
      ipv4.map((ip) => ip.replace(/^(\d)\./, '0$1.')),
      ...names.ipAddresses.map((ip) => fc.constant(ip)),
      ...related,
    ];
    return fc.oneof(...hosts).map((host) => ({ host, names }));
  });

/** Node's verdict: the certificate as `tls.checkServerIdentity` reads a peer certificate. */
function nodeMatches(c: Case): boolean {
  const san = [...c.names.dnsNames.map((n) => `DNS:${n}`), ...c.names.ipAddresses.map((n) => `IP Address:${n}`)];
  const cn = c.names.commonNames[0];
  const cert = {
    subject: cn === undefined ? {} : { CN: cn },
    ...(san.length > 0 ? { subjectaltname: san.join(', ') } : {}),
  } as unknown as PeerCertificate;
  return checkServerIdentity(c.host, cert) === undefined;
}

const batch = fc.sample(cases, { numRuns: 3000, seed: 20261202 });
const expected = batch.map(nodeMatches);

describe('host-name check (RFC 6125) agrees with Node’s tls.checkServerIdentity', () => {
  it('in Node, on generated names, with both verdicts well represented', () => {
    expect(batch.map((c) => hostNameMismatch(c.host, c.names) === undefined)).toEqual(expected);
    const matches = expected.filter(Boolean).length;
    expect(matches).toBeGreaterThan(300);
    expect(batch.length - matches).toBeGreaterThan(300);
  });

  const NATIVE_DRIVER = `
local cjson = require('cjson')
local bundle = dofile(arg[1])
local f = assert(io.open(arg[2], 'rb')); local batch = cjson.decode(f:read('a')); f:close()
local out = {}
for i, c in ipairs(batch) do out[i] = bundle.hostNameMismatch(nil, c.host, c.names) == nil end
io.write(cjson.encode(out))
`;

  itTier('native-lua', 'in the Lua build under real lua5.4', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sme-tls-names-'));
    writeFileSync(join(dir, 'driver.lua'), NATIVE_DRIVER);
    writeFileSync(join(dir, 'batch.json'), JSON.stringify(batch));
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

  itTier('wasm', 'in the Lua build under wasmoon', async () => {
    const engine = await new LuaFactory().createEngine({ enableProxy: false });
    try {
      engine.global.set('bundle_source', luaBundleText('aws-call-udf.lua'));
      engine.global.set('batch', batch);
      const results = (await engine.doString(`
        local bundle = load(bundle_source, '=aws-call-udf')()
        local out = {}
        for i, c in ipairs(batch) do out[i] = bundle.hostNameMismatch(nil, c.host, c.names) == nil end
        return out
      `)) as unknown;
      expect(results).toEqual(expected);
    } finally {
      engine.global.close();
    }
  });
});
