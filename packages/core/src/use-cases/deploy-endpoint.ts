import { coreError } from '../error-codes.js';
import { qualifiedName } from '../identifiers.js';
import { exasolTimestamp } from '../job-name.js';
import { parseKeyColumns } from '../prediction/key-columns.js';
import { isInstanceTypeShape } from '../aws/sagemaker-names.js';
import { predictionUdfSql, type NamedColumn } from '../prediction/prediction-udf.js';
import type { AutoMLPortFactory, AwsTarget, ProblemType } from '../ports/automl-port.js';
import type { Json } from '../ports/json.js';
import { textOrNull } from '../sql/statements.js';
import { describeValue, isAllDigits, isIntegral } from '../text.js';
import {
  checkEndpointName,
  checkRegion,
  identifier,
  now,
  type EndpointContext,
  type EndpointDeps,
} from './endpoint-shared.js';
import {
  checkServerless,
  MAX_SERVERLESS_INVOKE_BYTES,
  parseIdleTtl,
  type ServerlessCapacity,
} from './endpoint-options.js';
import { modelContainers, trainingColumns } from './job-model.js';
import { droppedAtOf, textOf } from './metadata-rows.js';
import { undoFailedStart } from './start-training-safety.js';
import { storesOf } from './stores.js';

export interface DeployEndpointDeps extends EndpointDeps {
  readonly automl: AutoMLPortFactory;
  readonly json: Json;
  /** The prediction UDF's Lua bundle (from @sme/udf) and the runtime endpoint override baked into it. */
  readonly predictionUdf: {
    readonly luaBundle: string;
    readonly awsEndpointUrl?: string;
    /** PEM roots the UDF trusts besides AWS's (`sme deploy --aws-ca-file`). */
    readonly extraRootsPem?: string;
    /** Rows per InvokeEndpoint request (default: as many as fit below the body limit); 1 turns batching off (benchmarks). */
    readonly maxRows?: number;
  };
}

export interface DeployEndpointInput {
  readonly jobName: string;
  readonly endpointName: string;
  /** Schema of the prediction UDF, as written in SQL (`ml` → ML, `"Ml"` → Ml). */
  readonly schemaName: string;
  /** Instances behind the endpoint; not used (and not checked) when `serverless` is given. */
  readonly instanceType: string;
  readonly instanceCount: number;
  /** Serverless inference instead of instances (ProductionVariants[].ServerlessConfig). */
  readonly serverless?: ServerlessCapacity;
  /**
   * Idle time-to-live (`2h`, or seconds): the endpoint is deleted by reapIdleEndpoints once this long has passed
   * since deploy or since the last use sme recorded. Kept until deleted when absent.
   */
  readonly idleTtl?: string | number;
  readonly connectionName: string;
  readonly region: string;
  /**
   * Key columns the prediction UDF takes before the features and emits unchanged: `NAME` or `NAME TYPE`
   * (`parseKeyColumns`). None when absent.
   */
  readonly keyColumns?: readonly string[];
}

export interface DeployEndpointResult {
  readonly endpointName: string;
  readonly modelName: string;
  readonly endpointConfigName: string;
  /** Always `Creating`: deploy does not wait (follow it with endpointStatus). */
  readonly status: 'Creating';
  readonly problemType: ProblemType;
  /** The prediction UDF, quoted: `"ML"."churn-ep"`. */
  readonly predictionUdf: string;
  readonly features: readonly NamedColumn[];
  /** Key columns the UDF takes first and emits unchanged (empty without keys). */
  readonly keys: readonly NamedColumn[];
  /** The serverless capacity it was deployed with, if any. */
  readonly serverless?: Required<ServerlessCapacity>;
  /** Its idle deadline as an Exasol timestamp text (`YYYY-MM-DD HH:MI:SS.FFF`, UTC), if it has a TTL. */
  readonly idleDeadline?: string;
}

/**
 * Deploys the best candidate of a completed job: CreateModel → CreateEndpointConfig → CreateEndpoint → row in
 * SME_METADATA_AUTOPILOT_ENDPOINTS → the prediction UDF `<schema>."<endpoint>"`. Returns while the endpoint is
 * still Creating. Input is validated before anything is created; if a later step fails, what was created is
 * deleted again and both errors are reported (`SME-E-DEPLOY-COMPENSATED`, or `SME-E-DEPLOY-UNTRACKED`).
 *
 * @example
 * await deployEndpoint({ jobName, endpointName: 'churn-ep', schemaName: 'ML', instanceType: 'ml.m5.large',
 *   instanceCount: 1, connectionName: 'AWS', region: 'eu-central-1' }, deps, { metadataSchema: 'SME' });
 */
