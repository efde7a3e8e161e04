import { describe, expect, it } from 'vitest';
import { generateCustomers, SAMPLE_COLUMNS } from './sample-data.js';

describe('the demo data set', () => {
  it('is the same for the same PRNG seed and differs for another', () => {
    expect(generateCustomers(200)).toEqual(generateCustomers(200, 42));
    expect(generateCustomers(200, 7)).not.toEqual(generateCustomers(200, 42));
  });

  it('has one value per column, target last, in the declared types', () => {
    const rows = generateCustomers(1000);
    expect(SAMPLE_COLUMNS.at(-1)?.name).toBe('CHURNED');
    for (const row of rows) {
      expect(row).toHaveLength(SAMPLE_COLUMNS.length);
      const [tenure, charges, contract, calls, fiber, region, churned] = row;
      expect(Number.isInteger(tenure) && tenure >= 1 && tenure <= 72).toBe(true);
      expect(charges).toMatch(/^\d{2,3}\.\d{2}$/);
      expect(['month-to-month', 'one-year', 'two-year']).toContain(contract);
      expect(Number.isInteger(calls) && calls >= 0 && calls <= 9).toBe(true);
      expect(typeof fiber).toBe('boolean');
      expect(['north', 'south', 'east', 'west']).toContain(region);
      expect(['yes', 'no']).toContain(churned);
    }
  });

  it('has a signal to learn: churn rises with short contracts and support calls, both classes present', () => {
    const rows = generateCustomers(5000);
    const rate = (keep: (r: (typeof rows)[number]) => boolean): number => {
      const subset = rows.filter(keep);
      return subset.filter((r) => r[6] === 'yes').length / subset.length;
    };
    const overall = rate(() => true);
    expect(overall).toBeGreaterThan(0.1);
    expect(overall).toBeLessThan(0.5);
    expect(rate((r) => r[2] === 'month-to-month')).toBeGreaterThan(rate((r) => r[2] === 'two-year') + 0.2);
    expect(rate((r) => r[3] >= 4)).toBeGreaterThan(rate((r) => r[3] === 0) + 0.1);
  });
});
