/**
 * The metadata stores' contract, run against the SQL stores over the sandbox (DuckDB-backed Exasol, through the
 * Node SqlPort) and against the in-memory stores the use-case tests use: the SQL the stores generate is proven on a
 * real SQL engine, and the test double is shown to answer as that SQL does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBatchPredictionsTableSql,
  createEndpointsTableSql,
  createMetadataTableSql,
  createModelsTableSql,
  quoteIdentifier,
  sqlMetadataStores,
  type MetadataRow,
  type MetadataStores,
  type MetadataValues,
} from '@sme/core';
import { InMemoryMetadataStores } from '@sme/core/testing';
import { connectExasol, type ExasolSqlPort } from '@sme/exasol-adapter';
import { startExasolSandbox } from '@sme/sandbox';

let exa: Awaited<ReturnType<typeof startExasolSandbox>>;
let sql: ExasolSqlPort;
let schemas = 0;

beforeAll(async () => {
  exa = await startExasolSandbox({});
  sql = await connectExasol({
    dsn: `${exa.host}/${exa.fingerprint ?? ''}:${exa.port}`,
    user: exa.user,
    password: exa.password,
  });
}, 60_000);

afterAll(async () => {
  await sql.close();
  await exa.stop();
});

/** The SQL stores of a fresh schema holding the four tables, as the deployer creates them. */
async function sqlStores(): Promise<MetadataStores> {
  const schema = `STORES_${String(++schemas)}`;
  await sql.execute('CREATE SCHEMA ' + quoteIdentifier(schema));
  for (const ddl of [
    createMetadataTableSql(schema),
    createEndpointsTableSql(schema),
    createBatchPredictionsTableSql(schema),
    createModelsTableSql(schema),
  ]) {
    await sql.execute(ddl);
  }
  return sqlMetadataStores(sql, schema);
}

const text = (value: string) => ({ kind: 'text', value }) as const;
const timestamp = (value: string) => ({ kind: 'timestamp', value }) as const;
const integer = (value: number | string) => ({ kind: 'integer', value }) as const;
const NULL = { kind: 'null' } as const;

const names = (rows: readonly MetadataRow[], key: string) => rows.map((r) => r[key]);

const TIMESTAMP_COLUMNS = new Set(['DATETIME', 'LAST_STATUS_UPDATE', 'CREATED', 'DELETED_AT', 'PROMOTED_AT']);

/**
 * A row with its TIMESTAMP texts to milliseconds: the Node driver answers six fractional digits, the in-memory stores
 * keep the text written (three, as sme writes them); the instant is what both keep.
 */
function read(row: MetadataRow | undefined): MetadataRow | undefined {
  if (row === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      TIMESTAMP_COLUMNS.has(k) && typeof v === 'string' ? v.replace(/^(.{19}\.\d{3})\d*$/, '$1') : v,
    ]),
  );
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

function endpoint(name: string, job: string, created: string, more: MetadataValues = {}): MetadataValues {
  return { ENDPOINT_NAME: text(name), JOB_NAME: text(job), CREATED: timestamp(created), ...more };
}

