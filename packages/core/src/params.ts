import type { TabularObjective } from './automl-model.js';
import { coreError } from './error-codes.js';
import type { SmeError } from './errors.js';
import { freeze } from './freeze.js';
import type { ProblemType } from './ports/automl-port.js';
import type { Json } from './ports/json.js';
import { isRoleArn, isRoleName } from './aws/iam-roles.js';
import { isRegionShape } from './aws/regions.js';
import { identifierValue, integerValue, present, Problems, stringValue } from './param-values.js';
import { problemValues } from './params-objective.js';
import { s3LocationValues } from './params-s3.js';
import {
  allChars,
  compareAscii,
  describeValue,
  formatInteger,
  isAsciiAlnum,
  isJsonObject,
  jsonTypeOf,
} from './text.js';

// Moved to the AWS vocabulary; re-exported for callers of this module.
export { isRegionShape, isRoleArn, isRoleName };

/** Validated training parameters. Names of database objects are already folded as Exasol stores them. */
export interface TrainingParams {
  readonly modelName: string;
  /** CONNECTION name as stored (unquoted input upper-cased). */
  readonly awsCredentialsConnectionName: string;
  readonly awsRegion: string;
  /** As given: an ARN or a bare role name. */
  readonly iamSagemakerRole: string;
  /** Set when `iamSagemakerRole` is an ARN; a bare name is resolved later (IdentityPort). */
  readonly roleArn?: string;
  /** `s3://bucket` or `s3://bucket/prefix`, without trailing slash. */
  readonly s3BucketUri: string;
  readonly s3Bucket: string;
  /** Key prefix inside the bucket from `s3_bucket_uri`, `''` when none; no leading/trailing slash. */
  readonly s3BucketPrefix: string;
  /** Without trailing slash. */
  readonly s3OutputPath: string;
  readonly inputSchemaName: string;
  readonly inputTableOrViewName: string;
  readonly targetAttributeName: string;
  readonly problemType?: ProblemType;
  readonly objective?: TabularObjective;
  readonly maxRuntimeForAutomlJobInSeconds?: number;
  readonly maxCandidates?: number;
  readonly maxRuntimePerTrainingJobInSeconds?: number;
  /** Train even when a feature column equals the target or is a unique key (the pre-flight check then warns). */
  readonly allowSuspectFeatures: boolean;
  /** Train on a deterministic sample of at most this many rows (see `planSample`). */
  readonly sampleMaxRows?: number;
  /** Train on a deterministic sample of this share of the rows with a target, 0 < fraction ≤ 1. */
  readonly sampleFraction?: number;
}

/** The JSON keys of `SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT`, exactly as in the user guide. */
export const REQUIRED_PARAM_KEYS = [
  'model_name',
  'aws_credentials_connection_name',
  'aws_region',
  'iam_sagemaker_role',
  's3_bucket_uri',
  's3_output_path',
  'input_schema_name',
  'input_table_or_view_name',
  'target_attribute_name',
] as const;

export const OPTIONAL_PARAM_KEYS = [
  'problem_type',
  'objective',
  'max_runtime_for_automl_job_in_seconds',
  'max_candidates',
  'max_runtime_per_training_job_in_seconds',
  'allow_suspect_features',
  'sample_max_rows',
  'sample_fraction',
] as const;

/** Job names are `<model_name>-<yyMMddHHmmss>`: 13 characters after the model name, 32 in all. */
export const MAX_MODEL_NAME_LENGTH = 19;
/** 30 days, the longest an Autopilot job may run. */
export const MAX_RUNTIME_SECONDS = 2592000;
export const MAX_CANDIDATES_LIMIT = 750;
/** The smallest sample: Autopilot's minimum of 500 rows with a target. */
export const MIN_SAMPLE_ROWS = 500;
/** The largest `sample_max_rows` accepted: 10^12, far above any table Autopilot takes (see `MAX_TRAINING_ROWS`). */
export const MAX_SAMPLE_ROWS = 1000000000000;

function modelNameReason(name: string): string | undefined {
  if (!allChars(name, (c) => isAsciiAlnum(c) || c === 45)) {
    return 'may hold only letters, digits and hyphens';
  }
  if (name.charCodeAt(0) === 45 || name.charCodeAt(name.length - 1) === 45) {
    return 'must start and end with a letter or digit';
  }
  if (name.length > MAX_MODEL_NAME_LENGTH) {
    return 'must be at most 19 characters, so that the job name fits 32';
  }
  return undefined;
}

/** Why `name` cannot be a model name, or undefined when it can. Shared with job naming. */
export function modelNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  return modelNameReason(name);
}

const KNOWN_KEYS: readonly string[] = [...REQUIRED_PARAM_KEYS, ...OPTIONAL_PARAM_KEYS];

