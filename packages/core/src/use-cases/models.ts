/**
 * Stable model names (Redshift ML's function names, BigQuery ML's model names): `promoteModel` points a name such as
 * `churn` at a job and (re)creates the prediction UDF `PREDICT_CHURN` over an endpoint of that job, keeping the UDF's
 * name and signature across promotions, so SQL that scores does not change when a model is retrained.
 */
import { coreError } from '../error-codes.js';
import { exasolTimestamp } from '../job-name.js';
import { parseKeyColumns } from '../prediction/key-columns.js';
import { predictionUdfSql, type NamedColumn } from '../prediction/prediction-udf.js';
import type { ProblemType } from '../ports/automl-port.js';
import type { Clock } from '../ports/clock.js';
import type { Json } from '../ports/json.js';
import type { Log } from '../ports/log.js';
import type { SqlPort, SqlValue } from '../ports/sql-port.js';
import { selectEndpointsSql } from '../sql/endpoints-sql.js';
import { insertModelSql, selectModelsSql } from '../sql/models-sql.js';
import { selectJobsSql } from '../sql/statements.js';
import { describeValue, isAsciiAlnum } from '../text.js';
import { rowRecords, textOf } from './metadata-rows.js';
import { stringList, trainingColumns } from './job-model.js';
import { qualifiedName } from '../identifiers.js';

type Row = Readonly<Record<string, SqlValue>>;

export interface PromoteModelDeps {
  readonly sql: SqlPort;
  readonly json: Json;
  readonly clock: Clock;
  readonly log: Log;
  /** The prediction bundle and what is baked into UDFs, as for deployEndpoint. */
  readonly predictionUdf: {
    readonly luaBundle: string;
    readonly awsEndpointUrl?: string;
    readonly extraRootsPem?: string;
  };
}

export interface PromoteModelInput {
  readonly jobName: string;
  /** The stable name: a letter, then letters, digits, `_` or `-` (at most 48); compared case-insensitively. */
  readonly modelName: string;
  /** The endpoint the UDF calls; default: the job's newest endpoint that is not deleted. */
  readonly endpointName?: string;
}

export interface PromoteModelResult {
  readonly modelName: string;
  readonly jobName: string;
  readonly endpointName: string;
  /** The stable UDF, quoted: `"ML"."PREDICT_CHURN"`. */
  readonly predictionUdf: string;
  /** The job the name pointed at before (undefined: first promotion). */
  readonly previousJobName?: string;
  /** Exasol TIMESTAMP text. */
  readonly promotedAt: string;
  readonly promotedBy?: string;
}

/** One model name as `listModels` reports it: its current promotion. */
export interface ModelEntry {
  readonly modelName: string;
  readonly jobName: string;
  readonly endpointName: string;
  readonly predictionUdf: string;
  readonly promotedAt: string;
  readonly promotedBy?: string;
  /** How many times the name was promoted. */
  readonly promotions: number;
}

const MAX_MODEL_NAME = 48;

/** `churn` → `PREDICT_CHURN`; `churn-eu` → `PREDICT_CHURN_EU`: a regular identifier, callable unquoted. */
export function stableUdfName(modelName: string): string {
  let out = 'PREDICT_';
  for (let i = 0; i < modelName.length; i++) {
    const c = modelName.charAt(i);
    out = out + (c === '-' ? '_' : c.toUpperCase());
  }
  return out;
}

function checkModelName(name: string): void {
  let ok = name.length > 0 && name.length <= MAX_MODEL_NAME;
  for (let i = 0; ok && i < name.length; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    ok = i === 0 ? letter : isAsciiAlnum(c) || c === 95 || c === 45;
  }
  if (!ok) {
    throw coreError(
      'SME-E-PROMOTE-NAME',
      'model name ' + describeValue(name) + ' is not a letter followed by up to 47 letters, digits, _ or -',
      { key: 'model_name', value: describeValue(name) },
    );
  }
}

/** The part of a CREATE SCRIPT statement that callers depend on: parameters and emitted columns. */
function signatureOf(statement: string): string {
  const head = statement.substring(0, statement.indexOf(' AS\n'));
  return head.substring(head.indexOf('('));
}

function keysOf(row: Row, json: Json): NamedColumn[] {
  const names = textOf(row, 'KEY_COLUMNS');
  if (names === undefined) return [];
  const types = stringList(json, textOf(row, 'KEY_TYPES'), 'KEY_TYPES');
  return parseKeyColumns(stringList(json, names, 'KEY_COLUMNS')).map((k, i) => ({
    name: k.name,
    type: types[i] ?? '',
  }));
}

/**
 * Points `modelName` at `jobName`: (re)creates the UDF `<udf schema>.PREDICT_<NAME>` — the same code as the
 * endpoint's own prediction UDF, with its key columns — over the job's endpoint, and records the promotion in
 * SME_METADATA_AUTOPILOT_MODELS (promoted at, by). A name keeps its UDF schema and signature: a job whose features,
 * keys or prediction type differ is refused with `SME-E-PROMOTE-SIGNATURE` and nothing changes.
 *
 * @example
 * await promoteModel({ jobName: 'churn-261126093000', modelName: 'churn' }, deps, { metadataSchema: 'SME', user: 'ANALYST' });
 * // SELECT ML.PREDICT_CHURN(CUSTOMER_ID, USAGE, …) FROM NEW_CUSTOMERS
 */
