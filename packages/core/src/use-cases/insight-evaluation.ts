/** The best candidate's model-quality report (evaluation): metrics, baseline, confusion matrix, ROC, residuals. */
import { coreError } from '../error-codes.js';
import type { JobContext, JobRef } from './jobs.js';
import {
  bestCandidateReport,
  type InsightDeps,
  isFiniteNumber,
  isObject,
  type JsonObject,
  listOf,
  numberField,
  numbersOf,
  readCache,
  reportMissing,
  textField,
  writeCache,
} from './insight-common.js';

export interface MetricRow {
  readonly metricName: string;
  readonly value: number;
  readonly set: string;
}

/** Confusion matrix: `counts[actual][predicted]` over `labels`. */
export interface ConfusionMatrix {
  readonly labels: readonly string[];
  readonly counts: readonly (readonly number[])[];
}

export interface ResidualHistogram {
  readonly binEdges: readonly number[];
  readonly counts: readonly number[];
}

export interface RocCurve {
  readonly falsePositiveRates: readonly number[];
  readonly truePositiveRates: readonly number[];
}

export interface EvaluationResult {
  readonly jobName: string;
  readonly candidateName: string;
  readonly problemType?: string;
  /** The best candidate's validation metrics; Model Monitor's names when from the report. */
  readonly metrics: readonly MetricRow[];
  /** Baseline metrics for comparison (best constant classifier; predicting the mean for regression). */
  readonly baseline: readonly MetricRow[];
  readonly confusionMatrix?: ConfusionMatrix;
  readonly residuals?: ResidualHistogram;
  readonly roc?: RocCurve;
  /** `report`: the model-insights `statistics.json`; `candidate`: CandidateMetrics only (report missing). */
  readonly source: 'report' | 'candidate';
  readonly warnings: readonly string[];
  readonly cached: boolean;
}

/** The model-insights report's file under the candidate's model-insights location. */
const STATISTICS_FILE = 'statistics.json';

const MODEL_INSIGHTS_REPORT = { artifact: 'ModelInsights', file: STATISTICS_FILE, what: 'model insights' } as const;

const METRIC_SECTIONS: readonly (readonly [string, string])[] = [
  ['binary_classification_metrics', 'BinaryClassification'],
  ['multiclass_classification_metrics', 'MulticlassClassification'],
  ['regression_metrics', 'Regression'],
];

/** The Model Monitor metrics of a `statistics.json`: every member `{value: number}`, in the report's order. */
function statisticsMetrics(section: JsonObject): { metrics: MetricRow[]; baseline: MetricRow[] } {
  const metrics: MetricRow[] = [];
  const baseline: MetricRow[] = [];
  const suffix = '_best_constant_classifier';
  for (const name of Object.keys(section)) {
    const entry = section[name];
    if (!isObject(entry)) continue;
    const value = numberField(entry, 'value');
    if (value === undefined) continue;
    const at = name.length - suffix.length;
    if (at > 0 && name.substring(at) === suffix) {
      baseline.push({ metricName: name.substring(0, at), value, set: 'Validation' });
    } else {
      metrics.push({ metricName: name, value, set: 'Validation' });
    }
  }
  return { metrics, baseline };
}

function confusionOf(section: JsonObject): ConfusionMatrix | undefined {
  const m = section.confusion_matrix;
  if (!isObject(m)) return undefined;
  const labels = Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const counts = labels.map((actual) => {
    const row = m[actual];
    return labels.map((predicted) => (isObject(row) ? (numberField(row, predicted) ?? 0) : 0));
  });
  return { labels, counts };
}

function metricValue(rows: readonly MetricRow[], name: string): number | undefined {
  for (const r of rows) if (r.metricName === name) return r.value;
  return undefined;
}

/**
 * Baselines the report does not carry: majority-class accuracy from the confusion matrix (multiclass), and for
 * regression the model that always predicts the mean (R2 = 0, MSE = the variance = MSE / (1 − R2)).
 */
function derivedBaseline(problemType: string, metrics: readonly MetricRow[], confusion?: ConfusionMatrix): MetricRow[] {
  if (problemType === 'MulticlassClassification' && confusion !== undefined) {
    let total = 0;
    let largest = 0;
    for (const row of confusion.counts) {
      let n = 0;
      for (const c of row) n += c;
      total += n;
      if (n > largest) largest = n;
    }
    return total > 0 ? [{ metricName: 'accuracy', value: largest / total, set: 'Validation' }] : [];
  }
  if (problemType === 'Regression') {
    const mse = metricValue(metrics, 'mse');
    const r2 = metricValue(metrics, 'r2');
    if (mse === undefined || r2 === undefined || r2 >= 1) return [{ metricName: 'r2', value: 0, set: 'Validation' }];
    const variance = mse / (1 - r2);
    return [
      { metricName: 'mse', value: variance, set: 'Validation' },
      { metricName: 'rmse', value: Math.sqrt(variance), set: 'Validation' },
      { metricName: 'r2', value: 0, set: 'Validation' },
    ];
  }
  return [];
}

