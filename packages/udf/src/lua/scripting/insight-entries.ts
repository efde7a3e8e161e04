/** Entry points of the insight programs: candidates, evaluation, explanation. */
import { evaluateJob, explainJob, listJobCandidates, type InsightDeps } from '@sme/core';
import { sqlObjectReader } from './sql-aws.js';
import { jobDeps, jobEntry, type ScriptingDeps, type ScriptingContext, type ResultColumn } from './entry-common.js';

export const CANDIDATES_COLUMNS: readonly ResultColumn[] = [
  { name: 'CANDIDATE_NAME', type: 'VARCHAR(64) UTF8' },
  { name: 'RANK', type: 'DECIMAL(9,0)' },
  { name: 'OBJECTIVE_METRIC', type: 'VARCHAR(64) UTF8' },
  { name: 'OBJECTIVE_VALUE', type: 'DOUBLE' },
  { name: 'CANDIDATE_STATUS', type: 'VARCHAR(32) UTF8' },
  { name: 'ALGORITHM', type: 'VARCHAR(64) UTF8' },
  { name: 'TRAINING_SECONDS', type: 'DOUBLE' },
  { name: 'IS_BEST', type: 'BOOLEAN' },
];

export const EVALUATE_COLUMNS: readonly ResultColumn[] = [
  { name: 'METRIC_NAME', type: 'VARCHAR(128) UTF8' },
  { name: 'VALUE', type: 'DOUBLE' },
  { name: 'SET', type: 'VARCHAR(32) UTF8' },
];

export const EXPLAIN_COLUMNS: readonly ResultColumn[] = [
  { name: 'FEATURE', type: 'VARCHAR(2000) UTF8' },
  { name: 'IMPORTANCE', type: 'DOUBLE' },
  { name: 'RANK', type: 'DECIMAL(9,0)' },
];

function insightDeps(deps: ScriptingDeps, context: ScriptingContext): InsightDeps {
  return {
    ...jobDeps(deps, context),
    json: deps.json,
    objects: sqlObjectReader(deps.sql, deps.json, context.schema),
  };
}

/**
 * `SME_LIST_SAGEMAKER_AUTOPILOT_CANDIDATES(job_name, connection, region)`: the leaderboard, best first. A job still
 * running answers its candidates so far (the warning goes to `WITH OUTPUT`).
 */
export const candidatesEntry = jobEntry(CANDIDATES_COLUMNS, insightDeps, listJobCandidates, (r) =>
  r.candidates.map((c) => [
    c.candidateName,
    c.rank,
    c.objectiveMetric ?? null,
    c.objectiveValue ?? null,
    c.candidateStatus,
    c.algorithm ?? null,
    c.trainingSeconds ?? null,
    c.isBest,
  ]),
);

/** `SME_EVALUATE_SAGEMAKER_AUTOPILOT_JOB(job_name, connection, region)`: the best candidate's validation metrics. */
export const evaluateEntry = jobEntry(EVALUATE_COLUMNS, insightDeps, evaluateJob, (r) =>
  r.metrics.map((m) => [m.metricName, m.value, m.set]),
);

/** `SME_EXPLAIN_SAGEMAKER_AUTOPILOT_JOB(job_name, connection, region)`: feature importance, most important first. */
export const explainEntry = jobEntry(EXPLAIN_COLUMNS, insightDeps, explainJob, (r) =>
  r.features.map((f) => [f.feature, f.importance, f.rank]),
);
