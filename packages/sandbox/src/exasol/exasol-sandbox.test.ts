import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExasolSandbox, type ExasolSandbox } from './exasol-sandbox.js';
import { connectDriver, type Driver } from './testing/driver-harness.js';

let exa: ExasolSandbox;
let db: Driver;

beforeAll(async () => {
  exa = await startExasolSandbox();
  db = await connectDriver(exa);
});
afterAll(async () => {
  await db.close();
  await exa.stop();
});

describe('official driver against the sandbox (TLS, pinned fingerprint)', () => {
  it('reports a SHA-256 fingerprint and a wss URL', () => {
    expect(exa.fingerprint).toMatch(/^[0-9A-F]{64}$/);
    expect(exa.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a wrong password with Exasol error text and sqlCode', async () => {
    await expect(connectDriver({ ...exa, password: 'wrong' })).rejects.toMatchObject({
      text: 'Connection exception - authentication failed.',
      sqlCode: '08004',
    });
  });

  it('does not log in when the pinned fingerprint differs', async () => {
    await expect(connectDriver({ ...exa, fingerprint: 'AB'.repeat(32) })).rejects.toBeDefined();
  });

  it('runs DDL, prepared multi-row INSERT and typed SELECT', async () => {
    await db.execute('CREATE SCHEMA drv');
    await db.execute(
      'CREATE TABLE drv.t (id INT, name VARCHAR(20), code CHAR(4), price DECIMAL(10,2), big DECIMAL(30,0), x DOUBLE, ok BOOLEAN, d DATE, ts TIMESTAMP)',
    );
    const st = await db.prepare('INSERT INTO drv.t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    await st.execute(
      1,
      'a',
      'ab',
      '1.5',
      '123456789012345678901234567890',
      0.25,
      true,
      '2022-05-31',
      '2021-12-31 23:59:59.999',
      2,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    );
    await st.close();
    const r = await db.query('SELECT * FROM drv.t ORDER BY id');
    expect(r.getColumns().map((c) => [c.name, c.dataType])).toEqual([
      ['ID', { type: 'DECIMAL', precision: 18, scale: 0 }],
      ['NAME', { type: 'VARCHAR', size: 20, characterSet: 'UTF8' }],
      ['CODE', { type: 'CHAR', size: 4, characterSet: 'UTF8' }],
      ['PRICE', { type: 'DECIMAL', precision: 10, scale: 2 }],
      ['BIG', { type: 'DECIMAL', precision: 30, scale: 0 }],
      ['X', { type: 'DOUBLE' }],
      ['OK', { type: 'BOOLEAN' }],
      ['D', { type: 'DATE', size: 4 }],
      ['TS', { type: 'TIMESTAMP', size: 8, withLocalTimeZone: false }],
    ]);
    expect(r.getRows()).toEqual([
      {
        ID: 1,
        NAME: 'a',
        CODE: 'ab  ',
        PRICE: '1.50',
        BIG: '123456789012345678901234567890',
        X: 0.25,
        OK: true,
        D: '2022-05-31',
        TS: '2021-12-31 23:59:59.999000',
      },
      { ID: 2, NAME: null, CODE: null, PRICE: null, BIG: null, X: null, OK: null, D: null, TS: null },
    ]);
  });

  it('fetches a 5,000-row SELECT through a result-set handle', async () => {
    await db.execute('CREATE TABLE drv.big AS SELECT CAST(range AS DECIMAL(18,0)) AS n FROM range(5000)');
    const raw = await db.sendCommand({ command: 'execute', sqlText: 'SELECT n FROM drv.big ORDER BY n' });
    const rs = (raw.responseData as { results: { resultSet: Record<string, unknown> }[] }).results[0]?.resultSet;
    expect(rs).toMatchObject({ numRows: 5000, numRowsInMessage: 0 });
    expect(rs?.resultSetHandle).toBeGreaterThan(0);
    expect(rs?.data).toBeUndefined();
    const r = await db.query('SELECT n FROM drv.big ORDER BY n');
    const rows = r.getRows();
    expect(rows).toHaveLength(5000);
    expect(rows[0]).toEqual({ N: 0 });
    expect(rows[4999]).toEqual({ N: 4999 });
  });

  it('answers system-table queries', async () => {
    const r = await db.query(
      "SELECT column_name, column_type, column_ordinal_position FROM exa_all_columns WHERE column_schema = 'DRV' AND column_table = 'T' ORDER BY column_ordinal_position",
    );
    expect(r.getRows().slice(0, 4)).toEqual([
      { COLUMN_NAME: 'ID', COLUMN_TYPE: 'DECIMAL(18,0)', COLUMN_ORDINAL_POSITION: 1 },
      { COLUMN_NAME: 'NAME', COLUMN_TYPE: 'VARCHAR(20) UTF8', COLUMN_ORDINAL_POSITION: 2 },
      { COLUMN_NAME: 'CODE', COLUMN_TYPE: 'CHAR(4) UTF8', COLUMN_ORDINAL_POSITION: 3 },
      { COLUMN_NAME: 'PRICE', COLUMN_TYPE: 'DECIMAL(10,2)', COLUMN_ORDINAL_POSITION: 4 },
    ]);
    const tables = await db.query("SELECT table_name FROM sys.exa_all_tables WHERE table_schema = 'DRV' ORDER BY 1");
    expect(tables.getRows()).toEqual([{ TABLE_NAME: 'BIG' }, { TABLE_NAME: 'T' }]);
    const ctx = await db.query('SELECT NPROC(), CURRENT_USER, CURRENT_SCHEMA, CURRENT_SESSION > 0 AS s FROM dual');
    expect(ctx.getRows()).toEqual([{ 'NPROC()': 1, CURRENT_USER: 'SYS', CURRENT_SCHEMA: 'DRV', S: true }]);
  });

  it('gives sqlCode errors for bad SQL', async () => {
    await expect(db.query('SELECT * FROM drv.nope')).rejects.toThrow(/code: '42000', message: 'object NOPE not found/);
    await expect(db.query('SELEC 1')).rejects.toThrow(/code: '42000', message: 'syntax error/);
  });
});
