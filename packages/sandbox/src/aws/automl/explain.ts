import { seededRandom } from '../faults.js';
import type { FeatureSpec, TrainedModel } from './model.js';
import type { ProblemType } from './metrics.js';

/** What the explainer needs of a prepared data set (a subset of `PreparedData`). */
export interface ExplainInput {
  readonly problemType: ProblemType;
  readonly columns: readonly string[];
  readonly features: readonly FeatureSpec[];
  readonly labels: readonly string[];
  readonly positive: number;
  /** Encoded rows to explain (the validation split). */
  readonly xVal: readonly (readonly number[])[];
}

/** Shapley values of one model output. */
export interface ExplainedOutput {
  /** Clarify's key: `label0` for the single output of regression and binary problems, else the class label. */
  readonly name: string;
  /** Mean absolute SHAP value per input column (Clarify's default aggregation `mean_abs`). */
  readonly global: Readonly<Record<string, number>>;
  /** The model output on the baseline row (SHAP values of a row sum to its output minus this). */
  readonly expected: number;
  /** SHAP values per explained row, in column order. */
  readonly local: readonly (readonly number[])[];
}

export interface ShapResult {
  readonly outputs: readonly ExplainedOutput[];
  /** Rows explained (a deterministic sample of the validation split). */
  readonly rows: number;
  /** Coalition orderings averaged per row; `exact` when that was every ordering. */
  readonly permutations: number;
  readonly exact: boolean;
}

export interface ExplainOptions {
  /** Upper bound on model predictions spent (keeps a job's report phase in the tens of milliseconds). */
  readonly budget?: number;
  readonly seed?: number;
}

/** Up to this many columns every ordering is enumerated (5! = 120), so the values are exact. */
const EXACT_COLUMNS = 5;
/** Orderings sampled per row above that (antithetic pairs: each ordering and its reverse). */
const SAMPLED_PERMUTATIONS = 16;
const DEFAULT_BUDGET = 12_000;

function permutationsOf(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutationsOf(n - 1)) {
    for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  }
  return out;
}

function sampledPermutations(n: number, count: number, seed: number): number[][] {
  const random = seededRandom(seed);
  const out: number[][] = [];
  while (out.length < count) {
    const p = Array.from({ length: n }, (_v, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [p[i], p[j]] = [p[j] ?? 0, p[i] ?? 0];
    }
    out.push(p, [...p].reverse());
  }
  return out.slice(0, count);
}

/** Encoded-feature ranges of each input column (a categorical column spans its one-hot block). */
function columnSlices(features: readonly FeatureSpec[]): [number, number][] {
  let at = 0;
  return features.map((f) => {
    const width = f.kind === 'numeric' ? 1 : f.categories.length;
    const slice: [number, number] = [at, at + width];
    at += width;
    return slice;
  });
}

/** The baseline row: the training mean of numeric columns (0 once standardised), the most frequent category. */
export function baselineRow(features: readonly FeatureSpec[]): number[] {
  const row: number[] = [];
  for (const f of features) {
    if (f.kind === 'numeric') row.push(0);
    else f.categories.forEach((_c, i) => row.push(i === 0 ? 1 : 0));
  }
  return row;
}

/** The model outputs explained: the value (regression), P(positive) (binary), every class probability. */
function outputFunction(input: ExplainInput, model: TrainedModel): (x: number[][]) => number[][] {
  if (input.problemType === 'Regression') return (x) => model.predictValue(x).map((v) => [v]);
  if (input.problemType === 'BinaryClassification') {
    return (x) => model.predictProba(x).map((p) => [p[input.positive] ?? 0]);
  }
  return (x) => model.predictProba(x);
}

/**
 * Shapley values of every input column for rows of the validation split, against one baseline row
 * (interventional SHAP, as Clarify's Kernel SHAP computes with a single baseline). With at most five columns
 * every ordering of the columns is averaged, which gives the exact Shapley values of that game; with more,
 * 16 seeded orderings (antithetic pairs) estimate them. Either way the values of a row add up to its output
 * minus the baseline output (each ordering telescopes). Columns, not one-hot features, are the players.
 */
export function shapleyValues(input: ExplainInput, model: TrainedModel, options: ExplainOptions = {}): ShapResult {
  const m = input.columns.length;
  const slices = columnSlices(input.features);
  const exact = m <= EXACT_COLUMNS;
  const orders = exact ? permutationsOf(m) : sampledPermutations(m, SAMPLED_PERMUTATIONS, options.seed ?? 7);
  const perRow = Math.max(1, orders.length * m);
  const budget = options.budget ?? DEFAULT_BUDGET;
  const nRows = Math.min(input.xVal.length, Math.max(1, Math.floor(budget / perRow)));
  // A deterministic spread over the split (the split itself is a seeded shuffle).
  const step = input.xVal.length / Math.max(1, nRows);
  const rows = Array.from({ length: nRows }, (_v, i) => [...(input.xVal[Math.floor(i * step)] ?? [])]);
  const f = outputFunction(input, model);
  const baseline = baselineRow(input.features);
  const expected = f([baseline])[0] ?? [];
  const k = expected.length;

  // Every hybrid row of every ordering of every explained row, predicted in one batch.
  const batch: number[][] = [];
  for (const x of rows) {
    for (const order of orders) {
      const z = [...baseline];
      for (const col of order) {
        const [from, to] = slices[col] ?? [0, 0];
        for (let j = from; j < to; j++) z[j] = x[j] ?? 0;
        batch.push([...z]);
      }
    }
  }
  const predicted = batch.length > 0 ? f(batch) : [];
  const local: number[][][] = Array.from({ length: k }, () => rows.map(() => new Array<number>(m).fill(0)));
  let at = 0;
  rows.forEach((_x, r) => {
    for (const order of orders) {
      let before = expected;
      for (const col of order) {
        const after = predicted[at++] ?? before;
        for (let o = 0; o < k; o++) {
          const row = local[o]?.[r];
          if (row) row[col] = (row[col] ?? 0) + ((after[o] ?? 0) - (before[o] ?? 0)) / orders.length;
        }
        before = after;
      }
    }
  });
  const outputs = local.map((values, o): ExplainedOutput => {
    const global: Record<string, number> = {};
    input.columns.forEach((c, j) => {
      global[c] = values.reduce((acc, row) => acc + Math.abs(row[j] ?? 0), 0) / Math.max(1, values.length);
    });
    const name = input.problemType === 'MulticlassClassification' ? (input.labels[o] ?? `label${o}`) : `label${o}`;
    return { name, global, expected: expected[o] ?? 0, local: values };
  });
  return { outputs, rows: rows.length, permutations: orders.length, exact };
}
