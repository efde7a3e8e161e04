import { coreError } from '../error-codes.js';
import { isSmeError, type SmeError } from '../errors.js';
import { parseExasolIdentifier, qualifiedName } from '../identifiers.js';
import { exasolTimestamp } from '../job-name.js';
import { mapLimit } from '../map-limit.js';
import { isRegionShape } from '../params.js';
import { parseKeyColumns } from '../prediction/key-columns.js';
import { isInstanceTypeShape, isSageMakerName } from '../aws/sagemaker-names.js';
import { isClassification, predictionUdfSql, type NamedColumn } from '../prediction/prediction-udf.js';
import type { AutoMLContainer, AutoMLPortFactory, AwsTarget, ProblemType } from '../ports/automl-port.js';
import type { Clock } from '../ports/clock.js';
import type { EndpointPort, EndpointStatus } from '../ports/endpoint-port.js';
import type { EndpointPortFactory } from '../ports/endpoint-factories.js';
import type { Json } from '../ports/json.js';
import type { Log } from '../ports/log.js';
import type { SqlPort, SqlValue } from '../ports/sql-port.js';
import { dropScriptSql, insertEndpointSql, selectEndpointsSql, updateEndpointSql } from '../sql/endpoints-sql.js';
import { selectJobsSql, textOrNull, type SqlLiteralValue } from '../sql/statements.js';
import { describeValue, isAllDigits, isIntegral } from '../text.js';
import { droppedAtOf, rowRecords, textOf } from './metadata-rows.js';
import type { RateLimiter } from '../rate-limit.js';

type Row = Readonly<Record<string, SqlValue>>;

export interface EndpointDeps {
  readonly sql: SqlPort;
  readonly endpoints: EndpointPortFactory;
  readonly clock: Clock;
  readonly log: Log;
}

export interface DeployEndpointDeps extends EndpointDeps {
  readonly automl: AutoMLPortFactory;
  readonly json: Json;
  /** The prediction UDF's Lua bundle (from @sme/udf) and the runtime endpoint override baked into it. */
  readonly predictionUdf: {
    readonly luaBundle: string;
    readonly awsEndpointUrl?: string;
    /** PEM roots the UDF trusts besides AWS's (`sme deploy --aws-ca-file`). */
    readonly extraRootsPem?: string;
    /** Rows per InvokeEndpoint request (default 500); 1 turns batching off (benchmarks). */
    readonly maxRows?: number;
  };
}

export interface EndpointContext {
  /** Schema holding SME_METADATA_AUTOPILOT_JOBS and SME_METADATA_AUTOPILOT_ENDPOINTS. */
  readonly metadataSchema: string;
  /** Exasol session id as digits, and user, recorded with a deployment (optional). */
  readonly sessionId?: string;
  readonly user?: string;
}

export interface DeployEndpointInput {
  readonly jobName: string;
  readonly endpointName: string;
  /** Schema of the prediction UDF, as written in SQL (`ml` → ML, `"Ml"` → Ml). */
  readonly schemaName: string;
  readonly instanceType: string;
  readonly instanceCount: number;
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
}

// Moved to the AWS vocabulary; re-exported for callers of this module.
export { isInstanceTypeShape, isSageMakerName };

function identifier(raw: string, key: string): string {
  const parsed = parseExasolIdentifier(raw);
  if (!parsed.ok) {
    throw coreError(
      'SME-E-PARAM-IDENTIFIER',
      key + ' ' + describeValue(raw) + ' is not an identifier: ' + parsed.reason,
      {
        key,
        value: describeValue(raw),
      },
    );
  }
  return parsed.identifier.name;
}

function checkEndpointName(name: string): void {
  if (!isSageMakerName(name)) {
    throw coreError(
      'SME-E-ENDPOINT-NAME',
      'endpoint name ' + describeValue(name) + ' is not 1-63 letters, digits and inner hyphens',
      { key: 'endpoint_name', value: describeValue(name) },
    );
  }
}

function checkRegion(region: string): void {
  if (!isRegionShape(region)) {
    throw coreError('SME-E-PARAM-REGION', 'aws_region ' + describeValue(region) + ' is not a region code', {
      key: 'aws_region',
      value: describeValue(region),
    });
  }
}