describe.each([
  ['the SQL stores over the sandbox', sqlStores],
  ['the in-memory stores', () => Promise.resolve(new InMemoryMetadataStores())],
])('%s', (_, open: () => Promise<MetadataStores>) => {
  it('find a job by its name in any case, its values read back as Exasol answers them', async () => {
    const stores = await open();
    await stores.jobs.insert({
      DATETIME: timestamp('2026-01-01 10:00:00.000'),
      JOB_NAME: text('churn-260101100000'),
      JOB_STATUS: text('InProgress'),
      MAX_CANDIDATES: integer(5),
      SESSION_ID: integer('1234567890123456789'),
      BEST_METRIC_VALUE: { kind: 'double', value: 0.8125 },
      FAILURE_REASON: NULL,
    });
    const row = await stores.jobs.find('CHURN-260101100000');
    expect(read(row)).toMatchObject({
      DATETIME: '2026-01-01 10:00:00.000',
      JOB_NAME: 'churn-260101100000',
      JOB_STATUS: 'InProgress',
      MAX_CANDIDATES: 5,
      // Beyond 15 digits an integer stays exact text.
      SESSION_ID: '1234567890123456789',
      BEST_METRIC_VALUE: 0.8125,
      FAILURE_REASON: null,
    });
    expect(await stores.jobs.find('churn-260101100001')).toBeUndefined();
  });

  it('list jobs newest first', async () => {
    const stores = await open();
    for (const [name, at] of [
      ['b-260102000000', '2026-01-02 00:00:00.000'],
      ['c-260103000000', '2026-01-03 00:00:00.000'],
      ['a-260101000000', '2026-01-01 00:00:00.000'],
    ] as const) {
      await stores.jobs.insert({ JOB_NAME: text(name), DATETIME: timestamp(at) });
    }
    expect(names(await stores.jobs.list(), 'JOB_NAME')).toEqual(['c-260103000000', 'b-260102000000', 'a-260101000000']);
  });

  it('reject a second row under a taken key, and keep the first', async () => {
    const stores = await open();
    const row = { JOB_NAME: text('churn-1'), DATETIME: timestamp('2026-01-01 00:00:00.000') };
    await stores.jobs.insert({ ...row, JOB_STATUS: text('InProgress') });
    const error = await rejection(stores.jobs.insert({ ...row, JOB_STATUS: text('Completed') }));
    expect(error).toMatchObject({ kind: 'SqlError' });
    expect((error as { code: string }).code).toMatch(/^SME-E-SQL/);
    expect((await stores.jobs.list()).map((r) => r.JOB_STATUS)).toEqual(['InProgress']);
  });

  it('update the row of a key in any case and answer how many rows changed', async () => {
    const stores = await open();
    await stores.jobs.insert({ JOB_NAME: text('churn-1'), DATETIME: timestamp('2026-01-01 00:00:00.000') });
    expect(
      await stores.jobs.update('CHURN-1', {
        JOB_STATUS: text('Completed'),
        LAST_STATUS_UPDATE: timestamp('2026-01-01 01:00:00.000'),
        FAILURE_REASON: NULL,
      }),
    ).toBe(1);
    expect(await stores.jobs.update('churn-2', { JOB_STATUS: text('Failed') })).toBe(0);
    expect(read(await stores.jobs.find('churn-1'))).toMatchObject({
      JOB_STATUS: 'Completed',
      LAST_STATUS_UPDATE: '2026-01-01 01:00:00.000',
      FAILURE_REASON: null,
    });
  });

  it('refuse a column the table lacks, writing nothing', async () => {
    const stores = await open();
    const insert = await rejection(stores.jobs.insert({ JOB_NAME: text('churn-1'), NO_SUCH_COLUMN: text('x') }));
    expect(insert).toMatchObject({ code: 'SME-E-ARGUMENT' });
    const update = await rejection(stores.endpoints.update('ep', { NO_SUCH_COLUMN: text('x') }));
    expect(update).toMatchObject({ code: 'SME-E-ARGUMENT' });
    expect(await stores.jobs.list()).toEqual([]);
  });

  it('list endpoints newest first, by endpoint, by job, only those not deleted, and those idle past a time', async () => {
    const stores = await open();
    await stores.endpoints.insert(
      endpoint('ep-a', 'job-1', '2026-01-01 00:00:00.000', { IDLE_DEADLINE: timestamp('2026-01-05 00:00:00.000') }),
    );
    await stores.endpoints.insert(
      endpoint('ep-b', 'job-1', '2026-01-02 00:00:00.000', {
        IDLE_DEADLINE: timestamp('2026-01-05 00:00:00.000'),
        DELETED_AT: timestamp('2026-01-03 00:00:00.000'),
      }),
    );
    await stores.endpoints.insert(
      endpoint('ep-c', 'job-2', '2026-01-03 00:00:00.000', { IDLE_DEADLINE: timestamp('2026-01-09 00:00:00.000') }),
    );
    await stores.endpoints.insert(endpoint('ep-d', 'job-2', '2026-01-04 00:00:00.000', { INSTANCE_COUNT: integer(2) }));
    const listed = async (filter: Parameters<MetadataStores['endpoints']['list']>[0]) =>
      names(await stores.endpoints.list(filter), 'ENDPOINT_NAME');
    expect(await listed(undefined)).toEqual(['ep-d', 'ep-c', 'ep-b', 'ep-a']);
    expect(await listed({ endpointName: 'EP-A' })).toEqual(['ep-a']);
    expect(await listed({ jobName: 'JOB-1' })).toEqual(['ep-b', 'ep-a']);
    expect(await listed({ activeOnly: true })).toEqual(['ep-d', 'ep-c', 'ep-a']);
    expect(await listed({ jobName: 'job-1', activeOnly: true })).toEqual(['ep-a']);
    expect(await listed({ idleBefore: '2026-01-06 00:00:00.000' })).toEqual(['ep-a']);
    expect(await listed({ idleBefore: '2026-01-10 00:00:00.000' })).toEqual(['ep-c', 'ep-a']);
    expect(await listed({ idleBefore: '2026-01-10 00:00:00.000', jobName: 'job-2' })).toEqual(['ep-c']);
    expect(await stores.endpoints.find('EP-D')).toMatchObject({ INSTANCE_COUNT: 2, DELETED_AT: null });
    expect(await stores.endpoints.update('ep-a', { DELETED_AT: timestamp('2026-01-04 00:00:00.000') })).toBe(1);
    expect(await listed({ idleBefore: '2026-01-06 00:00:00.000' })).toEqual([]);
  });

  it('keep batch predictions by name, newest first', async () => {
    const stores = await open();
    const row = (name: string, created: string): MetadataValues => ({
      BATCH_PREDICTION_NAME: text(name),
      JOB_NAME: text('churn-1'),
      CREATED: timestamp(created),
      STATUS: text('InProgress'),
    });
    await stores.batchPredictions.insert(row('bp-1', '2026-01-01 00:00:00.000'));
    await stores.batchPredictions.insert(row('bp-2', '2026-01-02 00:00:00.000'));
    expect(await stores.batchPredictions.update('BP-1', { STATUS: text('Completed'), ROW_COUNT: integer(10) })).toBe(1);
    expect(await stores.batchPredictions.find('bp-1')).toMatchObject({ STATUS: 'Completed', ROW_COUNT: 10 });
    expect(names(await stores.batchPredictions.list(), 'BATCH_PREDICTION_NAME')).toEqual(['bp-2', 'bp-1']);
  });

  it('keep promotions newest first, then by model name, and list one model’s in any case', async () => {
    const stores = await open();
    const promotion = (modelName: string, jobName: string, promotedAt: string) => ({
      modelName,
      jobName,
      endpointName: jobName + '-ep',
      udfSchema: 'ML',
      predictionUdf: 'PREDICT_' + modelName.toUpperCase(),
      signature: '{}',
      promotedAt,
    });
    await stores.models.insert(promotion('churn', 'churn-1', '2026-01-01 00:00:00.000'));
    await stores.models.insert({ ...promotion('churn', 'churn-2', '2026-01-02 00:00:00.000'), promotedBy: 'ANALYST' });
    await stores.models.insert(promotion('alpha', 'alpha-1', '2026-01-02 00:00:00.000'));
    const all = await stores.models.list();
    expect(all.map((r) => [r.MODEL_NAME, r.JOB_NAME])).toEqual([
      ['alpha', 'alpha-1'],
      ['churn', 'churn-2'],
      ['churn', 'churn-1'],
    ]);
    expect(read(all[1])).toMatchObject({ PROMOTED_BY: 'ANALYST', PROMOTED_AT: '2026-01-02 00:00:00.000' });
    expect(all[2]).toMatchObject({ PROMOTED_BY: null });
    expect(names(await stores.models.list({ modelName: 'CHURN' }), 'JOB_NAME')).toEqual(['churn-2', 'churn-1']);
  });
});
