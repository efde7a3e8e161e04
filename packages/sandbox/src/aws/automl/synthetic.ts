import { stringify } from 'csv-stringify/sync';
import { seededRandom } from '../faults.js';

export type SyntheticKind = 'binary' | 'multiclass' | 'regression';

/** A generated table with a known signal: header + rows of strings, target column `label`. */
export interface SyntheticData {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Generates a data set with a learnable signal, a categorical column that matters, an irrelevant numeric
 * column and ~3 % missing values — for tests and the demo.
 *
 * @example
 * const { header, rows } = syntheticData('binary', 1000, 7);
 */
export function syntheticData(kind: SyntheticKind, n: number, seed: number): SyntheticData {
  const random = seededRandom(seed);
  const gauss = (): number => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const colors = ['red', 'green', 'blue', 'grey, dark', 'say "hi"'];
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const x1 = gauss();
    const x2 = gauss();
    const noise = gauss();
    const color = colors[Math.floor(random() * colors.length)] ?? 'red';
    const bump = color === 'red' ? 1.5 : color === 'blue' ? -1 : 0;
    let label: string;
    if (kind === 'binary') {
      label = 2 * x1 - x2 + bump + 0.5 * gauss() > 0 ? 'yes' : 'no';
    } else if (kind === 'multiclass') {
      const s = x1 + 0.5 * bump + 0.3 * gauss();
      label = s < -0.6 ? 'low' : s > 0.6 ? 'high' : 'mid';
    } else {
      label = (3 * x1 - 2 * x2 + 2 * bump + 0.3 * gauss() + 10).toFixed(4);
    }
    const cell = (v: number): string => (random() < 0.03 ? '' : v.toFixed(5));
    rows.push([cell(x1), cell(x2), color, cell(noise), label]);
  }
  return { header: ['x1', 'x2', 'color', 'noise', 'label'], rows };
}

/** CSV text with a header row, as Exasol's EXPORT … WITH COLUMN NAMES writes it. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[], withHeader = true): string {
  return stringify(withHeader ? [[...header], ...rows.map((r) => [...r])] : rows.map((r) => [...r]));
}
