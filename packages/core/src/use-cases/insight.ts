/**
 * Model insight: what Autopilot learned about a job — its candidates (leaderboard), the best candidate's
 * model-quality report (evaluation) and its explainability report (feature importance). Read from AWS on demand
 * (DescribeAutoMLJobV2, ListCandidatesForAutoMLJob, the report files in S3 at the locations DescribeAutoMLJobV2
 * names) and cached in `SME_METADATA_AUTOPILOT_INSIGHTS` once final (the job has ended and nothing was missing).
 * The same code runs in the CLI and inside Exasol.
 *
 * This module gathers them: insight-candidates.ts (the leaderboard), insight-evaluation.ts (model quality),
 * insight-explanation.ts (feature importance), and insight-common.ts (the ports, JSON reading, the cache and the
 * ended job they share).
 */
export type { InsightDeps } from './insight-common.js';
export { candidateAlgorithm, listJobCandidates, rankCandidates } from './insight-candidates.js';
export type { CandidateRow, CandidatesResult } from './insight-candidates.js';
export { evaluateJob } from './insight-evaluation.js';
export type {
  ConfusionMatrix,
  EvaluationResult,
  MetricRow,
  ResidualHistogram,
  RocCurve,
} from './insight-evaluation.js';
export { explainJob, rankFeatures } from './insight-explanation.js';
export type { ExplanationResult, FeatureRow } from './insight-explanation.js';