function decodeInput(input: unknown, json: Json | undefined, problems: Problems): unknown {
  if (typeof input !== 'string') return input;
  if (json === undefined) {
    throw coreError('SME-E-ARGUMENT', 'parseTrainingParams received JSON text but no Json port to decode it', {
      key: 'json',
    });
  }
  try {
    return json.decode(input);
  } catch (e: unknown) {
    problems.list.push(
      coreError(
        'SME-E-PARAMS-JSON',
        'the training parameters are not valid JSON; received ' + describeValue(input),
        { key: 'parameters', value: describeValue(input) },
        e,
      ),
    );
    return undefined;
  }
}

type RawParams = Readonly<Record<string, unknown>>;

/** `iam_sagemaker_role`: a role ARN (kept as `roleArn`) or a bare role name (resolved later). */
function roleValues(problems: Problems, raw: RawParams): { role: string | undefined; roleArn: string | undefined } {
  const role = present(raw.iam_sagemaker_role)
    ? stringValue(problems, 'iam_sagemaker_role', raw.iam_sagemaker_role)
    : undefined;
  let roleArn: string | undefined;
  if (role !== undefined) {
    if (role.startsWith('arn:')) {
      if (isRoleArn(role)) roleArn = role;
      else
        problems.add(
          'SME-E-PARAM-ROLE',
          'iam_sagemaker_role',
          role,
          'is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
        );
    } else if (!isRoleName(role)) {
      problems.add('SME-E-PARAM-ROLE', 'iam_sagemaker_role', role, 'is neither a role ARN nor a role name');
    }
  }
  return { role, roleArn };
}

/** The runtime and candidate caps, and that a training job's runtime fits the whole job's. */
function limitValues(
  problems: Problems,
  raw: RawParams,
): { maxRuntime: number | undefined; maxCandidates: number | undefined; maxPerJob: number | undefined } {
  const maxRuntime = present(raw.max_runtime_for_automl_job_in_seconds)
    ? integerValue(
        problems,
        'max_runtime_for_automl_job_in_seconds',
        raw.max_runtime_for_automl_job_in_seconds,
        1,
        MAX_RUNTIME_SECONDS,
      )
    : undefined;
  const maxCandidates = present(raw.max_candidates)
    ? integerValue(problems, 'max_candidates', raw.max_candidates, 1, MAX_CANDIDATES_LIMIT)
    : undefined;
  const maxPerJob = present(raw.max_runtime_per_training_job_in_seconds)
    ? integerValue(
        problems,
        'max_runtime_per_training_job_in_seconds',
        raw.max_runtime_per_training_job_in_seconds,
        1,
        MAX_RUNTIME_SECONDS,
      )
    : undefined;
  if (maxRuntime !== undefined && maxPerJob !== undefined && maxPerJob > maxRuntime) {
    problems.add(
      'SME-E-PARAM-RUNTIME-ORDER',
      'max_runtime_per_training_job_in_seconds',
      maxPerJob,
      'must not exceed max_runtime_for_automl_job_in_seconds (' + formatInteger(maxRuntime) + ')',
    );
  }
  return { maxRuntime, maxCandidates, maxPerJob };
}

/** A problem for each key that is not a training parameter, in ASCII order. */
function unknownKeyProblems(problems: Problems, raw: RawParams): void {
  const unknown = Object.keys(raw).filter((k) => !KNOWN_KEYS.includes(k) && present(raw[k]));
  unknown.sort((a, b) => compareAscii(a, b));
  for (const key of unknown) {
    problems.add(
      'SME-E-PARAM-UNKNOWN',
      key,
      raw[key],
      'is not a training parameter',
      'Remove it or use one of: ' + KNOWN_KEYS.join(', ') + '.',
    );
  }
}

/**
 * Validates the JSON parameters of `SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT` and returns them frozen and
 * normalised. Reports every problem at once: throws an `SmeError` `SME-E-PARAMS` whose `details.problems`
 * holds one coded `SmeError` per problem (key, value received, remedy). JSON `null` counts as "not given".
 *
 * @param input JSON text (decoded with `json`) or an already-decoded object.
 * @example
 * const params = parseTrainingParams('{"model_name":"churn", …}', { decode: JSON.parse, encode: JSON.stringify });
 * params.inputTableOrViewName; // 'CUSTOMERS' for "customers"
 */
