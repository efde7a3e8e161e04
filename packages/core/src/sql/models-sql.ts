/**
 * The model-name table `SME_METADATA_AUTOPILOT_MODELS`: one row per promotion of a job under a stable model name
 * (`sme promote <job> --as churn`); a name's newest row is its current job.
 */
import { qualifiedName, quoteIdentifier, quoteLiteral } from '../identifiers.js';
import type { MetadataColumn } from './metadata-table.js';

export const MODELS_TABLE = 'SME_METADATA_AUTOPILOT_MODELS';

export const MODEL_COLUMNS: readonly MetadataColumn[] = [
  { name: 'MODEL_NAME', type: 'VARCHAR(64)' },
  { name: 'JOB_NAME', type: 'VARCHAR(32)' },
  { name: 'ENDPOINT_NAME', type: 'VARCHAR(63)' },
  { name: 'UDF_SCHEMA', type: 'VARCHAR(128)' },
  { name: 'PREDICTION_UDF', type: 'VARCHAR(128)' },
  /** The stable UDF's parameters and emitted columns: a promotion must keep them. */
  { name: 'SIGNATURE', type: 'VARCHAR(2000000)' },
  { name: 'PROMOTED_AT', type: 'TIMESTAMP' },
  { name: 'PROMOTED_BY', type: 'VARCHAR(128)' },
];

/** `CREATE TABLE IF NOT EXISTS "<schema>"."SME_METADATA_AUTOPILOT_MODELS" (…)`. */
export function createModelsTableSql(schema: string): string {
  const columns = MODEL_COLUMNS.map((c) => quoteIdentifier(c.name) + ' ' + c.type);
  return 'CREATE TABLE IF NOT EXISTS ' + qualifiedName(schema, MODELS_TABLE) + ' (' + columns.join(', ') + ')';
}

/** Every promotion, newest first; of one model name (compared upper-cased) when given. */
export function selectModelsSql(schema: string, modelName?: string): string {
  return (
    'SELECT ' +
    MODEL_COLUMNS.map((c) => quoteIdentifier(c.name)).join(', ') +
    ' FROM ' +
    qualifiedName(schema, MODELS_TABLE) +
    (modelName === undefined ? '' : ' WHERE UPPER("MODEL_NAME") = UPPER(' + quoteLiteral(modelName) + ')') +
    ' ORDER BY "PROMOTED_AT" DESC, "MODEL_NAME"'
  );
}

/** One promotion; `promotedAt` is an Exasol TIMESTAMP text, `promotedBy` NULL when unknown. */
export function insertModelSql(
  schema: string,
  row: {
    readonly modelName: string;
    readonly jobName: string;
    readonly endpointName: string;
    readonly udfSchema: string;
    readonly predictionUdf: string;
    readonly signature: string;
    readonly promotedAt: string;
    readonly promotedBy?: string;
  },
): string {
  const texts = [row.modelName, row.jobName, row.endpointName, row.udfSchema, row.predictionUdf, row.signature];
  return (
    'INSERT INTO ' +
    qualifiedName(schema, MODELS_TABLE) +
    ' (' +
    MODEL_COLUMNS.map((c) => quoteIdentifier(c.name)).join(', ') +
    ') VALUES (' +
    texts.map((v) => quoteLiteral(v)).join(', ') +
    ', TIMESTAMP ' +
    quoteLiteral(row.promotedAt) +
    ', ' +
    (row.promotedBy === undefined ? 'NULL' : quoteLiteral(row.promotedBy)) +
    ')'
  );
}
