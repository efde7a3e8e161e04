import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExasolDeployer, connectExasol } from '@sme/exasol-adapter';
import type { ExasolOptions, ExasolSqlPort } from '@sme/exasol-adapter';
import { startExasolSandbox } from '@sme/sandbox';

type Sandbox = Awaited<ReturnType<typeof startExasolSandbox>>;

let exa: Sandbox;
let fingerprint: string;

beforeAll(async () => {
  exa = await startExasolSandbox({});
  if (exa.fingerprint === undefined) throw new Error('the sandbox started without TLS');
  fingerprint = exa.fingerprint;
});

afterAll(async () => {
  await exa.stop();
});

function pinned(extra: ExasolOptions = {}): ExasolOptions {
  return { dsn: `${exa.host}/${fingerprint}:${exa.port}`, user: exa.user, password: exa.password, ...extra };
}

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function withSession<T>(run: (sql: ExasolSqlPort) => Promise<T>, options: ExasolOptions = pinned()): Promise<T> {
  const sql = await connectExasol(options);
  try {
    return await run(sql);
  } finally {
    await sql.close();
  }
}

describe('ExasolSqlPort against the sandbox: connecting', () => {
  it('logs in over TLS with the pinned fingerprint (pyexasol DSN form) and runs a query', async () => {
    const result = await withSession((sql) => sql.query('SELECT CURRENT_USER AS U, 1 AS ONE'));
    expect(result.columns.map((c) => c.name)).toEqual(['U', 'ONE']);
    expect(result.rows).toHaveLength(1);
    expect(String(result.rows[0]?.[0]).toUpperCase()).toBe(exa.user.toUpperCase());
    expect(result.rows[0]?.[1]).toBe(1);
  });

  it('accepts the fingerprint as a separate option, lower case with colons', async () => {
    const colons = (fingerprint.toLowerCase().match(/../g) ?? []).join(':');
    const options: ExasolOptions = {
      host: exa.host,
      port: exa.port,
      fingerprint: colons,
      user: exa.user,
      password: exa.password,
    };
    await expect(withSession((sql) => sql.query('SELECT 1'), options)).resolves.toMatchObject({ rows: [[1]] });
  });

  it('logs in with compression', async () => {
    const rows = await withSession((sql) => sql.query("SELECT 'z' AS Z"), pinned({ compression: true }));
    expect(rows.rows).toEqual([['z']]);
  });

  it('rejects a wrong password with SME-E-EXA-AUTH, without showing the password', async () => {
    const error = await connectExasol(pinned({ password: 'Wrong-Password-42' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SME-E-EXA-AUTH', kind: 'BadCredentials' });
    expect(JSON.stringify({ m: (error as Error).message, d: (error as { details: unknown }).details })).not.toContain(
      'Wrong-Password-42',
    );
  });

  it('rejects a certificate with another fingerprint with SME-E-EXA-TLS naming both fingerprints', async () => {
    const other = fingerprint.startsWith('00') ? 'FF'.repeat(32) : '00'.repeat(32);
    const error = await connectExasol(pinned({ dsn: `${exa.host}/${other}:${exa.port}` })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SME-E-EXA-TLS', kind: 'TlsMismatch' });
    expect((error as Error).message).toContain(fingerprint);
    expect((error as Error).message).toContain(other);
  });

  it('refuses the self-signed certificate when checking against the system CAs', async () => {
    const error = await connectExasol(pinned({ dsn: `${exa.host}:${exa.port}` })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SME-E-EXA-TLS' });
  });

  it('connects with nocertcheck (explicitly insecure)', async () => {
    const rows = await withSession(
      (sql) => sql.query('SELECT 2'),
      pinned({ dsn: `${exa.host}/nocertcheck:${exa.port}` }),
    );
    expect(rows.rows).toEqual([[2]]);
  });

  it('reports a closed port as SME-E-EXA-UNREACHABLE with host and port', async () => {
    const port = await closedPort();
    const error = await connectExasol(pinned({ dsn: `127.0.0.1:${port}` })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SME-E-EXA-UNREACHABLE', kind: 'Unreachable' });
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
  });
});

describe('ExasolSqlPort against the sandbox: statements', () => {
  let sql: ExasolSqlPort;
  const schema = `SME_IT_${process.pid}`;

  beforeAll(async () => {
    sql = await connectExasol(pinned());
    expect(await sql.execute(`CREATE SCHEMA ${schema}`)).toBe(0);
  });

  afterAll(async () => {
    await sql.close();
  });

  it('runs DDL (row count 0) and reports Exasol type texts', async () => {
    expect(
      await sql.execute(
        `CREATE TABLE ${schema}.TYPES (I DECIMAL(18,0), S DECIMAL(12,2), W DECIMAL(36,0), D DOUBLE, V VARCHAR(100), C CHAR(1), B BOOLEAN, DT DATE, TS TIMESTAMP)`,
      ),
    ).toBe(0);
    const result = await sql.query(`SELECT * FROM ${schema}.TYPES`);
    expect(result.columns).toEqual([
      { name: 'I', type: 'DECIMAL(18,0)' },
      { name: 'S', type: 'DECIMAL(12,2)' },
      { name: 'W', type: 'DECIMAL(36,0)' },
      { name: 'D', type: 'DOUBLE' },
      { name: 'V', type: 'VARCHAR(100) UTF8' },
      { name: 'C', type: 'CHAR(1) UTF8' },
      { name: 'B', type: 'BOOLEAN' },
      { name: 'DT', type: 'DATE' },
      { name: 'TS', type: 'TIMESTAMP' },
    ]);
    expect(result.rows).toEqual([]);
  });

  it('maps decimals exactly: scaled and 36-digit values are exact strings, small integers numbers', async () => {
    await sql.execute(`CREATE TABLE ${schema}.NUMS (I DECIMAL(18,0), S DECIMAL(12,2), W DECIMAL(36,0))`);
    expect(
      await sql.execute(
        `INSERT INTO ${schema}.NUMS VALUES (9007199254740991, 1234567890.12, 123456789012345678901234567890123456), (-42, -0.5, 7)`,
      ),
    ).toBe(2);
    const { rows } = await sql.query(`SELECT I, S, W FROM ${schema}.NUMS ORDER BY I DESC`);
    expect(rows).toEqual([
      [9007199254740991, '1234567890.12', '123456789012345678901234567890123456'],
      [-42, '-0.50', '7'],
    ]);
  });

  // Exasol writes DECIMAL(18,0) values as exact JSON numbers; the adapter keeps those beyond 2^53 exact as
  // strings (unit-tested in packages/exasol-adapter/src/exact-json.test.ts).
  it('keeps DECIMAL(18,0) values beyond 2^53 exact', async () => {
    await sql.execute(`CREATE TABLE ${schema}.BIGINTS (I DECIMAL(18,0))`);
    await sql.execute(`INSERT INTO ${schema}.BIGINTS VALUES (9007199254740993)`);
    const { rows } = await sql.query(`SELECT I FROM ${schema}.BIGINTS`);
    expect(rows).toEqual([['9007199254740993']]);
  });

  it('inserts 5,000 rows with one prepared statement and reads them back through a result-set handle', async () => {
    await sql.execute(
      `CREATE TABLE ${schema}.BIG (N DECIMAL(18,0), LABEL VARCHAR(20), AMOUNT DECIMAL(10,2), FLAG BOOLEAN)`,
    );
    const rows = Array.from({ length: 5000 }, (_, i) => [i, `row-${i}`, `${i}.25`, i % 2 === 0] as const);
    expect(await sql.insertRows(`${schema}.BIG`, ['N', 'LABEL', 'AMOUNT', 'FLAG'], rows)).toBe(5000);
    const result = await sql.query(`SELECT N, LABEL, AMOUNT, FLAG FROM ${schema}.BIG ORDER BY N`);
    expect(result.rows).toHaveLength(5000);
    expect(result.rows[0]).toEqual([0, 'row-0', '0.25', true]);
    expect(result.rows[4999]).toEqual([4999, 'row-4999', '4999.25', false]);
    expect(result.rows.every((row, i) => row[0] === i)).toBe(true);
  });

  it('inserts NULLs and decimal strings through the prepared statement', async () => {
    await sql.execute(`CREATE TABLE ${schema}.NULLS (I DECIMAL(18,0), V VARCHAR(10))`);
    await sql.insertRows(
      `${schema}.NULLS`,
      ['I', 'V'],
      [
        ['123456789012345', null],
        [null, 'x'],
      ],
    );
    const { rows } = await sql.query(`SELECT I, V FROM ${schema}.NULLS ORDER BY V NULLS FIRST`);
    expect(rows).toEqual([
      [123456789012345, null],
      [null, 'x'],
    ]);
  });

  it('keeps the sqlCode and the statement start of a SQL error', async () => {
    const error = await sql.query(`SELECT * FROM ${schema}.DOES_NOT_EXIST`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SME-E-SQL', kind: 'SqlError' });
    const details = (error as { details: { sqlCode?: string; value?: string } }).details;
    expect(details.sqlCode).toMatch(/^[0-9A-Z]{5}$/);
    expect(details.sqlCode).not.toBe('00000');
    expect(details.value).toBe(`SELECT * FROM ${schema}.DOES_NOT_EXIST`);
    // The session stays usable after an SQL error.
    await expect(sql.query('SELECT 1')).resolves.toMatchObject({ rows: [[1]] });
  });

  it('runs a batch and returns row counts and result sets in order', async () => {
    const results = await sql.executeBatch([
      `CREATE TABLE ${schema}.B (X DECIMAL(18,0))`,
      `INSERT INTO ${schema}.B VALUES (1), (2), (3)`,
      `SELECT COUNT(*) AS N FROM ${schema}.B`,
    ]);
    expect(results[0]).toBe(0);
    expect(results[1]).toBe(3);
    expect(results[2]).toMatchObject({ rows: [[3]] });
  });

  it('refuses query() for a row-count statement and execute() for a SELECT with a coded error', async () => {
    await expect(sql.query(`INSERT INTO ${schema}.B VALUES (4)`)).rejects.toMatchObject({
      code: 'SME-E-EXA-RESULT-KIND',
    });
    await expect(sql.execute('SELECT 1')).rejects.toMatchObject({ code: 'SME-E-EXA-RESULT-KIND' });
  });

  it('deploys schema, table and a Lua script, reporting what was created', async () => {
    const target = `${schema}_APP`;
    const result = await new ExasolDeployer(sql).deploy([
      { sql: `CREATE SCHEMA IF NOT EXISTS ${target}`, description: `schema ${target}` },
      { sql: `CREATE TABLE IF NOT EXISTS ${target}.JOBS (JOB_NAME VARCHAR(32))`, description: `table ${target}.JOBS` },
      {
        sql: `CREATE OR REPLACE LUA SCRIPT ${target}.HELLO() RETURNS ROWCOUNT AS\nreturn 0`,
        description: `script ${target}.HELLO`,
      },
    ]);
    expect(result).toEqual({
      mode: 'executed',
      created: [`schema ${target}`, `table ${target}.JOBS`, `script ${target}.HELLO`],
      roundTrips: 2,
    });
    const scripts = await sql.query(`SELECT SCRIPT_NAME FROM EXA_ALL_SCRIPTS WHERE SCRIPT_SCHEMA = '${target}'`);
    expect(scripts.rows).toEqual([['HELLO']]);
  });

  it('rejects statements after close() with SME-E-EXA-CLOSED', async () => {
    const other = await connectExasol(pinned());
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toMatchObject({ code: 'SME-E-EXA-CLOSED' });
  });
});

describe('ExasolSqlPort against the sandbox without TLS', () => {
  let plain: Sandbox;
  beforeAll(async () => {
    plain = await startExasolSandbox({ tls: false });
  });
  afterAll(async () => {
    await plain.stop();
  });

  it('speaks ws:// when tls is false', async () => {
    const options: ExasolOptions = {
      host: plain.host,
      port: plain.port,
      user: plain.user,
      password: plain.password,
      tls: false,
    };
    await expect(withSession((sql) => sql.query('SELECT 3'), options)).resolves.toMatchObject({ rows: [[3]] });
  });
});
