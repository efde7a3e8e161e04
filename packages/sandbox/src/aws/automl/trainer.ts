import { seededRandom } from '../faults.js';
import { classificationMetrics, OBJECTIVES, regressionMetrics } from './metrics.js';
import type { MetricName, ProblemType } from './metrics.js';
import { encodeRows, fitFeatures, parseNumber, trainFamily } from './model.js';
import type { Family, FeatureSpec, SandboxModelFile, TrainedModel } from './model.js';

/** Autopilot refuses smaller training data sets ("A minimum of 500 rows", API reference of CreateAutoMLJob). */
export const MIN_ROWS = 500;

/** Targets with more distinct numeric values than this are treated as regression when no type is given. */
const REGRESSION_DISTINCT = 10;

/** Training data split and encoded, ready for the candidates. */
export interface PreparedData {
  readonly problemType: ProblemType;
  readonly target: string;
  readonly columns: readonly string[];
  readonly features: readonly FeatureSpec[];
  readonly labels: readonly string[];
  readonly positive: number;
  readonly xTrain: number[][];
  readonly yTrain: number[];
  readonly xVal: number[][];
  readonly yVal: number[];
}

/**
 * Infers the problem type as Autopilot does when none is given: a numeric target with many distinct values
 * is regression, two distinct values binary, otherwise multiclass.
 */
export function inferProblemType(targetValues: readonly string[]): ProblemType {
  const distinct = new Set(targetValues);
  const numeric = targetValues.every((v) => {
    const n = parseNumber(v);
    return n !== undefined && !Number.isNaN(n);
  });
  if (numeric && distinct.size > REGRESSION_DISTINCT) return 'Regression';
  return distinct.size === 2 ? 'BinaryClassification' : 'MulticlassClassification';
}

/** Positive class of a binary problem: the "true-looking" label, else the second in sort order. */
export function positiveLabel(labels: readonly string[]): number {
  const truthy = ['1', 'true', 'yes', 'y', 't', 'positive', 'pos'];
  const i = labels.findIndex((l) => truthy.includes(l.trim().toLowerCase()));
  return i >= 0 ? i : labels.length - 1;
}

