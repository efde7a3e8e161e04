import {
  deleteEndpoint,
  deployEndpoint,
  describeJob,
  dropJob,
  endpointStatus,
  evaluateJob,
  exasolTimestamp,
  explainJob,
  formatInteger,
  formatNumber,
  isSmeError,
  listJobCandidates,
  pollBatchPrediction,
  pollJob,
  promoteModel,
  quoteIdentifier,
  startBatchPrediction,
  startTraining,
  stopJob,
  type Clock,
  type DeployEndpointInput,
  type InsightDeps,
  type Json,
  type JobDeps,
  type JobRef,
  type Log,
  type BatchPredictionDeps,
  type SqlPort,
  type SqlValue,
} from '@sme/core';
import { sqlAutoML, sqlConnections, sqlEndpoints, sqlObjectReader, sqlObjects, sqlTransforms } from './sql-aws.js';
import { udfError } from './udf-errors.js';

/** The ports a scripting program runs the use cases with (Lua: pquery, cjson, os.time, output). */
export interface ScriptingDeps {
  readonly sql: SqlPort;
  readonly json: Json;
  readonly clock: Clock;
  readonly log: Log;
}

/** Facts of the running script (Lua: `exa.meta`). */
export interface ScriptingContext {
  /** Schema the scripts were deployed to: it holds the metadata table and the UDFs. */
  readonly schema: string;
  /** Session id as digits. */
  readonly sessionId: string;
  readonly user: string;
}

/** One returned column: a regular identifier and its Exasol type. */
export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

/** What `EXECUTE SCRIPT` returns: rows, and the column definitions `exit(rows, spec)` needs. */
export interface ResultTable {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly SqlValue[])[];
}

/**
 * `"A" VARCHAR(10) UTF8, "B" DOUBLE`, the second argument of the scripting API's `exit`. The names are SQL, so they
 * are quoted: `KEY` and `VALUE` are reserved words (Exasol's Lua rule L7, packages/sandbox/README.md).
 */
export function columnsSpec(columns: readonly ResultColumn[]): string {
  return columns.map((c) => quoteIdentifier(c.name) + ' ' + c.type).join(', ');
}

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

function jobDeps(deps: ScriptingDeps, context: ScriptingContext): JobDeps {
  return { sql: deps.sql, automl: sqlAutoML(deps.sql, deps.json, context.schema), clock: deps.clock, log: deps.log };
}

/** A script argument as text; NULL (or a non-string) is undefined. */
function argText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function jobRef(jobName: unknown, connectionName: unknown, region: unknown): JobRef {
  const name = argText(jobName);
  if (name === undefined || name === '') {
    throw udfError('SME-E-UDF-ARGUMENT', 'job_name is required (received NULL or an empty text)', {
      key: 'job_name',
    });
  }
  const connection = argText(connectionName);
  const r = argText(region);
  return {
    jobName: name,
    ...(connection === undefined || connection === '' ? {} : { connectionName: connection }),
    ...(r === undefined || r === '' ? {} : { region: r }),
  };
}

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
      sql: deps.sql,
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
export async function pollEntry(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const result = await pollJob(jobRef(jobName, connectionName, region), jobDeps(deps, context), {
    metadataSchema: context.schema,
  });
  return { columns: POLL_COLUMNS, rows: [[result.status, result.secondaryStatus]] };
}

/** `SME_DESCRIBE_SAGEMAKER_AUTOPILOT_JOB(job_name, connection, region)`: KEY/VALUE rows, NULL where unknown. */
export async function describeEntry(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const d = await describeJob(jobRef(jobName, connectionName, region), jobDeps(deps, context), {
    metadataSchema: context.schema,
  });
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
  return { columns: DESCRIBE_COLUMNS, rows };
}

/** `SME_STOP_SAGEMAKER_AUTOPILOT_JOB(job_name, connection, region)`: asks AWS to stop, records `Stopping`. */
export async function stopEntry(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const r = await stopJob(jobRef(jobName, connectionName, region), jobDeps(deps, context), {
    metadataSchema: context.schema,
  });
  return { columns: STOP_COLUMNS, rows: [[r.jobName, r.status, r.recorded]] };
}

