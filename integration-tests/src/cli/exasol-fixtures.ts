import { MAX_TRAINING_COLUMNS, MAX_TRAINING_ROWS } from '@sme/core';
import { connectExasol, type ExasolSqlPort } from '@sme/exasol-adapter';
import { bucketConnectionAddress, dsnOf, type Environment } from '../environment/index.js';

/** A session on the environment's Exasol, for setting up data and looking at what sme wrote. */
export function connect(env: Environment): Promise<ExasolSqlPort> {
  return connectExasol({ dsn: dsnOf(env), user: env.exasol.user, password: env.exasol.password });
}

/**
 * Creates `<schema>.<table>` with `rows` rows and a learnable signal: `CHURNED` is 'yes' exactly when
 * `USAGE + 0.5 * TENURE > 0.9` (features in [0, 1)), plus a categorical column.
 */
export async function createTrainingTable(
  sql: ExasolSqlPort,
  schema: string,
  table: string,
  rows: number,
): Promise<void> {
  await sql.execute(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await sql.execute(
    `CREATE OR REPLACE TABLE ${schema}.${table} (CUSTOMER_ID DECIMAL(18,0), USAGE DOUBLE, TENURE DOUBLE, PLAN VARCHAR(10), CHURNED VARCHAR(3))`,
  );
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const data: (string | number)[][] = [];
  for (let i = 0; i < rows; i++) {
    const usage = random();
    const tenure = random();
    data.push([
      i + 1,
      usage,
      tenure,
      ['basic', 'plus', 'pro'][i % 3] ?? 'basic',
      usage + 0.5 * tenure > 0.9 ? 'yes' : 'no',
    ]);
  }
  await sql.insertRows(`${schema}.${table}`, ['CUSTOMER_ID', 'USAGE', 'TENURE', 'PLAN', 'CHURNED'], data);
}

/**
 * Creates the view `<schema>.<view>` (USAGE DOUBLE, CHURNED VARCHAR(3), a quarter 'yes') with a million rows more
 * than Autopilot's row limit (core's MAX_TRAINING_ROWS), storing about a million: a table of
 * MAX_TRAINING_ROWS / 10^6 + 1 rows cross-joined with one of 10^6. The sandbox answers counts and aggregates over a
 * cross join of two tables without producing its rows (a few seconds); a real database would read 3 billion rows.
 * Answers the view's row count.
 */
export async function createOverRowLimitView(sql: ExasolSqlPort, schema: string, view: string): Promise<number> {
  const baseRows = Math.floor(MAX_TRAINING_ROWS / 1_000_000) + 1;
  const base = `${schema}.${view}_BASE`;
  const thousand = `${schema}.${view}_THOUSAND`;
  await sql.execute(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await sql.execute(`CREATE OR REPLACE TABLE ${base} (USAGE DOUBLE, CHURNED VARCHAR(3))`);
  await sql.insertRows(
    base,
    ['USAGE', 'CHURNED'],
    Array.from({ length: baseRows }, (_, i) => [(i % 50) / 50, i % 4 === 0 ? 'yes' : 'no']),
  );
  await sql.execute(`CREATE OR REPLACE TABLE ${thousand} (N DECIMAL(9,0))`);
  await sql.insertRows(
    thousand,
    ['N'],
    Array.from({ length: 1000 }, (_, i) => [i]),
  );
  await sql.execute(
    `CREATE OR REPLACE TABLE ${schema}.${view}_MILLION AS SELECT A.N FROM ${thousand} A CROSS JOIN ${thousand} B`,
  );
  await sql.execute(
    `CREATE OR REPLACE VIEW ${schema}.${view} AS SELECT B.USAGE, B.CHURNED FROM ${base} B CROSS JOIN ${schema}.${view}_MILLION M`,
  );
  return baseRows * 1_000_000;
}

/**
 * Creates `<schema>.<table>` with one column more than Autopilot's column limit (core's MAX_TRAINING_COLUMNS, the
 * target included): copies of USAGE and CHURNED of `<schema>.<source>`, which must have both.
 */
export async function createOverColumnLimitTable(
  sql: ExasolSqlPort,
  schema: string,
  table: string,
  source: string,
): Promise<void> {
  const features = Array.from({ length: MAX_TRAINING_COLUMNS }, (_, i) => `USAGE AS F${String(i + 1)}`);
  await sql.execute(
    `CREATE OR REPLACE TABLE ${schema}.${table} AS SELECT ${features.join(', ')}, CHURNED FROM ${schema}.${source}`,
  );
}

/** A CONNECTION to the environment's bucket with its credentials (what EXPORT writes through). */
export async function createBucketConnection(sql: ExasolSqlPort, env: Environment, name: string): Promise<void> {
  const { accessKeyId, secretAccessKey } = env.aws.credentials;
  await sql.execute(
    `CREATE OR REPLACE CONNECTION ${name} TO '${bucketConnectionAddress(env)}' USER '${accessKeyId}' IDENTIFIED BY '${secretAccessKey}'`,
  );
}

/** The metadata rows of the schema's job table, column name → value. */
export async function metadataRows(
  sql: ExasolSqlPort,
  schema: string,
  jobName?: string,
): Promise<Record<string, unknown>[]> {
  const where = jobName === undefined ? '' : ` WHERE JOB_NAME = '${jobName}'`;
  const result = await sql.query(`SELECT * FROM ${schema}.SME_METADATA_AUTOPILOT_JOBS${where}`);
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}
