import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { isSmeError } from './core-api.js';
import type { EndpointDescription, SmeError } from './core-api.js';
import { createSageMakerAdapters } from './sagemaker-adapters.js';
import { resolveSageMakerOptions } from './sagemaker-config.js';
import { backoffDelay, retryAfterMsOf } from './sagemaker-retry.js';

type Answer = 'throttle' | 'throttle-wait' | '500' | '503' | 'validation' | 'ok';

/** A tiny SageMaker stand-in speaking AWS JSON 1.1 that answers from a script, then keeps repeating the last answer. */
async function scriptedServer(script: readonly Answer[]) {
  const seen: { target: string | undefined; auth: string | undefined }[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const answer = script[Math.min(seen.length, script.length - 1)] ?? 'ok';
      seen.push({ target: req.headers['x-amz-target'] as string | undefined, auth: req.headers.authorization });
      const requestId = `rid-${seen.length}`;
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': requestId,
          ...headers,
        });
        res.end(JSON.stringify(body));
      };
      if (answer === 'throttle') send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      else if (answer === 'throttle-wait') {
        send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, { 'Retry-After': '2' });
      } else if (answer === '500') send(500, { __type: 'InternalFailure', message: 'internal' });
      else if (answer === '503') send(503, { __type: 'ServiceUnavailable', message: 'unavailable' });
      else if (answer === 'validation') send(400, { __type: 'ValidationException', message: 'bad value' });
      else
        send(200, {
          EndpointName: 'ep',
          EndpointArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep',
          EndpointConfigName: 'cfg',
          EndpointStatus: 'InService',
          CreationTime: 1_700_000_000.5,
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => {
          r();
        });
      }),
  };
}

const opened: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0)) await close();
});

async function describeAgainst(script: readonly Answer[], maxAttempts: number, retryThrottling?: boolean) {
  const server = await scriptedServer(script);
  opened.push(server.close);
  const aws = createSageMakerAdapters(
    resolveSageMakerOptions({
      region: 'us-east-1',
      endpointUrl: server.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts,
      retryBaseDelayMs: 1,
      ...(retryThrottling === undefined ? {} : { retryThrottling }),
    }),
  );
  opened.push(() => {
    aws.close();
    return Promise.resolve();
  });
  let result: EndpointDescription | undefined;
  let error: SmeError | undefined;
  try {
    result = await aws.endpoints().describeEndpoint('ep');
  } catch (e) {
    if (!isSmeError(e)) throw e;
    error = e;
  }
  return { result, error, seen: server.seen };
}

describe('retries against a real HTTP server', () => {
  it('retries throttling and then succeeds', async () => {
    const { result, seen } = await describeAgainst(['throttle', 'throttle', 'ok'], 3);
    expect(seen).toHaveLength(3);
    expect(result?.EndpointStatus).toBe('InService');
    expect(result?.CreationTime).toBe(1_700_000_000_500);
    expect(seen.every((s) => s.target === 'SageMaker.DescribeEndpoint')).toBe(true);
    expect(seen[0]?.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/sagemaker\/aws4_request/);
  });

  it('retries 5xx and then succeeds', async () => {
    const { result, seen } = await describeAgainst(['500', '503', 'ok'], 3);
    expect(seen).toHaveLength(3);
    expect(result?.EndpointName).toBe('ep');
  });

  it('gives up after maxAttempts with a Throttled error keeping the last request id', async () => {
    const { error, seen } = await describeAgainst(['throttle'], 4);
    expect(seen).toHaveLength(4);
    expect(error?.code).toBe('SME-E-AWS-THROTTLED');
    expect(error?.kind).toBe('Throttled');
    expect(error?.details.requestId).toBe('rid-4');
    expect(error?.details.httpStatus).toBe(400);
  });

  it('passes the Retry-After of AWS on in the error (retryAfterMs), for a limiter to wait', async () => {
    const { error, seen } = await describeAgainst(['throttle-wait'], 1);
    expect(seen).toHaveLength(1);
    expect(error?.kind).toBe('Throttled');
    expect(error?.details.retryAfterMs).toBe(2000);
    const plain = await describeAgainst(['throttle'], 1);
    expect(plain.error?.details.retryAfterMs).toBeUndefined();
  });

  it('leaves throttled calls to the caller with retryThrottling off, and still retries server errors', async () => {
    const throttled = await describeAgainst(['throttle', 'ok'], 3, false);
    expect(throttled.seen).toHaveLength(1);
    expect(throttled.error?.code).toBe('SME-E-AWS-THROTTLED');
    const failing = await describeAgainst(['500', '503', 'ok'], 3, false);
    expect(failing.seen).toHaveLength(3);
    expect(failing.result?.EndpointName).toBe('ep');
  });

  it('does not retry with maxAttempts 1', async () => {
    const { error, seen } = await describeAgainst(['500', 'ok'], 1);
    expect(seen).toHaveLength(1);
    expect(error?.code).toBe('SME-E-AWS-SERVICE');
  });

  it('does not retry a validation error', async () => {
    const { error, seen } = await describeAgainst(['validation', 'ok'], 3);
    expect(seen).toHaveLength(1);
    expect(error?.code).toBe('SME-E-AWS-VALIDATION');
    expect(error?.message).toContain('bad value');
  });

  it('reports an unreachable endpoint as SME-E-AWS-UNREACHABLE naming it', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => {
      probe.close(() => {
        r();
      });
    });
    const aws = createSageMakerAdapters(
      resolveSageMakerOptions({
        region: 'us-east-1',
        endpointUrl: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
        maxAttempts: 1,
      }),
    );
    try {
      await expect(aws.endpoints().describeEndpoint('ep')).rejects.toMatchObject({
        code: 'SME-E-AWS-UNREACHABLE',
        kind: 'Unreachable',
        message: expect.stringContaining(`at http://127.0.0.1:${port}`) as unknown,
      });
    } finally {
      aws.close();
    }
  });
});

describe('backoffDelay (full jitter)', () => {
  it('stays within [0, min(cap, base·2^(retry-1)))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 300_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, base, cap, r) => {
          const d = backoffDelay(retry, base, cap, () => r);
          const ceiling = Math.min(cap, base * 2 ** Math.min(retry - 1, 30));
          return Number.isInteger(d) && d >= 0 && (ceiling === 0 ? d === 0 : d < ceiling);
        },
      ),
    );
  });
  it('grows exponentially at the top of the jitter range', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 100, 20_000, top))).toEqual([99, 199, 399, 799]);
    expect(backoffDelay(20, 100, 20_000, top)).toBe(19_999);
  });
});

describe('retryAfterMsOf', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads seconds or an HTTP date from Retry-After, milliseconds from x-amz-retry-after', () => {
    expect(retryAfterMsOf({ headers: { 'retry-after': '2' } }, now)).toBe(2000);
    expect(retryAfterMsOf({ headers: { 'Retry-After': '0.5' } }, now)).toBe(500);
    expect(retryAfterMsOf({ headers: { 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' } }, now)).toBe(3000);
    expect(retryAfterMsOf({ headers: { 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' } }, now)).toBe(0);
    expect(retryAfterMsOf({ headers: { 'x-amz-retry-after': '1200' } }, now)).toBe(1200);
  });
  it('is undefined without such a header, or with one it cannot read', () => {
    expect(retryAfterMsOf(undefined, now)).toBeUndefined();
    expect(retryAfterMsOf({ headers: { 'content-type': 'x' } }, now)).toBeUndefined();
    expect(retryAfterMsOf({ headers: { 'retry-after': 'soon' } }, now)).toBeUndefined();
  });
});
