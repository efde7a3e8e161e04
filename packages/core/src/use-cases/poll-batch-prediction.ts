import { coreError } from '../error-codes.js';
import { isSmeError } from '../errors.js';
import { parseExasolIdentifier } from '../identifiers.js';
import { exasolTimestamp } from '../job-name.js';
import type { Json } from '../ports/json.js';
import type { SqlValue } from '../ports/sql-port.js';
import type { TransformJobStatus } from '../ports/transform-port.js';
import { createOutputTableSql, importFromS3Sql } from '../sql/batch-predictions-sql.js';
import { tableColumnsSql, textOrNull, type SqlLiteralValue } from '../sql/statements.js';
import { describeValue, formatInteger } from '../text.js';
import { textOf } from './metadata-rows.js';
import type { BatchPredictionContext, BatchPredictionDeps } from './start-batch-prediction.js';
import { storesOf } from './stores.js';
import { problemText } from './start-training-safety.js';

type Row = Readonly<Record<string, SqlValue>>;

/** Which batch prediction; connection and region default to its row. */
export interface BatchPredictionRef {
  readonly name: string;
  readonly connectionName?: string;
  readonly region?: string;
}

/**
 * What a batch prediction is at: AWS's transform status while it runs; `Completed` once the results are in the
 * output table; `Failed` / `Stopped` when the transform ended so (nothing was imported).
 */
export type BatchPredictionStatus = TransformJobStatus;

export interface PollBatchPredictionResult {
  readonly name: string;
  readonly status: BatchPredictionStatus;
  readonly failureReason?: string;
  /** Rows put into the output table (when Completed). */
  readonly importedRows?: number;
  /** `"SCHEMA"."TABLE"`. */
  readonly outputTable: string;
  /** False when the transform's S3 data or model could not be removed (a warning was logged; the note says what). */
  readonly cleanedUp: boolean;
  readonly cleanupNote?: string;
}

const FINAL: readonly string[] = ['Completed', 'Failed', 'Stopped'];

function stringList(json: Json, text: string | undefined): string[] {
  let decoded: unknown;
  try {
    decoded = text === undefined ? undefined : json.decode(text);
  } catch {
    decoded = undefined;
  }
  const out: string[] = [];
  if (Array.isArray(decoded)) for (const item of decoded as unknown[]) if (typeof item === 'string') out.push(item);
  return out;
}

function numberOf(value: SqlValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value !== '') {
    const n = Number(value);
    return n === n ? n : undefined;
  }
  return undefined;
}

/** Deletes the transform's S3 folder (export and output) and its model; answers what could not be removed. */
async function cleanUp(
  row: Row,
  name: string,
  deps: BatchPredictionDeps,
  target: { connectionName: string; region: string },
): Promise<string | undefined> {
  const left: string[] = [];
  const prefix = textOf(row, 'S3_PREFIX_URI');
  if (prefix !== undefined) {
    try {
      await deps.objects(target).deletePrefix(prefix);
    } catch (e: unknown) {
      left.push(prefix + ' (' + problemText(e) + '; remove it with: aws s3 rm --recursive ' + prefix + ')');
    }
  }
  const model = textOf(row, 'MODEL_NAME') ?? name;
  try {
    await deps.endpoints(target).deleteModel(model);
  } catch (e: unknown) {
    if (!(isSmeError(e) && e.kind === 'NotFound')) left.push('model ' + model + ' (' + problemText(e) + ')');
  }
  if (left.length === 0) return undefined;
  const note = 'batch prediction ' + name + ' left behind: ' + left.join('; ');
  deps.log.warn(note);
  return note;
}

/**
 * Asks SageMaker how a batch prediction's transform is doing and records it. When it has Completed: creates the
 * output table if needed, IMPORTs the transform's `.out` files into it (one statement: all rows or none), records
 * `Completed` with the row count, then removes the transform's S3 data and model. When the transform Failed or was
 * Stopped: records that with AWS's reason and removes the same. A batch prediction already ended answers its row.
 * An import that fails keeps the transform's output and throws `SME-E-BATCH-IMPORT`: polling again retries it.
 *
 * @example
 * const { status } = await pollBatchPrediction({ name: 'churn-231114221320-231115093000' }, deps, { metadataSchema: 'SME' });
 */
