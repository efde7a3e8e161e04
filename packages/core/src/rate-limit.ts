import { coreError } from './error-codes.js';
import { isSmeError } from './errors.js';
import { describeValue } from './text.js';

/** What a rate limiter needs from its host. Node: `performance.now()`, `setTimeout` and `Math.random`. */
export interface RateLimitTimer {
  /** Milliseconds on a clock that does not go back. */
  nowMillis(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1), for the jitter of back-offs. */
  random(): number;
}

/** How fast a {@link RateLimiter} lets calls start and how it backs off when the service throttles. */
export interface RateLimitOptions {
  /** Calls per second at most, sustained. */
  readonly ratePerSecond: number;
  /** Calls that may start at once after a quiet spell (default 1: calls are evenly spaced). */
  readonly burst?: number;
  /** How often a throttled call is tried again before its error is returned (default 5). */
  readonly maxRetries?: number;
  /** The longest back-off before the first retry; it doubles with every retry (default 100 ms). */
  readonly baseDelayMs?: number;
  /** No back-off is longer than this (default 20 s, the AWS SDKs' cap). */
  readonly maxDelayMs?: number;
  /** Throttling halves the rate, down to this many calls per second at least (default 1). */
  readonly minRatePerSecond?: number;
}

/** What a {@link RateLimiter} did so far. */
export interface RateLimitStats {
  /** Calls started, retries included. */
  readonly calls: number;
  /** Calls the service answered with a throttling error. */
  readonly throttled: number;
  /** Throttled calls that were not tried again (retries used up); their error went to the caller. */
  readonly gaveUp: number;
  /** The rate the limiter runs at now (lower than configured after throttling, until calls succeed again). */
  readonly ratePerSecond: number;
}

/**
 * Runs calls no faster than a rate, and tries a throttled call again after a back-off.
 *
 * @noSelf (Lua: plain functions, as `createRateLimiter` returns them)
 */
export interface RateLimiter {
  /** Waits for a slot, runs `call`; a throttling error (kind `Throttled`) is retried after a back-off, bounded. */
  run<T>(call: () => Promise<T>): Promise<T>;
  /** What the limiter did so far. */
  stats(): RateLimitStats;
}

function checkedNumber(key: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !(value >= min) || value === Infinity) {
    throw coreError(
      'SME-E-ARGUMENT',
      'the rate limit option ' +
        key +
        ' must be a number of at least ' +
        String(min) +
        '; received ' +
        describeValue(value),
      { key, value: describeValue(value) },
    );
  }
  return value;
}

/** Milliseconds the error asks to wait before a retry (an HTTP Retry-After), when it says. */
function retryAfterOf(error: unknown): number | undefined {
  if (!isSmeError(error)) return undefined;
  const ms = error.details.retryAfterMs;
  return typeof ms === 'number' && ms >= 0 ? ms : undefined;
}

/**
 * A client-side rate limiter for calls to a throttled service (GCRA, the virtual-scheduling form of a token bucket):
 * at most `burst` calls start at once, then one every `1000 / ratePerSecond` ms. A call the service throttles (an
 * `SmeError` of kind `Throttled`) halves the rate for all calls (down to `minRatePerSecond`; once for all the calls
 * that were started before the last halving), waits a jittered
 * exponential back-off ("full jitter": a random wait up to `baseDelayMs · 2^retry`, capped at `maxDelayMs`, or the
 * error's `retryAfterMs` when it carries one) and is tried again, at most `maxRetries` times. Every successful call
 * raises the rate by one call per second again, up to `ratePerSecond`.
 *
 * Portable: the time and the waiting come from `timer`; in Lua, where the ports answer at once, `sleep` may return
 * at once too.
 *
 * @example
 * const limiter = createRateLimiter(timer, { ratePerSecond: 20, burst: 5 });
 * const d = await limiter.run(() => automl.describeJob(name));
 */
export function createRateLimiter(timer: RateLimitTimer, options: RateLimitOptions): RateLimiter {
  const configured = checkedNumber('ratePerSecond', options.ratePerSecond, 0.001);
  const burst = checkedNumber('burst', options.burst ?? 1, 1);
  const maxRetries = checkedNumber('maxRetries', options.maxRetries ?? 5, 0);
  const baseDelayMs = checkedNumber('baseDelayMs', options.baseDelayMs ?? 100, 0);
  const maxDelayMs = checkedNumber('maxDelayMs', options.maxDelayMs ?? 20000, 0);
  const minRate = Math.min(configured, checkedNumber('minRatePerSecond', options.minRatePerSecond ?? 1, 0.001));
  let rate = configured;
  // The theoretical arrival time: when the next call would start if calls came exactly at the rate.
  let tat = -Infinity;
  // When the rate was last halved: calls started before it were sent at the old rate, so their throttling does not
  // halve it again (one cut per round of calls, as TCP's congestion control does).
  let cutAt = -Infinity;
  let calls = 0;
  let throttled = 0;
  let gaveUp = 0;

  /** Reserves the next slot and waits for it. */
  const acquire = async (): Promise<void> => {
    const now = timer.nowMillis();
    const interval = 1000 / rate;
    const start = Math.max(now, tat - (burst - 1) * interval);
    tat = Math.max(tat, now) + interval;
    if (start > now) await timer.sleep(start - now);
  };

  const run = async <T>(call: () => Promise<T>): Promise<T> => {
    for (let retry = 0; ; retry++) {
      await acquire();
      const startedAt = timer.nowMillis();
      calls = calls + 1;
      try {
        const result = await call();
        rate = Math.min(configured, rate + 1);
        return result;
      } catch (error: unknown) {
        if (!isSmeError(error) || error.kind !== 'Throttled') throw error;
        throttled = throttled + 1;
        if (startedAt > cutAt) {
          rate = Math.max(minRate, rate / 2);
          cutAt = timer.nowMillis();
        }
        if (retry >= maxRetries) {
          gaveUp = gaveUp + 1;
          throw error;
        }
        const delay = retryAfterOf(error) ?? timer.random() * Math.min(maxDelayMs, baseDelayMs * Math.pow(2, retry));
        if (delay > 0) await timer.sleep(delay);
      }
    }
  };

  return {
    run,
    stats: () => ({ calls, throttled, gaveUp, ratePerSecond: rate }),
  };
}
