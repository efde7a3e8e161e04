/** The request-rate fault (`maxPerSecond`) and what the injector observes of request rates. */
import { describe, expect, it } from 'vitest';
import { FaultInjector, seededRandom } from './faults.js';

describe('FaultInjector request rates', () => {
  it('throttles what is over maxPerSecond in the last second and counts the peak of arrivals', () => {
    let now = 0;
    const faults = new FaultInjector({ Describe: { maxPerSecond: 3 } }, seededRandom(1), () => now);
    const kinds: string[] = [];
    for (const t of [0, 100, 200, 300, 400, 999, 1000, 1100, 1250]) {
      now = t;
      kinds.push(faults.decide('Describe').kind);
    }
    // 0, 100 and 200 pass; 300, 400 and 999 are over; at 1000 the one from 0 has left the window, and so on.
    expect(kinds).toEqual(['none', 'none', 'none', 'throttle', 'throttle', 'throttle', 'none', 'none', 'none']);
    expect(faults.injected()).toEqual({ Describe: 3 });
    expect(faults.observed()).toEqual({ Describe: { requests: 9, peakPerSecond: 6 } });
    faults.resetObserved();
    expect([faults.observed(), faults.injected()]).toEqual([{}, { Describe: 0 }]);
  });

  it('observes operations without rules too, and rejects a bad maxPerSecond', () => {
    let now = 0;
    const faults = new FaultInjector({}, seededRandom(1), () => now);
    for (let i = 0; i < 50; i++) {
      now = i * 50;
      expect(faults.decide('List').kind).toBe('none');
    }
    expect(faults.observed().List).toEqual({ requests: 50, peakPerSecond: 20 });
    expect(() => {
      faults.set({ List: { maxPerSecond: 0 } });
    }).toThrow(/maxPerSecond must be a number in \[1, 1000000\]/);
  });

  it('times requests in flight: the most at once and the summed time of the answered ones', () => {
    let now = 0;
    const faults = new FaultInjector({}, seededRandom(1), () => now);
    faults.decide('Invoke');
    const first = faults.inFlight('Invoke');
    now = 5;
    faults.decide('Invoke');
    const second = faults.inFlight('Invoke');
    now = 20;
    first();
    first(); // a second call does not count twice
    faults.decide('Invoke');
    const third = faults.inFlight('Invoke');
    now = 30;
    second();
    third();
    // 0..20, 5..30 and 20..30: at most two at once, 20 + 25 + 10 ms in flight.
    expect(faults.observed().Invoke).toEqual({ requests: 3, peakPerSecond: 3, peakInFlight: 2, inFlightMs: 55 });
    const open = faults.inFlight('Invoke');
    faults.resetObserved();
    now = 40;
    faults.decide('Invoke');
    open();
    // After the reset the peak starts from the one still in flight, and only its time counts.
    expect(faults.observed().Invoke).toEqual({ requests: 1, peakPerSecond: 1, peakInFlight: 1, inFlightMs: 10 });
  });
});
