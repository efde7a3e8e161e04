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
 * const limiter = new RateLimiter(timer, { ratePerSecond: 20, burst: 5 });
 * const d = await limiter.run(() => automl.describeJob(name));
 */
export class RateLimiter {
  private readonly configured: number;
  private readonly burst: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly minRate: number;
  private rate: number;
  /** The theoretical arrival time: when the next call would start if calls came exactly at the rate. */
  private tat = -Infinity;
  /**
   * When the rate was last halved: calls started before it were sent at the old rate, so their throttling does not
   * halve it again (one cut per round of calls, as TCP's congestion control does).
   */
  private cutAt = -Infinity;
  private calls = 0;
  private throttled = 0;
  private gaveUp = 0;

  constructor(
    private readonly timer: RateLimitTimer,
    options: RateLimitOptions,
  ) {
    this.configured = checkedNumber('ratePerSecond', options.ratePerSecond, 0.001);
    this.burst = checkedNumber('burst', options.burst ?? 1, 1);
    this.maxRetries = checkedNumber('maxRetries', options.maxRetries ?? 5, 0);
    this.baseDelayMs = checkedNumber('baseDelayMs', options.baseDelayMs ?? 100, 0);
    this.maxDelayMs = checkedNumber('maxDelayMs', options.maxDelayMs ?? 20000, 0);
    this.minRate = Math.min(this.configured, checkedNumber('minRatePerSecond', options.minRatePerSecond ?? 1, 0.001));
    this.rate = this.configured;
  }

  /** Waits for a slot, runs `call`; a throttling error (kind `Throttled`) is retried after a back-off, bounded. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      await this.acquire();
      const startedAt = this.timer.nowMillis();
      this.calls = this.calls + 1;
      try {
        const result = await call();
        this.rate = Math.min(this.configured, this.rate + 1);
        return result;
      } catch (error: unknown) {
        if (!isSmeError(error) || error.kind !== 'Throttled') throw error;
        this.throttled = this.throttled + 1;
        if (startedAt > this.cutAt) {
          this.rate = Math.max(this.minRate, this.rate / 2);
          this.cutAt = this.timer.nowMillis();
        }
        if (retry >= this.maxRetries) {
          this.gaveUp = this.gaveUp + 1;
          throw error;
        }
        const delay =
          retryAfterOf(error) ?? this.timer.random() * Math.min(this.maxDelayMs, this.baseDelayMs * Math.pow(2, retry));
        if (delay > 0) await this.timer.sleep(delay);
      }
    }
  }

  /** What the limiter did so far. */
  stats(): RateLimitStats {
    return { calls: this.calls, throttled: this.throttled, gaveUp: this.gaveUp, ratePerSecond: this.rate };
  }

  /** Reserves the next slot and waits for it. */
  private async acquire(): Promise<void> {
    const now = this.timer.nowMillis();
    const interval = 1000 / this.rate;
    const start = Math.max(now, this.tat - (this.burst - 1) * interval);
    this.tat = Math.max(this.tat, now) + interval;
    if (start > now) await this.timer.sleep(start - now);
  }
}

/**
 * A {@link RateLimiter} (the same as `new RateLimiter(timer, options)`).
 *
 * @example
 * const limiter = createRateLimiter(timer, SAGEMAKER_DESCRIBE_RATE);
 */
export function createRateLimiter(timer: RateLimitTimer, options: RateLimitOptions): RateLimiter {
  return new RateLimiter(timer, options);
}
