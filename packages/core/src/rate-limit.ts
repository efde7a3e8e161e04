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
  /** Calls per second at most, sustained: the ceiling, never exceeded, also not while recovering. */
  readonly ratePerSecond: number;
  /** Calls that may start at once after a quiet spell (default 1: calls are evenly spaced). */
  readonly burst?: number;
  /** How often a throttled call is tried again before its error is returned (default 5). */
  readonly maxRetries?: number;
  /** The longest back-off before the first retry; it doubles with every retry (default 100 ms). */
  readonly baseDelayMs?: number;
  /** No back-off is longer than this (default 20 s, the AWS SDKs' cap). */
  readonly maxDelayMs?: number;
  /** Throttling lowers the rate down to this many calls per second at least (default 1). */
  readonly minRatePerSecond?: number;
  /**
   * The share of its rate the limiter keeps when the service throttles (default 0.7, as the AWS SDKs' adaptive
   * retry mode); never more than the calls the service answered in the last second.
   */
  readonly decrease?: number;
  /** After throttling, the rate climbs back by this many calls per second, every second (default a twentieth of the ceiling, at least 1). */
  readonly recoveryPerSecond?: number;
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
  /** Calls the service answered (not throttled), errors such as NotFound included. */
  readonly answered: number;
  /** Milliseconds from the start of the first call to the last answer (0 before any answer). */
  readonly busyMs: number;
}

