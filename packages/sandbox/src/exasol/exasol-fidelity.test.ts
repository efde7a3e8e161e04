/**
 * Fidelity of the Exasol-compatible server on the paths sme uses: exact integers on the wire, the user name
 * as Exasol reports it, literal types, and every statement @sme/core's SQL builders produce.
 */
import {
  addMissingMetadataColumnsSql,
  createMetadataTableSql,
  exportToS3Sql,
  insertJobSql,
  jobNameCountSql,
  METADATA_COLUMNS,
  METADATA_TABLE,
  rowCountSql,
  sampleSelectSql,
  selectJobsSql,
  tableColumnsSql,
  trainingProfileSql,
  updateJobSql,
} from '@sme/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsSandbox, type AwsSandbox } from '../aws/index.js';
import { startExasolSandbox, type ExasolSandbox } from './exasol-sandbox.js';
import { connectDriver, type Driver } from './testing/driver-harness.js';
import { connectRaw, type RawClient } from './testing/raw-client.js';

let exa: ExasolSandbox;
let db: Driver;
let raw: RawClient;
let aws: AwsSandbox;

beforeAll(async () => {
  aws = await startAwsSandbox();
  exa = await startExasolSandbox({ tls: false, s3Endpoint: aws.s3Endpoint, s3Region: aws.region });
  db = await connectDriver(exa);
  raw = await connectRaw(exa.url, exa.user, exa.password);
  await db.execute('CREATE SCHEMA fid');
});
afterAll(async () => {
  await raw.close();
  await db.close();
  await exa.stop();
  await aws.stop();
});

const execute = async (sqlText: string): Promise<string> => raw.send({ command: 'execute', sqlText });

describe('exact DECIMAL values on the wire', () => {
  it('sends DECIMAL(18,0) values beyond 2^53 as JSON numbers with every digit (inline result)', async () => {
    await db.execute('CREATE TABLE fid.big (i DECIMAL(18,0))');
    await db.execute('INSERT INTO fid.big VALUES (9007199254740993), (-999999999999999999), (42)');
    const text = await execute('SELECT i FROM fid.big ORDER BY i');
    expect(text).toContain('"data":[[-999999999999999999,42,9007199254740993]]');
    expect(JSON.parse(text)).toMatchObject({ status: 'ok' });
  });

  it('sends them exactly through a result-set handle and fetch too', async () => {
    await db.execute(
      'CREATE TABLE fid.many AS SELECT CAST(9007199254740993 + range AS DECIMAL(18,0)) AS i FROM range(1500)',
    );
    const head = JSON.parse(await execute('SELECT i FROM fid.many ORDER BY i')) as {
      responseData: { results: { resultSet: { resultSetHandle: number } }[] };
    };
    const handle = head.responseData.results[0]?.resultSet.resultSetHandle;
    expect(handle).toBeGreaterThan(0);
    const text = await raw.send({ command: 'fetch', resultSetHandle: handle, startPosition: 0, numBytes: 1 << 20 });
    expect(text).toContain('"data":[[9007199254740993,9007199254740994,');
    expect(text).toContain(',9007199254742492]]');
    await raw.send({ command: 'closeResultSet', resultSetHandles: [handle] });
  });

  it('keeps wider and scaled decimals as strings', async () => {
    const text = await execute(
      'SELECT CAST(12345678901234567890 AS DECIMAL(20,0)) AS w, CAST(1.5 AS DECIMAL(5,2)) AS s FROM dual',
    );
    expect(text).toContain('"data":[["12345678901234567890"],["1.50"]]');
  });
});

