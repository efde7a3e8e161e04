import { createRequire } from 'node:module';
import { Matrix, solve } from 'ml-matrix';
import { parse } from 'csv-parse/sync';
import type { ProblemType } from './metrics.js';

const require = createRequire(import.meta.url);

/** The slices of the mljs estimators (CommonJS, partly untyped) that the sandbox uses. */
interface Estimator {
  train(x: Matrix | number[][], y: number[] | Matrix): void;
  predict(x: Matrix | number[][]): number[];
  toJSON(): unknown;
}
interface TreeClassifier extends Estimator {
  root: { classify(row: number[]): Matrix };
}
interface Forest extends Estimator {
  predictionValues(x: Matrix | number[][]): Matrix;
}
interface EstimatorClass<T> {
  new (options: Record<string, unknown>): T;
  load(model: unknown): T;
}
interface LogisticModel extends Estimator {
  classifiers: { testScores(x: Matrix): number[] }[];
}
const cart = require('ml-cart') as {
  DecisionTreeClassifier: EstimatorClass<TreeClassifier>;
  DecisionTreeRegression: EstimatorClass<Estimator>;
};
const forest = require('ml-random-forest') as {
  RandomForestClassifier: EstimatorClass<Forest>;
  RandomForestRegression: EstimatorClass<Forest>;
};
const LogisticRegression = require('ml-logistic-regression') as EstimatorClass<LogisticModel>;

/** How one input column becomes model features. */
export type FeatureSpec =
  | { readonly kind: 'numeric'; readonly column: string; readonly mean: number; readonly std: number }
  | { readonly kind: 'categorical'; readonly column: string; readonly categories: readonly string[] };

export type Family = 'logistic' | 'cart' | 'forest' | 'ridge';

/**
 * The file a sandbox candidate writes as its model artifact (`model.json` under the job's output path):
 * everything needed to predict from raw CSV rows.
 */
export interface SandboxModelFile {
  readonly format: 'sme-sandbox-model/1';
  readonly problemType: ProblemType;
  readonly target: string;
  /** Input columns in the order InvokeEndpoint rows carry them (the training header without the target). */
  readonly columns: readonly string[];
  readonly features: readonly FeatureSpec[];
  /** Class labels (classification), index = class id. */
  readonly labels: readonly string[];
  /** Index of the positive class (binary). */
  readonly positive: number;
  readonly family: Family;
  readonly params: Readonly<Record<string, number>>;
  readonly state: unknown;
}

/** Autopilot-like cap on one-hot categories per column; rarer values share the all-zero encoding. */
export const CATEGORY_CAP = 20;

/** Parses a cell the way the sandbox reads numbers: empty → missing, else a finite number or NaN. */
export function parseNumber(cell: string | undefined): number | undefined {
  if (cell === undefined) return undefined;
  const t = cell.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : Number.NaN;
}

/** Builds feature specs from training rows: numeric columns impute with the mean and standardise. */
export function fitFeatures(columns: readonly string[], rows: readonly (readonly string[])[]): FeatureSpec[] {
  return columns.map((column, c) => {
    let numeric = true;
    let sum = 0;
    let count = 0;
    const freq = new Map<string, number>();
    for (const row of rows) {
      const cell = row[c] ?? '';
      const v = parseNumber(cell);
      if (v === undefined) continue;
      if (Number.isNaN(v)) numeric = false;
      else {
        sum += v;
        count++;
      }
      freq.set(cell, (freq.get(cell) ?? 0) + 1);
    }
    if (numeric && count > 0) {
      const mean = sum / count;
      let ss = 0;
      for (const row of rows) {
        const v = parseNumber(row[c]);
        if (v !== undefined) ss += (v - mean) * (v - mean);
      }
      const std = Math.sqrt(ss / count) || 1;
      return { kind: 'numeric', column, mean, std };
    }
    const categories = [...freq.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, CATEGORY_CAP)
      .map(([k]) => k);
    return { kind: 'categorical', column, categories };
  });
}