function checkedNumber(key: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !(value >= min) || !(value <= max) || value === Infinity) {
    throw coreError(
      'SME-E-ARGUMENT',
      'the rate limit option ' +
        key +
        ' must be a number of at least ' +
        String(min) +
        (max === Infinity ? '' : ' and at most ' + String(max)) +
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

/** The window over which the limiter counts the calls the service answered: the second AWS's rates are per. */
const WINDOW_MS = 1000;

/**
 * A client-side rate limiter for calls to a throttled service that adapts to the rate the service allows (AIMD:
 * additive increase, multiplicative decrease, as TCP's congestion control and the AWS SDKs' adaptive retry mode).
 *
 * - Pace: calls start at most `ratePerSecond` a second (GCRA, the virtual-scheduling form of a token bucket), `burst`
 *   at once after a quiet spell. A call waiting for its slot sees the current rate: a lower rate after throttling
 *   applies to the calls already waiting, a higher one too.
 * - Throttling (an `SmeError` of kind `Throttled`): the rate drops to `decrease` times itself, and to no more than
 *   the calls the service answered in the last second (what it let through), down to `minRatePerSecond`; once for all
 *   the calls that were started before the last drop (one cut per round of calls). The burst shrinks with the rate.
 *   The throttled call waits a jittered exponential back-off ("full jitter": a random wait up to
 *   `baseDelayMs · 2^retry`, capped at `maxDelayMs`) and queues for a slot again, at most `maxRetries` times. When
 *   the error carries the service's wait (`retryAfterMs`, an HTTP Retry-After) no call starts before it has passed.
 * - Success: the rate climbs by `recoveryPerSecond` every second (each call adds its share), up to `ratePerSecond`.
 *
 * Portable: the time and the waiting come from `timer`; in Lua, where the ports answer at once, `sleep` may return
 * at once too (a call then starts when its wait did not move the clock).
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
  private readonly decrease: number;
  private readonly recovery: number;
  private rate: number;
  /** The theoretical arrival time: when the next call would start if calls came exactly at the rate. */
  private tat = -Infinity;
  /** No call starts before this (the service's Retry-After). */
  private notBefore = -Infinity;
  /**
   * When the rate was last lowered: calls started before it were sent at the old rate, so their throttling does not
   * lower it again.
   */
  private cutAt = -Infinity;
  /** When the calls the service answered within the last {@link WINDOW_MS} ended (oldest first, from `oldest`). */
  private answered: number[] = [];
  private oldest = 0;
  private calls = 0;
  private throttled = 0;
  private gaveUp = 0;
  private answeredCount = 0;
  private firstStart: number | undefined;
  private lastAnswer: number | undefined;

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
    this.decrease = checkedNumber('decrease', options.decrease ?? 0.7, 0.01, 0.99);
    this.recovery = checkedNumber(
      'recoveryPerSecond',
      options.recoveryPerSecond ?? Math.max(1, this.configured / 20),
      0.001,
    );
    this.rate = this.configured;
  }

  /** Waits for a slot, runs `call`; a throttling error (kind `Throttled`) is retried after a back-off, bounded. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      await this.acquire();
      const startedAt = this.timer.nowMillis();
      this.firstStart ??= startedAt;
      this.calls = this.calls + 1;
      try {
        const result = await call();
        this.answeredNow();
        return result;
      } catch (error: unknown) {
        if (!isSmeError(error)) throw error;
        if (error.kind !== 'Throttled') {
          // An answer all the same (not found, access denied, …): the service took the call.
          this.answeredNow();
          throw error;
        }
        this.throttled = this.throttled + 1;
        const now = this.timer.nowMillis();
        if (startedAt > this.cutAt) this.slowDown(now);
        if (retry >= this.maxRetries) {
          this.gaveUp = this.gaveUp + 1;
          throw error;
        }
        const hint = retryAfterOf(error);
        if (hint !== undefined) this.notBefore = Math.max(this.notBefore, now + hint);
        const delay = hint ?? this.timer.random() * Math.min(this.maxDelayMs, this.baseDelayMs * Math.pow(2, retry));
        if (delay > 0) await this.timer.sleep(delay);
      }
    }
  }

  /** What the limiter did so far. */
  stats(): RateLimitStats {
    const busyMs =
      this.firstStart === undefined || this.lastAnswer === undefined ? 0 : this.lastAnswer - this.firstStart;
    return {
      calls: this.calls,
      throttled: this.throttled,
      gaveUp: this.gaveUp,
      ratePerSecond: this.rate,
      answered: this.answeredCount,
      busyMs,
    };
  }

  /**
   * Lowers the rate after a throttled call: to `decrease` times itself (multiplicative decrease), to no more than
   * the service answered in the last second, and, while the service answered some in the last second, to no less
   * than `decrease` times that many (it showed it allows them).
   */
  private slowDown(now: number): void {
    const letThrough = this.answeredSince(now - WINDOW_MS);
    // Nothing answered in the last second (the first calls, or all throttled): only the multiplicative decrease.
    const lowered =
      letThrough === 0
        ? this.rate * this.decrease
        : Math.min(letThrough, Math.max(this.rate * this.decrease, letThrough * this.decrease));
    this.rate = Math.max(this.minRate, Math.min(this.rate, lowered));
    this.cutAt = now;
  }

  /** The service answered a call (not throttled): remember when, and raise the rate by this call's share. */
  private answeredNow(): void {
    const now = this.timer.nowMillis();
    this.answeredSince(now - WINDOW_MS);
    this.answered.push(now);
    this.answeredCount = this.answeredCount + 1;
    this.lastAnswer = now;
    this.rate = Math.min(this.configured, this.rate + this.recovery / this.rate);
  }

  /** How many calls the service answered after `since`; forgets the older ones. */
  private answeredSince(since: number): number {
    while (this.oldest < this.answered.length && (this.answered[this.oldest] as number) <= since) {
      this.oldest = this.oldest + 1;
    }
    if (this.oldest > 1000) {
      this.answered = this.answered.slice(this.oldest);
      this.oldest = 0;
    }
    return this.answered.length - this.oldest;
  }

  /** Waits for the next slot at the current rate (which may change while waiting) and takes it. */
  private async acquire(): Promise<void> {
    let waitedAt: number | undefined;
    for (;;) {
      const now = this.timer.nowMillis();
      const interval = 1000 / this.rate;
      // The burst shrinks with the rate: after throttling, calls do not bunch up again.
      const burst = Math.max(1, Math.floor((this.burst * this.rate) / this.configured));
      const start = Math.max(now, this.notBefore, this.tat - (burst - 1) * interval);
      // A host whose sleep does not move the clock (Lua) starts the call rather than wait forever.
      if (start <= now || waitedAt === now) {
        this.tat = Math.max(this.tat, now) + interval;
        return;
      }
      waitedAt = now;
      await this.timer.sleep(start - now);
    }
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
