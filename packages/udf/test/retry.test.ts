import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mixSeed,
  retryAfterSeconds,
  retryClass,
  retryDelaySeconds,
  seededRandom,
  STANDARD_RETRY_POLICY as P,
} from '../src/lua/aws/retry.js';
import { AWS_CALL_OPERATIONS, callAws, type AwsCallDeps } from '../src/lua/aws/aws-call.js';
import type { HttpResponse } from '../src/lua/aws/http-port.js';
import { HttpTransportError } from '../src/lua/aws/http-port.js';
import { isSmeError } from '@sme/core';
import { nodeSha256Crypto } from '../src/node/node-crypto.js';

const outcome = fc.oneof(
  fc.record({ kind: fc.constant('throttled' as const) }),
  fc.record({ kind: fc.constant('server-error' as const) }),
  fc.record({ kind: fc.constant('transport' as const) }),
  fc.record({ kind: fc.constant('throttled' as const), retryAfterSeconds: fc.integer({ min: 0, max: 100 }) }),
  fc.record({
    kind: fc.constant('server-error' as const),
    retryAfterSeconds: fc.double({ min: 0, max: 100, noNaN: true }),
  }),
);

describe('retry policy', () => {
  it('delays stay in [0, min(cap, base·2^(attempt-1))], raised to Retry-After, never over the cap', () => {
    fc.assert(
      fc.property(
        outcome,
        fc.integer({ min: 1, max: 2 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (o, attempt, r) => {
          const d = retryDelaySeconds(P, 'all', o, attempt, () => r) ?? -1;
          const base = o.kind === 'throttled' ? P.throttlingBaseDelaySeconds : P.baseDelaySeconds;
          const ceiling = Math.min(P.maxBackoffSeconds, base * 2 ** (attempt - 1));
          const after = 'retryAfterSeconds' in o ? o.retryAfterSeconds : undefined;
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(P.maxBackoffSeconds);
          if (after === undefined) expect(d).toBeCloseTo(r * ceiling, 12);
          else expect(d).toBeCloseTo(Math.min(P.maxBackoffSeconds, Math.max(after, r * ceiling)), 12);
        },
      ),
    );
  });

  it('makes at most maxAttempts attempts, and retries each class only on what it allows', () => {
    fc.assert(
      fc.property(outcome, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 6 }), (o, attempt, max) => {
        const policy = { ...P, maxAttempts: max };
        const d = retryDelaySeconds(policy, 'all', o, attempt, () => 0.5);
        expect(d === undefined).toBe(attempt >= max);
        expect(retryDelaySeconds(policy, 'none', o, attempt, () => 0.5)).toBeUndefined();
        const t = retryDelaySeconds(policy, 'throttling', o, attempt, () => 0.5);
        expect(t === undefined).toBe(attempt >= max || o.kind !== 'throttled');
      }),
    );
    expect(retryDelaySeconds(P, 'all', { kind: 'final' }, 1, () => 0.5)).toBeUndefined();
  });

  it('every allowed operation has a class; creates are never retried', () => {
    for (const op of AWS_CALL_OPERATIONS.keys()) expect(['all', 'throttling', 'none']).toContain(retryClass(op));
    for (const op of ['CreateAutoMLJobV2', 'CreateModel', 'CreateEndpointConfig', 'CreateEndpoint', 'Unknown'])
      expect(retryClass(op)).toBe('none');
    expect(retryClass('DescribeAutoMLJobV2')).toBe('all');
    expect(retryClass('DeleteEndpoint')).toBe('throttling');
  });

  it('reads Retry-After (seconds) and x-amz-retry-after (milliseconds)', () => {
    expect(retryAfterSeconds({ 'retry-after': '3' })).toBe(3);
    expect(retryAfterSeconds({ 'x-amz-retry-after': '1500', 'retry-after': '3' })).toBe(1.5);
    expect(retryAfterSeconds({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' })).toBeUndefined();
    expect(retryAfterSeconds({})).toBeUndefined();
  });

  it('the PRNG answers in [0, 1), is reproducible from its seed, and seeds differ with sub-second time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (seed) => {
        const a = seededRandom(seed);
        const b = seededRandom(seed);
        for (let i = 0; i < 20; i++) {
          const x = a();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          expect(b()).toBe(x);
        }
      }),
    );
    expect(mixSeed([1700000000.25, 0.01])).not.toBe(mixSeed([1700000000.5, 0.01]));
    const r = seededRandom(mixSeed([1700000000.123456, 0.004, 1700000000]));
    const xs = Array.from({ length: 1000 }, r);
    expect(Math.min(...xs)).toBeLessThan(0.05);
    expect(Math.max(...xs)).toBeGreaterThan(0.95);
  });
});

describe('callAws retries', () => {
  const crypto = nodeSha256Crypto;
  function deps(answers: (HttpResponse | 'reset')[], sleeps: number[]): AwsCallDeps & { sent: () => number } {
    let sent = 0;
    return {
      http: {
        send: () => {
          const a = answers[sent++] ?? { status: 200, headers: {}, body: '{}' };
          if (a === 'reset') throw new HttpTransportError('closed');
          return a;
        },
      },
      crypto,
      clock: { nowMillis: () => 1700000000000 },
      json: { decode: (t: string): unknown => JSON.parse(t), encode: (v: unknown) => JSON.stringify(v) },
      getConnection: () => ({ user: 'AKIAX', password: 'secretsecret' }),
      retry: { sleep: (s) => sleeps.push(s), random: () => 0.5 },
      sent: () => sent,
    };
  }
  const input = (operation: string) => ({ connectionName: 'C', region: 'eu-west-1', operation, payload: '{}' });
  const throttle: HttpResponse = {
    status: 400,
    headers: {},
    body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
  };
  const unavailable: HttpResponse = { status: 503, headers: { 'retry-after': '2' }, body: '' };

  it('retries a Describe after a throttle and a 503 (Retry-After honoured), then succeeds', () => {
    const sleeps: number[] = [];
    const d = deps([throttle, unavailable], sleeps);
    expect(callAws(d, input('DescribeAutoMLJobV2'), {}).httpStatus).toBe(200);
    expect(d.sent()).toBe(3);
    expect(sleeps).toEqual([0.25, 2]);
  });

  it('gives up after 3 attempts with the last code and the attempt count', () => {
    const sleeps: number[] = [];
    const d = deps(['reset', throttle, throttle], sleeps);
    let caught: unknown;
    try {
      callAws(d, input('ListEndpoints'), {});
    } catch (e) {
      caught = e;
    }
    expect(isSmeError(caught) && caught.code).toBe('SME-E-AWS-THROTTLED');
    expect((caught as Error).message).toContain('after 3 attempts');
    expect(d.sent()).toBe(3);
  });

  it('never retries a create; retries a Delete only after throttling', () => {
    const d1 = deps([unavailable], []);
    expect(() => callAws(d1, input('CreateAutoMLJobV2'), {})).toThrow(
      expect.objectContaining({ code: 'SME-E-AWS-SERVICE' }),
    );
    expect(d1.sent()).toBe(1);
    const d2 = deps(['reset'], []);
    expect(() => callAws(d2, input('DeleteEndpoint'), {})).toThrow(
      expect.objectContaining({ code: 'SME-E-AWS-UNREACHABLE' }),
    );
    expect(d2.sent()).toBe(1);
    const d3 = deps([throttle], []);
    expect(callAws(d3, input('DeleteEndpoint'), {}).httpStatus).toBe(200);
    expect(d3.sent()).toBe(2);
  });
});
