/**
 * The demo's data set: customers of a telecom with a churn flag. Generated (no download), deterministic for a
 * seed, with a signal a model can learn (churn rises with monthly charges and support calls, falls with tenure
 * and long contracts) plus noise, so a trained model beats the majority-class baseline without being perfect.
 */
import { seededRandom } from '@sme/sandbox';

export interface SampleColumn {
  readonly name: string;
  readonly type: string;
}

export const SAMPLE_COLUMNS: readonly SampleColumn[] = [
  { name: 'TENURE_MONTHS', type: 'DECIMAL(4,0)' },
  { name: 'MONTHLY_CHARGES', type: 'DECIMAL(8,2)' },
  { name: 'CONTRACT', type: 'VARCHAR(20)' },
  { name: 'SUPPORT_CALLS', type: 'DECIMAL(3,0)' },
  { name: 'HAS_FIBER', type: 'BOOLEAN' },
  { name: 'REGION', type: 'VARCHAR(10)' },
  { name: 'CHURNED', type: 'VARCHAR(3)' },
];

export type SampleRow = readonly [number, string, string, number, boolean, string, string];

const CONTRACTS = ['month-to-month', 'one-year', 'two-year'] as const;
const REGIONS = ['north', 'south', 'east', 'west'] as const;

/** Generates `count` customer rows (the columns of `SAMPLE_COLUMNS`, target last). */
export function generateCustomers(count: number, seed = 42): SampleRow[] {
  // mulberry32, the sandbox's seeded PRNG: the same demo data across runs and machines.
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const rows: SampleRow[] = [];
  for (let i = 0; i < count; i++) {
    const contract = pick(CONTRACTS);
    const tenure = Math.floor(random() * (contract === 'two-year' ? 72 : contract === 'one-year' ? 48 : 24)) + 1;
    const fiber = random() < 0.45;
    const charges = Math.round((20 + random() * 60 + (fiber ? 25 : 0)) * 100) / 100;
    const calls = Math.floor(random() * random() * 10);
    const region = pick(REGIONS);
    const score =
      -1.2 +
      0.035 * (charges - 60) -
      0.045 * tenure +
      0.45 * calls +
      (contract === 'month-to-month' ? 1.1 : contract === 'one-year' ? -0.2 : -1.3) +
      (random() - 0.5) * 1.6;
    const churned = 1 / (1 + Math.exp(-score)) > 0.5 ? 'yes' : 'no';
    rows.push([tenure, charges.toFixed(2), contract, calls, fiber, region, churned]);
  }
  return rows;
}
