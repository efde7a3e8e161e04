import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

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

/**
 * The SDK retry strategy `inner`, except that a throttled call is not retried: its error goes to the caller at once.
 * For callers that pace their calls with a client-side limiter retrying throttled calls itself (core's
 * RateLimiter): the SDK's own retries would happen behind the limiter's back, at no pace, and their back-offs would
 * add to the limiter's. Server errors, timeouts and dropped connections are still retried by `inner`.
 */
export function withoutThrottlingRetries(inner: RetryStrategyV2): RetryStrategyV2 {
  return {
    acquireInitialRetryToken: (scope: string): Promise<RetryToken> => inner.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: (token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> =>
      errorInfo.errorType === 'THROTTLING'
        ? Promise.reject(errorInfo.error ?? new Error('throttled'))
        : inner.refreshRetryTokenForRetry(token, errorInfo),
    recordSuccess: (token: RetryToken): void => {
      inner.recordSuccess(token);
    },
  };
}

/**
 * How long an AWS answer asks to wait before a retry, in milliseconds: its `Retry-After` header (seconds, or an
 * HTTP date) or `x-amz-retry-after` (milliseconds), as the SDK reads them (`$response` of an SDK error). Undefined
 * when it asks nothing or says it in no form this understands.
 *
 * @example retryAfterMsOf({ headers: { 'retry-after': '2' } }) // 2000
 */
export function retryAfterMsOf(response: unknown, now: number = Date.now()): number | undefined {
  const headers = (response as { headers?: unknown } | undefined)?.headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [name, raw] of Object.entries(headers)) {
    if (typeof raw !== 'string') continue;
    const value = raw.trim();
    const header = name.toLowerCase();
    if (header === 'x-amz-retry-after' && /^\d+$/.test(value)) return Number(value);
    if (header !== 'retry-after') continue;
    if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
  }
  return undefined;
}