export function parseTrainingParams(input: unknown, json?: Json): TrainingParams {
  const problems = new Problems();
  const decoded = decodeInput(input, json, problems);
  if (problems.list.length === 0 && !isJsonObject(decoded)) {
    problems.list.push(
      coreError(
        'SME-E-PARAMS-NOT-OBJECT',
        'the training parameters must be a JSON object; received ' + describeValue(decoded),
        {
          key: 'parameters',
          value: describeValue(decoded),
        },
      ),
    );
  }
  if (problems.list.length > 0 || !isJsonObject(decoded)) throw summariseParamProblems(problems.list);
  const raw = decoded;

  for (const key of REQUIRED_PARAM_KEYS) {
    if (!present(raw[key])) {
      problems.add('SME-E-PARAM-MISSING', key, raw[key], 'is required', 'Add "' + key + '" with a value.');
    }
  }

  const modelName = present(raw.model_name) ? stringValue(problems, 'model_name', raw.model_name) : undefined;
  if (modelName !== undefined) {
    const reason = modelNameProblem(modelName);
    if (reason !== undefined) problems.add('SME-E-PARAM-MODEL-NAME', 'model_name', modelName, reason);
  }

  const connection = present(raw.aws_credentials_connection_name)
    ? identifierValue(problems, 'aws_credentials_connection_name', raw.aws_credentials_connection_name)
    : undefined;

  const region = present(raw.aws_region) ? stringValue(problems, 'aws_region', raw.aws_region) : undefined;
  if (region !== undefined && !isRegionShape(region)) {
    problems.add('SME-E-PARAM-REGION', 'aws_region', region, 'is not an AWS region code');
  }

  const { role, roleArn } = roleValues(problems, raw);

  const { bucketUri, outputPath } = s3LocationValues(problems, raw);

  const schema = present(raw.input_schema_name)
    ? identifierValue(problems, 'input_schema_name', raw.input_schema_name)
    : undefined;
  const table = present(raw.input_table_or_view_name)
    ? identifierValue(problems, 'input_table_or_view_name', raw.input_table_or_view_name)
    : undefined;
  const target = present(raw.target_attribute_name)
    ? identifierValue(problems, 'target_attribute_name', raw.target_attribute_name)
    : undefined;

  const { problemType, objective } = problemValues(problems, raw);

  const { maxRuntime, maxCandidates, maxPerJob } = limitValues(problems, raw);

  let allowSuspectFeatures = false;
  if (present(raw.allow_suspect_features)) {
    if (typeof raw.allow_suspect_features === 'boolean') allowSuspectFeatures = raw.allow_suspect_features;
    else {
      problems.add(
        'SME-E-PARAM-TYPE',
        'allow_suspect_features',
        raw.allow_suspect_features,
        'must be true or false, not ' + jsonTypeOf(raw.allow_suspect_features),
      );
    }
  }

  const sampleMaxRows = present(raw.sample_max_rows)
    ? integerValue(problems, 'sample_max_rows', raw.sample_max_rows, MIN_SAMPLE_ROWS, MAX_SAMPLE_ROWS)
    : undefined;
  const sampleFraction = present(raw.sample_fraction) ? fractionValue(problems, raw.sample_fraction) : undefined;

  unknownKeyProblems(problems, raw);

  if (
    problems.list.length > 0 ||
    modelName === undefined ||
    connection === undefined ||
    region === undefined ||
    role === undefined ||
    bucketUri === undefined ||
    outputPath === undefined ||
    schema === undefined ||
    table === undefined ||
    target === undefined
  ) {
    throw summariseParamProblems(problems.list);
  }

  return freeze({
    modelName,
    awsCredentialsConnectionName: connection,
    awsRegion: region,
    iamSagemakerRole: role,
    roleArn,
    s3BucketUri: 's3://' + bucketUri.bucket + (bucketUri.prefix.length > 0 ? '/' + bucketUri.prefix : ''),
    s3Bucket: bucketUri.bucket,
    s3BucketPrefix: bucketUri.prefix,
    s3OutputPath: outputPath,
    inputSchemaName: schema,
    inputTableOrViewName: table,
    targetAttributeName: target,
    problemType,
    objective,
    maxRuntimeForAutomlJobInSeconds: maxRuntime,
    maxCandidates,
    maxRuntimePerTrainingJobInSeconds: maxPerJob,
    allowSuspectFeatures,
    sampleMaxRows,
    sampleFraction,
  });
}

/** `sample_fraction`: a JSON number with 0 < fraction ≤ 1. */
function fractionValue(problems: Problems, value: unknown): number | undefined {
  const key = 'sample_fraction';
  if (typeof value !== 'number') {
    problems.add('SME-E-PARAM-TYPE', key, value, 'must be a JSON number, not ' + jsonTypeOf(value));
    return undefined;
  }
  if (!(value > 0 && value <= 1)) {
    problems.add(
      'SME-E-PARAM-RANGE',
      key,
      value,
      'must be greater than 0 and at most 1',
      'Give the share of rows to train on, e.g. 0.1 for 10 %.',
    );
    return undefined;
  }
  return value;
}

/** SME-E-PARAMS over a list of problems, each on its own line. */
export function summariseParamProblems(list: readonly SmeError[]): SmeError {
  const count = list.length;
  const lines = list.map((p) => '- ' + p.code + ': ' + p.message);
  return coreError(
    'SME-E-PARAMS',
    formatInteger(count) +
      (count === 1 ? ' problem' : ' problems') +
      ' in the training parameters:\n' +
      lines.join('\n'),
    { problems: list },
  );
}
