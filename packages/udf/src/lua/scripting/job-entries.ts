/** Entry points of the job programs: train, poll, describe, stop, drop. */
import {
  describeJob,
  dropJob,
  exasolTimestamp,
  formatInteger,
  formatNumber,
  pollJob,
  startTraining,
  stopJob,
  type JobDetails,
  type SqlValue,
} from '@sme/core';
import { sqlAutoML, sqlConnections, sqlObjects } from './sql-aws.js';
import {
  endpointDeps,
  jobDeps,
  argText,
  jobRef,
  jobEntry,
  endpointContext,
  storeDeps,
  type ScriptingDeps,
  type ScriptingContext,
  type ResultColumn,
  type ResultTable,
} from './entry-common.js';

export const TRAIN_COLUMNS: readonly ResultColumn[] = [
  { name: 'JOB_NAME', type: 'VARCHAR(32) UTF8' },
  { name: 'JOB_STATUS', type: 'VARCHAR(32) UTF8' },
  { name: 'JOB_ARN', type: 'VARCHAR(256) UTF8' },
  { name: 'ROLE_ARN', type: 'VARCHAR(2048) UTF8' },
  { name: 'S3_INPUT_URI', type: 'VARCHAR(1024) UTF8' },
  { name: 'S3_OUTPUT_URI', type: 'VARCHAR(1024) UTF8' },
  { name: 'ROW_COUNT', type: 'DECIMAL(18,0)' },
  { name: 'COLUMN_COUNT', type: 'DECIMAL(9,0)' },
  /** TRUE when CreateAutoMLJobV2's answer was lost and the job was recognised as this start's and recorded. */
  { name: 'RECOVERED', type: 'BOOLEAN' },
  /** Pre-flight warnings the start went ahead with (allow_suspect_features), one per line; NULL when none. */
  { name: 'WARNINGS', type: 'VARCHAR(2000000) UTF8' },
  /** `STRATIFIED` or `UNIFORM` when ROW_COUNT rows were sampled; NULL when the whole table was exported. */
  { name: 'SAMPLE_METHOD', type: 'VARCHAR(16) UTF8' },
  /** Rows with a target the sample was drawn from; NULL without a sample. */
  { name: 'SAMPLE_SOURCE_ROW_COUNT', type: 'DECIMAL(18,0)' },
  /** The cost estimate if the job runs to its caps (US dollars), and its sentence with the assumptions. */
  { name: 'COST_ESTIMATE_USD_LOW', type: 'DOUBLE' },
  { name: 'COST_ESTIMATE_USD_HIGH', type: 'DOUBLE' },
  { name: 'COST_ESTIMATE', type: 'VARCHAR(2000) UTF8' },
];

/** The two columns of the original polling script, with AWS's values unchanged. */
export const POLL_COLUMNS: readonly ResultColumn[] = [
  { name: 'JOB_STATUS', type: 'VARCHAR(32) UTF8' },
  { name: 'JOB_SECONDARY_STATUS', type: 'VARCHAR(64) UTF8' },
];

export const DESCRIBE_COLUMNS: readonly ResultColumn[] = [
  { name: 'KEY', type: 'VARCHAR(128) UTF8' },
  { name: 'VALUE', type: 'VARCHAR(2000000) UTF8' },
];

export const STOP_COLUMNS: readonly ResultColumn[] = [
  { name: 'JOB_NAME', type: 'VARCHAR(32) UTF8' },
  { name: 'JOB_STATUS', type: 'VARCHAR(32) UTF8' },
  { name: 'RECORDED', type: 'BOOLEAN' },
];

/**
 * `SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(json)`: core's `startTraining` with the in-database ports. A bare role
 * name fails with SME-E-ROLE-ARN-REQUIRED: resolving it needs IAM/STS, which the AWS-call UDF does not call.
 */
