/**
 * Model insight: what Autopilot learned about a job — its candidates (leaderboard), the best candidate's
 * model-quality report (evaluation) and its explainability report (feature importance). Read from AWS on demand
 * (DescribeAutoMLJobV2, ListCandidatesForAutoMLJob, the report files in S3 at the locations DescribeAutoMLJobV2
 * names) and cached in `SME_METADATA_AUTOPILOT_INSIGHTS` once final (the job has ended and nothing was missing).
 * The same code runs in the CLI and inside Exasol.
 */
import { isTerminalJobStatus } from '../automl-model.js';
import { coreError } from '../error-codes.js';
import { isSmeError } from '../errors.js';
import { exasolTimestamp } from '../job-name.js';
import type { AutoMLCandidate, AutoMLJobDescription, AutoMLPort } from '../ports/automl-port.js';
import type { Json } from '../ports/json.js';
import type { ObjectReaderPort, ObjectReaderPortFactory } from '../ports/object-reader-port.js';
import { deleteInsightSql, insertInsightSql, selectInsightSql, type InsightKind } from '../sql/insights-sql.js';
import { describeValue } from '../text.js';
import { type JobContext, type JobDeps, type JobRef, jobTarget } from './jobs.js';

export interface InsightDeps extends JobDeps {
  readonly objects: ObjectReaderPortFactory;
  readonly json: Json;
}

/** One row of the leaderboard. */
export interface CandidateRow {
  readonly candidateName: string;
  /** 1 = best by the job's objective; ties broken by name; candidates without a value come last. */
  readonly rank: number;
  readonly objectiveMetric?: string;
  readonly objectiveValue?: number;
  readonly candidateStatus: string;
  /** The algorithm family (from the candidate name or its inference image), when recognisable. */
  readonly algorithm?: string;
  readonly trainingSeconds?: number;
  readonly isBest: boolean;
  /** When the candidate started training, epoch milliseconds (the order Autopilot tried them in). */
  readonly creationTime?: number;
}

export interface CandidatesResult {
  readonly jobName: string;
  readonly jobStatus: string;
  readonly candidates: readonly CandidateRow[];
  /** What was missing or not yet final; empty when the set is complete. */
  readonly warnings: readonly string[];
  /** Answered from the insight cache (no AWS call). */
  readonly cached: boolean;
}

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

export interface FeatureRow {
  readonly feature: string;
  readonly importance: number;
  /** 1 = most important; ties broken by name. */
  readonly rank: number;
}

export interface ExplanationResult {
  readonly jobName: string;
  readonly candidateName: string;
  readonly features: readonly FeatureRow[];
  /** The model output on the baseline row (first output), when the report has it. */
  readonly expectedValue?: number;
  readonly warnings: readonly string[];
  readonly cached: boolean;
}

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && v === v && v - v === 0;
}

function textField(o: JsonObject | undefined, name: string): string | undefined {
  const v = o?.[name];
  return typeof v === 'string' ? v : undefined;
}

function numberField(o: JsonObject | undefined, name: string): number | undefined {
  const v = o?.[name];
  return isFiniteNumber(v) ? v : undefined;
}

