import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SAGEMAKER_MODEL, validateInput } from './api-model.js';
import { decodeAwsChunked, encodeAwsChunked } from './aws-chunked.js';
import { verifySigV4 } from './sigv4-verify.js';
import type { ReceivedRequest } from './sigv4-verify.js';

const creds = { accessKeyId: 'AKIATESTKEY000000001', secretAccessKey: 'secret/Key+with=odd' };
const region = 'eu-west-1';
const segment = fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s !== '.' && s !== '..' && !s.includes('/'));

/** Signs like an SDK would, then turns the request into what the server receives on the wire. */
async function signed(
  service: string,
  method: string,
  segments: string[],
  query: Record<string, string>,
  headers: Record<string, string>,
  body: string,
  secret = creds.secretAccessKey,
): Promise<ReceivedRequest> {
  const path = `/${segments.map(encodeURIComponent).join('/')}`;
  const signer = new SignatureV4({
    credentials: { ...creds, secretAccessKey: secret },
    region,
    service,
    sha256: Sha256,
    uriEscapePath: service !== 's3',
  });
  const req = await signer.sign(
    new HttpRequest({
      method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4567,
      path,
      query,
      headers: { host: '127.0.0.1:4567', ...headers },
      body,
    }),
  );
  const qs = new URLSearchParams(query).toString().replace(/\+/g, '%20');
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) lower[k.toLowerCase()] = v;
  return { method, url: qs === '' ? path : `${path}?${qs}`, headers: lower, body: Buffer.from(body) };
}

const verify = (req: ReceivedRequest, service: string) =>
  verifySigV4(req, { region, service, credentials: [creds], uriEscapePath: service !== 's3' });

describe('verifySigV4 (property: whatever @smithy/signature-v4 signs verifies, any change does not)', () => {
  it('accepts correctly signed requests and rejects altered ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('sagemaker', 's3'),
        fc.constantFrom('GET', 'POST', 'PUT'),
        fc.array(segment, { minLength: 0, maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
        fc.dictionary(fc.stringMatching(/^x-amz-meta-[a-z]{1,6}$/), fc.stringMatching(/^[ -~]{0,12}$/), { maxKeys: 2 }),
        fc.string({ maxLength: 40 }),
        async (service, method, segments, query, extra, body) => {
          const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', ...extra };
          if (service === 's3') headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
          const req = await signed(service, method, segments, query, headers, body);
          const ok = await verify(req, service);
          expect(ok.ok, JSON.stringify(ok)).toBe(true);
          const wrongSecret = await signed(service, method, segments, query, headers, body, 'other');
          expect(await verify(wrongSecret, service)).toMatchObject({ ok: false, failure: 'SignatureDoesNotMatch' });
          const altered = { ...req, headers: { ...req.headers, 'content-type': 'text/plain' } };
          expect((await verify(altered, service)).ok).toBe(false);
          if (service === 'sagemaker') {
            const tampered = { ...req, body: Buffer.from(`${body}x`) };
            expect((await verify(tampered, service)).ok).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('names unknown keys, missing auth, wrong scope and stale dates', async () => {
    const req = await signed('sagemaker', 'POST', [], {}, {}, '{}');
    expect(
      await verifySigV4(req, { region, service: 'sagemaker', credentials: [], uriEscapePath: true }),
    ).toMatchObject({
      failure: 'UnrecognizedClient',
    });
    expect(await verify({ ...req, headers: { host: 'h' } }, 'sagemaker')).toMatchObject({
      failure: 'MissingAuthenticationToken',
    });
    expect(
      await verifySigV4(req, { region: 'us-east-1', service: 'sagemaker', credentials: [creds], uriEscapePath: true }),
    ).toMatchObject({
      failure: 'CredentialScope',
    });
    expect(
      await verifySigV4(req, {
        region,
        service: 'sagemaker',
        credentials: [creds],
        uriEscapePath: true,
        now: () => Date.now() + 16 * 60_000,
      }),
    ).toMatchObject({ failure: 'SignatureExpired' });
  });
});

describe('aws-chunked', () => {
  it('decodes what it encodes, for any payload and chunk size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 700 }), (bytes, size) => {
        const payload = Buffer.from(bytes);
        const decoded = decodeAwsChunked(encodeAwsChunked(payload, size, { 'x-amz-checksum-crc32': 'AAAAAA==' }));
        expect(decoded.payload.equals(payload)).toBe(true);
        expect(decoded.trailers['x-amz-checksum-crc32']).toBe('AAAAAA==');
      }),
    );
  });

  it('rejects broken framing', () => {
    expect(() => decodeAwsChunked(Buffer.from('zz\r\nabc'))).toThrow(/bad chunk size/);
    expect(() => decodeAwsChunked(Buffer.from('10\r\nabc\r\n0\r\n\r\n'))).toThrow(/longer than the body/);
  });
});

describe('validation against the API model', () => {
  it('accepts any job name the AWS pattern allows and rejects the rest with AWS wording', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => {
        const problems = validateInput(SAGEMAKER_MODEL, 'DescribeAutoMLJobV2Request', { AutoMLJobName: name });
        const valid = name.length >= 1 && name.length <= 32 && /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/.test(name);
        expect(problems.length === 0).toBe(valid);
        for (const p of problems)
          expect(p).toMatch(/^Value '.*' at 'autoMLJobName' failed to satisfy constraint: Member must /s);
      }),
    );
  });

  it('checks nested lists, maps and numbers', () => {
    const problems = validateInput(SAGEMAKER_MODEL, 'CreateModelInput', {
      ModelName: 'm',
      Containers: [{ Image: 'i', Environment: { K: 'x'.repeat(2000) } }],
      Tags: Array.from({ length: 51 }, (_v, i) => ({ Key: `k${i}`, Value: 'v' })),
    });
    expect(problems.join('\n')).toMatch(
      /'tags' failed to satisfy constraint: Member must have length less than or equal to 50/,
    );
    expect(problems.join('\n')).toMatch(/containers\.1\.member\.environment\.K\.member/);
  });
});