export const DEPLOY_ENDPOINT_COLUMNS: readonly ResultColumn[] = [
  { name: 'ENDPOINT_NAME', type: 'VARCHAR(63) UTF8' },
  { name: 'ENDPOINT_STATUS', type: 'VARCHAR(32) UTF8' },
  { name: 'PREDICTION_UDF', type: 'VARCHAR(300) UTF8' },
];

export const ENDPOINT_STATUS_COLUMNS: readonly ResultColumn[] = [
  { name: 'ENDPOINT_STATUS', type: 'VARCHAR(32) UTF8' },
  { name: 'FAILURE_REASON', type: 'VARCHAR(2048) UTF8' },
];

export const DELETE_ENDPOINT_COLUMNS: readonly ResultColumn[] = [
  { name: 'ENDPOINT_NAME', type: 'VARCHAR(63) UTF8' },
  { name: 'ENDPOINT_DELETED', type: 'BOOLEAN' },
  { name: 'ENDPOINT_CONFIG_DELETED', type: 'BOOLEAN' },
  { name: 'MODEL_DELETED', type: 'BOOLEAN' },
  { name: 'UDF_DROPPED', type: 'BOOLEAN' },
  { name: 'RECORDED', type: 'BOOLEAN' },
];

export const DROP_JOB_COLUMNS: readonly ResultColumn[] = [
  { name: 'JOB_NAME', type: 'VARCHAR(32) UTF8' },
  { name: 'JOB_STOPPED', type: 'BOOLEAN' },
  { name: 'ENDPOINTS_DELETED', type: 'DECIMAL(9,0)' },
  { name: 'OBJECTS_DELETED', type: 'DECIMAL(18,0)' },
];

/** Baked into the deploy-endpoint program: the prediction UDF's bundle and its runtime endpoint override. */
export interface PredictionUdfSource {
  readonly luaBundle: string;
  readonly awsEndpointUrl?: string;
  /** PEM roots trusted besides AWS's (`sme deploy --aws-ca-file`), baked into each prediction UDF. */
  readonly extraRootsPem?: string;
}

function requiredText(value: unknown, key: string): string {
  const t = argText(value);
  if (t === undefined || t === '') {
    throw udfError('SME-E-UDF-ARGUMENT', key + ' is required (received NULL or an empty text)', { key });
  }
  return t;
}

/** A whole-number argument: a number, or its digits as text (Exasol hands DECIMAL arguments over as text). */
function wholeNumber(value: unknown, key: string): number {
  if (typeof value === 'number') return value;
  const t = argText(value);
  if (t !== undefined && t.length > 0 && t.length <= 9) {
    let n = 0;
    for (let i = 0; i < t.length; i++) {
      const b = t.charCodeAt(i);
      if (b < 48 || b > 57) return Number.NaN;
      n = n * 10 + (b - 48);
    }
    return n;
  }
  throw udfError('SME-E-UDF-ARGUMENT', key + ' is required as a whole number (received NULL or non-numeric text)', {
    key,
  });
}

function endpointContext(context: ScriptingContext) {
  return {
    metadataSchema: context.schema,
    ...(context.sessionId === '' ? {} : { sessionId: context.sessionId }),
    ...(context.user === '' ? {} : { user: context.user }),
  };
}

/** The positional arguments of the deploy-endpoint program, in order: also the keys of its JSON form. */
const DEPLOY_ARGUMENTS = [
  'job_name',
  'endpoint_name',
  'schema_name',
  'instance_type',
  'instance_count',
  'aws_credentials_connection_name',
  'aws_region',
] as const;

/** Keys only the JSON form has. */
const DEPLOY_JSON_ONLY = ['key_columns'];

/**
 * The deploy-endpoint program's input from its JSON form: one object in the first argument (the other six NULL),
 * with the positional arguments' names as keys (`instance_type` defaults to ml.m5.large, `instance_count` to 1)
 * and `key_columns`, a JSON array of `NAME` or `NAME TYPE` texts.
 */
