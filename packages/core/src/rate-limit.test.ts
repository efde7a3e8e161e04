import { describe, expect, it } from 'vitest';
import { SmeError, isSmeError } from './errors.js';
import { mapLimit } from './map-limit.js';
import { createRateLimiter, type RateLimitTimer } from './rate-limit.js';

/** A clock that moves only when every caller waits: each step jumps to the earliest wake-up. No real time passes. */
class FakeTimer implements RateLimitTimer {
  now = 0;
  /** The jitter draw: half of the longest back-off. */
  draw = 0.5;
  readonly sleeps: number[] = [];
  private timers: { at: number; wake: () => void }[] = [];

  nowMillis(): number {
    return this.now;
  }

  random(): number {
    return this.draw;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((wake) => this.timers.push({ at: this.now + ms, wake }));
  }

  /** Runs `work` to its end, moving the clock from wake-up to wake-up. */
  async drive<T>(work: Promise<T>): Promise<T> {
    const state = { done: false };
    const finished = work.finally(() => {
      state.done = true;
    });
    finished.catch(() => undefined);
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (state.done) return finished;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (next === undefined) throw new Error('nothing to wait for, yet the work is not done');
      this.now = Math.max(this.now, next.at);
      next.wake();
    }
  }
}

const throttled = (details = {}) => new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'Rate exceeded', details);

/** The most start times in any window of `ms` milliseconds. */
function peakIn(starts: readonly number[], ms: number): number {
  let peak = 0;
  for (const t of starts) peak = Math.max(peak, starts.filter((s) => s >= t && s < t + ms).length);
  return peak;
}

describe('createRateLimiter', () => {
  it('spaces calls evenly at the rate, whatever the concurrency', async () => {
    const timer = new FakeTimer();
    const limiter = createRateLimiter(timer, { ratePerSecond: 10 });
    const starts: number[] = [];
    const out = await timer.drive(
      mapLimit([...Array(25).keys()], 25, (n) =>
        limiter.run(() => {
          starts.push(timer.now);
          return Promise.resolve(n * 2);
        }),
      ),
    );
    expect(out).toEqual([...Array(25).keys()].map((n) => n * 2));
    expect(starts).toEqual([...Array(25).keys()].map((n) => n * 100));
    expect(peakIn(starts, 1000)).toBe(10);
    expect(limiter.stats()).toEqual({ calls: 25, throttled: 0, gaveUp: 0, ratePerSecond: 10 });
  });

  it('lets a burst start at once, then keeps to the rate', async () => {
    const timer = new FakeTimer();
    const limiter = createRateLimiter(timer, { ratePerSecond: 20, burst: 5 });
    const starts: number[] = [];
    await timer.drive(
      mapLimit([...Array(45).keys()], 8, () =>
        limiter.run(() => {
          starts.push(timer.now);
          return Promise.resolve(true);
        }),
      ),
    );
    expect(starts.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 50]);
    expect(starts.at(-1)).toBe(40 * 50);
    // In any second: the burst and one second's worth of calls at most.
    expect(peakIn(starts, 1000)).toBeLessThanOrEqual(20 + 5);
  });

  it('retries a throttled call after a jittered exponential back-off and slows every call down', async () => {
    const timer = new FakeTimer();
    const limiter = createRateLimiter(timer, { ratePerSecond: 8, baseDelayMs: 100 });
    let failures = 2;
    const result = await timer.drive(
      limiter.run(() => (failures-- > 0 ? Promise.reject(throttled()) : Promise.resolve('ok'))),
    );
    expect(result).toBe('ok');
    // Back-offs of half of 100 ms and of 200 ms (random 0.5), each followed by the wait for the next slot.
    expect(timer.sleeps.slice(0, 2)).toEqual([50, 125 - 50]);
    expect(limiter.stats()).toMatchObject({ calls: 3, throttled: 2, gaveUp: 0 });
    // Halved twice (8 → 2), then one success: 3 calls per second.
    expect(limiter.stats().ratePerSecond).toBe(3);
  });

  it('halves the rate once for the calls that were throttled together', async () => {
    const timer = new FakeTimer();
    const limiter = createRateLimiter(timer, { ratePerSecond: 40, burst: 8 });
    let failures = 8;
    await timer.drive(
      mapLimit([...Array(8).keys()], 8, () =>
        limiter.run(() => (failures-- > 0 ? Promise.reject(throttled()) : Promise.resolve(0))),
      ),
    );
    // Eight calls of one burst throttled: one halving (40 → 20), then eight successful retries (+1 each).
    expect(limiter.stats()).toEqual({ calls: 16, throttled: 8, gaveUp: 0, ratePerSecond: 28 });
  });

  it('waits what the error asks for (Retry-After) instead of its own back-off', async () => {
    const timer = new FakeTimer();
    timer.draw = 0.99;
    const limiter = createRateLimiter(timer, { ratePerSecond: 100 });
    const starts: number[] = [];
    let failures = 1;
    await timer.drive(
      limiter.run(() => {
        starts.push(timer.now);
        return failures-- > 0 ? Promise.reject(throttled({ retryAfterMs: 1500 })) : Promise.resolve(1);
      }),
    );
    expect(starts).toEqual([0, 1500]);
  });

  it('gives up after maxRetries with the throttling error; other errors are not retried', async () => {
    const timer = new FakeTimer();
    const limiter = createRateLimiter(timer, { ratePerSecond: 50, maxRetries: 3, maxDelayMs: 400 });
    const error = await timer.drive(limiter.run(() => Promise.reject(throttled()))).catch((e: unknown) => e);
    expect(isSmeError(error) && error.code).toBe('SME-E-AWS-THROTTLED');
    expect(limiter.stats()).toMatchObject({ calls: 4, throttled: 4, gaveUp: 1 });
    // Back-offs stay under maxDelayMs.
    expect(Math.max(...timer.sleeps)).toBeLessThanOrEqual(400);

    const other = new SmeError('SME-E-AWS-NOT-FOUND', 'NotFound', 'no such job');
    let tries = 0;
    const notFound = await timer
      .drive(
        limiter.run(() => {
          tries++;
          return Promise.reject(other);
        }),
      )
      .catch((e: unknown) => e);
    expect([notFound, tries]).toEqual([other, 1]);
  });

  it('never slows below minRatePerSecond and recovers to the configured rate', async () => {
    const timer = new FakeTimer();
    const limiter = createRateLimiter(timer, { ratePerSecond: 4, minRatePerSecond: 2, maxRetries: 10 });
    let failures = 5;
    await timer.drive(limiter.run(() => (failures-- > 0 ? Promise.reject(throttled()) : Promise.resolve(0))));
    expect(limiter.stats().ratePerSecond).toBe(3);
    await timer.drive(limiter.run(() => Promise.resolve(0)));
    await timer.drive(limiter.run(() => Promise.resolve(0)));
    expect(limiter.stats().ratePerSecond).toBe(4);
  });

  it('rejects options it cannot use with SME-E-ARGUMENT', () => {
    const timer = new FakeTimer();
    for (const options of [{ ratePerSecond: 0 }, { ratePerSecond: Number.NaN }, { ratePerSecond: 5, burst: 0 }]) {
      expect(() => createRateLimiter(timer, options)).toThrow(expect.objectContaining({ code: 'SME-E-ARGUMENT' }));
    }
  });
});
