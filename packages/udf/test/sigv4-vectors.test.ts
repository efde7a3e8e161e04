import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../src/lua/sigv4/sigv4.js';
import { nodeSha256Crypto, utf8ToByteString } from '../src/node/node-crypto.js';

interface Vector {
  name: string;
  method: string;
  path: string;
  query: [string, string][];
  headers: [string, string][];
  body: string;
  sessionToken?: boolean;
  creq: string;
  authz: string;
}
interface Suite {
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
  amzDate: string;
  stsToken: string;
  vectors: Vector[];
}

const suite = JSON.parse(
  readFileSync(new URL('./fixtures/aws-sig-v4-test-suite.json', import.meta.url), 'utf8'),
) as Suite;
const bytes = (pairs: [string, string][]): [string, string][] =>
  pairs.map(([n, v]) => [utf8ToByteString(n), utf8ToByteString(v)]);

describe('SigV4 against AWS published test-suite vectors', () => {
  it.each(suite.vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const signed = signRequest(
      nodeSha256Crypto,
      {
        method: vector.method,
        path: utf8ToByteString(vector.path),
        query: bytes(vector.query),
        headers: bytes(vector.headers),
        body: utf8ToByteString(vector.body),
      },
      {
        accessKeyId: suite.accessKeyId,
        secretAccessKey: suite.secretAccessKey,
        ...(vector.sessionToken === true ? { sessionToken: suite.stsToken } : {}),
      },
      { region: suite.region, service: suite.service, amzDate: suite.amzDate, contentSha256Header: false },
    );
    expect(signed.canonicalRequest).toBe(utf8ToByteString(vector.creq));
    expect(signed.authorization).toBe(vector.authz);
  });

  it('a changed secret gives a different signature than the vector', () => {
    const vector = suite.vectors[0];
    if (vector === undefined) throw new Error('fixture has no vectors');
    const signed = signRequest(
      nodeSha256Crypto,
      { method: vector.method, path: vector.path, headers: bytes(vector.headers), body: '' },
      { accessKeyId: suite.accessKeyId, secretAccessKey: suite.secretAccessKey + 'x' },
      { region: suite.region, service: suite.service, amzDate: suite.amzDate, contentSha256Header: false },
    );
    expect(signed.authorization).not.toBe(vector.authz);
  });
});