describe('session context and literal types', () => {
  it('reports the user name upper-cased as Exasol stores it', async () => {
    const r = await db.query('SELECT CURRENT_USER, USER AS u FROM dual');
    expect(r.getRows()).toEqual([{ CURRENT_USER: 'SYS', U: 'SYS' }]);
    expect(r.getColumns()[0]?.dataType).toEqual({ type: 'VARCHAR', size: 128, characterSet: 'UTF8' });
  });

  it('types string literals as CHAR(n) and integer literals as DECIMAL(p,0)', async () => {
    const r = await db.query("SELECT 'abc', 'ä' AS u, 1, 12345 AS n, -7, 1.5, 'x' || 'y' AS c FROM dual");
    expect(r.getColumns().map((c) => c.dataType)).toEqual([
      { type: 'CHAR', size: 3, characterSet: 'ASCII' },
      { type: 'CHAR', size: 1, characterSet: 'UTF8' },
      { type: 'DECIMAL', precision: 1, scale: 0 },
      { type: 'DECIMAL', precision: 5, scale: 0 },
      { type: 'DECIMAL', precision: 1, scale: 0 },
      { type: 'DECIMAL', precision: 2, scale: 1 },
      { type: 'VARCHAR', size: 2000000, characterSet: 'UTF8' },
    ]);
    expect(r.getRows()).toEqual([{ "'abc'": 'abc', U: 'ä', '1': 1, N: 12345, '-7': -7, '1.5': '1.5', C: 'xy' }]);
  });

  it('leaves the engine types of set operations alone', async () => {
    const r = await db.query("SELECT 'a' AS v FROM dual UNION ALL SELECT 'bcd' FROM dual");
    expect(r.getColumns()[0]?.dataType).toMatchObject({ type: 'VARCHAR' });
  });
});

