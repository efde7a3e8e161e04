import { performance } from 'node:perf_hooks';
import { createRateLimiter, SAGEMAKER_DESCRIBE_RATE, type RateLimiter, type RateLimitTimer } from '@sme/core';
import type { Output } from '../output.js';
import type { Runtime } from './session.js';

/** Node's monotonic clock and timers, for core's rate limiter. */
export const nodeTimer: RateLimitTimer = {
  nowMillis: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/**
 * The limiter the Describe calls of one listing (`sme jobs`, `sme endpoint list`) go through: at most core's
 * SAGEMAKER_DESCRIBE_RATE, throttled calls retried after a back-off.
 */
export function describeLimiter(): RateLimiter {
  return createRateLimiter(nodeTimer, SAGEMAKER_DESCRIBE_RATE);
}

/**
 * The runtime of a listing whose AWS calls all go through {@link describeLimiter}: the SDK does not retry throttled
 * calls itself (the limiter does, at its pace), so the limiter sees every throttle and the back-offs do not add up.
 */
export function limitedRuntime(runtime: Runtime): Runtime {
  return { ...runtime, aws: { ...runtime.aws, retryThrottling: false } };
}

/**
 * Says on stderr when AWS throttled some of the listing's Describe calls (nothing when it did not), with the rate
 * sme settled at: the answers per second over the listing.
 */
export function noteThrottling(limiter: RateLimiter, output: Output): void {
  const { calls, throttled, gaveUp, answered, busyMs } = limiter.stats();
  if (throttled === 0) return;
  const rate = busyMs > 0 ? ` to about ${String(Math.round((answered * 1000) / busyMs))} requests a second` : '';
  output.note(
    `AWS throttled ${String(throttled)} of ${String(calls)} status requests; sme slowed down${rate} and retried them` +
      (gaveUp === 0 ? '.' : ` (${String(gaveUp)} still throttled after retries: their status is missing).`),
  );
}
