/** The batch predictions table `SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS`: one row per batch prediction. */
import { coreError } from '../error-codes.js';
import { qualifiedName, quoteIdentifier, quoteLiteral } from '../identifiers.js';
import type { MetadataColumn } from './metadata-table.js';
import { type SqlLiteralValue } from './statements.js';
import { insertRowSql, updateRowSql, type CatalogTable } from './table-rows.js';

export const BATCH_PREDICTIONS_TABLE = 'SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS';

/**
 * Columns in order; BATCH_PREDICTION_NAME is the primary key. It is also the name of the SageMaker transform job
 * and of the model the job runs, and the last folder of S3_PREFIX_URI.
 */
export const BATCH_PREDICTION_COLUMNS: readonly MetadataColumn[] = [
  { name: 'CREATED', type: 'TIMESTAMP' },
  { name: 'BATCH_PREDICTION_NAME', type: 'VARCHAR(63)' },
  { name: 'JOB_NAME', type: 'VARCHAR(32)' },
  { name: 'TRANSFORM_JOB_NAME', type: 'VARCHAR(63)' },
  { name: 'MODEL_NAME', type: 'VARCHAR(63)' },
  { name: 'PROBLEM_TYPE', type: 'VARCHAR(32)' },
  { name: 'INPUT_SCHEMA_NAME', type: 'VARCHAR(128)' },
  { name: 'INPUT_TABLE_NAME', type: 'VARCHAR(128)' },
  { name: 'OUTPUT_SCHEMA_NAME', type: 'VARCHAR(128)' },
  { name: 'OUTPUT_TABLE_NAME', type: 'VARCHAR(128)' },
  { name: 'KEY_COLUMNS', type: 'VARCHAR(2000000)' },
  /** The output table's columns (keys, PREDICTIONS[, PROBABILITY]) and their types, JSON arrays of text. */
  { name: 'OUTPUT_COLUMNS', type: 'VARCHAR(2000000)' },
  { name: 'OUTPUT_COLUMN_TYPES', type: 'VARCHAR(2000000)' },
  { name: 'INSTANCE_TYPE', type: 'VARCHAR(64)' },
  { name: 'ROW_COUNT', type: 'DECIMAL(18,0)' },
  { name: 'S3_PREFIX_URI', type: 'VARCHAR(1024)' },
  { name: 'AWS_CREDENTIALS_CONNECTION_NAME', type: 'VARCHAR(128)' },
  { name: 'AWS_REGION', type: 'VARCHAR(32)' },
  { name: 'STATUS', type: 'VARCHAR(32)' },
  { name: 'FAILURE_REASON', type: 'VARCHAR(2048)' },
  { name: 'LAST_STATUS_UPDATE', type: 'TIMESTAMP' },
  { name: 'ENDED', type: 'TIMESTAMP' },
  { name: 'IMPORTED_ROWS', type: 'DECIMAL(18,0)' },
  { name: 'SESSION_ID', type: 'DECIMAL(20,0)' },
  { name: 'SCRIPT_USER', type: 'VARCHAR(128)' },
];

const TABLE: CatalogTable = {
  name: BATCH_PREDICTIONS_TABLE,
  columns: BATCH_PREDICTION_COLUMNS,
  label: 'the batch predictions table',
};

/** `CREATE TABLE IF NOT EXISTS "<schema>"."SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS" (…)`. */
export function createBatchPredictionsTableSql(schema: string): string {
  const columns = BATCH_PREDICTION_COLUMNS.map(
    (c) => quoteIdentifier(c.name) + ' ' + c.type + (c.name === 'BATCH_PREDICTION_NAME' ? ' PRIMARY KEY' : ''),
  );
  return (
    'CREATE TABLE IF NOT EXISTS ' + qualifiedName(schema, BATCH_PREDICTIONS_TABLE) + ' (' + columns.join(', ') + ')'
  );
}

/** Names compare case-insensitively, as SageMaker's transform job names do. */
function nameMatch(name: string): string {
  return 'UPPER("BATCH_PREDICTION_NAME") = UPPER(' + quoteLiteral(name) + ')';
}

/** INSERT of one batch prediction row (columns in catalog order; absent ones NULL). */
export function insertBatchPredictionSql(schema: string, values: Readonly<Record<string, SqlLiteralValue>>): string {
  return insertRowSql(schema, TABLE, values);
}

/** UPDATE of one batch prediction's row. */
export function updateBatchPredictionSql(
  schema: string,
  name: string,
  values: Readonly<Record<string, SqlLiteralValue>>,
): string {
  return updateRowSql(schema, TABLE, values, nameMatch(name));
}

/** `SELECT <all columns> FROM … [WHERE name matches] ORDER BY "CREATED" DESC`. */
export function selectBatchPredictionsSql(schema: string, name?: string): string {
  return (
    'SELECT ' +
    BATCH_PREDICTION_COLUMNS.map((c) => quoteIdentifier(c.name)).join(', ') +
    ' FROM ' +
    qualifiedName(schema, BATCH_PREDICTIONS_TABLE) +
    (name === undefined ? '' : ' WHERE ' + nameMatch(name)) +
    ' ORDER BY "CREATED" DESC'
  );
}

/**
 * `IMPORT INTO "<schema>"."<table>" (<columns>) FROM CSV AT "<connection>" FILE '<key>' …`: the transform's
 * output files (keys relative to the CONNECTION's bucket) into the output table.
 *
 * @example
 * importFromS3Sql({ schema: 'S', table: 'SCORES', columns: ['ID', 'PREDICTIONS'], connection: 'AWS', fileKeys: ['p/x.csv.out'] });
 */
export function importFromS3Sql(options: {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly connection: string;
  readonly fileKeys: readonly string[];
}): string {
  if (options.columns.length === 0 || options.fileKeys.length === 0) {
    throw coreError('SME-E-ARGUMENT', 'an import needs at least one column and one file', { key: 'columns' });
  }
  return (
    'IMPORT INTO ' +
    qualifiedName(options.schema, options.table) +
    ' (' +
    options.columns.map((c) => quoteIdentifier(c)).join(', ') +
    ') FROM CSV AT ' +
    quoteIdentifier(options.connection) +
    ' ' +
    options.fileKeys.map((k) => 'FILE ' + quoteLiteral(k)).join(' ') +
    " ENCODING = 'UTF-8'"
  );
}

/** `CREATE TABLE IF NOT EXISTS "<schema>"."<table>" ("<name>" <type>, …)`: a batch prediction's output table. */
export function createOutputTableSql(
  schema: string,
  table: string,
  columns: readonly { readonly name: string; readonly type: string }[],
): string {
  return (
    'CREATE TABLE IF NOT EXISTS ' +
    qualifiedName(schema, table) +
    ' (' +
    columns.map((c) => quoteIdentifier(c.name) + ' ' + c.type).join(', ') +
    ')'
  );
}