/** Fisher-Yates with a seeded generator, so splits are reproducible. */
function shuffledIndices(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const idx = Array.from({ length: n }, (_v, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = idx[i] ?? 0;
    idx[i] = idx[j] ?? 0;
    idx[j] = t;
  }
  return idx;
}

/** A failure reported as the job's FailureReason. */
export class DataProblem extends Error {}

/**
 * Checks and prepares a data set: target present, ≥ 500 rows with a target value, problem type inferred when
 * absent, features fitted on the training part only, deterministic validation split.
 */
export function prepareData(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  target: string,
  problemType: ProblemType | undefined,
  validationFraction: number,
  seed: number,
): PreparedData {
  const t = header.indexOf(target);
  if (t === -1) {
    throw new DataProblem(
      `ClientError: Target attribute '${target}' not found in the input data header. Columns found: ${header.join(', ')}.`,
    );
  }
  const labelled = rows.filter((r) => (r[t] ?? '').trim() !== '');
  if (labelled.length < MIN_ROWS) {
    throw new DataProblem(
      `ClientError: The input data has ${labelled.length} rows with a value for target attribute '${target}'; at least ${MIN_ROWS} rows are required.`,
    );
  }
  const targets = labelled.map((r) => (r[t] ?? '').trim());
  const type = problemType ?? inferProblemType(targets);
  const inputs = labelled.map((r) => r.filter((_v, i) => i !== t));
  const columns = header.filter((_v, i) => i !== t);

  let labels: string[] = [];
  let y: number[];
  if (type === 'Regression') {
    y = targets.map((v) => parseNumber(v) ?? Number.NaN);
    const bad = targets.find((_v, i) => Number.isNaN(y[i] ?? Number.NaN));
    if (bad !== undefined) {
      throw new DataProblem(
        `ClientError: Regression needs a numeric target attribute '${target}'; found the value '${bad.slice(0, 40)}'.`,
      );
    }
  } else {
    labels = [...new Set(targets)].sort();
    if (type === 'BinaryClassification' && labels.length !== 2) {
      throw new DataProblem(
        `ClientError: BinaryClassification needs exactly 2 distinct values in target attribute '${target}'; found ${labels.length}.`,
      );
    }
    if (labels.length < 2) {
      throw new DataProblem(`ClientError: Target attribute '${target}' has a single value; nothing to learn.`);
    }
    const index = new Map(labels.map((l, i) => [l, i]));
    y = targets.map((v) => index.get(v) ?? 0);
  }
  const order = shuffledIndices(labelled.length, seed);
  const nVal = Math.max(1, Math.round(labelled.length * validationFraction));
  const valIdx = order.slice(0, nVal);
  const trainIdx = order.slice(nVal);
  const trainRows = trainIdx.map((i) => inputs[i] ?? []);
  const features = fitFeatures(columns, trainRows);
  return {
    problemType: type,
    target,
    columns,
    features,
    labels,
    positive: type === 'BinaryClassification' ? positiveLabel(labels) : 0,
    xTrain: encodeRows(features, trainRows),
    yTrain: trainIdx.map((i) => y[i] ?? 0),
    xVal: encodeRows(
      features,
      valIdx.map((i) => inputs[i] ?? []),
    ),
    yVal: valIdx.map((i) => y[i] ?? 0),
  };
}

/** One point of the candidate search. */
export interface CandidatePlan {
  readonly family: Family;
  readonly params: Readonly<Record<string, number>>;
  /**
   * Training rows are sampled down to this many (mljs is slow: a 30-tree forest on 2000 rows takes seconds on 2 cores).
   */
  readonly maxRows: number;
}

/** The search space, families interleaved so that a small MaxCandidates still tries different ones. */
export function candidatePlans(problemType: ProblemType): CandidatePlan[] {
  if (problemType === 'Regression') {
    return [
      { family: 'ridge', params: { lambda: 1 }, maxRows: 20_000 },
      { family: 'forest', params: { trees: 6, maxDepth: 6, maxFeatures: 0.8 }, maxRows: 600 },
      { family: 'cart', params: { maxDepth: 6 }, maxRows: 900 },
      { family: 'ridge', params: { lambda: 30 }, maxRows: 20_000 },
      { family: 'cart', params: { maxDepth: 4 }, maxRows: 900 },
      { family: 'forest', params: { trees: 10, maxDepth: 8, maxFeatures: 1 }, maxRows: 500 },
    ];
  }
  return [
    { family: 'logistic', params: { steps: 120, rate: 2 }, maxRows: 1500 },
    { family: 'forest', params: { trees: 6, maxDepth: 6, maxFeatures: 0.8 }, maxRows: 600 },
    { family: 'cart', params: { maxDepth: 6 }, maxRows: 900 },
    { family: 'logistic', params: { steps: 60, rate: 8 }, maxRows: 1500 },
    { family: 'cart', params: { maxDepth: 4 }, maxRows: 900 },
    { family: 'forest', params: { trees: 10, maxDepth: 8, maxFeatures: 1 }, maxRows: 500 },
  ];
}

/** A trained candidate with its validation metrics and the model file to store. */
export interface TrainedCandidate {
  readonly plan: CandidatePlan;
  readonly model: TrainedModel;
  readonly metrics: Partial<Record<MetricName, number>>;
  readonly file: SandboxModelFile;
}

/** Validation metrics of a trained model. */
export function evaluate(data: PreparedData, model: TrainedModel): Partial<Record<MetricName, number>> {
  if (data.problemType === 'Regression') return regressionMetrics(data.yVal, model.predictValue(data.xVal));
  const proba = model.predictProba(data.xVal);
  const predicted = proba.map((p) => p.indexOf(Math.max(...p)));
  return classificationMetrics(
    data.problemType,
    data.yVal,
    predicted,
    data.labels.length,
    data.positive,
    proba.map((p) => p[data.positive] ?? 0),
  );
}

/** Metrics of the trivial baseline (majority class / training mean) on the validation split. */
export function baselineMetrics(data: PreparedData): Partial<Record<MetricName, number>> {
  if (data.problemType === 'Regression') {
    const mean = data.yTrain.reduce((a, b) => a + b, 0) / Math.max(1, data.yTrain.length);
    return regressionMetrics(
      data.yVal,
      data.yVal.map(() => mean),
    );
  }
  const counts = new Array<number>(data.labels.length).fill(0);
  for (const y of data.yTrain) counts[y] = (counts[y] ?? 0) + 1;
  const majority = counts.indexOf(Math.max(...counts));
  return classificationMetrics(
    data.problemType,
    data.yVal,
    data.yVal.map(() => majority),
    data.labels.length,
    data.positive,
    data.yVal.map(() => (majority === data.positive ? 1 : 0)),
  );
}

/** Trains and evaluates one candidate (synchronous: callers yield to the event loop between candidates). */
export function trainCandidate(data: PreparedData, plan: CandidatePlan, seed: number): TrainedCandidate {
  const n = data.xTrain.length;
  let x = data.xTrain;
  let y = data.yTrain;
  if (n > plan.maxRows) {
    const idx = shuffledIndices(n, seed + 1).slice(0, plan.maxRows);
    x = idx.map((i) => data.xTrain[i] ?? []);
    y = idx.map((i) => data.yTrain[i] ?? 0);
  }
  const classification = data.problemType !== 'Regression';
  const model = trainFamily(plan.family, { ...plan.params }, classification, data.labels.length, x, y, seed);
  const metrics = evaluate(data, model);
  const file: SandboxModelFile = {
    format: 'sme-sandbox-model/1',
    problemType: data.problemType,
    target: data.target,
    columns: data.columns,
    features: data.features,
    labels: data.labels,
    positive: data.positive,
    family: plan.family,
    params: plan.params,
    state: model.state(),
  };
  return { plan, model, metrics, file };
}

/** The objective for a job: the one asked for, else Autopilot's default for the problem type. */
export function resolveObjective(problemType: ProblemType, requested: string | undefined): MetricName | undefined {
  const allowed = OBJECTIVES[problemType];
  if (requested === undefined) return allowed[0];
  return allowed.find((m) => m === requested);
}