/** A JSON array (cjson gives an empty array as an empty object: both read as no elements). */
function listOf(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

function numbersOf(v: unknown): number[] {
  const out: number[] = [];
  for (const x of listOf(v)) if (isFiniteNumber(x)) out.push(x);
  return out;
}

// ---------------------------------------------------------------- cache

async function readCache(deps: InsightDeps, context: JobContext, jobName: string, kind: InsightKind): Promise<unknown> {
  try {
    const result = await deps.sql.query(selectInsightSql(context.metadataSchema, jobName, kind));
    const text = result.rows[0]?.[0];
    if (typeof text !== 'string') return undefined;
    return deps.json.decode(text);
  } catch (e: unknown) {
    // A schema deployed before the cache existed, or a damaged row: ask AWS instead.
    deps.log.debug('insight cache not read: ' + (e instanceof Error ? e.message : 'unknown error'));
    return undefined;
  }
}

/**
 * Caches a final answer and returns it as a later call will read it back (cjson writes 14 significant digits), so
 * that the first answer and the cached ones are the same; undefined when it could not be cached.
 */
async function writeCache(
  deps: InsightDeps,
  context: JobContext,
  jobName: string,
  kind: InsightKind,
  value: unknown,
): Promise<unknown> {
  try {
    const schema = context.metadataSchema;
    const text = deps.json.encode(value);
    await deps.sql.execute(deleteInsightSql(schema, jobName, kind));
    await deps.sql.execute(insertInsightSql(schema, jobName, kind, text, exasolTimestamp(deps.clock.nowMillis())));
    return deps.json.decode(text);
  } catch (e: unknown) {
    deps.log.warn(
      'the ' +
        kind +
        ' of ' +
        jobName +
        ' were not cached (' +
        (e instanceof Error ? e.message : 'unknown error') +
        '); run sme deploy to create the insight cache table',
    );
    return undefined;
  }
}

// ---------------------------------------------------------------- job

interface EndedJob {
  readonly automl: AutoMLPort;
  readonly objects: ObjectReaderPort;
  readonly description: AutoMLJobDescription;
}

async function describeForInsight(ref: JobRef, deps: InsightDeps, context: JobContext): Promise<EndedJob> {
  const { automl, target } = await jobTarget(ref, deps, context);
  let description: AutoMLJobDescription;
  try {
    description = await automl.describeJob(ref.jobName);
  } catch (e: unknown) {
    if (isSmeError(e) && e.kind === 'NotFound') {
      throw coreError(
        'SME-E-JOB-NOT-FOUND',
        'AWS knows no AutoML job ' +
          describeValue(ref.jobName) +
          ' in region ' +
          target.region +
          ' (asked with connection ' +
          target.connectionName +
          ')',
        { key: 'job_name', value: describeValue(ref.jobName) },
        e,
      );
    }
    throw e;
  }
  return { automl, objects: deps.objects(target), description };
}

function requireBestCandidate(job: EndedJob): AutoMLCandidate {
  const d = job.description;
  if (!isTerminalJobStatus(d.AutoMLJobStatus)) {
    throw coreError(
      'SME-E-INSIGHT-JOB-NOT-FINISHED',
      'job ' +
        d.AutoMLJobName +
        ' is still ' +
        d.AutoMLJobStatus +
        ' (' +
        d.AutoMLJobSecondaryStatus +
        '); its reports are written when it completes',
      { key: 'job_name', value: d.AutoMLJobName },
    );
  }
  const best = d.BestCandidate;
  if (best === undefined) {
    throw coreError(
      'SME-E-INSIGHT-NO-BEST-CANDIDATE',
      'job ' +
        d.AutoMLJobName +
        ' ended ' +
        d.AutoMLJobStatus +
        ' without a best candidate' +
        (d.FailureReason === undefined ? '' : ': ' + d.FailureReason),
      { key: 'job_name', value: d.AutoMLJobName },
    );
  }
  return best;
}

function reportMissing(job: EndedJob, what: string, location: string | undefined, cause?: unknown) {
  const d = job.description;
  const status = d.AutoMLJobSecondaryStatus;
  const why =
    status === 'ExplainabilityError' || status === 'ModelInsightsError'
      ? ' (the job ended with secondary status ' + status + ')'
      : '';
  return coreError(
    'SME-E-INSIGHT-REPORT-MISSING',
    'the ' +
      what +
      ' report of job ' +
      d.AutoMLJobName +
      (location === undefined
        ? ' is not named by DescribeAutoMLJobV2 (BestCandidate.CandidateProperties.CandidateArtifactLocations)'
        : ' is missing at ' + location) +
      why,
    { key: 'job_name', value: d.AutoMLJobName },
    cause,
  );
}

/** Reads and parses one report file; undefined when the object does not exist. */
async function readReport(
  job: EndedJob,
  deps: InsightDeps,
  what: string,
  uri: string,
): Promise<JsonObject | undefined> {
  let text: string;
  try {
    text = await job.objects.readText(uri);
  } catch (e: unknown) {
    if (isSmeError(e) && e.kind === 'NotFound') return undefined;
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = deps.json.decode(text);
  } catch {
    parsed = undefined;
  }
  if (!isObject(parsed)) {
    throw coreError(
      'SME-E-INSIGHT-REPORT-INVALID',
      'the ' + what + ' report ' + uri + ' is not the JSON object Autopilot writes',
      { key: 'uri', value: uri },
    );
  }
  return parsed;
}

function joinUri(prefix: string, file: string): string {
  return prefix.substring(prefix.length - 1) === '/' ? prefix + file : prefix + '/' + file;
}

// ---------------------------------------------------------------- candidates

/** Algorithm families Autopilot uses (HPO and ensembling modes), as they appear in names and images. */
const ALGORITHM_TOKENS: readonly (readonly [string, string])[] = [
  ['weightedensemble', 'ensemble'],
  ['xgboost', 'xgboost'],
  ['lightgbm', 'lightgbm'],
  ['catboost', 'catboost'],
  ['randomforest', 'random-forest'],
  ['extratrees', 'extra-trees'],
  ['neuralnet', 'neural-net'],
  ['linear-learner', 'linear-learner'],
  ['linear', 'linear-learner'],
  ['mlp', 'mlp'],
  ['fastai', 'neural-net'],
  ['knn', 'knn'],
  ['logistic', 'logistic'],
  ['ridge', 'ridge'],
  ['forest', 'random-forest'],
  ['cart', 'decision-tree'],
  ['tree', 'decision-tree'],
];

function familyOf(segment: string): string | undefined {
  const s = segment.toLowerCase();
  for (const [token, family] of ALGORITHM_TOKENS) {
    if (s.substring(0, token.length) === token) return family;
  }
  return undefined;
}

/**
 * The algorithm family of a candidate: a known token in its name (scanned from the right, e.g.
 * `churn-…-forest-003`, `LightGBMXT-BAG-L1-FULL-t1`), else in its first inference image
 * (`…/sagemaker-xgboost:…`, `…/linear-learner:…`, `…/mxnet-…` = mlp).
 */
export function candidateAlgorithm(c: AutoMLCandidate): string | undefined {
  const segments = c.CandidateName.split('-');
  for (let i = segments.length - 1; i >= 0; i--) {
    const f = familyOf(segments[i] ?? '');
    if (f !== undefined) return f;
  }
  const image = (c.InferenceContainers?.[0]?.Image ?? '').toLowerCase();
  if (image.indexOf('xgboost') >= 0) return 'xgboost';
  if (image.indexOf('linear-learner') >= 0) return 'linear-learner';
  if (image.indexOf('mxnet') >= 0) return 'mlp';
  if (image.indexOf('autogluon') >= 0) return 'ensemble';
  return undefined;
}

const MINIMIZED = ['MSE', 'RMSE', 'MAE', 'LogLoss', 'InferenceLatency'];

function minimizes(metric: AutoMLCandidate['FinalAutoMLJobObjectiveMetric']): boolean {
  if (metric?.Type !== undefined) return metric.Type === 'Minimize';
  return metric !== undefined && MINIMIZED.indexOf(metric.MetricName) >= 0;
}

/**
 * Leaderboard rows, best first: by objective (its direction), ties broken by name; candidates without a value last.
 * `isBest` marks AWS's BestCandidate, which is rank 1 unless AWS chose among equal values by another rule.
 */
export function rankCandidates(candidates: readonly AutoMLCandidate[], bestName: string | undefined): CandidateRow[] {
  const entries = candidates.map((c) => {
    const metric = c.FinalAutoMLJobObjectiveMetric;
    const value = metric !== undefined && isFiniteNumber(metric.Value) ? metric.Value : undefined;
    return { c, value, score: value === undefined ? undefined : minimizes(metric) ? -value : value };
  });
  entries.sort((a, b) => {
    if (a.score !== undefined && b.score !== undefined && a.score !== b.score) return b.score - a.score;
    if (a.score === undefined && b.score !== undefined) return 1;
    if (b.score === undefined && a.score !== undefined) return -1;
    const an = a.c.CandidateName;
    const bn = b.c.CandidateName;
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
  return entries.map((e, i): CandidateRow => {
    const c = e.c;
    const seconds =
      c.CreationTime !== undefined && c.EndTime !== undefined && c.EndTime >= c.CreationTime
        ? (c.EndTime - c.CreationTime) / 1000
        : undefined;
    const algorithm = candidateAlgorithm(c);
    return {
      candidateName: c.CandidateName,
      rank: i + 1,
      ...(c.FinalAutoMLJobObjectiveMetric === undefined
        ? {}
        : { objectiveMetric: c.FinalAutoMLJobObjectiveMetric.MetricName }),
      ...(e.value === undefined ? {} : { objectiveValue: e.value }),
      candidateStatus: c.CandidateStatus,
      ...(algorithm === undefined ? {} : { algorithm }),
      ...(seconds === undefined ? {} : { trainingSeconds: seconds }),
      isBest: bestName !== undefined && c.CandidateName === bestName,
      ...(c.CreationTime === undefined ? {} : { creationTime: c.CreationTime }),
    };
  });
}

function cachedCandidates(value: unknown, jobName: string): CandidatesResult | undefined {
  if (!isObject(value)) return undefined;
  const rows: CandidateRow[] = [];
  for (const raw of listOf(value.candidates)) {
    if (!isObject(raw)) return undefined;
    const name = textField(raw, 'candidateName');
    const rank = numberField(raw, 'rank');
    const status = textField(raw, 'candidateStatus');
    if (name === undefined || rank === undefined || status === undefined) return undefined;
    const metric = textField(raw, 'objectiveMetric');
    const v = numberField(raw, 'objectiveValue');
    const algorithm = textField(raw, 'algorithm');
    const seconds = numberField(raw, 'trainingSeconds');
    const created = numberField(raw, 'creationTime');
    rows.push({
      candidateName: name,
      rank,
      ...(metric === undefined ? {} : { objectiveMetric: metric }),
      ...(v === undefined ? {} : { objectiveValue: v }),
      candidateStatus: status,
      ...(algorithm === undefined ? {} : { algorithm }),
      ...(seconds === undefined ? {} : { trainingSeconds: seconds }),
      isBest: raw.isBest === true,
      ...(created === undefined ? {} : { creationTime: created }),
    });
  }
  return {
    jobName: textField(value, 'jobName') ?? jobName,
    jobStatus: textField(value, 'jobStatus') ?? '',
    candidates: rows,
    warnings: [],
    cached: true,
  };
}

/**
 * The job's candidates as a leaderboard (rank 1 = best by the job's objective). A job still running answers the
 * candidates so far with a warning; an ended job's list is cached.
 *
 * @example
 * const { candidates } = await listJobCandidates({ jobName: 'churn-261126093000' }, deps, { metadataSchema: 'SME' });
 */
export async function listJobCandidates(
  ref: JobRef,
  deps: InsightDeps,
  context: JobContext,
): Promise<CandidatesResult> {
  const hit = cachedCandidates(await readCache(deps, context, ref.jobName, 'candidates'), ref.jobName);
  if (hit !== undefined) return hit;
  const job = await describeForInsight(ref, deps, context);
  const d = job.description;
  const list = await job.automl.listCandidates(ref.jobName, { sortBy: 'FinalObjectiveMetricValue' });
  const warnings: string[] = [];
  const ended = isTerminalJobStatus(d.AutoMLJobStatus);
  if (!ended) {
    warnings.push('job ' + d.AutoMLJobName + ' is still ' + d.AutoMLJobStatus + ': these are the candidates so far');
  }
  const candidates = rankCandidates(list, d.BestCandidate?.CandidateName);
  const result = { jobName: d.AutoMLJobName, jobStatus: d.AutoMLJobStatus, candidates };
  for (const w of warnings) deps.log.warn(w);
  const stored = ended
    ? cachedCandidates(await writeCache(deps, context, ref.jobName, 'candidates', result), '')
    : undefined;
  return { ...(stored ?? result), warnings, cached: false };
}

// ---------------------------------------------------------------- evaluation

const STATISTICS_FILE = 'statistics.json';
const ANALYSIS_FILE = 'analysis.json';

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
  const job = await describeForInsight(ref, deps, context);
  const best = requireBestCandidate(job);
  const d = job.description;
  const location = best.CandidateProperties?.CandidateArtifactLocations?.ModelInsights;
  const uri = location === undefined ? undefined : joinUri(location, STATISTICS_FILE);
  const statistics = uri === undefined ? undefined : await readReport(job, deps, 'model insights', uri);
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

// ---------------------------------------------------------------- explanation

/** Rows by importance, most important first, ties by name. */
export function rankFeatures(importance: Readonly<Record<string, number>>): FeatureRow[] {
  const names = Object.keys(importance);
  names.sort((a, b) => {
    const va = importance[a] ?? 0;
    const vb = importance[b] ?? 0;
    if (va !== vb) return vb - va;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return names.map((feature, i) => ({ feature, importance: importance[feature] ?? 0, rank: i + 1 }));
}

function cachedExplanation(value: unknown): ExplanationResult | undefined {
  if (!isObject(value)) return undefined;
  const jobName = textField(value, 'jobName');
  const candidateName = textField(value, 'candidateName');
  if (jobName === undefined || candidateName === undefined) return undefined;
  const features: FeatureRow[] = [];
  for (const raw of listOf(value.features)) {
    if (!isObject(raw)) return undefined;
    const feature = textField(raw, 'feature');
    const importance = numberField(raw, 'importance');
    const rank = numberField(raw, 'rank');
    if (feature === undefined || importance === undefined || rank === undefined) return undefined;
    features.push({ feature, importance, rank });
  }
  const expected = numberField(value, 'expectedValue');
  return {
    jobName,
    candidateName,
    features,
    ...(expected === undefined ? {} : { expectedValue: expected }),
    warnings: [],
    cached: true,
  };
}

/**
 * Feature importance of the best candidate from its explainability report (Clarify's `analysis.json` at
 * `CandidateArtifactLocations.Explainability`): the mean |SHAP| of each input column, averaged over the explained
 * outputs (one for regression and binary problems, one per class for multiclass).
 *
 * @example
 * const { features } = await explainJob({ jobName }, deps, { metadataSchema: 'SME' });
 */
export async function explainJob(ref: JobRef, deps: InsightDeps, context: JobContext): Promise<ExplanationResult> {
  const hit = cachedExplanation(await readCache(deps, context, ref.jobName, 'explanation'));
  if (hit !== undefined) return hit;
  const job = await describeForInsight(ref, deps, context);
  const best = requireBestCandidate(job);
  const d = job.description;
  const location = best.CandidateProperties?.CandidateArtifactLocations?.Explainability;
  const uri = location === undefined ? undefined : joinUri(location, ANALYSIS_FILE);
  const analysis = uri === undefined ? undefined : await readReport(job, deps, 'explainability', uri);
  if (analysis === undefined || uri === undefined) throw reportMissing(job, 'explainability', uri);
  const explanations = analysis.explanations;
  const kernel = isObject(explanations) ? explanations.kernel_shap : undefined;
  const totals: Record<string, number> = {};
  let outputs = 0;
  let expectedValue: number | undefined;
  if (isObject(kernel)) {
    for (const label of Object.keys(kernel)) {
      const out = kernel[label];
      const global = isObject(out) ? out.global_shap_values : undefined;
      if (!isObject(global) || !isObject(out)) continue;
      outputs++;
      if (expectedValue === undefined || label === 'label0') expectedValue = numberField(out, 'expected_value');
      for (const feature of Object.keys(global)) {
        const v = global[feature];
        if (isFiniteNumber(v)) totals[feature] = (totals[feature] ?? 0) + (v < 0 ? -v : v);
      }
    }
  }
  if (outputs === 0) {
    throw coreError(
      'SME-E-INSIGHT-REPORT-INVALID',
      'the explainability report ' + uri + ' has no explanations.kernel_shap.<label>.global_shap_values',
      { key: 'uri', value: uri },
    );
  }
  const mean: Record<string, number> = {};
  for (const f of Object.keys(totals)) mean[f] = (totals[f] ?? 0) / outputs;
  const result = {
    jobName: d.AutoMLJobName,
    candidateName: best.CandidateName,
    features: rankFeatures(mean),
    ...(expectedValue === undefined ? {} : { expectedValue }),
  };
  const stored = cachedExplanation(await writeCache(deps, context, ref.jobName, 'explanation', result));
  return { ...(stored ?? result), warnings: [], cached: false };
}
