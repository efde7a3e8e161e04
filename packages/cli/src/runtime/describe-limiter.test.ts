/**
 * The listings' limiter against the AWS sandbox through the real sagemaker adapter, as `sme jobs` runs it: the SDK
 * leaves throttled calls to the limiter, which adapts to the sandbox's rate and gets every answer.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isSmeError, mapLimit } from '@sme/core';
import { createSageMakerAdapters, resolveSageMakerOptions, type SageMakerAdapters } from '@sme/sagemaker-adapter';
import { startAwsSandbox, type AwsSandbox } from '@sme/sandbox';
import { createOutput } from '../output.js';
import { describeLimiter, limitedRuntime, noteThrottling } from './describe-limiter.js';
import { processRuntime } from './session.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let aws: AwsSandbox;
let adapters: SageMakerAdapters;

beforeAll(async () => {
  aws = await startAwsSandbox({ faults: { DescribeAutoMLJobV2: { latencyMs: 20, maxPerSecond: 20 } } });
  adapters = createSageMakerAdapters(
    resolveSageMakerOptions({
      region: aws.region,
      endpointUrl: aws.sagemakerEndpoint,
      credentials: aws.credentials,
      ...limitedRuntime(processRuntime()).aws,
    }),
  );
}, 60_000);
afterAll(async () => {
  adapters.close();
  await aws.stop();
});

it('listings turn the SDK’s own retries of throttled calls off (the limiter retries them)', () => {
  expect(limitedRuntime(processRuntime()).aws?.retryThrottling).toBe(false);
});

it('gets every answer from a SageMaker that throttles, each request one the limiter sent', async () => {
  const limiter = describeLimiter();
  const automl = adapters.automl({ connectionName: 'C', region: aws.region });
  const answers = await mapLimit([...Array(60).keys()], 16, async (n) => {
    try {
      await limiter.run(() => automl.describeJob(`bench-${String(n)}`));
      return 'found';
    } catch (e: unknown) {
      return isSmeError(e) ? e.code : 'unexpected';
    }
  });
  // The sandbox has none of these jobs: every answer is a NotFound, none is left throttled.
  expect(new Set(answers)).toEqual(new Set(['SME-E-AWS-NOT-FOUND']));
  const { calls, throttled, gaveUp, answered } = limiter.stats();
  expect([answered, gaveUp]).toEqual([60, 0]);
  expect(throttled).toBe(aws.faults.injected().DescribeAutoMLJobV2);
  expect(throttled).toBeGreaterThan(0);
  // No SDK retry behind the limiter's back: the sandbox saw exactly the calls the limiter started.
  expect(aws.faults.observed().DescribeAutoMLJobV2?.requests).toBe(calls);

  const err: string[] = [];
  noteThrottling(
    limiter,
    createOutput(false, { stdout: { write: () => true }, stderr: { write: (t: string) => err.push(t) } }),
  );
  expect(err.join('')).toMatch(
    new RegExp(
      `AWS throttled ${String(throttled)} of ${String(calls)} status requests; sme slowed down to about \\d+ requests a second`,
    ),
  );
});
