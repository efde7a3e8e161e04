import { readFileSync } from 'node:fs';
import { SmeError } from '@sme/core';
import { cliError } from '../../cli-error-codes.js';

/** The training flags, as yargs hands them over. */
export interface TrainFlags {
  readonly params?: string;
  readonly modelName?: string;
  readonly table?: string;
  readonly target?: string;
  readonly connection?: string;
  readonly bucket?: string;
  readonly outputPath?: string;
  readonly role?: string;
  readonly region?: string;
  readonly problemType?: string;
  readonly objective?: string;
  readonly maxCandidates?: number;
  readonly maxRuntime?: number;
  readonly maxRuntimePerJob?: number;
  readonly allowSuspectFeatures?: boolean;
  readonly sampleMaxRows?: number;
  readonly sampleFraction?: number;
}

/** Flag → JSON key of `SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT` (the names of the original extension's user guide). */
export const FLAG_KEYS = {
  modelName: 'model_name',
  connection: 'aws_credentials_connection_name',
  region: 'aws_region',
  role: 'iam_sagemaker_role',
  bucket: 's3_bucket_uri',
  outputPath: 's3_output_path',
  target: 'target_attribute_name',
  problemType: 'problem_type',
  objective: 'objective',
  maxRuntime: 'max_runtime_for_automl_job_in_seconds',
  maxCandidates: 'max_candidates',
  maxRuntimePerJob: 'max_runtime_per_training_job_in_seconds',
  allowSuspectFeatures: 'allow_suspect_features',
  sampleMaxRows: 'sample_max_rows',
  sampleFraction: 'sample_fraction',
} as const satisfies Partial<Record<keyof TrainFlags, string>>;

function paramsFileError(path: string, message: string, cause?: unknown): SmeError {
  return cliError(
    'SME-E-CLI-PARAMS-FILE',
    `--params ${path}: ${message}`,
    {
      key: 'params',
      value: path,
      remedy:
        'Give a file holding one JSON object with the keys of the training parameters, e.g. {"model_name": "churn", …}.',
    },
    cause,
  );
}

/**
 * Splits `--table SCHEMA.TABLE` at the first dot outside double quotes: `sales.customers`, `"My.Schema".T`.
 * A name without a schema is refused (the original extension's JSON needs input_schema_name).
 *
 * @throws SmeError `SME-E-CLI-TABLE` when there is no schema part.
 */
export function splitTableName(text: string): { schema: string; table: string } {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '.' && !quoted) {
      const schema = text.slice(0, i);
      const table = text.slice(i + 1);
      if (schema !== '' && table !== '') return { schema, table };
      break;
    }
  }
  throw cliError('SME-E-CLI-TABLE', `--table '${text}' must be SCHEMA.TABLE`, {
    key: 'table',
    value: text.slice(0, 80),
    remedy: 'Name the schema and the table or view, e.g. --table SALES.CUSTOMERS.',
  });
}

/**
 * Builds the training parameters (the JSON object of `SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT`) from `--params` and
 * the flags; a flag overrides the same key of the file. Values are passed on unvalidated: the core's
 * `parseTrainingParams` checks every key, with the same codes as in the database.
 *
 * @throws SmeError `SME-E-CLI-PARAMS-FILE` for an unreadable file or one not holding a JSON object; `SME-E-CLI-TABLE`.
 */
export function trainingInput(flags: TrainFlags, defaultRegion: string | undefined): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (flags.params !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.params, 'utf8');
    } catch (cause) {
      throw paramsFileError(
        flags.params,
        `cannot be read (${(cause as { code?: string }).code ?? 'unreadable'})`,
        cause,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw paramsFileError(flags.params, 'is not valid JSON', cause);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw paramsFileError(flags.params, 'must hold a JSON object');
    }
    Object.assign(input, parsed);
  }
  if (flags.table !== undefined) {
    const { schema, table } = splitTableName(flags.table);
    input.input_schema_name = schema;
    input.input_table_or_view_name = table;
  }
  for (const [flag, key] of Object.entries(FLAG_KEYS)) {
    const value = flags[flag as keyof typeof FLAG_KEYS];
    if (value !== undefined) input[key] = value;
  }
  if (input.aws_region === undefined && defaultRegion !== undefined) input.aws_region = defaultRegion;
  return input;
}
