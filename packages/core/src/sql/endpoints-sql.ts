/** The endpoints table `SME_METADATA_AUTOPILOT_ENDPOINTS`: one row per endpoint sme deployed. */
import { qualifiedName, quoteIdentifier, quoteLiteral } from '../identifiers.js';
import type { MetadataColumn } from './metadata-table.js';
import { type SqlLiteralValue } from './statements.js';
import { insertRowSql, updateRowSql, type CatalogTable } from './table-rows.js';

export const ENDPOINTS_TABLE = 'SME_METADATA_AUTOPILOT_ENDPOINTS';

/** Columns in order; ENDPOINT_NAME is the primary key (SageMaker endpoint names are unique per account and region). */
export const ENDPOINT_COLUMNS: readonly MetadataColumn[] = [
  { name: 'CREATED', type: 'TIMESTAMP' },
  { name: 'ENDPOINT_NAME', type: 'VARCHAR(63)' },
  { name: 'JOB_NAME', type: 'VARCHAR(32)' },
  { name: 'MODEL_NAME', type: 'VARCHAR(63)' },
  { name: 'ENDPOINT_CONFIG_NAME', type: 'VARCHAR(63)' },
  { name: 'INSTANCE_TYPE', type: 'VARCHAR(64)' },
  { name: 'INSTANCE_COUNT', type: 'DECIMAL(9,0)' },
  { name: 'PROBLEM_TYPE', type: 'VARCHAR(32)' },
  { name: 'PREDICTION_UDF', type: 'VARCHAR(300)' },
  { name: 'UDF_SCHEMA', type: 'VARCHAR(128)' },
  { name: 'AWS_CREDENTIALS_CONNECTION_NAME', type: 'VARCHAR(128)' },
  { name: 'AWS_REGION', type: 'VARCHAR(32)' },
  { name: 'STATUS', type: 'VARCHAR(32)' },
  { name: 'LAST_STATUS_UPDATE', type: 'TIMESTAMP' },
  { name: 'FAILURE_REASON', type: 'VARCHAR(2048)' },
  { name: 'DELETED_AT', type: 'TIMESTAMP' },
  { name: 'SESSION_ID', type: 'DECIMAL(20,0)' },
  { name: 'SCRIPT_USER', type: 'VARCHAR(128)' },
  /** Key columns of the prediction UDF (JSON arrays of names and Lua UDF types); NULL when it has none. */
  { name: 'KEY_COLUMNS', type: 'VARCHAR(2000000)' },
  { name: 'KEY_TYPES', type: 'VARCHAR(2000000)' },
  /**
   * Idle time-to-live in seconds (`idle_ttl`, `--idle-ttl`) and the deadline it gives: deploy time + TTL, moved to
   * the time of each use sme records + TTL (`sme predict`). Past it, reapIdleEndpoints deletes the endpoint. NULL: kept.
   */
  { name: 'IDLE_TTL_SECONDS', type: 'DECIMAL(18,0)' },
  { name: 'IDLE_DEADLINE', type: 'TIMESTAMP' },
  /** A serverless endpoint's memory (MB) and most concurrent invocations; NULL for an instance-based one. */
  { name: 'SERVERLESS_MEMORY_MB', type: 'DECIMAL(9,0)' },
  { name: 'SERVERLESS_MAX_CONCURRENCY', type: 'DECIMAL(9,0)' },
];

const TABLE: CatalogTable = { name: ENDPOINTS_TABLE, columns: ENDPOINT_COLUMNS, label: 'the endpoints table' };

/** `CREATE TABLE IF NOT EXISTS "<schema>"."SME_METADATA_AUTOPILOT_ENDPOINTS" (…)`. */
export function createEndpointsTableSql(schema: string): string {
  const columns = ENDPOINT_COLUMNS.map(
    (c) => quoteIdentifier(c.name) + ' ' + c.type + (c.name === 'ENDPOINT_NAME' ? ' PRIMARY KEY' : ''),
  );
  return 'CREATE TABLE IF NOT EXISTS ' + qualifiedName(schema, ENDPOINTS_TABLE) + ' (' + columns.join(', ') + ')';
}

/** `ALTER TABLE … ADD COLUMN …` for each endpoints column missing from `existingColumns`. */
export function addMissingEndpointColumnsSql(schema: string, existingColumns: readonly string[]): string[] {
  return ENDPOINT_COLUMNS.filter((c) => !existingColumns.includes(c.name)).map(
    (c) =>
      'ALTER TABLE ' + qualifiedName(schema, ENDPOINTS_TABLE) + ' ADD COLUMN ' + quoteIdentifier(c.name) + ' ' + c.type,
  );
}

/** Endpoint names are compared case-insensitively, as SageMaker does. */
function endpointMatch(endpointName: string): string {
  return 'UPPER("ENDPOINT_NAME") = UPPER(' + quoteLiteral(endpointName) + ')';
}

/** INSERT of one endpoint row (columns in catalog order; absent ones NULL). */
export function insertEndpointSql(schema: string, values: Readonly<Record<string, SqlLiteralValue>>): string {
  return insertRowSql(schema, TABLE, values);
}

/** UPDATE of one endpoint's row. */
export function updateEndpointSql(
  schema: string,
  endpointName: string,
  values: Readonly<Record<string, SqlLiteralValue>>,
): string {
  return updateRowSql(schema, TABLE, values, endpointMatch(endpointName));
}

/**
 * `SELECT <all columns> FROM … [WHERE …] ORDER BY "CREATED" DESC`: one endpoint, a job's endpoints, or all;
 * `activeOnly` leaves out deleted ones.
 */
export function selectEndpointsSql(
  schema: string,
  filter: { readonly endpointName?: string; readonly jobName?: string; readonly activeOnly?: boolean } = {},
): string {
  const where: string[] = [];
  if (filter.endpointName !== undefined) where.push(endpointMatch(filter.endpointName));
  if (filter.jobName !== undefined) where.push('UPPER("JOB_NAME") = UPPER(' + quoteLiteral(filter.jobName) + ')');
  if (filter.activeOnly === true) where.push('"DELETED_AT" IS NULL');
  return (
    'SELECT ' +
    ENDPOINT_COLUMNS.map((c) => quoteIdentifier(c.name)).join(', ') +
    ' FROM ' +
    qualifiedName(schema, ENDPOINTS_TABLE) +
    (where.length > 0 ? ' WHERE ' + where.join(' AND ') : '') +
    ' ORDER BY "CREATED" DESC'
  );
}

/**
 * `SELECT <all columns> FROM … WHERE "DELETED_AT" IS NULL AND "IDLE_DEADLINE" < <now> ORDER BY "CREATED" DESC`: the
 * endpoints past their idle deadline (`now` is an Exasol TIMESTAMP literal's text, `YYYY-MM-DD HH:MI:SS.FFF`).
 */
export function selectIdleEndpointsSql(schema: string, now: string): string {
  return (
    'SELECT ' +
    ENDPOINT_COLUMNS.map((c) => quoteIdentifier(c.name)).join(', ') +
    ' FROM ' +
    qualifiedName(schema, ENDPOINTS_TABLE) +
    ' WHERE "DELETED_AT" IS NULL AND "IDLE_DEADLINE" IS NOT NULL AND "IDLE_DEADLINE" < TIMESTAMP ' +
    quoteLiteral(now) +
    ' ORDER BY "CREATED" DESC'
  );
}

/** `DROP SCRIPT IF EXISTS "<schema>"."<name>"`: removes a prediction UDF. */
export function dropScriptSql(schema: string, name: string): string {
  return 'DROP SCRIPT IF EXISTS ' + qualifiedName(schema, name);
}
