import { describe, expect, it } from 'vitest';
import { SmeError, isSmeError } from './errors.js';
import { mapLimit } from './map-limit.js';
import { SAGEMAKER_DESCRIBE_RATE } from './aws/request-rates.js';
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
    expect(limiter.stats()).toMatchObject({ calls: 25, throttled: 0, gaveUp: 0, ratePerSecond: 10, answered: 25 });
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

  it('retries a throttled call after a jittered exponential back-off and lowers the rate for every call', async () => {
    const timer = new FakeTimer();
    const limiter = createRateLimiter(timer, { ratePerSecond: 8, baseDelayMs: 100, recoveryPerSecond: 1 });
    let failures = 2;
    const starts: number[] = [];
    const result = await timer.drive(
      limiter.run(() => {
        starts.push(timer.now);
        return failures-- > 0 ? Promise.reject(throttled()) : Promise.resolve('ok');
      }),
    );
    expect(result).toBe('ok');
    // Back-offs of half of 100 ms and of 200 ms (random 0.5), each followed by the wait for the next slot: the first
    // at 8 calls a second (125 ms), the second at the lowered 8 · 0.7 = 5.6.
    expect([timer.sleeps[0], timer.sleeps[2]]).toEqual([50, 100]);
    expect(starts).toEqual([0, 125, 125 + 1000 / 5.6]);
    expect(limiter.stats()).toMatchObject({ calls: 3, throttled: 2, gaveUp: 0, answered: 1 });
    // Nothing answered before: lowered twice by the default 0.7 (8 → 3.92), then one success adds 1/3.92.
    expect(limiter.stats().ratePerSecond).toBeCloseTo(8 * 0.7 * 0.7 + 1 / (8 * 0.7 * 0.7), 10);
  });

  it('drops to what the service let through in the last second, and the waiting calls follow the new rate', async () => {
    const timer = new FakeTimer();
    const limiter = createRateLimiter(timer, { ratePerSecond: 100, recoveryPerSecond: 0.001, maxRetries: 10 });
    const starts: number[] = [];
    let n = 0;
    await timer.drive(
      mapLimit([...Array(40).keys()], 40, () =>
        limiter.run(() => {
          starts.push(timer.now);
          // The service lets the first 20 calls through, throttles the 21st.
          n++;
          return n === 21 ? Promise.reject(throttled()) : Promise.resolve(n);
        }),
      ),
    );
    // 20 answered in the last second: 100 → 20 calls per second (not 70, which the service showed it does not take).
    expect(limiter.stats().ratePerSecond).toBeCloseTo(20, 1);
    const gaps = starts.slice(22).map((t, i) => t - (starts[21 + i] as number));
    expect(starts.slice(0, 21)).toEqual([...Array(21).keys()].map((i) => i * 10));
    // The calls that were waiting for a 10 ms slot now start 50 ms apart.
    for (const gap of gaps) expect(gap).toBeCloseTo(50, 0);
  });

  it('lowers the rate once for the calls that were throttled together', async () => {
    const timer = new FakeTimer();
    const limiter = createRateLimiter(timer, { ratePerSecond: 40, burst: 8, decrease: 0.5, recoveryPerSecond: 0.001 });
    let failures = 8;
    const rates: number[] = [];
    await timer.drive(
      mapLimit([...Array(8).keys()], 8, () =>
        limiter.run(async () => {
          // All eight start at once (the burst) and are answered 100 ms later.
          await timer.sleep(100);
          if (failures-- > 0) {
            return Promise.reject(throttled());
          }
          rates.push(limiter.stats().ratePerSecond);
          return 0;
        }),
      ),
    );
    expect(limiter.stats()).toMatchObject({ calls: 16, throttled: 8, gaveUp: 0, answered: 8 });
    // One cut (40 → 20), not eight (40 → 0.16).
    expect(rates[0]).toBeCloseTo(20, 2);
  });

  it('adapts to a service that takes fewer calls than its ceiling: all answered, few throttled, near its rate', async () => {
    const timer = new FakeTimer();
    let seed = 1;
    timer.random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const limiter = createRateLimiter(timer, SAGEMAKER_DESCRIBE_RATE);
    // A service that answers after 50 ms and throttles a call when it let 50 through in the last second.
    const passed: number[] = [];
    const service = async (): Promise<string> => {
      const arrived = timer.now;
      const busy = passed.filter((t) => t > arrived - 1000).length >= 50;
      if (!busy) passed.push(arrived);
      await timer.sleep(50);
      if (busy) throw throttled();
      return 'answered';
    };
    const out = await timer.drive(mapLimit([...Array(200).keys()], 16, () => limiter.run(service)));
    expect(out.every((answer) => answer === 'answered')).toBe(true);
    const { throttled: throttledCalls, gaveUp, answered, busyMs } = limiter.stats();
    expect([gaveUp, answered]).toEqual([0, 200]);
    // Far fewer throttled calls than answered ones, and the list takes about as long as 200 calls at 50 a second.
    expect(throttledCalls).toBeLessThan(100);
    expect(answered / (busyMs / 1000)).toBeGreaterThan(40);
  });

  it('waits what the error asks for (Retry-After) instead of its own back-off, for every call', async () => {
    const timer = new FakeTimer();
    timer.draw = 0.99;
    const limiter = createRateLimiter(timer, { ratePerSecond: 100, burst: 10 });
    const starts: number[] = [];
    let failures = 1;
    /** Three calls, `concurrency` at a time, answered after 10 ms; the first one asks for 1.5 s. */
    const three = (concurrency: number) =>
      timer.drive(
        mapLimit([...Array(3).keys()], concurrency, () =>
          limiter.run(async () => {
            starts.push(timer.now);
            await timer.sleep(10);
            return failures-- > 0 ? Promise.reject(throttled({ retryAfterMs: 1500 })) : 1;
          }),
        ),
      );
    await three(3);
    // Three at once; the first is throttled at 10 ms and asks for 1.5 s: its retry starts at 1510 ms.
    expect(starts).toEqual([0, 0, 0, 1510]);
    const later = timer.now;
    failures = 1;
    starts.length = 0;
    await three(1);
    // The calls after the throttled one wait for the service's time too.
    expect(starts.slice(1).every((t) => t >= later + 10 + 1500)).toBe(true);
  });

  it('gives up after maxRetries with the throttling error; other errors are not retried', async () => {
    const timer = new FakeTimer();
    const limiter = createRateLimiter(timer, { ratePerSecond: 50, maxRetries: 3, maxDelayMs: 400 });
    const error = await timer.drive(limiter.run(() => Promise.reject(throttled()))).catch((e: unknown) => e);
    expect(isSmeError(error) && error.code).toBe('SME-E-AWS-THROTTLED');
    expect(limiter.stats()).toMatchObject({ calls: 4, throttled: 4, gaveUp: 1, answered: 0 });
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
    // A NotFound is an answer: the service took the call.
    expect(limiter.stats().answered).toBe(1);
  });

  it('never slows below minRatePerSecond and climbs back to the ceiling, never above it', async () => {
    const timer = new FakeTimer();
    const limiter = createRateLimiter(timer, { ratePerSecond: 4, minRatePerSecond: 2, maxRetries: 10 });
    let failures = 5;
    await timer.drive(limiter.run(() => (failures-- > 0 ? Promise.reject(throttled()) : Promise.resolve(0))));
    // 4 → 2.8 → 2 (the floor), then one success: + 1/2 (recovery 1 call per second a second, the default for 4/s).
    expect(limiter.stats().ratePerSecond).toBe(2.5);
    const rates: number[] = [];
    for (let i = 0; i < 10; i++) {
      await timer.drive(limiter.run(() => Promise.resolve(0)));
      rates.push(limiter.stats().ratePerSecond);
    }
    expect(rates.every((rate, i) => rate >= (rates[i - 1] ?? 0) && rate <= 4)).toBe(true);
    expect(rates.at(-1)).toBe(4);
  });

  it('starts a call when the host cannot wait (a sleep that does not move the clock, as in Lua)', async () => {
    const limiter = createRateLimiter(
      { nowMillis: () => 0, sleep: () => Promise.resolve(), random: () => 0.5 },
      { ratePerSecond: 1 },
    );
    const out = await mapLimit([1, 2, 3], 1, (n) => limiter.run(() => Promise.resolve(n)));
    expect(out).toEqual([1, 2, 3]);
  });

  it('rejects options it cannot use with SME-E-ARGUMENT', () => {
    const timer = new FakeTimer();
    for (const options of [
      { ratePerSecond: 0 },
      { ratePerSecond: Number.NaN },
      { ratePerSecond: 5, burst: 0 },
      { ratePerSecond: 5, decrease: 1 },
      { ratePerSecond: 5, recoveryPerSecond: 0 },
    ]) {
      expect(() => createRateLimiter(timer, options)).toThrow(expect.objectContaining({ code: 'SME-E-ARGUMENT' }));
    }
  });
});