export async function pollBatchPrediction(
  ref: BatchPredictionRef,
  deps: BatchPredictionDeps,
  context: BatchPredictionContext,
): Promise<PollBatchPredictionResult> {
  const row = await storesOf(deps, context.metadataSchema).batchPredictions.find(ref.name);
  if (row === undefined) {
    throw coreError(
      'SME-E-BATCH-NOT-FOUND',
      'batch prediction ' + describeValue(ref.name) + ' is not in SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS',
      { key: 'name', value: describeValue(ref.name) },
    );
  }
  const name = textOf(row, 'BATCH_PREDICTION_NAME') ?? ref.name;
  const outSchema = textOf(row, 'OUTPUT_SCHEMA_NAME') ?? '';
  const outTable = textOf(row, 'OUTPUT_TABLE_NAME') ?? '';
  const outputTable = '"' + outSchema + '"."' + outTable + '"';
  const recorded = textOf(row, 'STATUS') ?? '';
  if (FINAL.includes(recorded)) {
    const imported = numberOf(row.IMPORTED_ROWS);
    const reason = textOf(row, 'FAILURE_REASON');
    return {
      name,
      status: recorded as BatchPredictionStatus,
      ...(reason === undefined ? {} : { failureReason: reason }),
      ...(imported === undefined ? {} : { importedRows: imported }),
      outputTable,
      cleanedUp: true,
    };
  }
  let connectionName = textOf(row, 'AWS_CREDENTIALS_CONNECTION_NAME') ?? '';
  if (ref.connectionName !== undefined && ref.connectionName !== '') {
    const parsed = parseExasolIdentifier(ref.connectionName);
    if (!parsed.ok) {
      throw coreError(
        'SME-E-PARAM-IDENTIFIER',
        'connection ' + describeValue(ref.connectionName) + ' is not an identifier: ' + parsed.reason,
        {
          key: 'connection',
          value: describeValue(ref.connectionName),
        },
      );
    }
    connectionName = parsed.identifier.name;
  }
  const region = ref.region !== undefined && ref.region !== '' ? ref.region : (textOf(row, 'AWS_REGION') ?? '');
  const target = { connectionName, region };
  const d = await deps.transforms(target).describeTransformJob(textOf(row, 'TRANSFORM_JOB_NAME') ?? name);
  const now = (): SqlLiteralValue => ({ kind: 'timestamp', value: exasolTimestamp(deps.clock.nowMillis()) });
  const update = (values: Readonly<Record<string, SqlLiteralValue>>): Promise<number> =>
    storesOf(deps, context.metadataSchema).batchPredictions.update(name, { ...values, LAST_STATUS_UPDATE: now() });

  if (d.TransformJobStatus === 'InProgress' || d.TransformJobStatus === 'Stopping') {
    await update({ STATUS: { kind: 'text', value: d.TransformJobStatus } });
    return { name, status: d.TransformJobStatus, outputTable, cleanedUp: true };
  }
  if (d.TransformJobStatus === 'Failed' || d.TransformJobStatus === 'Stopped') {
    await update({
      STATUS: { kind: 'text', value: d.TransformJobStatus },
      FAILURE_REASON: textOrNull(d.FailureReason),
      ENDED: now(),
    });
    const note = await cleanUp(row, name, deps, target);
    return {
      name,
      status: d.TransformJobStatus,
      ...(d.FailureReason === undefined ? {} : { failureReason: d.FailureReason }),
      outputTable,
      cleanedUp: note === undefined,
      ...(note === undefined ? {} : { cleanupNote: note }),
    };
  }

  // Completed: the .out files into the output table.
  const names = stringList(deps.json, textOf(row, 'OUTPUT_COLUMNS'));
  const types = stringList(deps.json, textOf(row, 'OUTPUT_COLUMN_TYPES'));
  const prefix = textOf(row, 'S3_PREFIX_URI') ?? '';
  const outputPrefix = prefix + 'output/';
  const bucketRoot = prefix.slice(0, prefix.indexOf('/', 5) + 1);
  let imported: number;
  try {
    const files = (await deps.objects(target).list(outputPrefix)).filter((uri) => uri.endsWith('.out'));
    if (files.length === 0 || names.length === 0 || names.length !== types.length) {
      throw coreError(
        'SME-E-BATCH-IMPORT',
        'batch prediction ' +
          name +
          ' completed, but ' +
          (files.length === 0 ? 'no .out file is under ' + outputPrefix : 'its recorded output columns are unreadable'),
        { key: 'name', value: name },
      );
    }
    const existed = (await deps.sql.query(tableColumnsSql(outSchema, outTable))).rows.length > 0;
    await deps.sql.execute(
      createOutputTableSql(
        outSchema,
        outTable,
        names.map((n, i) => ({ name: n, type: types[i] ?? '' })),
      ),
    );
    try {
      imported = await deps.sql.execute(
        importFromS3Sql({
          schema: outSchema,
          table: outTable,
          columns: names,
          connection: connectionName,
          fileKeys: files.map((uri) => uri.slice(bucketRoot.length)),
        }),
      );
    } catch (e: unknown) {
      if (!existed) await deps.sql.execute('DROP TABLE IF EXISTS ' + outputTable).catch(() => 0);
      throw e;
    }
  } catch (e: unknown) {
    if (isSmeError(e) && e.code === 'SME-E-BATCH-IMPORT') throw e;
    throw coreError(
      'SME-E-BATCH-IMPORT',
      'importing the results of batch prediction ' +
        name +
        ' into ' +
        outputTable +
        ' failed (' +
        problemText(e) +
        '); the transform output under ' +
        outputPrefix +
        ' was kept: poll again to retry',
      { key: 'name', value: name, ...(isSmeError(e) ? { problems: [e] } : {}) },
      e,
    );
  }
  await update({
    STATUS: { kind: 'text', value: 'Completed' },
    IMPORTED_ROWS: { kind: 'integer', value: imported },
    ENDED: now(),
  });
  deps.log.info('imported ' + formatInteger(imported) + ' predicted rows into ' + outputTable);
  const note = await cleanUp(row, name, deps, target);
  return {
    name,
    status: 'Completed',
    importedRows: imported,
    outputTable,
    cleanedUp: note === undefined,
    ...(note === undefined ? {} : { cleanupNote: note }),
  };
}
