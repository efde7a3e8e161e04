/** Public API of @sme/core: the training contract, naming, S3 layout, SQL builders, AutoML mapping, use cases, ports. */
export { SmeError, isSmeError } from './errors.js';
export type { SmeErrorKind, SmeErrorDetails } from './errors.js';
export { CORE_ERROR_CODES, catalogError, coreError } from './error-codes.js';
export type { CoreErrorCode, ErrorCodeInfo } from './error-codes.js';
export {
  parseTrainingParams,
  summariseParamProblems,
  modelNameProblem,
  isRegionShape,
  isRoleArn,
  isRoleName,
  REQUIRED_PARAM_KEYS,
  OPTIONAL_PARAM_KEYS,
  MAX_MODEL_NAME_LENGTH,
  MAX_RUNTIME_SECONDS,
  MAX_CANDIDATES_LIMIT,
  MIN_SAMPLE_ROWS,
  MAX_SAMPLE_ROWS,
} from './params.js';
export type { TrainingParams } from './params.js';
export {
  parseExasolIdentifier,
  quoteIdentifier,
  quoteLiteral,
  qualifiedName,
  MAX_IDENTIFIER_LENGTH,
} from './identifiers.js';
export type { ExasolIdentifier, IdentifierResult } from './identifiers.js';
export {
  jobNameFor,
  jobNameTakenError,
  modelNameOfJob,
  utcDateTime,
  compactUtcStamp,
  exasolTimestamp,
} from './job-name.js';
export type { UtcDateTime } from './job-name.js';
export { bucketNameProblem, keyPrefixProblem, isBucketName } from './aws/s3-names.js';
export { splitS3Uri, parseS3ObjectUri, formatS3Uri, MAX_S3_KEY_LENGTH } from './aws/s3-uri.js';
export type { S3Object } from './aws/s3-uri.js';
export { isRegionName, partitionOfRegion } from './aws/regions.js';
export type { AwsPartition } from './aws/regions.js';
export { isRolePathName, roleArnFor } from './aws/iam-roles.js';
export { isSageMakerName, isInstanceTypeShape } from './aws/sagemaker-names.js';
export { AWS_ERROR_CODES } from './aws/aws-error-codes.js';
export type { AwsErrorCode, AwsErrorCodeInfo } from './aws/aws-error-codes.js';
export { awsError, awsErrorCode, awsErrorName, knownAwsErrorCode, shortText } from './aws/aws-errors.js';
export type { AwsErrorAnswer, AwsErrorFacts } from './aws/aws-errors.js';
export {
  parseS3Uri,
  jobS3Layout,
  attemptIdFor,
  partFileNames,
  bucketOfConnectionAddress,
  checkConnectionBucket,
  exportFileCountFor,
  MAX_PART_FILES,
} from './s3-layout.js';
export type { S3Location, JobS3Layout, ConnectionBucket } from './s3-layout.js';
export {
  METADATA_TABLE,
  METADATA_COLUMNS,
  createMetadataTableSql,
  addMissingMetadataColumnsSql,
} from './sql/metadata-table.js';
export type { MetadataColumn } from './sql/metadata-table.js';
export {
  sqlLiteral,
  textOrNull,
  integerOrNull,
  tableColumnsSql,
  rowCountSql,
  trainingProfileSql,
  trainingRowCountSql,
  exportToS3Sql,
  sampleSelectSql,
  selectJobsSql,
  jobNameCountSql,
  insertJobSql,
  updateJobSql,
} from './sql/statements.js';
export type { SqlLiteralValue } from './sql/statements.js';
export { isCreateScript, literalsWithColon, parameterise, renderStatement, sqlPieces } from './sql/sql-statement.js';
export type { IdentifierBinding, SqlParamValue, SqlPiece, SqlStatement } from './sql/sql-statement.js';
export {
  PROBLEM_TYPES,
  TABULAR_OBJECTIVES,
  OBJECTIVES_BY_PROBLEM_TYPE,
  AUTOML_JOB_STATUSES,
  AUTOML_JOB_SECONDARY_STATUSES,
  TERMINAL_JOB_STATUSES,
  TERMINAL_SECONDARY_STATUSES,
  isTerminalJobStatus,
  isTerminalSecondaryStatus,
} from './automl-model.js';
export type { TabularObjective } from './automl-model.js';
export { createAutoMLJobRequest, CSV_WITH_HEADER } from './automl-mapping.js';
export {
  describeValue,
  formatNumber,
  formatInteger,
  lowerAscii,
  maskUserinfo,
  printable,
  encodeStringArray,
} from './text.js';
export type {
  ProblemType,
  AutoMLJobStatus,
  AutoMLJobSecondaryStatus,
  AutoMLS3DataSource,
  AutoMLJobChannel,
  AutoMLJobCompletionCriteria,
  CreateAutoMLJobV2Request,
  AutoMLMetric,
  AutoMLContainer,
  AutoMLCandidate,
  AutoMLJobDescription,
  AwsTarget,
  AutoMLPort,
  AutoMLPortFactory,
} from './ports/automl-port.js';
export type {
  EndpointStatus,
  EndpointDescription,
  EndpointPort,
  InferencePort,
  ObjectStorePort,
  ProductionVariant,
} from './ports/endpoint-port.js';
export type { SqlValue, SqlColumn, SqlRows, SqlPort, SqlQuery } from './ports/sql-port.js';
export { queryText } from './ports/sql-port.js';
export type {
  MetadataRow,
  MetadataValues,
  MetadataStore,
  MetadataStores,
  JobStore,
  EndpointStore,
  EndpointFilter,
  BatchPredictionStore,
  ModelStore,
  ModelPromotion,
} from './ports/metadata-store.js';
export { sqlMetadataStores, selectJobsQuery, selectEndpointsQuery } from './sql/sql-metadata-stores.js';
export { findPredictionUdf } from './use-cases/find-prediction-udf.js';
export type { RecordedPredictionUdf } from './use-cases/find-prediction-udf.js';
export type { Clock } from './ports/clock.js';
export type { Json } from './ports/json.js';
export type { Log } from './ports/log.js';
export type { ConnectionPort } from './ports/connection-port.js';
export type { IdentityPort } from './ports/identity-port.js';
export { mapLimit } from './map-limit.js';
export { createRateLimiter, RateLimiter } from './rate-limit.js';
export type { RateLimitOptions, RateLimitStats, RateLimitTimer } from './rate-limit.js';
export { SAGEMAKER_DESCRIBE_RATE } from './aws/request-rates.js';
export { startTraining, startValidatedTraining, MIN_TRAINING_ROWS } from './use-cases/start-training.js';
export { exportFileCount } from './use-cases/export-split.js';
export type { StartTrainingDeps, StartTrainingContext, StartTrainingResult } from './use-cases/start-training.js';
export {
  preflightTraining,
  checkExportSize,
  MAX_MULTICLASS_CLASSES,
  MAX_TRAINING_BYTES,
  MAX_TRAINING_COLUMNS,
  MAX_TRAINING_ROWS,
} from './use-cases/training-preflight.js';
export { planSample } from './use-cases/training-sample.js';
export type { SampleMethod, SamplePlan } from './use-cases/training-sample.js';
export {
  estimateTrainingCost,
  formatUsd,
  AUTOPILOT_PRICE_TABLE,
  ASSUMED_PARALLEL_CANDIDATES,
  DEFAULT_MAX_CANDIDATES,
} from './cost-estimate.js';
export type { CostEstimate, InstancePrice, RuntimeCaps } from './cost-estimate.js';
export type { PreflightResult, SuspectFeature } from './use-cases/training-preflight.js';
export {
  pollJob,
  describeJob,
  stopJob,
  listJobs,
  jobTarget,
  resolveJobName,
  resolveJobNameIn,
} from './use-cases/jobs.js';
export { droppedAtOf } from './use-cases/metadata-rows.js';
export {
  listJobCandidates,
  evaluateJob,
  explainJob,
  rankCandidates,
  rankFeatures,
  candidateAlgorithm,
} from './use-cases/insight.js';
export type {
  InsightDeps,
  CandidateRow,
  CandidatesResult,
  MetricRow,
  ConfusionMatrix,
  ResidualHistogram,
  RocCurve,
  EvaluationResult,
  FeatureRow,
  ExplanationResult,
} from './use-cases/insight.js';
export type { ObjectReaderPort, ObjectReaderPortFactory } from './ports/object-reader-port.js';
export {
  INSIGHTS_TABLE,
  INSIGHT_COLUMNS,
  createInsightsTableSql,
  selectInsightSql,
  deleteInsightSql,
  insertInsightSql,
} from './sql/insights-sql.js';
export type { InsightKind } from './sql/insights-sql.js';
export type { JobDeps, JobContext, JobRef, PollResult, JobDetails, JobListEntry } from './use-cases/jobs.js';
export type { StoreDeps } from './use-cases/stores.js';
export type { EndpointPortFactory, ObjectStorePortFactory } from './ports/endpoint-factories.js';
export {
  ENDPOINTS_TABLE,
  ENDPOINT_COLUMNS,
  createEndpointsTableSql,
  addMissingEndpointColumnsSql,
  insertEndpointSql,
  updateEndpointSql,
  selectEndpointsSql,
  dropScriptSql,
} from './sql/endpoints-sql.js';
export { parseColumnType } from './prediction/column-types.js';
export type { ColumnKind, ColumnType } from './prediction/column-types.js';
export { formatDouble, formatFixed, formatSignificant } from './prediction/number-format.js';
export { csvField, csvValueText, encodeCsvRow, parseCsv, utf8Length } from './prediction/csv.js';
export {
  PredictionBatcher,
  parsePredictions,
  MAX_INVOKE_BYTES,
  DEFAULT_BATCH_ROWS,
  MAX_BATCH_ROWS,
} from './prediction/batcher.js';
export type { BatchLimits, BatchStats, Prediction } from './prediction/batcher.js';
export {
  predictionUdfSql,
  predictionValue,
  predictionsType,
  udfParameterType,
  udfResultType,
  isClassification,
  luaStringLiteral,
  PREDICTIONS_COLUMN,
  PROBABILITY_COLUMN,
} from './prediction/prediction-udf.js';
export type { NamedColumn, PredictionUdfSpec } from './prediction/prediction-udf.js';
export { predictionCallSql, PREDICTION_GROUP_BY, PREDICTION_GROUPS_PER_NODE } from './prediction/prediction-call.js';
export { DEFAULT_KEY_TYPE, MAX_KEY_COLUMNS, parseKeyColumns, splitKeyList } from './prediction/key-columns.js';
export {
  MODEL_COLUMNS,
  MODELS_TABLE,
  createModelsTableSql,
  insertModelSql,
  selectModelsSql,
} from './sql/models-sql.js';
export { listModels, promoteModel, stableUdfName } from './use-cases/models.js';
export type { ModelEntry, PromoteModelDeps, PromoteModelInput, PromoteModelResult } from './use-cases/models.js';
export { deployEndpoint } from './use-cases/deploy-endpoint.js';
export { reapIdleEndpoints, recordEndpointUse, REAPED_STATUS } from './use-cases/reap-idle-endpoints.js';
export type { ReapResult, ReapedEndpoint, ReapFailure, ReapFilter } from './use-cases/reap-idle-endpoints.js';
export {
  parseIdleTtl,
  checkServerless,
  DEFAULT_SERVERLESS_MAX_CONCURRENCY,
  MAX_SERVERLESS_INVOKE_BYTES,
  MIN_IDLE_TTL_SECONDS,
  MAX_IDLE_TTL_SECONDS,
} from './use-cases/endpoint-options.js';
export type { ServerlessCapacity } from './use-cases/endpoint-options.js';
export { endpointStatus } from './use-cases/endpoint-status.js';
export { deleteEndpoint } from './use-cases/delete-endpoint.js';
export { listEndpoints } from './use-cases/list-endpoints.js';
export { modelContainers } from './use-cases/job-model.js';
export type { EndpointDeps, EndpointContext, EndpointRef } from './use-cases/endpoint-shared.js';
export type { DeployEndpointDeps, DeployEndpointInput, DeployEndpointResult } from './use-cases/deploy-endpoint.js';
export type { EndpointStatusResult } from './use-cases/endpoint-status.js';
export type { DeleteEndpointResult } from './use-cases/delete-endpoint.js';
export type { EndpointListEntry } from './use-cases/list-endpoints.js';
export { dropJob } from './use-cases/drop-job.js';
export type { DropJobDeps, DropJobRef, DropJobPlan, DropJobResult } from './use-cases/drop-job.js';