/** Encodes raw rows into a numeric design matrix (missing → mean, i.e. 0 after standardising). */
export function encodeRows(features: readonly FeatureSpec[], rows: readonly (readonly string[])[]): number[][] {
  return rows.map((row) => {
    const out: number[] = [];
    features.forEach((f, c) => {
      const cell = row[c];
      if (f.kind === 'numeric') {
        const v = parseNumber(cell);
        out.push(v === undefined || Number.isNaN(v) ? 0 : (v - f.mean) / f.std);
      } else {
        for (const cat of f.categories) out.push(cell === cat ? 1 : 0);
      }
    });
    return out;
  });
}

/** A trained estimator behind one interface: class ids + per-class probabilities, or values. */
export interface TrainedModel {
  readonly family: Family;
  readonly params: Readonly<Record<string, number>>;
  state(): unknown;
  /** Classification: probability per class per row. Regression: one value per row. */
  predictProba(x: number[][]): number[][];
  predictValue(x: number[][]): number[];
}

function withBias(x: number[][]): Matrix {
  return new Matrix(x.map((r) => [1, ...r]));
}

function argmax(xs: readonly number[]): number {
  let best = 0;
  xs.forEach((v, i) => {
    if (v > (xs[best] ?? -Infinity)) best = i;
  });
  return best;
}

function wrap(
  family: Family,
  params: Record<string, number>,
  est: Estimator | undefined,
  classCount: number,
  ridgeWeights?: number[],
): TrainedModel {
  const proba = (x: number[][]): number[][] => {
    if (x.length === 0) return [];
    if (family === 'logistic') {
      const m = est as LogisticModel;
      const xb = withBias(x);
      // ml-logistic-regression trains one-vs-all with the class labelled 0, so a score is P(not class).
      const scores = m.classifiers.map((c) => c.testScores(xb).map((s) => 1 - s));
      return x.map((_r, i) => {
        const raw = scores.map((s) => s[i] ?? 0);
        if (classCount === 2 && raw.length === 2) {
          const p1 = (raw[1] ?? 0) / ((raw[0] ?? 0) + (raw[1] ?? 0) || 1);
          return [1 - p1, p1];
        }
        const total = raw.reduce((a, b) => a + b, 0) || 1;
        return raw.map((v) => v / total);
      });
    }
    if (family === 'cart') {
      const tree = est as TreeClassifier;
      return x.map((row) => {
        const dist = tree.root.classify(row).getRow(0);
        const out = new Array<number>(classCount).fill(0);
        const total = dist.reduce((a, b) => a + b, 0) || 1;
        dist.forEach((v, c) => {
          if (c < classCount) out[c] = v / total;
        });
        return out;
      });
    }
    const votes = (est as Forest).predictionValues(x);
    return x.map((_r, i) => {
      const row = votes.getRow(i);
      const out = new Array<number>(classCount).fill(0);
      for (const v of row) out[v] = (out[v] ?? 0) + 1 / row.length;
      return out;
    });
  };
  return {
    family,
    params,
    state: () => (family === 'ridge' ? { weights: ridgeWeights } : est?.toJSON()),
    predictProba: proba,
    predictValue(x) {
      if (family === 'ridge') {
        const w = ridgeWeights ?? [];
        return x.map((r) => r.reduce((acc, v, j) => acc + v * (w[j + 1] ?? 0), w[0] ?? 0));
      }
      return (est as Estimator).predict(x);
    },
  };
}