function deployJsonInput(text: string, rest: readonly unknown[], json: Json): DeployEndpointInput {
  const problem = (message: string, key = 'job_name'): Error =>
    udfError('SME-E-UDF-ARGUMENT', message, { key, remedy: DEPLOY_JSON_REMEDY });
  if (rest.some((v) => v !== undefined && v !== null)) {
    throw problem('with a JSON object in the first argument, the other six arguments must be NULL');
  }
  let decoded: unknown;
  try {
    decoded = json.decode(text);
  } catch {
    throw problem('the first argument starts with { but is not well-formed JSON');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw problem('the first argument starts with { but is not a JSON object');
  }
  const object = decoded as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(object)) {
    if (!(DEPLOY_ARGUMENTS as readonly string[]).includes(key) && !DEPLOY_JSON_ONLY.includes(key)) {
      throw problem(
        'unknown key ' + key + ' (keys: ' + [...DEPLOY_ARGUMENTS, ...DEPLOY_JSON_ONLY].join(', ') + ')',
        key,
      );
    }
  }
  const keyColumns = object.key_columns;
  const keys: string[] = [];
  if (keyColumns !== undefined && keyColumns !== null) {
    if (!Array.isArray(keyColumns) || keyColumns.some((k) => typeof k !== 'string')) {
      throw problem('key_columns must be a JSON array of texts such as "ID DECIMAL(18,0)"', 'key_columns');
    }
    for (const k of keyColumns as string[]) keys.push(k);
  }
  return {
    jobName: requiredText(object.job_name, 'job_name'),
    endpointName: requiredText(object.endpoint_name, 'endpoint_name'),
    schemaName: requiredText(object.schema_name, 'schema_name'),
    instanceType:
      object.instance_type === undefined ? 'ml.m5.large' : requiredText(object.instance_type, 'instance_type'),
    instanceCount: object.instance_count === undefined ? 1 : wholeNumber(object.instance_count, 'instance_count'),
    connectionName: requiredText(object.aws_credentials_connection_name, 'aws_credentials_connection_name'),
    region: requiredText(object.aws_region, 'aws_region'),
    keyColumns: keys,
  };
}

const DEPLOY_JSON_REMEDY =
  'Call SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT(\'{"job_name": "…", "endpoint_name": "…", "schema_name": "…", ' +
  '"aws_credentials_connection_name": "…", "aws_region": "…", "key_columns": ["ID DECIMAL(18,0)"]}\', NULL, NULL, NULL, NULL, NULL, NULL).';

/**
 * `SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT(job_name, endpoint_name, schema_name, instance_type, instance_count,
 * connection, region)`: core's `deployEndpoint` (model → config → endpoint, not waiting for InService, then the
 * prediction UDF and the endpoints row). A JSON object in the first argument (the others NULL) gives the same
 * values by name, plus `key_columns`.
 */
export async function deployEndpointEntry(
  args: readonly unknown[],
  prediction: PredictionUdfSource,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const first = argText(args[0]);
  let input: DeployEndpointInput;
  if (first !== undefined && first.trim().startsWith('{')) {
    input = deployJsonInput(first, args.slice(1, DEPLOY_ARGUMENTS.length), deps.json);
  } else {
    const texts = DEPLOY_ARGUMENTS.slice(0, 4).map((k, i) => requiredText(args[i], k));
    input = {
      jobName: texts[0] ?? '',
      endpointName: texts[1] ?? '',
      schemaName: texts[2] ?? '',
      instanceType: texts[3] ?? '',
      instanceCount: wholeNumber(args[4], 'instance_count'),
      connectionName: requiredText(args[5], 'aws_credentials_connection_name'),
      region: requiredText(args[6], 'aws_region'),
    };
  }
  const r = await deployEndpoint(
    input,
    {
      sql: deps.sql,
      endpoints: sqlEndpoints(deps.sql, deps.json, context.schema),
      automl: sqlAutoML(deps.sql, deps.json, context.schema),
      clock: deps.clock,
      log: deps.log,
      json: deps.json,
      predictionUdf: {
        luaBundle: prediction.luaBundle,
        ...(prediction.awsEndpointUrl === undefined ? {} : { awsEndpointUrl: prediction.awsEndpointUrl }),
        ...(prediction.extraRootsPem === undefined ? {} : { extraRootsPem: prediction.extraRootsPem }),
      },
    },
    endpointContext(context),
  );
  return { columns: DEPLOY_ENDPOINT_COLUMNS, rows: [[r.endpointName, r.status, r.predictionUdf]] };
}

