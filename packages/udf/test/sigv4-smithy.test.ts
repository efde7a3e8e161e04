import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amzDate, signRequest } from '../src/lua/sigv4/sigv4.js';
import { nodeSha256Crypto, utf8ToByteString } from '../src/node/node-crypto.js';
import { generatedRequest, smithyQuery } from './support/sigv4-arbitraries.js';
import { smithySign } from './support/smithy-signer.js';

const b = utf8ToByteString;

describe('SigV4 (Node build) against AWS @smithy/signature-v4', () => {
  it('gives the same headers on generated requests', async () => {
    await fc.assert(
      fc.asyncProperty(generatedRequest, async (r) => {
        const expected = await smithySign(
          {
            method: r.method,
            hostname: r.host,
            path: r.path,
            query: smithyQuery(r.query),
            headers: { host: r.host, ...Object.fromEntries(r.headers) },
            body: r.body,
          },
          {
            accessKeyId: r.accessKeyId,
            secretAccessKey: r.secretAccessKey,
            ...(r.sessionToken === undefined ? {} : { sessionToken: r.sessionToken }),
          },
          { region: r.region, service: r.service, signingDate: new Date(r.epochMillis) },
        );
        const ours = signRequest(
          nodeSha256Crypto,
          {
            method: r.method,
            path: b(r.path),
            query: r.query.map(([n, v]) => [b(n), b(v)] as const),
            headers: [['host', r.host], ...r.headers.map(([n, v]) => [b(n), b(v)] as const)],
            body: b(r.body),
          },
          {
            accessKeyId: r.accessKeyId,
            secretAccessKey: b(r.secretAccessKey),
            ...(r.sessionToken === undefined ? {} : { sessionToken: r.sessionToken }),
          },
          { region: r.region, service: r.service, amzDate: amzDate(r.epochMillis) },
        );
        const ourHeaders = Object.fromEntries(ours.headers.map(([n, v]) => [n.toLowerCase(), v]));
        expect(ours.authorization).toBe(expected.authorization);
        for (const name of ['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']) {
          expect(ourHeaders[name]).toBe(expected[name]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
