/**
 * The scripting programs' entry points (what each `EXECUTE SCRIPT` program runs), split by responsibility into
 * entry-common.ts, job-entries.ts, endpoint-entries.ts, insight-entries.ts and batch-entries.ts; re-exported here so
 * that importers of this module keep working.
 */
export { columnsSpec, errorText } from './entry-common.js';
export type { ScriptingDeps, ScriptingContext, ResultColumn, ResultTable } from './entry-common.js';
export {
  TRAIN_COLUMNS,
  POLL_COLUMNS,
  DESCRIBE_COLUMNS,
  STOP_COLUMNS,
  trainEntry,
  pollEntry,
  describeEntry,
  stopEntry,
  DROP_JOB_COLUMNS,
  dropJobEntry,
} from './job-entries.js';
export {
  DEPLOY_ENDPOINT_COLUMNS,
  ENDPOINT_STATUS_COLUMNS,
  DELETE_ENDPOINT_COLUMNS,
  deployEndpointEntry,
  PROMOTE_COLUMNS,
  promoteModelEntry,
  endpointStatusEntry,
  deleteEndpointEntry,
  REAP_COLUMNS,
  reapIdleEndpointsEntry,
} from './endpoint-entries.js';
export type { PredictionUdfSource } from './endpoint-entries.js';
export {
  CANDIDATES_COLUMNS,
  EVALUATE_COLUMNS,
  EXPLAIN_COLUMNS,
  candidatesEntry,
  evaluateEntry,
  explainEntry,
} from './insight-entries.js';
export {
  BATCH_PREDICT_COLUMNS,
  POLL_BATCH_PREDICTION_COLUMNS,
  batchPredictEntry,
  pollBatchPredictionEntry,
} from './batch-entries.js';
