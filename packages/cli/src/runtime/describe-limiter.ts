import { performance } from 'node:perf_hooks';
import { createRateLimiter, SAGEMAKER_DESCRIBE_RATE, type RateLimiter, type RateLimitTimer } from '@sme/core';
import type { Output } from '../output.js';

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

/** Says on stderr when AWS throttled some of the listing's Describe calls (nothing when it did not). */
export function noteThrottling(limiter: RateLimiter, output: Output): void {
  const { calls, throttled, gaveUp } = limiter.stats();
  if (throttled === 0) return;
  output.note(
    `AWS throttled ${String(throttled)} of ${String(calls)} status requests; sme slowed down and retried them` +
      (gaveUp === 0 ? '.' : ` (${String(gaveUp)} still throttled after retries: their status is missing).`),
  );
}