export async function deployEndpoint(
  input: DeployEndpointInput,
  deps: DeployEndpointDeps,
  context: EndpointContext,
): Promise<DeployEndpointResult> {
  checkEndpointName(input.endpointName);
  const serverless = input.serverless === undefined ? undefined : checkServerless(input.serverless);
  const idleTtlSeconds = input.idleTtl === undefined ? undefined : parseIdleTtl(input.idleTtl);
  if (serverless === undefined && !isInstanceTypeShape(input.instanceType)) {
    throw coreError(
      'SME-E-ENDPOINT-INSTANCE-TYPE',
      'instance type ' + describeValue(input.instanceType) + ' is not of the form ml.<family>.<size>',
      { key: 'instance_type', value: describeValue(input.instanceType) },
    );
  }
  const count = input.instanceCount;
  if (serverless === undefined && (typeof count !== 'number' || !isIntegral(count) || count < 1 || count > 100)) {
    throw coreError(
      'SME-E-ENDPOINT-INSTANCE-COUNT',
      'instance count ' + describeValue(count) + ' is not a whole number from 1 to 100',
      { key: 'instance_count', value: describeValue(count) },
    );
  }
  const schema = identifier(input.schemaName, 'schema_name');
  const keys = parseKeyColumns(input.keyColumns ?? []);
  const connectionName = identifier(input.connectionName, 'connection');
  checkRegion(input.region);
  if (context.sessionId !== undefined && !isAllDigits(context.sessionId)) {
    throw coreError('SME-E-ARGUMENT', 'the session id must be digits', { key: 'sessionId' });
  }

  const stores = storesOf(deps, context.metadataSchema);
  const row = await stores.jobs.find(input.jobName);
  if (row === undefined) {
    throw coreError(
      'SME-E-JOB-NOT-FOUND',
      'job ' + describeValue(input.jobName) + ' is not in the metadata table; its training columns are unknown',
      { key: 'job_name', value: describeValue(input.jobName) },
    );
  }
  if (droppedAtOf(row) !== undefined) {
    throw coreError(
      'SME-E-ENDPOINT-JOB-DROPPED',
      'job ' +
        describeValue(input.jobName) +
        ' was dropped (at ' +
        (droppedAtOf(row) ?? '') +
        '): its model artifacts are deleted, so it cannot be deployed',
      { key: 'job_name', value: describeValue(input.jobName) },
    );
  }
  const target: AwsTarget = { connectionName, region: input.region };
  const job = await deps.automl(target).describeJob(input.jobName);
  const best = job.BestCandidate;
  const containers = best?.InferenceContainers ?? [];
  if (job.AutoMLJobStatus !== 'Completed' || best === undefined || containers.length === 0) {
    throw coreError(
      'SME-E-ENDPOINT-JOB-NOT-READY',
      'job ' +
        describeValue(input.jobName) +
        ' is ' +
        job.AutoMLJobStatus +
        (best === undefined ? ' without a best candidate' : '') +
        '; only a Completed job with a best candidate can be deployed',
      { key: 'job_name', value: describeValue(input.jobName) },
    );
  }
  const problemType =
    (textOf(row, 'PROBLEM_TYPE') as ProblemType | undefined) ??
    job.ResolvedAttributes?.AutoMLProblemTypeResolvedAttributes?.TabularResolvedAttributes?.ProblemType;
  if (problemType === undefined) {
    throw coreError(
      'SME-E-ENDPOINT-JOB-NOT-READY',
      'the problem type of job ' + describeValue(input.jobName) + ' is unknown',
      {
        key: 'job_name',
        value: describeValue(input.jobName),
      },
    );
  }
  const roleArn = textOf(row, 'IAM_SAGEMAKER_ROLE') ?? job.RoleArn ?? '';
  const { features, target: targetColumn } = trainingColumns(row, deps.json);
  // Built before anything is created: a problem with the columns must not leave an endpoint behind.
  const udfSql = predictionUdfSql(
    {
      schema,
      endpointName: input.endpointName,
      features,
      keys,
      target: targetColumn,
      problemType,
      connectionName,
      region: input.region,
      ...(deps.predictionUdf.awsEndpointUrl === undefined ? {} : { awsEndpointUrl: deps.predictionUdf.awsEndpointUrl }),
      ...(deps.predictionUdf.extraRootsPem === undefined ? {} : { extraRootsPem: deps.predictionUdf.extraRootsPem }),
      ...(deps.predictionUdf.maxRows === undefined ? {} : { maxRows: deps.predictionUdf.maxRows }),
      // Serverless invocations carry at most 4 MB.
      ...(serverless === undefined ? {} : { maxBytes: MAX_SERVERLESS_INVOKE_BYTES }),
    },
    deps.predictionUdf.luaBundle,
  );

  // Model, config and endpoint live in separate SageMaker namespaces: one name for all three keeps them findable.
  const modelName = input.endpointName;
  const configName = input.endpointName;
  const port = deps.endpoints(target);
  const undo: { what: string; run: () => Promise<unknown> }[] = [];
  const deadline =
    idleTtlSeconds === undefined ? undefined : exasolTimestamp(deps.clock.nowMillis() + idleTtlSeconds * 1000);
  try {
    await port.createModel({
      ModelName: modelName,
      ExecutionRoleArn: roleArn,
      Containers: modelContainers(containers, problemType),
    });
    undo.push({ what: 'model ' + modelName, run: () => port.deleteModel(modelName) });
    await port.createEndpointConfig({
      EndpointConfigName: configName,
      ProductionVariants: [
        serverless === undefined
          ? {
              VariantName: 'AllTraffic',
              ModelName: modelName,
              InstanceType: input.instanceType,
              InitialInstanceCount: count,
            }
          : {
              VariantName: 'AllTraffic',
              ModelName: modelName,
              ServerlessConfig: { MemorySizeInMB: serverless.memoryMb, MaxConcurrency: serverless.maxConcurrency },
            },
      ],
    });
    undo.push({ what: 'endpoint config ' + configName, run: () => port.deleteEndpointConfig(configName) });
    await port.createEndpoint({ EndpointName: input.endpointName, EndpointConfigName: configName });
    undo.push({ what: 'endpoint ' + input.endpointName, run: () => port.deleteEndpoint(input.endpointName) });
    deps.log.info('creating endpoint ' + input.endpointName + ' for job ' + input.jobName);
    const stamp = now(deps);
    await stores.endpoints.insert({
      CREATED: stamp,
      ENDPOINT_NAME: { kind: 'text', value: input.endpointName },
      JOB_NAME: { kind: 'text', value: input.jobName },
      MODEL_NAME: { kind: 'text', value: modelName },
      ENDPOINT_CONFIG_NAME: { kind: 'text', value: configName },
      INSTANCE_TYPE: serverless === undefined ? { kind: 'text', value: input.instanceType } : { kind: 'null' },
      INSTANCE_COUNT: serverless === undefined ? { kind: 'integer', value: count } : { kind: 'null' },
      PROBLEM_TYPE: { kind: 'text', value: problemType },
      PREDICTION_UDF: { kind: 'text', value: input.endpointName },
      UDF_SCHEMA: { kind: 'text', value: schema },
      AWS_CREDENTIALS_CONNECTION_NAME: { kind: 'text', value: connectionName },
      AWS_REGION: { kind: 'text', value: input.region },
      STATUS: { kind: 'text', value: 'Creating' },
      LAST_STATUS_UPDATE: stamp,
      SESSION_ID: context.sessionId === undefined ? { kind: 'null' } : { kind: 'integer', value: context.sessionId },
      SCRIPT_USER: textOrNull(context.user),
      // Only with keys: a table deployed before keys existed (no such columns) still records key-less endpoints.
      ...(keys.length === 0
        ? {}
        : {
            KEY_COLUMNS: { kind: 'text', value: deps.json.encode(keys.map((k) => k.name)) },
            KEY_TYPES: { kind: 'text', value: deps.json.encode(keys.map((k) => k.type)) },
          }),
      // Only when set, like the keys: a table from before these columns still records plain endpoints.
      ...(idleTtlSeconds === undefined || deadline === undefined
        ? {}
        : {
            IDLE_TTL_SECONDS: { kind: 'integer', value: idleTtlSeconds },
            IDLE_DEADLINE: { kind: 'timestamp', value: deadline },
          }),
      ...(serverless === undefined
        ? {}
        : {
            SERVERLESS_MEMORY_MB: { kind: 'integer', value: serverless.memoryMb },
            SERVERLESS_MAX_CONCURRENCY: { kind: 'integer', value: serverless.maxConcurrency },
          }),
    });
    undo.push({
      what: 'endpoints row',
      run: () =>
        stores.endpoints.update(input.endpointName, {
          STATUS: { kind: 'text', value: 'DeployFailed' },
          DELETED_AT: now(deps),
        }),
    });
    await deps.sql.execute(udfSql);
  } catch (cause: unknown) {
    throw await undoFailedStart(undo, cause, deps.log, {
      action: 'deploying endpoint ' + input.endpointName,
      key: 'endpoint_name',
      value: input.endpointName,
      undone: 'deleted',
      compensated: 'SME-E-DEPLOY-COMPENSATED',
      untracked: 'SME-E-DEPLOY-UNTRACKED',
    });
  }
  return {
    endpointName: input.endpointName,
    modelName,
    endpointConfigName: configName,
    status: 'Creating',
    problemType,
    predictionUdf: qualifiedName(schema, input.endpointName),
    features,
    keys,
    ...(serverless === undefined ? {} : { serverless }),
    ...(deadline === undefined ? {} : { idleDeadline: deadline }),
  };
}
