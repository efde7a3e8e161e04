/** The leaderboard of a job: its candidates ranked by the objective, with their algorithms. */
import { isTerminalJobStatus } from '../automl-model.js';
import type { AutoMLCandidate } from '../ports/automl-port.js';
import type { JobContext, JobRef } from './jobs.js';
import {
  describeForInsight,
  type InsightDeps,
  isFiniteNumber,
  isObject,
  listOf,
  numberField,
  readCache,
  textField,
  writeCache,
} from './insight-common.js';

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