export const PROMOTE_COLUMNS: readonly ResultColumn[] = [
  { name: 'MODEL_NAME', type: 'VARCHAR(64) UTF8' },
  { name: 'JOB_NAME', type: 'VARCHAR(32) UTF8' },
  { name: 'ENDPOINT_NAME', type: 'VARCHAR(63) UTF8' },
  { name: 'PREDICTION_UDF', type: 'VARCHAR(300) UTF8' },
  { name: 'PREVIOUS_JOB_NAME', type: 'VARCHAR(32) UTF8' },
];

/**
 * `SME_PROMOTE_SAGEMAKER_AUTOPILOT_MODEL(job_name, model_name, endpoint_name)`: core's `promoteModel` (the stable UDF
 * `PREDICT_<NAME>` over the job's endpoint, `endpoint_name` NULL for its newest; the promotion recorded with
 * CURRENT_USER).
 */
export async function promoteModelEntry(
  jobName: unknown,
  modelName: unknown,
  endpointName: unknown,
  prediction: PredictionUdfSource,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const endpoint = argText(endpointName);
  const r = await promoteModel(
    {
      jobName: requiredText(jobName, 'job_name'),
      modelName: requiredText(modelName, 'model_name'),
      ...(endpoint === undefined || endpoint === '' ? {} : { endpointName: endpoint }),
    },
    {
      sql: deps.sql,
      json: deps.json,
      clock: deps.clock,
      log: deps.log,
      predictionUdf: {
        luaBundle: prediction.luaBundle,
        ...(prediction.awsEndpointUrl === undefined ? {} : { awsEndpointUrl: prediction.awsEndpointUrl }),
        ...(prediction.extraRootsPem === undefined ? {} : { extraRootsPem: prediction.extraRootsPem }),
      },
    },
    { metadataSchema: context.schema, ...(context.user === '' ? {} : { user: context.user }) },
  );
  return {
    columns: PROMOTE_COLUMNS,
    rows: [[r.modelName, r.jobName, r.endpointName, r.predictionUdf, r.previousJobName ?? null]],
  };
}

function endpointRef(endpointName: unknown, connectionName: unknown, region: unknown) {
  const name = requiredText(endpointName, 'endpoint_name');
  const connection = argText(connectionName);
  const r = argText(region);
  return {
    endpointName: name,
    ...(connection === undefined || connection === '' ? {} : { connectionName: connection }),
    ...(r === undefined || r === '' ? {} : { region: r }),
  };
}

function endpointDeps(deps: ScriptingDeps, context: ScriptingContext) {
  return {
    sql: deps.sql,
    endpoints: sqlEndpoints(deps.sql, deps.json, context.schema),
    clock: deps.clock,
    log: deps.log,
  };
}

/** `SME_SAGEMAKER_AUTOPILOT_ENDPOINT_STATUS(endpoint_name, connection, region)`: AWS's status, recorded. */
export async function endpointStatusEntry(
  endpointName: unknown,
  connectionName: unknown,
  region: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const r = await endpointStatus(
    endpointRef(endpointName, connectionName, region),
    endpointDeps(deps, context),
    endpointContext(context),
  );
  return { columns: ENDPOINT_STATUS_COLUMNS, rows: [[r.status, r.failureReason ?? null]] };
}

