import { seededRandom } from '../faults.js';
import { auc } from './metrics.js';
import type { ProblemType } from './metrics.js';

/** A metric as SageMaker Model Monitor writes it: the value and its spread over 80 % subsamples. */
export interface MetricValue {
  readonly value: number;
  /** A number, or the string "NaN" below 200 samples (as Model Monitor writes it). */
  readonly standard_deviation: number | 'NaN';
}

/** What the model-quality report is computed from: the validation split and the candidate's predictions. */
export interface QualityInput {
  readonly problemType: ProblemType;
  readonly labels: readonly string[];
  readonly positive: number;
  /** Actual class ids, or values (regression). */
  readonly actual: readonly number[];
  /** Class probabilities per row (classification). */
  readonly proba?: readonly (readonly number[])[];
  /** Predicted values (regression). */
  readonly predicted?: readonly number[];
}

/** Model Monitor gives a standard deviation only from this many samples on (its docs). */
const MIN_SAMPLES_FOR_STD = 200;
/** Points kept of the ROC and precision-recall curves. */
const CURVE_POINTS = 101;

/** Five seeded 80 % subsamples, the way Model Monitor describes its standard deviation. */
function spread(n: number, metric: (idx: readonly number[]) => number, seed: number): MetricValue {
  const all = Array.from({ length: n }, (_v, i) => i);
  const value = metric(all);
  if (n < MIN_SAMPLES_FOR_STD) return { value, standard_deviation: 'NaN' };
  const random = seededRandom(seed);
  const samples: number[] = [];
  for (let s = 0; s < 5; s++) {
    const idx = all.filter(() => random() < 0.8);
    samples.push(metric(idx));
  }
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (samples.length - 1));
  return { value, standard_deviation: sd };
}

const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const fBeta = (beta: number, p: number, r: number): number => div((1 + beta * beta) * p * r, beta * beta * p + r);

/** Confusion matrix keyed actual label → predicted label → count (Model Monitor's nesting). */
function confusion(labels: readonly string[], actual: readonly number[], predicted: readonly number[]) {
  const m: Record<string, Record<string, number>> = {};
  for (const a of labels) m[a] = Object.fromEntries(labels.map((p) => [p, 0]));
  actual.forEach((a, i) => {
    const row = m[labels[a] ?? ''];
    const p = labels[predicted[i] ?? -1];
    if (row !== undefined && p !== undefined) row[p] = (row[p] ?? 0) + 1;
  });
  return m;
}

/** Evenly thinned curve points (the first and last kept). */
function thin<T>(points: readonly T[]): T[] {
  if (points.length <= CURVE_POINTS) return [...points];
  return Array.from(
    { length: CURVE_POINTS },
    (_v, i) => points[Math.round((i * (points.length - 1)) / (CURVE_POINTS - 1))] as T,
  );
}

/** ROC and precision-recall points over every distinct score threshold, highest threshold first. */
function curves(isPositive: readonly boolean[], scores: readonly number[]) {
  const order = scores.map((s, i) => ({ s, pos: isPositive[i] === true })).sort((a, b) => b.s - a.s);
  const nPos = order.filter((o) => o.pos).length;
  const nNeg = order.length - nPos;
  const roc: [number, number][] = [[0, 0]];
  const pr: [number, number][] = [];
  let tp = 0;
  let fp = 0;
  order.forEach((o, i) => {
    if (o.pos) tp++;
    else fp++;
    if (i + 1 < order.length && order[i + 1]?.s === o.s) return;
    roc.push([div(fp, nNeg), div(tp, nPos)]);
    pr.push([div(tp, tp + fp), div(tp, nPos)]);
  });
  const r = thin(roc);
  const p = thin(pr);
  return {
    receiver_operating_characteristic_curve: {
      false_positive_rates: r.map((x) => x[0]),
      true_positive_rates: r.map((x) => x[1]),
    },
    precision_recall_curve: { precisions: p.map((x) => x[0]), recalls: p.map((x) => x[1]) },
  };
}

function argmax(p: readonly number[]): number {
  let best = 0;
  p.forEach((v, i) => {
    if (v > (p[best] ?? -Infinity)) best = i;
  });
  return best;
}

function binaryMetrics(q: QualityInput, predicted: number[], scores: number[]) {
  const pos = q.positive;
  const counts = (idx: readonly number[]) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    for (const i of idx) {
      const a = q.actual[i] === pos;
      const p = predicted[i] === pos;
      if (a && p) tp++;
      else if (p) fp++;
      else if (a) fn++;
      else tn++;
    }
    return { tp, fp, fn, tn };
  };
  const at = (f: (c: ReturnType<typeof counts>) => number, seed: number) =>
    spread(q.actual.length, (idx) => f(counts(idx)), seed);
  const precision = (c: ReturnType<typeof counts>) => div(c.tp, c.tp + c.fp);
  const recall = (c: ReturnType<typeof counts>) => div(c.tp, c.tp + c.fn);
  // The best constant classifier always answers the positive class (Model Monitor's example shows recall 1).
  const constant = (idx: readonly number[]) => idx.filter((i) => q.actual[i] === pos).length / Math.max(1, idx.length);
  return {
    confusion_matrix: confusion(q.labels, q.actual, predicted),
    recall: at(recall, 1),
    precision: at(precision, 2),
    accuracy: at((c) => div(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn), 3),
    recall_best_constant_classifier: spread(q.actual.length, () => 1, 4),
    precision_best_constant_classifier: spread(q.actual.length, constant, 5),
    accuracy_best_constant_classifier: spread(q.actual.length, constant, 6),
    true_positive_rate: at(recall, 7),
    true_negative_rate: at((c) => div(c.tn, c.tn + c.fp), 8),
    false_positive_rate: at((c) => div(c.fp, c.fp + c.tn), 9),
    false_negative_rate: at((c) => div(c.fn, c.fn + c.tp), 10),
    ...curves(
      q.actual.map((a) => a === pos),
      scores,
    ),
    auc: spread(
      q.actual.length,
      (idx) =>
        auc(
          idx.map((i) => q.actual[i] === pos),
          idx.map((i) => scores[i] ?? 0),
        ),
      11,
    ),
    f0_5: at((c) => fBeta(0.5, precision(c), recall(c)), 12),
    f1: at((c) => fBeta(1, precision(c), recall(c)), 13),
    f2: at((c) => fBeta(2, precision(c), recall(c)), 14),
  };
}

