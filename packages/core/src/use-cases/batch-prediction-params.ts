import { coreError, type CoreErrorCode } from '../error-codes.js';
import type { SmeError } from '../errors.js';
import { parseExasolIdentifier } from '../identifiers.js';
import { isRegionShape, modelNameProblem } from '../params.js';
import type { Json } from '../ports/json.js';
import { describeValue, formatInteger, isJsonObject, jsonTypeOf } from '../text.js';
import { isInstanceTypeShape } from '../aws/sagemaker-names.js';

/** What `SME_BATCH_PREDICT_SAGEMAKER_AUTOPILOT` and `sme predict --batch` are given, validated and normalised. */
export interface BatchPredictionParams {
  /** Exactly one of jobName and modelName. */
  readonly jobName?: string;
  /** The newest job trained with this model_name (`<model_name>-<yyMMddHHmmss>`). */
  readonly modelName?: string;
  readonly connectionName: string;
  readonly region: string;
  readonly inputSchemaName: string;
  readonly inputTableOrViewName: string;
  readonly outputSchemaName: string;
  readonly outputTableName: string;
  /** Stored names, in the order given: they lead each output row. */
  readonly keyColumns: readonly string[];
  readonly instanceType: string;
}

/** The instance type when none is given: the smallest general-purpose type batch transform offers. */
export const DEFAULT_BATCH_INSTANCE_TYPE = 'ml.m5.large';

/**
 * At most this many key columns: the transform's OutputFilter (`$[0,1,…,-2,-1]`) must fit the 63 characters
 * AWS allows a JSONPath.
 */
export const MAX_BATCH_KEY_COLUMNS = 10;

export const BATCH_PARAM_KEYS = [
  'job_name',
  'model_name',
  'aws_credentials_connection_name',
  'aws_region',
  'input_schema_name',
  'input_table_or_view_name',
  'output_schema_name',
  'output_table_name',
  'key_columns',
  'instance_type',
] as const;

const REQUIRED = [
  'aws_credentials_connection_name',
  'aws_region',
  'input_schema_name',
  'input_table_or_view_name',
  'output_schema_name',
  'output_table_name',
  'key_columns',
] as const;

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * Validates the parameters of a batch prediction (JSON text decoded with `json`, or an object). Reports every
 * problem at once: throws `SME-E-BATCH-PARAMS` whose `details.problems` holds one coded error per problem.
 *
 * @example
 * parseBatchPredictionParams('{"job_name":"churn-231114221320", "key_columns":["id"], …}', json).keyColumns; // ['ID']
 */