/** `SME_DELETE_SAGEMAKER_AUTOPILOT_ENDPOINT(endpoint_name, connection, region)`: endpoint, config, model, UDF, row. */
export async function deleteEndpointEntry(
  endpointName: unknown,
  connectionName: unknown,
  region: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const r = await deleteEndpoint(
    endpointRef(endpointName, connectionName, region),
    endpointDeps(deps, context),
    endpointContext(context),
  );
  return {
    columns: DELETE_ENDPOINT_COLUMNS,
    rows: [[r.endpointName, r.deleted.endpoint, r.deleted.endpointConfig, r.deleted.model, r.udfDropped, r.recorded]],
  };
}

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
export async function candidatesEntry(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const r = await listJobCandidates(jobRef(jobName, connectionName, region), insightDeps(deps, context), {
    metadataSchema: context.schema,
  });
  return {
    columns: CANDIDATES_COLUMNS,
    rows: r.candidates.map((c) => [
      c.candidateName,
      c.rank,
      c.objectiveMetric ?? null,
      c.objectiveValue ?? null,
      c.candidateStatus,
      c.algorithm ?? null,
      c.trainingSeconds ?? null,
      c.isBest,
    ]),
  };
}

/** `SME_EVALUATE_SAGEMAKER_AUTOPILOT_JOB(job_name, connection, region)`: the best candidate's validation metrics. */
export async function evaluateEntry(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const r = await evaluateJob(jobRef(jobName, connectionName, region), insightDeps(deps, context), {
    metadataSchema: context.schema,
  });
  return { columns: EVALUATE_COLUMNS, rows: r.metrics.map((m) => [m.metricName, m.value, m.set]) };
}

/** `SME_EXPLAIN_SAGEMAKER_AUTOPILOT_JOB(job_name, connection, region)`: feature importance, most important first. */
export async function explainEntry(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const r = await explainJob(jobRef(jobName, connectionName, region), insightDeps(deps, context), {
    metadataSchema: context.schema,
  });
  return { columns: EXPLAIN_COLUMNS, rows: r.features.map((f) => [f.feature, f.importance, f.rank]) };
}

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
    sql: deps.sql,
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
  const connection = argText(connectionName);
  const r0 = argText(region);
  const r = await pollBatchPrediction(
    {
      name: requiredText(name, 'batch_prediction_name'),
      ...(connection === undefined || connection === '' ? {} : { connectionName: connection }),
      ...(r0 === undefined || r0 === '' ? {} : { region: r0 }),
    },
    batchDeps(deps, context),
    endpointContext(context),
  );
  return {
    columns: POLL_BATCH_PREDICTION_COLUMNS,
    rows: [[r.name, r.status, r.importedRows ?? null, r.outputTable, r.failureReason ?? r.cleanupNote ?? null]],
  };
}

function oneLine(text: string): string {
  return text.split('\n').join(' ');
}

/**
 * The text a failing script raises with `error()`: starts with the stable code, then what was wrong (with every
 * listed problem), Exasol's sqlCode or AWS's request id when known, and the remedy.
 */
export function errorText(e: unknown): string {
  if (!isSmeError(e)) {
    const what = typeof e === 'string' ? e : e instanceof Error ? e.message : 'an error that is not a message';
    return (
      'SME-E-UDF-INTERNAL: ' + oneLine(what) + '. ' + 'Run the statement again; if it persists, report this message.'
    );
  }
  let text = e.message.startsWith(e.code) ? e.message : e.code + ': ' + e.message;
  const problems = e.details.problems ?? [];
  for (const p of problems) {
    if (!text.includes(p.code)) text += '; ' + p.code + ': ' + p.message;
  }
  if (e.details.sqlCode !== undefined && !text.includes(e.details.sqlCode)) {
    text += ' (Exasol SQL code ' + e.details.sqlCode + ')';
  }
  if (e.details.requestId !== undefined && !text.includes(e.details.requestId)) {
    text += ' (AWS request id ' + e.details.requestId + ')';
  }
  const remedy = e.details.remedy;
  if (remedy !== undefined && !text.includes(remedy)) text += '. Remedy: ' + remedy;
  return oneLine(text);
}