export async function trainEntry(
  paramsJson: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  // The export's split (NPROC() × 4 part files) is core's decision, the same as for `sme train`.
  const started = await startTraining(
    argText(paramsJson) ?? '',
    {
      ...storeDeps(deps),
      automl: sqlAutoML(deps.sql, deps.json, context.schema),
      objects: sqlObjects(deps.sql, deps.json, context.schema),
      clock: deps.clock,
      json: deps.json,
      log: deps.log,
      connections: sqlConnections(deps.sql, context.schema),
    },
    {
      sessionId: context.sessionId,
      user: context.user,
      metadataSchema: context.schema,
    },
  );
  return {
    columns: TRAIN_COLUMNS,
    rows: [
      [
        started.jobName,
        started.status,
        started.jobArn,
        started.roleArn,
        started.s3InputUri,
        started.s3OutputUri,
        started.rowCount,
        started.columnNames.length,
        started.recovered,
        started.warnings.length === 0 ? null : started.warnings.join('\n'),
        started.sample === undefined ? null : started.sample.method,
        started.sample === undefined ? null : started.sample.sourceRows,
        started.costEstimate.lowUsd,
        started.costEstimate.highUsd,
        started.costEstimate.text,
      ],
    ],
  };
}

/** `SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS(job_name, connection, region)`: one row, AWS's status values. */
export const pollEntry = jobEntry(POLL_COLUMNS, jobDeps, pollJob, (r) => [[r.status, r.secondaryStatus]]);

/** `SME_DESCRIBE_SAGEMAKER_AUTOPILOT_JOB(job_name, connection, region)`: KEY/VALUE rows, NULL where unknown. */
export const describeEntry = jobEntry(DESCRIBE_COLUMNS, jobDeps, describeJob, describeRows);

function describeRows(d: JobDetails): [string, SqlValue][] {
  const rows: [string, SqlValue][] = [
    ['JOB_NAME', d.jobName],
    ['JOB_ARN', d.jobArn],
    ['JOB_STATUS', d.status],
    ['JOB_SECONDARY_STATUS', d.secondaryStatus],
    ['CREATION_TIME', exasolTimestamp(d.creationTime)],
    ['END_TIME', d.endTime === undefined ? null : exasolTimestamp(d.endTime)],
    ['FAILURE_REASON', d.failureReason ?? null],
    ['BEST_CANDIDATE_NAME', d.bestCandidateName ?? null],
    ['BEST_METRIC_NAME', d.bestMetricName ?? null],
    ['BEST_METRIC_VALUE', d.bestMetricValue === undefined ? null : formatNumber(d.bestMetricValue)],
    ['OUTPUT_PATH', d.artifacts.outputPath ?? null],
    ['CANDIDATE_DEFINITION_NOTEBOOK', d.artifacts.candidateDefinitionNotebook ?? null],
    ['DATA_EXPLORATION_NOTEBOOK', d.artifacts.dataExplorationNotebook ?? null],
    ['EXPLAINABILITY', d.artifacts.explainability ?? null],
    ['MODEL_INSIGHTS', d.artifacts.modelInsights ?? null],
    ['RECORDED_IN_METADATA', d.metadata === undefined ? 'false' : 'true'],
  ];
  d.artifacts.modelDataUrls.forEach((url, i) => {
    rows.push(['MODEL_DATA_URL_' + formatInteger(i + 1), url]);
  });
  return rows;
}

/** `SME_STOP_SAGEMAKER_AUTOPILOT_JOB(job_name, connection, region)`: asks AWS to stop, records `Stopping`. */
export const stopEntry = jobEntry(STOP_COLUMNS, jobDeps, stopJob, (r) => [[r.jobName, r.status, r.recorded]]);

export const DROP_JOB_COLUMNS: readonly ResultColumn[] = [
  { name: 'JOB_NAME', type: 'VARCHAR(32) UTF8' },
  { name: 'JOB_STOPPED', type: 'BOOLEAN' },
  { name: 'ENDPOINTS_DELETED', type: 'DECIMAL(9,0)' },
  { name: 'OBJECTS_DELETED', type: 'DECIMAL(18,0)' },
];

/** `SME_DROP_SAGEMAKER_AUTOPILOT_JOB(job_name, connection, region)`: stop, delete endpoints and S3 prefixes, mark. */
export async function dropJobEntry(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const r = await dropJob(
    jobRef(jobName, connectionName, region),
    {},
    {
      ...endpointDeps(deps, context),
      automl: sqlAutoML(deps.sql, deps.json, context.schema),
      objects: sqlObjects(deps.sql, deps.json, context.schema),
    },
    endpointContext(context),
  );
  return {
    columns: DROP_JOB_COLUMNS,
    rows: [[r.plan.jobName, r.plan.stopJob, r.plan.endpoints.length, r.deletedObjects]],
  };
}