function metricRowsOf(v: unknown): MetricRow[] | undefined {
  const out: MetricRow[] = [];
  for (const raw of listOf(v)) {
    if (!isObject(raw)) return undefined;
    const name = textField(raw, 'metricName');
    const value = numberField(raw, 'value');
    if (name === undefined || value === undefined) return undefined;
    out.push({ metricName: name, value, set: textField(raw, 'set') ?? 'Validation' });
  }
  return out;
}

function cachedEvaluation(value: unknown): EvaluationResult | undefined {
  if (!isObject(value)) return undefined;
  const jobName = textField(value, 'jobName');
  const candidateName = textField(value, 'candidateName');
  const metrics = metricRowsOf(value.metrics);
  const baseline = metricRowsOf(value.baseline);
  if (jobName === undefined || candidateName === undefined || metrics === undefined || baseline === undefined) {
    return undefined;
  }
  const problemType = textField(value, 'problemType');
  const cm = value.confusionMatrix;
  const res = value.residuals;
  const roc = value.roc;
  return {
    jobName,
    candidateName,
    ...(problemType === undefined ? {} : { problemType }),
    metrics,
    baseline,
    ...(isObject(cm)
      ? {
          confusionMatrix: {
            labels: listOf(cm.labels).map((l) => (typeof l === 'string' ? l : '')),
            counts: listOf(cm.counts).map((row) => numbersOf(row)),
          },
        }
      : {}),
    ...(isObject(res) ? { residuals: { binEdges: numbersOf(res.binEdges), counts: numbersOf(res.counts) } } : {}),
    ...(isObject(roc)
      ? {
          roc: {
            falsePositiveRates: numbersOf(roc.falsePositiveRates),
            truePositiveRates: numbersOf(roc.truePositiveRates),
          },
        }
      : {}),
    source: 'report',
    warnings: [],
    cached: true,
  };
}

/**
 * The best candidate's validation metrics from its model-insights report (`statistics.json` at
 * `CandidateArtifactLocations.ModelInsights`), with the confusion matrix or residual histogram and a baseline.
 * Without the report, the candidate's own `CandidateMetrics` are answered with a warning.
 *
 * @example
 * const { metrics } = await evaluateJob({ jobName }, deps, { metadataSchema: 'SME' });
 */
export async function evaluateJob(ref: JobRef, deps: InsightDeps, context: JobContext): Promise<EvaluationResult> {
  const hit = cachedEvaluation(await readCache(deps, context, ref.jobName, 'evaluation'));
  if (hit !== undefined) return hit;
  const { job, best, uri, report: statistics } = await bestCandidateReport(ref, deps, context, MODEL_INSIGHTS_REPORT);
  const d = job.description;
  if (statistics === undefined) {
    const fallback: MetricRow[] = [];
    for (const m of best.CandidateProperties?.CandidateMetrics ?? []) {
      if (m.MetricName !== undefined && isFiniteNumber(m.Value)) {
        fallback.push({ metricName: m.MetricName, value: m.Value, set: m.Set ?? 'Validation' });
      }
    }
    const missing = reportMissing(job, 'model insights', uri);
    if (fallback.length === 0) throw missing;
    const warning = missing.message + '; answering the candidate metrics of DescribeAutoMLJobV2 instead';
    deps.log.warn(warning);
    return {
      jobName: d.AutoMLJobName,
      candidateName: best.CandidateName,
      metrics: fallback,
      baseline: [],
      source: 'candidate',
      warnings: [warning],
      cached: false,
    };
  }
  let problemType: string | undefined;
  let section: JsonObject | undefined;
  for (const [key, type] of METRIC_SECTIONS) {
    const s = statistics[key];
    if (isObject(s)) {
      section = s;
      problemType = type;
    }
  }
  if (section === undefined || problemType === undefined) {
    throw coreError(
      'SME-E-INSIGHT-REPORT-INVALID',
      'the model insights report ' + (uri ?? '') + ' has no binary, multiclass or regression metrics section',
      { key: 'uri', value: uri ?? '' },
    );
  }
  const { metrics, baseline } = statisticsMetrics(section);
  const confusionMatrix = confusionOf(section);
  const residualsRaw = statistics.residuals;
  const rocRaw = section.receiver_operating_characteristic_curve;
  const residuals = isObject(residualsRaw)
    ? { binEdges: numbersOf(residualsRaw.bin_edges), counts: numbersOf(residualsRaw.counts) }
    : undefined;
  const roc = isObject(rocRaw)
    ? {
        falsePositiveRates: numbersOf(rocRaw.false_positive_rates),
        truePositiveRates: numbersOf(rocRaw.true_positive_rates),
      }
    : undefined;
  const result = {
    jobName: d.AutoMLJobName,
    candidateName: best.CandidateName,
    problemType,
    metrics,
    baseline: baseline.length > 0 ? baseline : derivedBaseline(problemType, metrics, confusionMatrix),
    ...(confusionMatrix === undefined ? {} : { confusionMatrix }),
    ...(residuals === undefined ? {} : { residuals }),
    ...(roc === undefined ? {} : { roc }),
    source: 'report' as const,
  };
  const stored = cachedEvaluation(await writeCache(deps, context, ref.jobName, 'evaluation', result));
  return { ...(stored ?? result), warnings: [], cached: false };
}
