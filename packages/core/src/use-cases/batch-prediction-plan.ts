/** What a batch prediction is planned from: its job row, its S3 folders and the output table's columns. */
import { coreError } from '../error-codes.js';
import { isClassification, predictionsType, udfResultType } from '../prediction/prediction-udf.js';
import type { ProblemType } from '../ports/automl-port.js';
import type { JobStore } from '../ports/metadata-store.js';
import type { SqlColumn, SqlValue } from '../ports/sql-port.js';
import { jobS3Layout, parseS3Uri } from '../s3-layout.js';
import { describeValue, formatInteger, isAllDigits } from '../text.js';
import type { BatchPredictionParams } from './batch-prediction-params.js';
import { textOf } from './metadata-rows.js';

type Row = Readonly<Record<string, SqlValue>>;

/** The S3 folders of one batch prediction under its job's prefix. */
export function batchS3Layout(
  jobRow: Row,
  jobName: string,
  name: string,
): {
  readonly bucket: string;
  readonly prefixUri: string;
  readonly inputPrefixUri: string;
  readonly inputKeyPrefix: string;
  readonly outputPrefixUri: string;
} {
  const where = parseS3Uri(textOf(jobRow, 'S3_BUCKET_URI') ?? '');
  const job = jobS3Layout({
    bucket: where.bucket,
    prefix: where.prefix,
    outputPath: textOf(jobRow, 'S3_OUTPUT_PATH') ?? '',
    jobName,
  });
  const root = 's3://' + where.bucket + '/';
  const prefixUri = job.jobPrefixUri + 'batch-predictions/' + name + '/';
  return {
    bucket: where.bucket,
    prefixUri,
    inputPrefixUri: prefixUri + 'input/',
    inputKeyPrefix: prefixUri.slice(root.length) + 'input/',
    outputPrefixUri: prefixUri + 'output/',
  };
}

/** The newest job row of `job_name`, or of the newest (Completed if recorded so) job of `model_name`. */
export async function resolveJobRow(params: BatchPredictionParams, jobs: JobStore): Promise<Row> {
  let found: Row | undefined;
  if (params.jobName !== undefined) found = await jobs.find(params.jobName);
  else {
    const rows = await jobs.list();
    const prefix = (params.modelName ?? '').toUpperCase() + '-';
    const mine = rows.filter((r) => {
      const name = (textOf(r, 'JOB_NAME') ?? '').toUpperCase();
      return name.startsWith(prefix) && name.length === prefix.length + 12 && isAllDigits(name.slice(prefix.length));
    });
    found = mine.find((r) => textOf(r, 'JOB_STATUS') === 'Completed') ?? mine[0];
  }
  if (found === undefined) {
    const what = params.jobName === undefined ? 'no job of model ' : 'job ';
    const value = params.jobName ?? params.modelName ?? '';
    throw coreError(
      'SME-E-JOB-NOT-FOUND',
      what + describeValue(value) + ' is in the metadata table; its training columns are unknown',
      { key: params.jobName === undefined ? 'model_name' : 'job_name', value: describeValue(value) },
    );
  }
  return found;
}

/** The wanted columns the table lacks. */
export function missingColumns(wanted: readonly string[], columns: readonly SqlColumn[]): string[] {
  return wanted.filter((w) => !columns.some((c) => c.name === w));
}

/**
 * The output rows' columns: the keys with their input types, PREDICTIONS (the type the prediction UDF emits) and,
 * for classification, PROBABILITY DOUBLE. An existing output table must have exactly these names in this order.
 */
export function outputColumns(
  keys: readonly string[],
  inputColumns: readonly SqlColumn[],
  target: { readonly name: string; readonly type: string },
  problemType: ProblemType,
): SqlColumn[] {
  const out: SqlColumn[] = keys.map((k) => ({ name: k, type: inputColumns.find((c) => c.name === k)?.type ?? '' }));
  out.push({ name: 'PREDICTIONS', type: udfResultType(predictionsType({ problemType, target })) });
  if (isClassification(problemType)) out.push({ name: 'PROBABILITY', type: 'DOUBLE' });
  return out;
}

/** `$[0,1,…,k-1,-2,-1]`: the keys, then the model's output columns of the joined record. */
export function outputFilter(keyCount: number, problemType: ProblemType): string {
  const parts: string[] = [];
  for (let i = 0; i < keyCount; i++) parts.push(formatInteger(i));
  if (isClassification(problemType)) parts.push('-2');
  parts.push('-1');
  return '$[' + parts.join(',') + ']';
}