function problemText(e: unknown): string {
  return isSmeError(e) ? e.code + ': ' + e.message : 'an unexpected error';
}

function now(deps: { readonly clock: Clock }): SqlLiteralValue {
  return { kind: 'timestamp', value: exasolTimestamp(deps.clock.nowMillis()) };
}

async function jobRow(sql: SqlPort, schema: string, jobName: string): Promise<Row | undefined> {
  return rowRecords(await sql.query(selectJobsSql(schema, jobName)))[0];
}

async function endpointRow(sql: SqlPort, schema: string, endpointName: string): Promise<Row | undefined> {
  return rowRecords(await sql.query(selectEndpointsSql(schema, { endpointName })))[0];
}

export function stringList(json: Json, text: string | undefined, column: string): string[] {
  let decoded: unknown;
  try {
    decoded = text === undefined ? undefined : json.decode(text);
  } catch {
    decoded = undefined;
  }
  const out: string[] = [];
  if (Array.isArray(decoded)) {
    for (const item of decoded as unknown[]) if (typeof item === 'string') out.push(item);
  }
  if (out.length === 0) {
    throw coreError('SME-E-ENDPOINT-COLUMNS', 'the job row has no readable ' + column, { key: column });
  }
  return out;
}

/** The training columns of a job row, split into features (ordinal order) and target. */
export function trainingColumns(row: Row, json: Json): { features: NamedColumn[]; target: NamedColumn } {
  const names = stringList(json, textOf(row, 'COLUMN_NAMES'), 'COLUMN_NAMES');
  const types = stringList(json, textOf(row, 'COLUMN_TYPES'), 'COLUMN_TYPES');
  const targetName = textOf(row, 'TARGET_ATTRIBUTE_NAME') ?? '';
  if (names.length !== types.length) {
    throw coreError('SME-E-ENDPOINT-COLUMNS', 'COLUMN_NAMES and COLUMN_TYPES of the job row differ in length', {
      key: 'COLUMN_TYPES',
    });
  }
  const features: NamedColumn[] = [];
  let target: NamedColumn | undefined;
  names.forEach((name, i) => {
    const column = { name, type: types[i] ?? '' };
    if (name === targetName) target = column;
    else features.push(column);
  });
  if (target === undefined) {
    throw coreError(
      'SME-E-ENDPOINT-COLUMNS',
      'the target ' + describeValue(targetName) + ' is not among the recorded columns',
      { key: 'TARGET_ATTRIBUTE_NAME', value: describeValue(targetName) },
    );
  }
  return { features, target };
}

