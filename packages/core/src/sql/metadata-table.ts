import { qualifiedName, quoteIdentifier } from '../identifiers.js';

/** Name of the table that records every training job. */
export const METADATA_TABLE = 'SME_METADATA_AUTOPILOT_JOBS';

/** One column of the metadata table. */
export interface MetadataColumn {
  readonly name: string;
  /** Exasol type text as used in DDL. */
  readonly type: string;
}

/**
 * The metadata table's columns, in order. The first 14 are those of Exasol's SageMaker extension, in its order
 * (https://github.com/exasol/sagemaker-extension/blob/main/doc/user_guide/user_guide.md); the rest were added by sme.
 * Deployers add missing ones to older tables ({@link addMissingMetadataColumnsSql}).
 */
export const METADATA_COLUMNS: readonly MetadataColumn[] = [
  { name: 'DATETIME', type: 'TIMESTAMP' },
  { name: 'JOB_NAME', type: 'VARCHAR(32)' },
  { name: 'AWS_CREDENTIALS_CONNECTION_NAME', type: 'VARCHAR(128)' },
  { name: 'IAM_SAGEMAKER_ROLE', type: 'VARCHAR(2048)' },
  { name: 'S3_BUCKET_URI', type: 'VARCHAR(1024)' },
  { name: 'S3_OUTPUT_PATH', type: 'VARCHAR(1024)' },
  { name: 'TARGET_ATTRIBUTE_NAME', type: 'VARCHAR(128)' },
  { name: 'PROBLEM_TYPE', type: 'VARCHAR(32)' },
  { name: 'OBJECTIVE', type: 'VARCHAR(32)' },
  { name: 'MAX_RUNTIME_FOR_AUTOML_JOB_IN_SECONDS', type: 'DECIMAL(18,0)' },
  { name: 'MAX_CANDIDATES', type: 'DECIMAL(18,0)' },
  { name: 'MAX_RUNTIME_PER_TRAINING_JOB_IN_SECONDS', type: 'DECIMAL(18,0)' },
  { name: 'SESSION_ID', type: 'DECIMAL(20,0)' },
  { name: 'SCRIPT_USER', type: 'VARCHAR(128)' },
  { name: 'AWS_REGION', type: 'VARCHAR(32)' },
  { name: 'COLUMN_NAMES', type: 'VARCHAR(2000000)' },
  { name: 'COLUMN_TYPES', type: 'VARCHAR(2000000)' },
  { name: 'JOB_STATUS', type: 'VARCHAR(32)' },
  { name: 'JOB_SECONDARY_STATUS', type: 'VARCHAR(64)' },
  { name: 'LAST_STATUS_UPDATE', type: 'TIMESTAMP' },
  { name: 'FAILURE_REASON', type: 'VARCHAR(2048)' },
  { name: 'INPUT_SCHEMA_NAME', type: 'VARCHAR(128)' },
  { name: 'INPUT_TABLE_NAME', type: 'VARCHAR(128)' },
  { name: 'JOB_ARN', type: 'VARCHAR(256)' },
  { name: 'S3_INPUT_URI', type: 'VARCHAR(1024)' },
  { name: 'S3_OUTPUT_URI', type: 'VARCHAR(1024)' },
  { name: 'BEST_CANDIDATE_NAME', type: 'VARCHAR(64)' },
  { name: 'BEST_METRIC_NAME', type: 'VARCHAR(64)' },
  { name: 'BEST_METRIC_VALUE', type: 'DOUBLE' },
  { name: 'DROPPED_AT', type: 'TIMESTAMP' },
  /** The sampling asked for (NULL: not asked) and done (SAMPLE_METHOD NULL: the whole table was exported). */
  { name: 'SAMPLE_MAX_ROWS', type: 'DECIMAL(18,0)' },
  { name: 'SAMPLE_FRACTION', type: 'DOUBLE' },
  { name: 'SAMPLE_METHOD', type: 'VARCHAR(16)' },
  { name: 'SAMPLE_ROW_COUNT', type: 'DECIMAL(18,0)' },
  { name: 'SAMPLE_SOURCE_ROW_COUNT', type: 'DECIMAL(18,0)' },
  /** The cost estimate shown at the start (US dollars, if the job runs to its caps). */
  { name: 'COST_ESTIMATE_USD_LOW', type: 'DOUBLE' },
  { name: 'COST_ESTIMATE_USD_HIGH', type: 'DOUBLE' },
];

/**
 * `CREATE TABLE IF NOT EXISTS "<schema>"."SME_METADATA_AUTOPILOT_JOBS" (…)`, JOB_NAME the primary key.
 *
 * @example
 * createMetadataTableSql('SME');
 */
export function createMetadataTableSql(schema: string): string {
  const columns = METADATA_COLUMNS.map(
    (c) => quoteIdentifier(c.name) + ' ' + c.type + (c.name === 'JOB_NAME' ? ' PRIMARY KEY' : ''),
  );
  return 'CREATE TABLE IF NOT EXISTS ' + qualifiedName(schema, METADATA_TABLE) + ' (' + columns.join(', ') + ')';
}

/**
 * `ALTER TABLE … ADD COLUMN …` for each metadata column missing from `existingColumns` (names as stored,
 * e.g. from EXA_ALL_COLUMNS), in catalog order: upgrades a table created by an older version.
 *
 * @example
 * addMissingMetadataColumnsSql('SME', ['DATETIME', 'JOB_NAME']); // one statement per other column
 */
export function addMissingMetadataColumnsSql(schema: string, existingColumns: readonly string[]): string[] {
  return METADATA_COLUMNS.filter((c) => !existingColumns.includes(c.name)).map(
    (c) =>
      'ALTER TABLE ' + qualifiedName(schema, METADATA_TABLE) + ' ADD COLUMN ' + quoteIdentifier(c.name) + ' ' + c.type,
  );
}
