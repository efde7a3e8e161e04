/** Entry points of the batch prediction programs: start and poll. */
import { pollBatchPrediction, startBatchPrediction, type BatchPredictionDeps } from '@sme/core';
import { sqlAutoML, sqlEndpoints, sqlObjects, sqlTransforms } from './sql-aws.js';
import {
  argText,
  awsTarget,
  requiredText,
  endpointContext,
  storeDeps,
  type ScriptingDeps,
  type ScriptingContext,
  type ResultColumn,
  type ResultTable,
} from './entry-common.js';

export const BATCH_PREDICT_COLUMNS: readonly ResultColumn[] = [
  { name: 'BATCH_PREDICTION_NAME', type: 'VARCHAR(63) UTF8' },
  { name: 'STATUS', type: 'VARCHAR(32) UTF8' },
  { name: 'JOB_NAME', type: 'VARCHAR(32) UTF8' },
  { name: 'OUTPUT_TABLE', type: 'VARCHAR(300) UTF8' },
  { name: 'ROW_COUNT', type: 'DECIMAL(18,0)' },
  { name: 'S3_PREFIX_URI', type: 'VARCHAR(1024) UTF8' },
];

export const POLL_BATCH_PREDICTION_COLUMNS: readonly ResultColumn[] = [
  { name: 'BATCH_PREDICTION_NAME', type: 'VARCHAR(63) UTF8' },
  { name: 'STATUS', type: 'VARCHAR(32) UTF8' },
  { name: 'IMPORTED_ROWS', type: 'DECIMAL(18,0)' },
  { name: 'OUTPUT_TABLE', type: 'VARCHAR(300) UTF8' },
  { name: 'FAILURE_REASON', type: 'VARCHAR(2048) UTF8' },
];

function batchDeps(deps: ScriptingDeps, context: ScriptingContext): BatchPredictionDeps {
  return {
    ...storeDeps(deps),
    automl: sqlAutoML(deps.sql, deps.json, context.schema),
    endpoints: sqlEndpoints(deps.sql, deps.json, context.schema),
    transforms: sqlTransforms(deps.sql, deps.json, context.schema),
    objects: sqlObjects(deps.sql, deps.json, context.schema),
    clock: deps.clock,
    json: deps.json,
    log: deps.log,
  };
}

/**
 * `SME_BATCH_PREDICT_SAGEMAKER_AUTOPILOT(json)`: core's `startBatchPrediction` with the in-database ports; the
 * batch prediction's name is the first column of its one row.
 */
export async function batchPredictEntry(
  paramsJson: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const r = await startBatchPrediction(argText(paramsJson) ?? '', batchDeps(deps, context), endpointContext(context));
  return {
    columns: BATCH_PREDICT_COLUMNS,
    rows: [[r.name, r.status, r.jobName, r.outputTable, r.rowCount, r.s3PrefixUri]],
  };
}

/**
 * `SME_POLL_SAGEMAKER_BATCH_PREDICTION(name, connection, region)`: the transform's status, recorded; once it has
 * Completed, the results are IMPORTed into the output table (and the transform's S3 data removed).
 */
export async function pollBatchPredictionEntry(
  name: unknown,
  connectionName: unknown,
  region: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const r = await pollBatchPrediction(
    { name: requiredText(name, 'batch_prediction_name'), ...awsTarget(connectionName, region) },
    batchDeps(deps, context),
    endpointContext(context),
  );
  return {
    columns: POLL_BATCH_PREDICTION_COLUMNS,
    rows: [[r.name, r.status, r.importedRows ?? null, r.outputTable, r.failureReason ?? r.cleanupNote ?? null]],
  };
}