/** Containers of the best candidate, asking classification containers for the probability too. */
export function modelContainers(containers: readonly AutoMLContainer[], problemType: ProblemType): AutoMLContainer[] {
  return containers.map((c) => {
    const out: { Image: string; ModelDataUrl?: string; Environment?: Record<string, string> } = { Image: c.Image };
    if (c.ModelDataUrl !== undefined) out.ModelDataUrl = c.ModelDataUrl;
    const env: Record<string, string> = {};
    let any = false;
    for (const key of Object.keys(c.Environment ?? {})) {
      const v = c.Environment?.[key];
      if (v !== undefined) {
        env[key] = v;
        any = true;
      }
    }
    if (isClassification(problemType)) {
      // AWS: "SAGEMAKER_INFERENCE_OUTPUT" selects the inference response content of Autopilot containers
      // (https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-automate-model-development-container-output.html).
      env.SAGEMAKER_INFERENCE_OUTPUT = 'predicted_label,probability';
      any = true;
    }
    if (any) out.Environment = env;
    return out;
  });
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
  if (!isInstanceTypeShape(input.instanceType)) {
    throw coreError(
      'SME-E-ENDPOINT-INSTANCE-TYPE',
      'instance type ' + describeValue(input.instanceType) + ' is not of the form ml.<family>.<size>',
      { key: 'instance_type', value: describeValue(input.instanceType) },
    );
  }
  const count = input.instanceCount;
  if (typeof count !== 'number' || !isIntegral(count) || count < 1 || count > 100) {
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

  const row = await jobRow(deps.sql, context.metadataSchema, input.jobName);
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
    },
    deps.predictionUdf.luaBundle,
  );

  // Model, config and endpoint live in separate SageMaker namespaces: one name for all three keeps them findable.
  const modelName = input.endpointName;
  const configName = input.endpointName;
  const port = deps.endpoints(target);
  const undo: { what: string; run: () => Promise<unknown> }[] = [];
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
        {
          VariantName: 'AllTraffic',
          ModelName: modelName,
          InstanceType: input.instanceType,
          InitialInstanceCount: count,
        },
      ],
    });
    undo.push({ what: 'endpoint config ' + configName, run: () => port.deleteEndpointConfig(configName) });
    await port.createEndpoint({ EndpointName: input.endpointName, EndpointConfigName: configName });
    undo.push({ what: 'endpoint ' + input.endpointName, run: () => port.deleteEndpoint(input.endpointName) });
    deps.log.info('creating endpoint ' + input.endpointName + ' for job ' + input.jobName);
    const stamp = now(deps);
    await deps.sql.execute(
      insertEndpointSql(context.metadataSchema, {
        CREATED: stamp,
        ENDPOINT_NAME: { kind: 'text', value: input.endpointName },
        JOB_NAME: { kind: 'text', value: input.jobName },
        MODEL_NAME: { kind: 'text', value: modelName },
        ENDPOINT_CONFIG_NAME: { kind: 'text', value: configName },
        INSTANCE_TYPE: { kind: 'text', value: input.instanceType },
        INSTANCE_COUNT: { kind: 'integer', value: count },
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
      }),
    );
    undo.push({
      what: 'endpoints row',
      run: () =>
        deps.sql.execute(
          updateEndpointSql(context.metadataSchema, input.endpointName, {
            STATUS: { kind: 'text', value: 'DeployFailed' },
            DELETED_AT: now(deps),
          }),
        ),
    });
    await deps.sql.execute(udfSql);
  } catch (cause: unknown) {
    throw await compensate(undo, input.endpointName, cause, deps.log);
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
  };
}

async function compensate(
  undo: readonly { what: string; run: () => Promise<unknown> }[],
  endpointName: string,
  cause: unknown,
  log: Log,
): Promise<SmeError> {
  const problems: SmeError[] = isSmeError(cause) ? [cause] : [];
  const left: string[] = [];
  for (let i = undo.length - 1; i >= 0; i--) {
    const step = undo[i];
    if (step === undefined) continue;
    try {
      await step.run();
    } catch (e: unknown) {
      if (isSmeError(e)) problems.push(e);
      left.push(step.what + ' (' + problemText(e) + ')');
    }
  }
  if (left.length > 0) {
    log.warn('deploying ' + endpointName + ' failed and cleaning up failed too');
    return coreError(
      'SME-E-DEPLOY-UNTRACKED',
      'deploying endpoint ' +
        endpointName +
        ' failed (' +
        problemText(cause) +
        '), and these could not be deleted: ' +
        left.join('; '),
      { key: 'endpoint_name', value: endpointName, problems },
      cause,
    );
  }
  log.warn('deploying ' + endpointName + ' failed; created resources were deleted');
  return coreError(
    'SME-E-DEPLOY-COMPENSATED',
    'deploying endpoint ' + endpointName + ' failed (' + problemText(cause) + '); what was created was deleted again',
    { key: 'endpoint_name', value: endpointName, problems },
    cause,
  );
}

/** Which endpoint; connection and region default to its row in SME_METADATA_AUTOPILOT_ENDPOINTS. */
export interface EndpointRef {
  readonly endpointName: string;
  readonly connectionName?: string;
  readonly region?: string;
}

