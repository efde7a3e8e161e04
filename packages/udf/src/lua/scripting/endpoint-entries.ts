/** Entry points of the endpoint programs: deploy, promote, status, delete, reap idle endpoints. */
import {
  deleteEndpoint,
  deployEndpoint,
  endpointStatus,
  promoteModel,
  reapIdleEndpoints,
  type DeployEndpointInput,
  type Json,
} from '@sme/core';
import { sqlAutoML, sqlEndpoints } from './sql-aws.js';
import { udfError } from './udf-errors.js';
import {
  argText,
  requiredText,
  wholeNumber,
  endpointContext,
  endpointEntry,
  endpointDeps,
  storeDeps,
  type ScriptingDeps,
  type ScriptingContext,
  type ResultColumn,
  type ResultTable,
} from './entry-common.js';

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

/** Baked into the deploy-endpoint program: the prediction UDF's bundle and its runtime endpoint override. */
export interface PredictionUdfSource {
  readonly luaBundle: string;
  readonly awsEndpointUrl?: string;
  /** PEM roots trusted besides AWS's (`sme deploy --aws-ca-file`), baked into each prediction UDF. */
  readonly extraRootsPem?: string;
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
const DEPLOY_JSON_ONLY = ['key_columns', 'idle_ttl', 'serverless_memory_mb', 'serverless_max_concurrency'];

/**
 * The deploy-endpoint program's input from its JSON form: one object in the first argument (the other six NULL),
 * with the positional arguments' names as keys (`instance_type` defaults to ml.m5.large, `instance_count` to 1),
 * `key_columns`, a JSON array of `NAME` or `NAME TYPE` texts, `idle_ttl` (`"2h"` or seconds) and
 * `serverless_memory_mb` [+ `serverless_max_concurrency`] for a serverless endpoint (no instance type or count then).
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
  const serverlessMemory = object.serverless_memory_mb;
  const serverless = serverlessMemory !== undefined && serverlessMemory !== null;
  if (serverless && (object.instance_type !== undefined || object.instance_count !== undefined)) {
    throw problem(
      'a serverless endpoint (serverless_memory_mb) takes no instance_type or instance_count',
      'instance_type',
    );
  }
  if (!serverless && object.serverless_max_concurrency !== undefined) {
    throw problem('serverless_max_concurrency needs serverless_memory_mb', 'serverless_max_concurrency');
  }
  const idleTtl = object.idle_ttl;
  if (idleTtl !== undefined && idleTtl !== null && typeof idleTtl !== 'string' && typeof idleTtl !== 'number') {
    throw problem('idle_ttl must be a text such as "2h" or a number of seconds', 'idle_ttl');
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
    ...(serverless
      ? {
          serverless: {
            memoryMb: wholeNumber(serverlessMemory, 'serverless_memory_mb'),
            ...(object.serverless_max_concurrency === undefined || object.serverless_max_concurrency === null
              ? {}
              : { maxConcurrency: wholeNumber(object.serverless_max_concurrency, 'serverless_max_concurrency') }),
          },
        }
      : {}),
    ...(idleTtl === undefined || idleTtl === null ? {} : { idleTtl }),
  };
}

const DEPLOY_JSON_REMEDY =
  'Call SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT(\'{"job_name": "…", "endpoint_name": "…", "schema_name": "…", ' +
  '"aws_credentials_connection_name": "…", "aws_region": "…", "key_columns": ["ID DECIMAL(18,0)"], "idle_ttl": "2h"}\', ' +
  'NULL, NULL, NULL, NULL, NULL, NULL); for a serverless endpoint give "serverless_memory_mb": 2048 instead of instance_type.';

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
      ...storeDeps(deps),
      endpoints: sqlEndpoints(deps.sql, deps.json, context.schema),
      automl: sqlAutoML(deps.sql, deps.json, context.schema),
      clock: deps.clock,
      log: deps.log,
      json: deps.json,
      predictionUdf: prediction,
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
      ...storeDeps(deps),
      json: deps.json,
      clock: deps.clock,
      log: deps.log,
      predictionUdf: prediction,
    },
    { metadataSchema: context.schema, ...(context.user === '' ? {} : { user: context.user }) },
  );
  return {
    columns: PROMOTE_COLUMNS,
    rows: [[r.modelName, r.jobName, r.endpointName, r.predictionUdf, r.previousJobName ?? null]],
  };
}

/** `SME_SAGEMAKER_AUTOPILOT_ENDPOINT_STATUS(endpoint_name, connection, region)`: AWS's status, recorded. */
export const endpointStatusEntry = endpointEntry(ENDPOINT_STATUS_COLUMNS, endpointStatus, (r) => [
  [r.status, r.failureReason ?? null],
]);

/** `SME_DELETE_SAGEMAKER_AUTOPILOT_ENDPOINT(endpoint_name, connection, region)`: endpoint, config, model, UDF, row. */
export const deleteEndpointEntry = endpointEntry(DELETE_ENDPOINT_COLUMNS, deleteEndpoint, (r) => [
  [r.endpointName, r.deleted.endpoint, r.deleted.endpointConfig, r.deleted.model, r.udfDropped, r.recorded],
]);

export const REAP_COLUMNS: readonly ResultColumn[] = [
  { name: 'ENDPOINT_NAME', type: 'VARCHAR(63) UTF8' },
  { name: 'JOB_NAME', type: 'VARCHAR(32) UTF8' },
  { name: 'IDLE_DEADLINE', type: 'TIMESTAMP' },
  /** `Reaped`, or `Failed` when it could not be deleted (it is tried again next time). */
  { name: 'RESULT', type: 'VARCHAR(16) UTF8' },
  { name: 'PROBLEM', type: 'VARCHAR(2000) UTF8' },
];

const REAP_KEYS = ['aws_credentials_connection_name', 'aws_region'];

/**
 * `SME_REAP_IDLE_ENDPOINTS(json)`: core's `reapIdleEndpoints`: deletes every recorded endpoint past its idle deadline
 * (endpoint, config, model, prediction UDF; its row marked `Reaped`) and returns one row per endpoint it tried. The
 * JSON (or NULL, or `{}`) may name `aws_credentials_connection_name` and `aws_region` to reap only the endpoints
 * recorded with them.
 */
export async function reapIdleEndpointsEntry(
  paramsJson: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
): Promise<ResultTable> {
  const text = argText(paramsJson);
  const problem = (message: string, key = 'json'): Error =>
    udfError('SME-E-UDF-ARGUMENT', message, {
      key,
      remedy: 'Call SME_REAP_IDLE_ENDPOINTS(\'{}\') or SME_REAP_IDLE_ENDPOINTS(\'{"aws_region": "eu-central-1"}\').',
    });
  let filter: { connectionName?: string; region?: string } = {};
  if (text !== undefined && text.trim() !== '') {
    let decoded: unknown;
    try {
      decoded = deps.json.decode(text);
    } catch {
      throw problem('the argument is not well-formed JSON');
    }
    // In Lua `{}` decodes to an empty table, which is also an empty array: only a non-empty array is refused.
    if (typeof decoded !== 'object' || decoded === null || (Array.isArray(decoded) && decoded.length > 0)) {
      throw problem('the argument is not a JSON object');
    }
    const object = decoded as Readonly<Record<string, unknown>>;
    for (const key of Object.keys(object)) {
      if (!REAP_KEYS.includes(key)) throw problem('unknown key ' + key + ' (keys: ' + REAP_KEYS.join(', ') + ')', key);
    }
    const connection = argText(object.aws_credentials_connection_name);
    const region = argText(object.aws_region);
    filter = {
      ...(connection === undefined ? {} : { connectionName: connection }),
      ...(region === undefined ? {} : { region }),
    };
  }
  const r = await reapIdleEndpoints(endpointDeps(deps, context), endpointContext(context), filter);
  return {
    columns: REAP_COLUMNS,
    rows: [
      ...r.reaped.map((e) => [e.endpointName, e.jobName ?? null, e.idleDeadline, 'Reaped', null]),
      ...r.failed.map((e) => [e.endpointName, e.jobName ?? null, e.idleDeadline, 'Failed', e.problem]),
    ],
  };
}