describe("statements @sme/core's SQL builders produce", () => {
  const schema = 'SME_FID';
  const job = 'churn-20260101000000';

  it('creates the metadata table (twice: IF NOT EXISTS) with JOB_NAME as primary key', async () => {
    await db.execute(`CREATE SCHEMA ${schema}`);
    expect(await db.execute(createMetadataTableSql(schema))).toBe(0);
    expect(await db.execute(createMetadataTableSql(schema))).toBe(0);
    const cols = await db.query(tableColumnsSql(schema, METADATA_TABLE));
    expect(cols.getRows().map((r) => [r.COLUMN_NAME, r.COLUMN_TYPE])).toEqual(
      METADATA_COLUMNS.map((c) => [c.name, c.type.startsWith('VARCHAR') ? `${c.type} UTF8` : c.type]),
    );
  });

  it('upgrades an older table with ALTER TABLE … ADD COLUMN', async () => {
    const old = METADATA_COLUMNS.slice(0, 14);
    await db.execute(`CREATE TABLE ${schema}.OLD_JOBS (${old.map((c) => `"${c.name}" ${c.type}`).join(', ')})`);
    const upgrades = addMissingMetadataColumnsSql(
      schema,
      old.map((c) => c.name),
    ).map((s) => s.replace(`"${METADATA_TABLE}"`, '"OLD_JOBS"'));
    expect(upgrades).toHaveLength(METADATA_COLUMNS.length - 14);
    for (const s of upgrades) await db.execute(s);
    const cols = await db.query(tableColumnsSql(schema, 'OLD_JOBS'));
    expect(cols.getRows().map((r) => r.COLUMN_NAME)).toEqual(METADATA_COLUMNS.map((c) => c.name));
  });

  it('inserts, counts, selects and updates a job (timestamps, DECIMAL(20,0) session ids, case-blind names)', async () => {
    const insert = insertJobSql(schema, {
      DATETIME: { kind: 'timestamp', value: '2026-01-01 00:00:00' },
      JOB_NAME: { kind: 'text', value: job },
      SESSION_ID: { kind: 'integer', value: '12345678901234567890' },
      MAX_CANDIDATES: { kind: 'integer', value: 3 },
      BEST_METRIC_VALUE: { kind: 'double', value: 0.125 },
      SCRIPT_USER: { kind: 'text', value: 'SYS' },
      FAILURE_REASON: { kind: 'null' },
    });
    expect(await db.execute(insert)).toBe(1);
    await expect(db.execute(insert)).rejects.toThrow(/27001/);
    expect((await db.query(jobNameCountSql(schema, job.toUpperCase()))).getRows()).toEqual([{ JOBS: 1 }]);
    expect(
      await db.execute(
        updateJobSql(schema, job.toUpperCase(), {
          JOB_STATUS: { kind: 'text', value: 'Completed' },
          LAST_STATUS_UPDATE: { kind: 'timestamp', value: '2026-01-01 00:10:00.5' },
        }),
      ),
    ).toBe(1);
    const rows = (await db.query(selectJobsSql(schema, 'CHURN-20260101000000'))).getRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      DATETIME: '2026-01-01 00:00:00.000000',
      JOB_NAME: job,
      SESSION_ID: '12345678901234567890',
      MAX_CANDIDATES: 3,
      BEST_METRIC_VALUE: 0.125,
      JOB_STATUS: 'Completed',
      LAST_STATUS_UPDATE: '2026-01-01 00:10:00.500000',
      FAILURE_REASON: null,
    });
    expect((await db.query(selectJobsSql(schema))).getRows()).toHaveLength(1);
    expect((await db.query(rowCountSql(schema, METADATA_TABLE))).getRows()).toEqual([{ ROW_COUNT: 1 }]);
  });

  it('runs the EXPORT statement of exportToS3Sql into S3 through the CONNECTION', async () => {
    const { accessKeyId, secretAccessKey } = aws.credentials;
    await db.execute(
      `CREATE CONNECTION fid_s3 TO 'https://sme-sandbox.s3.eu-central-1.amazonaws.com' USER '${accessKeyId}' IDENTIFIED BY '${secretAccessKey}'`,
    );
    const sql = exportToS3Sql({
      schema,
      table: METADATA_TABLE,
      columns: ['JOB_NAME', 'SESSION_ID'],
      connection: 'FID_S3',
      fileKeys: ['p/job/data/part-001.csv', 'p/job/data/part-002.csv'],
    });
    expect(await db.execute(sql)).toBe(1);
    expect(await aws.objects.list('sme-sandbox', 'p/job/data/')).toEqual([
      'p/job/data/part-001.csv',
      'p/job/data/part-002.csv',
    ]);
    const first = (await aws.objects.get('sme-sandbox', 'p/job/data/part-001.csv'))?.toString('utf8');
    expect(first).toBe(`JOB_NAME,SESSION_ID\n${job},12345678901234567890\n`);
  });

  it('answers HASH_MD5 of a text with the MD5 hex digest Exasol gives (RFC 1321 test vector for "abc")', async () => {
    expect((await db.query(`SELECT HASH_MD5('abc') AS H FROM DUAL`)).getRows()).toEqual([
      { H: '900150983cd24fb0d6963f7d28e17f72' },
    ]);
  });

  it('runs the pre-flight profile and the sample SELECT: exact size, every class kept, the same rows twice', async () => {
    await db.execute('CREATE TABLE fid.strata (X DECIMAL(9,0), S VARCHAR(5), Y VARCHAR(1))');
    // 900 rows of class a, 90 of b, 10 of c; some NULL features, 5 rows without a target.
    const rows = Array.from({ length: 1000 }, (_, i) => {
      const y = i < 900 ? 'a' : i < 990 ? 'b' : 'c';
      return `(${String(i)}, ${i % 7 === 0 ? 'NULL' : `'s${String(i % 5)}'`}, '${y}')`;
    });
    await db.execute(
      `INSERT INTO fid.strata VALUES ${rows.join(', ')}, (1, 'x', NULL), (2, 'x', NULL), (3, NULL, NULL), (4, 'x', NULL), (5, 'x', NULL)`,
    );
    const profile = (
      await db.query(
        trainingProfileSql('FID', 'STRATA', { name: 'Y', type: 'VARCHAR(1) UTF8' }, [
          { name: 'X', type: 'DECIMAL(9,0)' },
          { name: 'S', type: 'VARCHAR(5) UTF8' },
        ]),
      )
    ).getRows()[0];
    expect(profile).toMatchObject({ TARGET_DISTINCT: 3, D1: 1000 });
    expect(Number(profile?.TEXT_CHARS)).toBeGreaterThan(1000);
    const select = sampleSelectSql('FID', 'STRATA', ['X', 'S', 'Y'], { rows: 100, target: 'Y', stratified: true });
    const first = (await db.query(select)).getRows();
    expect(first).toHaveLength(100);
    const count = (y: string) => first.filter((r) => r.Y === y).length;
    expect([count('a'), count('b'), count('c')]).toEqual([90, 9, 1]);
    expect((await db.query(select)).getRows()).toEqual(first);
  });
});