async function endpointTarget(
  ref: EndpointRef,
  deps: EndpointDeps,
  context: EndpointContext,
): Promise<{ port: EndpointPort; row?: Row; target: AwsTarget }> {
  checkEndpointName(ref.endpointName);
  const row = await endpointRow(deps.sql, context.metadataSchema, ref.endpointName);
  const connectionName =
    ref.connectionName === undefined
      ? textOf(row, 'AWS_CREDENTIALS_CONNECTION_NAME')
      : identifier(ref.connectionName, 'connection');
  const region = ref.region ?? textOf(row, 'AWS_REGION');
  if (connectionName === undefined || region === undefined) {
    throw coreError(
      'SME-E-ENDPOINT-NOT-FOUND',
      'endpoint ' +
        describeValue(ref.endpointName) +
        ' is not recorded; give the connection name and region to ask AWS',
      { key: 'endpoint_name', value: describeValue(ref.endpointName) },
    );
  }
  checkRegion(region);
  const target = { connectionName, region };
  return { port: deps.endpoints(target), row, target };
}

export interface EndpointStatusResult {
  readonly endpointName: string;
  readonly status: EndpointStatus;
  readonly failureReason?: string;
  /** Epoch milliseconds. */
  readonly creationTime: number;
  /** Whether the endpoints row was updated. */
  readonly recorded: boolean;
}

/**
 * Asks SageMaker for an endpoint's status and records it (STATUS, LAST_STATUS_UPDATE, FAILURE_REASON).
 *
 * @example
 * const { status } = await endpointStatus({ endpointName: 'churn-ep' }, deps, { metadataSchema: 'SME' });
 */
export async function endpointStatus(
  ref: EndpointRef,
  deps: EndpointDeps,
  context: EndpointContext,
): Promise<EndpointStatusResult> {
  const { port, row } = await endpointTarget(ref, deps, context);
  const d = await port.describeEndpoint(ref.endpointName);
  let recorded = false;
  if (row !== undefined) {
    const updated = await deps.sql.execute(
      updateEndpointSql(context.metadataSchema, ref.endpointName, {
        STATUS: { kind: 'text', value: d.EndpointStatus },
        LAST_STATUS_UPDATE: now(deps),
        FAILURE_REASON: textOrNull(d.FailureReason),
      }),
    );
    recorded = updated > 0;
  }
  return {
    endpointName: d.EndpointName,
    status: d.EndpointStatus,
    ...(d.FailureReason === undefined ? {} : { failureReason: d.FailureReason }),
    creationTime: d.CreationTime,
    recorded,
  };
}

export interface DeleteEndpointResult {
  readonly endpointName: string;
  /** What existed at AWS and was deleted now (false: it was already gone). */
  readonly deleted: { readonly endpoint: boolean; readonly endpointConfig: boolean; readonly model: boolean };
  readonly udfDropped: boolean;
  readonly recorded: boolean;
}

async function deleteIfPresent(run: () => Promise<void>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (e: unknown) {
    // Deleting is idempotent: AWS saying it does not exist means the work is done.
    if (isSmeError(e) && e.kind === 'NotFound') return false;
    throw e;
  }
}

/**
 * Deletes an endpoint, its endpoint config and model (already-gone parts are fine), drops its prediction UDF
 * and marks its row (STATUS `Deleted`, DELETED_AT).
 *
 * @example
 * await deleteEndpoint({ endpointName: 'churn-ep' }, deps, { metadataSchema: 'SME' });
 */
export async function deleteEndpoint(
  ref: EndpointRef,
  deps: EndpointDeps,
  context: EndpointContext,
): Promise<DeleteEndpointResult> {
  const { port, row } = await endpointTarget(ref, deps, context);
  const configName = textOf(row, 'ENDPOINT_CONFIG_NAME') ?? ref.endpointName;
  const modelName = textOf(row, 'MODEL_NAME') ?? ref.endpointName;
  const endpoint = await deleteIfPresent(() => port.deleteEndpoint(ref.endpointName));
  const endpointConfig = await deleteIfPresent(() => port.deleteEndpointConfig(configName));
  const model = await deleteIfPresent(() => port.deleteModel(modelName));
  let udfDropped = false;
  let recorded = false;
  const udfSchema = textOf(row, 'UDF_SCHEMA');
  const udfName = textOf(row, 'PREDICTION_UDF');
  if (udfSchema !== undefined && udfName !== undefined) {
    await deps.sql.execute(dropScriptSql(udfSchema, udfName));
    udfDropped = true;
  }
  if (row !== undefined) {
    const updated = await deps.sql.execute(
      updateEndpointSql(context.metadataSchema, ref.endpointName, {
        STATUS: { kind: 'text', value: 'Deleted' },
        LAST_STATUS_UPDATE: now(deps),
        DELETED_AT: now(deps),
      }),
    );
    recorded = updated > 0;
  }
  deps.log.info('deleted endpoint ' + ref.endpointName);
  return { endpointName: ref.endpointName, deleted: { endpoint, endpointConfig, model }, udfDropped, recorded };
}