/** Trains one candidate family on encoded data (`y`: class ids, or values for regression). */
export function trainFamily(
  family: Family,
  params: Record<string, number>,
  classification: boolean,
  classCount: number,
  x: number[][],
  y: number[],
  seed: number,
): TrainedModel {
  switch (family) {
    case 'logistic': {
      const m = new LogisticRegression({
        numSteps: params.steps ?? 100,
        learningRate: (params.rate ?? 1) / Math.max(1, x.length),
      });
      m.train(withBias(x), Matrix.columnVector(y));
      return wrap(family, params, m, classCount);
    }
    case 'cart': {
      const options = { maxDepth: params.maxDepth ?? 6, minNumSamples: params.minNumSamples ?? 5 };
      const m = classification ? new cart.DecisionTreeClassifier(options) : new cart.DecisionTreeRegression(options);
      m.train(x, y);
      return wrap(family, params, m, classCount);
    }
    case 'forest': {
      const options = {
        nEstimators: params.trees ?? 8,
        maxFeatures: params.maxFeatures ?? 0.8,
        seed,
        noOOB: true,
        replacement: true,
        useSampleBagging: true,
        treeOptions: { maxDepth: params.maxDepth ?? 6, minNumSamples: 5 },
      };
      const m = classification
        ? new forest.RandomForestClassifier(options)
        : new forest.RandomForestRegression(options);
      m.train(x, y);
      return wrap(family, params, m, classCount);
    }
    case 'ridge': {
      // Closed-form ridge regression: (XᵀX + λI) w = Xᵀy, bias not penalised.
      const xb = withBias(x);
      const xt = xb.transpose();
      const a = xt.mmul(xb);
      const lambda = params.lambda ?? 1;
      for (let j = 1; j < a.columns; j++) a.set(j, j, a.get(j, j) + lambda);
      const w = solve(a, xt.mmul(Matrix.columnVector(y))).getColumn(0);
      return wrap(family, params, undefined, classCount, w);
    }
  }
}

/** Restores a trained model from a model file. */
export function loadTrainedModel(file: SandboxModelFile): TrainedModel {
  const classification = file.problemType !== 'Regression';
  const k = file.labels.length;
  switch (file.family) {
    case 'logistic':
      return wrap('logistic', file.params, LogisticRegression.load(file.state), k);
    case 'cart':
      return wrap(
        'cart',
        file.params,
        classification ? cart.DecisionTreeClassifier.load(file.state) : cart.DecisionTreeRegression.load(file.state),
        k,
      );
    case 'forest':
      return wrap(
        'forest',
        file.params,
        classification
          ? forest.RandomForestClassifier.load(file.state)
          : forest.RandomForestRegression.load(file.state),
        k,
      );
    case 'ridge':
      return wrap('ridge', file.params, undefined, k, (file.state as { weights: number[] }).weights);
  }
}

/** One prediction: the label (or value) and, for classification, the probability asked for. */
export interface Prediction {
  readonly label: string;
  /** Probability of the predicted label (or of the positive class, see `predictRows`). */
  readonly probability?: number;
}

/**
 * Predicts raw rows (strings as in the CSV, target absent). For classification, `probability` is that of
 * the predicted label (Autopilot's ensembling mode) unless `positiveClassProbability` is set (its HPO mode for
 * binary problems reports the positive class).
 */
export function predictRows(
  file: SandboxModelFile,
  rows: readonly (readonly string[])[],
  positiveClassProbability = false,
): Prediction[] {
  const model = loadTrainedModel(file);
  return predictWith(file, model, rows, positiveClassProbability);
}

/** Same as {@link predictRows} with an already loaded model. */
export function predictWith(
  file: SandboxModelFile,
  model: TrainedModel,
  rows: readonly (readonly string[])[],
  positiveClassProbability = false,
): Prediction[] {
  const x = encodeRows(file.features, rows);
  if (file.problemType === 'Regression') {
    return model.predictValue(x).map((v) => ({ label: formatNumber(v) }));
  }
  return model.predictProba(x).map((p) => {
    const c = argmax(p);
    const probability = positiveClassProbability && file.labels.length === 2 ? (p[file.positive] ?? 0) : (p[c] ?? 0);
    return { label: file.labels[c] ?? '', probability };
  });
}

/** Numbers in responses: plain decimal, no exponent for ordinary magnitudes, no trailing noise. */
export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
}

/** Parses CSV text (RFC 4180: quoted values with commas, quotes and newlines) into rows of strings. */
export function parseCsv(text: string): string[][] {
  // Text without a quote or a CR (what sme sends an endpoint, 20 rows at a time) is split directly, the rows as
  // csv-parse reads them (LF-separated, empty lines skipped, a BOM dropped); csv-parse's set-up per call costs
  // more than parsing such a small body. Anything else goes to csv-parse.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!body.includes('"') && !body.includes('\r')) {
    const plain: string[][] = [];
    for (const line of body.split('\n')) if (line !== '') plain.push(line.split(','));
    return plain;
  }
  const rows: string[][] = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true });
  return rows;
}