export function parseBatchPredictionParams(input: unknown, json: Json): BatchPredictionParams {
  const problems: SmeError[] = [];
  const add = (code: CoreErrorCode, key: string, value: unknown, reason: string): void => {
    const shown = describeValue(value);
    problems.push(
      coreError(code, key + ' ' + reason + (present(value) ? '; received ' + shown : ''), { key, value: shown }),
    );
  };
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = json.decode(input);
    } catch (e: unknown) {
      throw coreError(
        'SME-E-PARAMS-JSON',
        'the batch prediction parameters are not valid JSON; received ' + describeValue(input),
        { key: 'parameters', value: describeValue(input) },
        e,
      );
    }
  }
  if (!isJsonObject(raw)) {
    throw coreError(
      'SME-E-PARAMS-NOT-OBJECT',
      'the batch prediction parameters must be a JSON object; received ' + describeValue(raw),
      { key: 'parameters', value: describeValue(raw) },
    );
  }
  const params = raw;
  for (const key of Object.keys(params)) {
    if (!(BATCH_PARAM_KEYS as readonly string[]).includes(key)) {
      add('SME-E-PARAM-UNKNOWN', key, params[key], 'is not a batch prediction parameter');
    }
  }
  for (const key of REQUIRED) {
    if (!present(params[key])) add('SME-E-PARAM-MISSING', key, params[key], 'is required');
  }
  const text = (key: string): string | undefined => {
    const v = params[key];
    if (!present(v)) return undefined;
    if (typeof v === 'string') return v;
    add('SME-E-PARAM-TYPE', key, v, 'must be a JSON string, not ' + jsonTypeOf(v));
    return undefined;
  };
  const identifier = (key: string, value: unknown): string | undefined => {
    if (typeof value !== 'string') return undefined;
    const parsed = parseExasolIdentifier(value);
    if (!parsed.ok) {
      add('SME-E-PARAM-IDENTIFIER', key, value, 'is not a valid Exasol identifier: ' + parsed.reason);
      return undefined;
    }
    return parsed.identifier.name;
  };
  const named = (key: string): string | undefined => identifier(key, text(key));

  const jobName = text('job_name');
  const modelName = text('model_name');
  if ((jobName === undefined) === (modelName === undefined)) {
    add(
      'SME-E-BATCH-MODEL-REF',
      'job_name',
      params.job_name,
      'or model_name must be given, and only one of them' +
        (present(params.model_name) ? ' (model_name is ' + describeValue(params.model_name) + ')' : ''),
    );
  }
  if (modelName !== undefined) {
    const reason = modelNameProblem(modelName);
    if (reason !== undefined) add('SME-E-PARAM-MODEL-NAME', 'model_name', modelName, reason);
  }
  const connectionName = named('aws_credentials_connection_name');
  const region = text('aws_region');
  if (region !== undefined && !isRegionShape(region))
    add('SME-E-PARAM-REGION', 'aws_region', region, 'is not a region code');
  const inputSchemaName = named('input_schema_name');
  const inputTableOrViewName = named('input_table_or_view_name');
  const outputSchemaName = named('output_schema_name');
  const outputTableName = named('output_table_name');
  const instanceType = text('instance_type') ?? DEFAULT_BATCH_INSTANCE_TYPE;
  if (!isInstanceTypeShape(instanceType)) {
    add('SME-E-ENDPOINT-INSTANCE-TYPE', 'instance_type', instanceType, 'is not of the form ml.<family>.<size>');
  }

  const keyColumns: string[] = [];
  const keys = params.key_columns;
  if (present(keys)) {
    if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_BATCH_KEY_COLUMNS) {
      add(
        'SME-E-BATCH-KEY-COLUMNS',
        'key_columns',
        keys,
        'must be a JSON array of 1 to ' + formatInteger(MAX_BATCH_KEY_COLUMNS) + ' column names',
      );
    } else {
      for (const k of keys as unknown[]) {
        if (typeof k !== 'string') {
          add('SME-E-BATCH-KEY-COLUMNS', 'key_columns', k, 'must hold column names as JSON strings');
          continue;
        }
        const name = identifier('key_columns', k);
        if (name === undefined) continue;
        if (keyColumns.includes(name)) add('SME-E-BATCH-KEY-COLUMNS', 'key_columns', k, 'names a column twice');
        else keyColumns.push(name);
      }
    }
  }
  if (
    problems.length > 0 ||
    connectionName === undefined ||
    region === undefined ||
    inputSchemaName === undefined ||
    inputTableOrViewName === undefined ||
    outputSchemaName === undefined ||
    outputTableName === undefined
  ) {
    const lines = problems.map((p) => '- ' + p.code + ': ' + p.message);
    throw coreError(
      'SME-E-BATCH-PARAMS',
      formatInteger(problems.length) +
        (problems.length === 1 ? ' problem' : ' problems') +
        ' in the batch prediction parameters:\n' +
        lines.join('\n'),
      { problems },
    );
  }
  return {
    ...(jobName === undefined ? {} : { jobName }),
    ...(modelName === undefined ? {} : { modelName }),
    connectionName,
    region,
    inputSchemaName,
    inputTableOrViewName,
    outputSchemaName,
    outputTableName,
    keyColumns,
    instanceType,
  };
}