/** One line of `listEndpoints`. */
export interface EndpointListEntry {
  readonly endpointName: string;
  readonly jobName?: string;
  readonly instanceType?: string;
  readonly instanceCount?: number;
  /** CREATED of the row, as Exasol returns it. */
  readonly createdAt?: string;
  readonly recordedStatus?: string;
  /** Live values from AWS. */
  readonly status?: EndpointStatus;
  /** Milliseconds since SageMaker created the endpoint: what it has cost so far is proportional to this. */
  readonly runningMillis?: number;
  /** False for endpoints AWS lists that sme did not record here. */
  readonly tracked: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * The endpoints recorded here and not deleted (newest first) with their live status and how long they have run.
 * With `untrackedIn`, endpoints that exist in that account/region but are not recorded are listed too.
 *
 * @example
 * const running = await listEndpoints(deps, { metadataSchema: 'SME' });
 */
export async function listEndpoints(
  deps: EndpointDeps,
  context: EndpointContext,
  options: {
    readonly live?: boolean;
    readonly concurrency?: number;
    readonly untrackedIn?: AwsTarget;
    /** Paces the DescribeEndpoint calls and retries throttled ones. */
    readonly limiter?: RateLimiter;
  } = {},
): Promise<EndpointListEntry[]> {
  const rows = rowRecords(await deps.sql.query(selectEndpointsSql(context.metadataSchema, { activeOnly: true })));
  const nowMillis = deps.clock.nowMillis();
  const entries = await mapLimit(rows, options.concurrency ?? 4, async (row): Promise<EndpointListEntry> => {
    const count = row.INSTANCE_COUNT;
    const entry: EndpointListEntry = {
      endpointName: textOf(row, 'ENDPOINT_NAME') ?? '',
      jobName: textOf(row, 'JOB_NAME'),
      instanceType: textOf(row, 'INSTANCE_TYPE'),
      instanceCount: typeof count === 'number' ? count : typeof count === 'string' ? Number(count) : undefined,
      createdAt: textOf(row, 'CREATED'),
      recordedStatus: textOf(row, 'STATUS'),
      tracked: true,
    };
    const connectionName = textOf(row, 'AWS_CREDENTIALS_CONNECTION_NAME');
    const region = textOf(row, 'AWS_REGION');
    if (options.live === false || connectionName === undefined || region === undefined) return entry;
    try {
      const describe = () => deps.endpoints({ connectionName, region }).describeEndpoint(entry.endpointName);
      const d = await (options.limiter === undefined ? describe() : options.limiter.run(describe));
      return { ...entry, status: d.EndpointStatus, runningMillis: nowMillis - d.CreationTime };
    } catch (e: unknown) {
      if (!isSmeError(e)) throw e;
      return { ...entry, error: { code: e.code, message: e.message } };
    }
  });
  if (options.untrackedIn !== undefined) {
    const known = entries.map((e) => e.endpointName.toUpperCase());
    for (const d of await deps.endpoints(options.untrackedIn).listEndpoints()) {
      if (known.includes(d.EndpointName.toUpperCase())) continue;
      entries.push({
        endpointName: d.EndpointName,
        status: d.EndpointStatus,
        runningMillis: nowMillis - d.CreationTime,
        tracked: false,
      });
    }
  }
  return entries;
}

/** A job's recorded endpoints that are not deleted (for dropJob). */
export async function activeEndpointsOfJob(sql: SqlPort, schema: string, jobName: string): Promise<string[]> {
  const rows = rowRecords(await sql.query(selectEndpointsSql(schema, { jobName, activeOnly: true })));
  const out: string[] = [];
  for (const row of rows) {
    const name = textOf(row, 'ENDPOINT_NAME');
    if (name !== undefined) out.push(name);
  }
  return out;
}
