import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itTier } from '@sme/test-tiers';
import { formatDouble, formatFixed, formatSignificant, formatSignificantExact } from './number-format.js';

const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => x !== 0);
const everyday = fc
  .oneof(
    finite,
    fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 1000),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.constantFrom(
      0.1,
      0.2 + 0.1,
      1 / 3,
      2 ** -1074,
      2 ** 1023 * 1.5,
      26215 / 2 ** 18,
      5e-324,
      1.7976931348623157e308,
    ),
  )
  .filter((x) => x !== 0); // String(-0) is '0': zeros are checked separately

/** C's printf through real Lua 5.4 (`string.format('%.<p>g')`), one process for the whole batch. */
function luaPrintf(values: readonly number[], precision: number): string[] {
  const input = values.map((x) => String(x)).join('\n');
  const script = `for line in io.lines() do io.write(string.format('%.${String(precision)}g', tonumber(line)), '\\n') end`;
  const run = spawnSync('lua5.4', ['-e', script], { input, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.split('\n').slice(0, values.length);
}

describe('formatSignificant', () => {
  itTier('native-lua', 'equals C printf %.15g, %.16g and %.17g (lua5.4 string.format) on 3,000 doubles', () => {
    const values = fc.sample(everyday, { numRuns: 1000, seed: 7 });
    for (const p of [15, 16, 17]) {
      const expected = luaPrintf(values, p);
      const actual = values.map((x) => formatSignificant(x, p));
      const firstDiff = actual.findIndex((a, i) => a !== expected[i]);
      expect(firstDiff === -1 ? 'same' : { x: values[firstDiff], p, actual: actual[firstDiff] }).toBe('same');
    }
  });

  it('answers what the exact expansion answers, also next to exact ties (odd / 2^k) and powers of ten', () => {
    const nearTies = fc
      .tuple(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 1, max: 70 }), fc.boolean())
      .map(([m, k, neg]) => ((2 * m + 1) / 2 ** k) * (neg ? -1 : 1));
    const powers = fc
      .tuple(fc.integer({ min: -90, max: 20 }), fc.constantFrom(-1, 0, 1))
      .map(([e, step]) => (step === 0 ? 10 ** e : step < 0 ? 10 ** e * (1 - 2 ** -52) : 10 ** e * (1 + 2 ** -52)));
    fc.assert(
      fc.property(fc.oneof(everyday, nearTies, powers), fc.integer({ min: 1, max: 17 }), (x, p) => {
        expect(formatSignificant(x, p)).toBe(formatSignificantExact(x, p));
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('rounds an exact tie half to even, as printf does', () => {
    // 26215 / 2^18 = 0.100002288818359375 exactly (18 digits): the 17-digit form is a tie.
    expect(formatSignificant(26215 / 2 ** 18, 17)).toBe('0.10000228881835938');
    expect(formatSignificant(0.125, 2)).toBe('0.12');
    expect(formatSignificant(0.375, 2)).toBe('0.38');
    expect(formatSignificant(9.5, 1)).toBe('1e+01');
    expect(formatSignificant(-0, 17)).toBe('-0');
    expect(formatSignificant(0, 17)).toBe('0');
  });
});

describe('formatDouble', () => {
  it('reads back as the same double, for every finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Number(formatDouble(x))).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 2000 },
    );
  });

  it('prefers the short form and prints integers as digits', () => {
    expect(formatDouble(0.1)).toBe('0.1');
    expect(formatDouble(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatDouble(-2.5)).toBe('-2.5');
    expect(formatDouble(4)).toBe('4');
    expect(formatDouble(1e21)).toBe('1e+21');
    expect(formatDouble(1.5e-7)).toBe('1.5e-07');
    expect(formatDouble(Number.NaN)).toBe('');
    expect(formatDouble(Number.POSITIVE_INFINITY)).toBe('');
  });
});

describe('formatFixed', () => {
  it('writes DECIMAL(p,s) values with exactly s decimals', () => {
    expect(formatFixed(12.3, 2)).toBe('12.30');
    expect(formatFixed(-0.05, 2)).toBe('-0.05');
    expect(formatFixed(0.1 + 0.2, 1)).toBe('0.3');
    expect(formatFixed(7, 0)).toBe('7');
  });

  it('round-trips every decimal of up to 15 digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -999999999999, max: 999999999999 }), fc.integer({ min: 1, max: 3 }), (n, s) => {
        const x = n / 10 ** s;
        const text = formatFixed(x, s);
        expect(text.split('.')[1]?.length).toBe(s);
        expect(Math.round(Number(text) * 10 ** s)).toBe(n);
      }),
    );
  });
});
