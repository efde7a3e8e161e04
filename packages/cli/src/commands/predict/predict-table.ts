import {
  coreError,
  findPredictionUdf,
  parseExasolIdentifier,
  predictionCallSql,
  qualifiedName,
  quoteIdentifier,
  sqlMetadataStores,
  tableColumnsSql,
  type RecordedPredictionUdf,
  type SqlPort,
} from '@sme/core';
import { splitTableName } from '../train/train-params.js';
import { cliError } from '../../cli-error-codes.js';

/** A table named by `--table`, as stored (unquoted parts upper-cased). */
export interface TableName {
  readonly schema: string;
  readonly table: string;
}

/** What the prediction runs: the endpoint's UDF and the features it takes, in training order. */
export type PredictionUdf = RecordedPredictionUdf;

/**
 * Reads `--table SCHEMA.TABLE` as Exasol reads names: `sales.customers` → SALES.CUSTOMERS, `"Ml".t` → Ml.T.
 *
 * @throws SmeError `SME-E-CLI-TABLE` without a schema part; `SME-E-PARAM-IDENTIFIER` for a part that is no name.
 */
export function parseTableName(text: string): TableName {
  const parts = splitTableName(text);
  const stored = (raw: string): string => {
    const parsed = parseExasolIdentifier(raw.trim());
    if (!parsed.ok) {
      throw coreError('SME-E-PARAM-IDENTIFIER', `--table '${text}': ${parsed.reason}`, {
        key: 'table',
        value: text.slice(0, 80),
      });
    }
    return parsed.identifier.name;
  };
  return { schema: stored(parts.schema), table: stored(parts.table) };
}

/**
 * `SELECT <udf>(<features>) FROM (SELECT <features> FROM <table> [LIMIT n]) GROUP BY IPROC(), MOD(ROWNUM, 4)`: the
 * prediction UDF is a SET script, called once per group, so the grouping runs it on every node in up to 4
 * instances per node at once (core's predictionCallSql); each emits inputs + PREDICTIONS [+ PROBABILITY].
 *
 * @example
 * predictionSql({ schema: 'ML', name: 'churn-ep', features: ['AGE'] }, { schema: 'S', table: 'T' }, 10);
 * // SELECT "ML"."churn-ep"("AGE") FROM (SELECT "AGE" FROM "S"."T" LIMIT 10) GROUP BY IPROC(), MOD(ROWNUM, 4)
 */
export function predictionSql(udf: PredictionUdf, table: TableName, limit?: number): string {
  const names = [...(udf.keys ?? []), ...udf.features];
  const columns = names.map((f) => quoteIdentifier(f)).join(', ');
  const source =
    `(SELECT ${columns} FROM ${qualifiedName(table.schema, table.table)}` +
    (limit === undefined ? '' : ` LIMIT ${String(limit)}`) +
    ')';
  return predictionCallSql(qualifiedName(udf.schema, udf.name), names, source);
}

/** JSON for the core's lookup (the CLI runs in Node). */
const nodeJson = {
  decode: (text: string): unknown => JSON.parse(text) as unknown,
  encode: (value: unknown): string => JSON.stringify(value),
};

/**
 * The endpoint's prediction UDF and its features (the job's training columns without the target, in order): core's
 * `findPredictionUdf` over the metadata tables of `metadataSchema`.
 *
 * @throws SmeError `SME-E-ENDPOINT-NOT-FOUND` when the endpoint is not recorded (or deleted);
 *   `SME-E-ENDPOINT-COLUMNS` when the job row has no readable columns.
 */
export function predictionUdfOf(sql: SqlPort, metadataSchema: string, endpointName: string): Promise<PredictionUdf> {
  return findPredictionUdf(sqlMetadataStores(sql, metadataSchema), nodeJson, endpointName, {
    metadataSchema,
    remedy: 'Check the name with sme endpoint list (and --schema); deploy it with sme endpoint deploy.',
  });
}

/**
 * Checks `--key` against the keys the UDF was deployed with: the UDF's parameters are fixed at deploy time, so
 * `--key` can only name the same columns (it may be left out: the recorded keys are passed anyway).
 *
 * @throws SmeError `SME-E-CLI-PREDICT-KEYS` when they differ.
 */
export function checkKeys(udf: PredictionUdf, requested: readonly string[] | undefined, endpoint: string): void {
  if (requested === undefined) return;
  const keys = udf.keys ?? [];
  const same = requested.length === keys.length && requested.every((k, i) => k === keys[i]);
  if (same) return;
  throw cliError(
    'SME-E-CLI-PREDICT-KEYS',
    `--key ${requested.join(',') || '(none)'} differs from the key columns the prediction UDF of '${endpoint}' was deployed with: ${keys.join(',') || 'none'}`,
    {
      key: 'key',
      value: requested.join(',').slice(0, 120),
      remedy:
        keys.length === 0
          ? `Deploy the endpoint again with: sme endpoint deploy <job> --endpoint-name ${endpoint} --udf-schema ${udf.schema} --key ${requested.join(',')}`
          : `Leave out --key (the recorded keys ${keys.join(',')} are passed), or deploy again with other --key columns.`,
    },
  );
}

/**
 * Checks that the table exists and has every feature column, so that a wrong table gets a message naming what
 * is missing instead of an SQL error.
 *
 * @throws SmeError `SME-E-TABLE-NOT-FOUND`, `SME-E-CLI-PREDICT-COLUMNS`.
 */
export async function checkTableColumns(sql: SqlPort, table: TableName, features: readonly string[]): Promise<void> {
  // `features`: every column the UDF call reads (keys first).
  const present = (await sql.query(tableColumnsSql(table.schema, table.table))).rows.map((row) => String(row[0]));
  if (present.length === 0) {
    throw coreError('SME-E-TABLE-NOT-FOUND', `table ${qualifiedName(table.schema, table.table)} does not exist`, {
      key: 'table',
      value: `${table.schema}.${table.table}`.slice(0, 80),
      remedy: 'Check --table (unquoted names are upper-cased) and your privileges.',
    });
  }
  const missing = features.filter((f) => !present.includes(f));
  if (missing.length > 0) {
    throw cliError(
      'SME-E-CLI-PREDICT-COLUMNS',
      `table ${qualifiedName(table.schema, table.table)} lacks the columns ${missing.join(', ')} the prediction UDF takes`,
      {
        key: 'table',
        value: `${table.schema}.${table.table}`.slice(0, 80),
        remedy: `Predict over a table or view with the columns ${features.join(', ')} (the key columns of --key and the features the model was trained on).`,
      },
    );
  }
}