export type {
  CreateTransformJobRequest,
  TransformJobDescription,
  TransformJobStatus,
  TransformPort,
  TransformPortFactory,
} from './ports/transform-port.js';
export {
  BATCH_PREDICTIONS_TABLE,
  BATCH_PREDICTION_COLUMNS,
  createBatchPredictionsTableSql,
  createOutputTableSql,
  importFromS3Sql,
  insertBatchPredictionSql,
  selectBatchPredictionsSql,
  updateBatchPredictionSql,
} from './sql/batch-predictions-sql.js';
export {
  parseBatchPredictionParams,
  BATCH_PARAM_KEYS,
  DEFAULT_BATCH_INSTANCE_TYPE,
  MAX_BATCH_KEY_COLUMNS,
} from './use-cases/batch-prediction-params.js';
export type { BatchPredictionParams } from './use-cases/batch-prediction-params.js';
export { startBatchPrediction, batchS3Layout, outputFilter } from './use-cases/start-batch-prediction.js';
export type {
  BatchPredictionDeps,
  BatchPredictionContext,
  StartBatchPredictionResult,
} from './use-cases/start-batch-prediction.js';
export { pollBatchPrediction } from './use-cases/poll-batch-prediction.js';
export type {
  BatchPredictionRef,
  BatchPredictionStatus,
  PollBatchPredictionResult,
} from './use-cases/poll-batch-prediction.js';
