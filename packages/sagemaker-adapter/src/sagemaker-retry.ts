/**
 * Delay before retry number `retry` (1 = first retry): "full jitter" exponential backoff, a uniformly random
 * delay between 0 and min(cap, base · 2^(retry-1)), the scheme the AWS SDKs use
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). Jitter spreads the retries of
 * many clients that were throttled at the same moment.
 *
 * @example backoffDelay(3, 100, 20_000) // somewhere in [0, 400)
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(retry - 1, 30));
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