export async function promoteModel(
  input: PromoteModelInput,
  deps: PromoteModelDeps,
  context: { readonly metadataSchema: string; readonly user?: string },
): Promise<PromoteModelResult> {
  checkModelName(input.modelName);
  const job = rowRecords(await deps.sql.query(selectJobsSql(context.metadataSchema, input.jobName)))[0];
  if (job === undefined) {
    throw coreError('SME-E-JOB-NOT-FOUND', 'job ' + describeValue(input.jobName) + ' is not in the metadata table', {
      key: 'job_name',
      value: describeValue(input.jobName),
    });
  }
  const jobName = textOf(job, 'JOB_NAME') ?? input.jobName;
  const endpoints = rowRecords(
    await deps.sql.query(
      selectEndpointsSql(
        context.metadataSchema,
        input.endpointName === undefined
          ? { jobName, activeOnly: true }
          : { endpointName: input.endpointName, activeOnly: true },
      ),
    ),
  );
  const endpoint = endpoints[0];
  if (endpoint === undefined || (textOf(endpoint, 'JOB_NAME') ?? '').toUpperCase() !== jobName.toUpperCase()) {
    throw coreError(
      'SME-E-PROMOTE-NO-ENDPOINT',
      (input.endpointName === undefined
        ? 'job ' + describeValue(jobName) + ' has no endpoint'
        : 'endpoint ' +
          describeValue(input.endpointName) +
          ' is not a deployed endpoint of job ' +
          describeValue(jobName)) + ' for the stable prediction UDF to call',
      { key: 'job_name', value: describeValue(jobName) },
    );
  }
  const endpointName = textOf(endpoint, 'ENDPOINT_NAME') ?? '';
  const previous = rowRecords(await deps.sql.query(selectModelsSql(context.metadataSchema, input.modelName)))[0];
  const modelName = textOf(previous, 'MODEL_NAME') ?? input.modelName;
  const udfSchema = textOf(previous, 'UDF_SCHEMA') ?? textOf(endpoint, 'UDF_SCHEMA') ?? context.metadataSchema;
  const udfName = textOf(previous, 'PREDICTION_UDF') ?? stableUdfName(modelName);
  const { features, target } = trainingColumns(job, deps.json);
  const problemType = (textOf(endpoint, 'PROBLEM_TYPE') ?? textOf(job, 'PROBLEM_TYPE') ?? '') as ProblemType;
  const statement = predictionUdfSql(
    {
      schema: udfSchema,
      endpointName,
      udfName,
      features,
      keys: keysOf(endpoint, deps.json),
      target,
      problemType,
      connectionName: textOf(endpoint, 'AWS_CREDENTIALS_CONNECTION_NAME') ?? '',
      region: textOf(endpoint, 'AWS_REGION') ?? '',
      ...(deps.predictionUdf.awsEndpointUrl === undefined ? {} : { awsEndpointUrl: deps.predictionUdf.awsEndpointUrl }),
      ...(deps.predictionUdf.extraRootsPem === undefined ? {} : { extraRootsPem: deps.predictionUdf.extraRootsPem }),
    },
    deps.predictionUdf.luaBundle,
  );
  const signature = signatureOf(statement);
  const before = textOf(previous, 'SIGNATURE');
  if (before !== undefined && before !== signature) {
    throw coreError(
      'SME-E-PROMOTE-SIGNATURE',
      'job ' +
        describeValue(jobName) +
        ' would change the signature of ' +
        qualifiedName(udfSchema, udfName) +
        ' (model ' +
        describeValue(modelName) +
        ', now job ' +
        describeValue(textOf(previous, 'JOB_NAME') ?? '') +
        ') from ' +
        before +
        ' to ' +
        signature,
      { key: 'model_name', value: describeValue(modelName) },
    );
  }
  await deps.sql.execute(statement);
  const promotedAt = exasolTimestamp(deps.clock.nowMillis());
  await deps.sql.execute(
    insertModelSql(context.metadataSchema, {
      modelName,
      jobName,
      endpointName,
      udfSchema,
      predictionUdf: udfName,
      signature,
      promotedAt,
      ...(context.user === undefined ? {} : { promotedBy: context.user }),
    }),
  );
  deps.log.info('model ' + modelName + ' now predicts with job ' + jobName + ' (endpoint ' + endpointName + ')');
  const previousJobName = textOf(previous, 'JOB_NAME');
  return {
    modelName,
    jobName,
    endpointName,
    predictionUdf: qualifiedName(udfSchema, udfName),
    ...(previousJobName === undefined ? {} : { previousJobName }),
    promotedAt,
    ...(context.user === undefined ? {} : { promotedBy: context.user }),
  };
}

/**
 * Every model name with its current promotion (newest row per name), by name.
 *
 * @example
 * for (const m of await listModels(sql, 'SME')) console.log(m.modelName, m.jobName, m.promotedAt, m.promotedBy);
 */
export async function listModels(sql: SqlPort, metadataSchema: string): Promise<ModelEntry[]> {
  const rows = rowRecords(await sql.query(selectModelsSql(metadataSchema)));
  const out: ModelEntry[] = [];
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const name = textOf(row, 'MODEL_NAME') ?? '';
    const key = name.toUpperCase();
    counts[key] = (counts[key] ?? 0) + 1;
    if (counts[key] > 1) continue;
    const by = textOf(row, 'PROMOTED_BY');
    out.push({
      modelName: name,
      jobName: textOf(row, 'JOB_NAME') ?? '',
      endpointName: textOf(row, 'ENDPOINT_NAME') ?? '',
      predictionUdf: qualifiedName(textOf(row, 'UDF_SCHEMA') ?? '', textOf(row, 'PREDICTION_UDF') ?? ''),
      promotedAt: textOf(row, 'PROMOTED_AT') ?? '',
      ...(by === undefined ? {} : { promotedBy: by }),
      promotions: 0,
    });
  }
  return out
    .map((m) => ({ ...m, promotions: counts[m.modelName.toUpperCase()] ?? 1 }))
    .sort((a, b) => (a.modelName < b.modelName ? -1 : a.modelName > b.modelName ? 1 : 0));
}