function multiclassMetrics(q: QualityInput, predicted: number[]) {
  const k = q.labels.length;
  const weighted = (idx: readonly number[], score: (p: number, r: number) => number): number => {
    let total = 0;
    for (let c = 0; c < k; c++) {
      let tp = 0;
      let fp = 0;
      let support = 0;
      for (const i of idx) {
        if (q.actual[i] === c) support++;
        if (predicted[i] === c) {
          if (q.actual[i] === c) tp++;
          else fp++;
        }
      }
      total += support * score(div(tp, tp + fp), div(tp, support));
    }
    return div(total, idx.length);
  };
  const n = q.actual.length;
  return {
    confusion_matrix: confusion(q.labels, q.actual, predicted),
    accuracy: spread(n, (idx) => div(idx.filter((i) => q.actual[i] === predicted[i]).length, idx.length), 1),
    weighted_recall: spread(n, (idx) => weighted(idx, (_p, r) => r), 2),
    weighted_precision: spread(n, (idx) => weighted(idx, (p) => p), 3),
    weighted_f0_5: spread(n, (idx) => weighted(idx, (p, r) => fBeta(0.5, p, r)), 4),
    weighted_f1: spread(n, (idx) => weighted(idx, (p, r) => fBeta(1, p, r)), 5),
    weighted_f2: spread(n, (idx) => weighted(idx, (p, r) => fBeta(2, p, r)), 6),
  };
}

function regressionMetrics(q: QualityInput, predicted: readonly number[]) {
  const n = q.actual.length;
  const res = q.actual.map((a, i) => a - (predicted[i] ?? 0));
  const mse = (idx: readonly number[]) =>
    div(
      idx.reduce((s, i) => s + (res[i] ?? 0) ** 2, 0),
      idx.length,
    );
  const r2 = (idx: readonly number[]) => {
    const mean = div(
      idx.reduce((s, i) => s + (q.actual[i] ?? 0), 0),
      idx.length,
    );
    const ss = idx.reduce((s, i) => s + ((q.actual[i] ?? 0) - mean) ** 2, 0);
    return ss === 0 ? 0 : 1 - (mse(idx) * idx.length) / ss;
  };
  return {
    mae: spread(
      n,
      (idx) =>
        div(
          idx.reduce((s, i) => s + Math.abs(res[i] ?? 0), 0),
          idx.length,
        ),
      1,
    ),
    mse: spread(n, mse, 2),
    rmse: spread(n, (idx) => Math.sqrt(mse(idx)), 3),
    r2: spread(n, r2, 4),
  };
}

/** Residuals (actual − predicted) as a 20-bin histogram plus summary: a sandbox addition for regression. */
function residuals(actual: readonly number[], predicted: readonly number[]) {
  const res = actual.map((a, i) => a - (predicted[i] ?? 0));
  const lo = Math.min(...res);
  const hi = Math.max(...res);
  const bins = 20;
  const width = (hi - lo) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (const r of res) {
    const b = Math.min(bins - 1, Math.floor((r - lo) / width));
    counts[b] = (counts[b] ?? 0) + 1;
  }
  const mean = div(
    res.reduce((a, b) => a + b, 0),
    res.length,
  );
  return {
    mean,
    standard_deviation: Math.sqrt(
      div(
        res.reduce((a, r) => a + (r - mean) ** 2, 0),
        res.length,
      ),
    ),
    bin_edges: Array.from({ length: bins + 1 }, (_v, i) => lo + i * width),
    counts,
  };
}

/**
 * The model-quality statistics of a candidate on the validation split, in the JSON of SageMaker Model
 * Monitor's model-quality jobs (`regression_metrics` | `binary_classification_metrics` |
 * `multiclass_classification_metrics`, each metric `{value, standard_deviation}`), which Autopilot's model
 * insights are generated with.
 */
export function modelQualityStatistics(q: QualityInput, evaluationTime: Date): Record<string, unknown> {
  const head = {
    version: 0.0,
    dataset: { item_count: q.actual.length, evaluation_time: evaluationTime.toISOString() },
  };
  if (q.problemType === 'Regression') {
    const predicted = q.predicted ?? [];
    return {
      ...head,
      regression_metrics: regressionMetrics(q, predicted),
      residuals: residuals(q.actual, predicted),
    };
  }
  const proba = q.proba ?? [];
  const predicted = proba.map(argmax);
  if (q.problemType === 'BinaryClassification') {
    return {
      ...head,
      binary_classification_metrics: binaryMetrics(
        q,
        predicted,
        proba.map((p) => p[q.positive] ?? 0),
      ),
    };
  }
  return { ...head, multiclass_classification_metrics: multiclassMetrics(q, predicted) };
}
