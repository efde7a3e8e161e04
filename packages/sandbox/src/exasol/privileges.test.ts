/**
 * Users and privileges through the official driver: a second user with exactly some grants can or cannot do
 * each thing (one row per privilege), login rules, exa.get_connection's ACCESS check inside a UDF and a
 * scripting program, and the privilege system tables.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNativeLuaAvailable } from '../lua/index.js';
import { startExasolSandbox, type ExasolSandbox } from './exasol-sandbox.js';
import { connectDriver, type Driver } from './testing/driver-harness.js';

interface S3rver {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rverCtor = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rver;
const lua = (await isNativeLuaAvailable()) ? 'native' : 'wasm';

let exa: ExasolSandbox;
let sys: Driver;
let s3: S3rver;
let s3dir: string;
let userCount = 0;

beforeAll(async () => {
  s3dir = mkdtempSync(join(tmpdir(), 'sme-privs-s3-'));
  s3 = new S3rverCtor({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: s3dir,
    configureBuckets: [{ name: 'bkt', configs: [] }],
  });
  const { port } = await s3.run();
  exa = await startExasolSandbox({ lua, tls: false, s3Endpoint: `http://127.0.0.1:${port}` });
  sys = await connectDriver(exa);
  for (const sql of [
    'CREATE SCHEMA data',
    'CREATE TABLE data.t (id DECIMAL(18,0), v VARCHAR(10))',
    "INSERT INTO data.t VALUES (1, 'a'), (2, 'b')",
    'CREATE TABLE data.w (id DECIMAL(18,0))',
    'CREATE TABLE data.other (id DECIMAL(18,0))',
    'CREATE SCHEMA code',
    'CREATE LUA SCRIPT code.prog() AS\nquery([[SELECT 1 FROM dual]])',
    'CREATE LUA SCALAR SCRIPT code.plus1(x DOUBLE) RETURNS DOUBLE AS\nfunction run(ctx) return ctx.x + 1 end',
    `CREATE LUA SCALAR SCRIPT code.conn_user(c VARCHAR(100)) RETURNS VARCHAR(2000) AS
function run(ctx) return exa.get_connection(ctx.c).user end`,
    `CREATE LUA SCALAR SCRIPT code.conn_other(c VARCHAR(100)) RETURNS VARCHAR(2000) AS
function run(ctx) return exa.get_connection(ctx.c).user end`,
    `CREATE LUA SCALAR SCRIPT code.conn_try(c VARCHAR(100)) RETURNS VARCHAR(2000) AS
function run(ctx)
  local ok, e = pcall(exa.get_connection, ctx.c)
  if ok then return 'ok ' .. e.user end
  return 'caught: ' .. tostring(e)
end`,
    `CREATE LUA SCRIPT code.caller() RETURNS TABLE AS
local ok, r = pquery([[SELECT code.conn_user('MY_CONN') AS v]])
local cols = "S VARCHAR(10), V VARCHAR(2000), WHO VARCHAR(100)"
if ok then exit({{'ok', r[1][1], exa.meta.current_user}}, cols) end
exit({{'error', r.error_message, exa.meta.current_user}}, cols)`,
    "CREATE CONNECTION my_conn TO 'https://bkt.s3.amazonaws.com' USER 'AKID' IDENTIFIED BY 'secret'",
    // The embedded S3 store's keys, for EXPORT.
    "CREATE CONNECTION s3c TO 'https://bkt.s3.amazonaws.com' USER 'S3RVER' IDENTIFIED BY 'S3RVER'",
  ])
    await sys.execute(sql);
});

afterAll(async () => {
  await sys.close();
  await exa.stop();
  await s3.close();
  rmSync(s3dir, { recursive: true, force: true });
});

/** A fresh user with CREATE SESSION (and `grants`), logged in. */
async function newUser(grants: readonly string[] = []): Promise<{ name: string; db: Driver }> {
  userCount += 1;
  const name = `U${userCount}`;
  await sys.execute(`CREATE USER ${name} IDENTIFIED BY "Pw_${name}"`);
  await sys.execute(`GRANT CREATE SESSION TO ${name}`);
  for (const g of grants) await sys.execute(g.replaceAll('<u>', name));
  const db = await connectDriver({ url: exa.url, user: name.toLowerCase(), password: `Pw_${name}` });
  return { name, db };
}

/** The Exasol error (code and text) a driver call fails with; the driver wraps it as `E-EDJS-25: …`. */
async function sqlError(call: Promise<unknown>): Promise<{ code: string; text: string }> {
  try {
    await call;
  } catch (e) {
    const m = /code: '(\w+)', message: '([\s\S]*)'$/.exec(e instanceof Error ? e.message : String(e));
    if (m) return { code: m[1] ?? '', text: m[2] ?? '' };
    throw e;
  }
  throw new Error('the statement succeeded');
}

async function run(db: Driver, sql: string): Promise<unknown> {
  return /^\s*SELECT/i.test(sql) ? (await db.query(sql)).getRows() : db.execute(sql);
}

interface Row {
  /** The privilege under test, as written after GRANT (with `<u>` … TO <u> added). */
  readonly grant: string;
  /** What the user runs. */
  readonly sql: string;
  /** The error text without the grant. */
  readonly denied: RegExp;
  /** Grants the user has throughout (besides CREATE SESSION). */
  readonly base?: readonly string[];
  /** Statements the user runs first (with `base`). */
  readonly setup?: readonly string[];
}

const SELECT_T = 'SELECT COUNT(*) AS n FROM data.t';
const noSelectT = /^insufficient privileges: SELECT on table T \(Session: \d+\)$/;
const export1 = "EXPORT data.t INTO CSV AT s3c FILE 'privs/out.csv' REPLACE";

const ROWS: readonly Row[] = [
  { grant: 'SELECT ON SCHEMA data', sql: SELECT_T, denied: noSelectT },
  { grant: 'SELECT ON data.t', sql: SELECT_T, denied: noSelectT },
  { grant: 'SELECT ANY TABLE', sql: SELECT_T, denied: noSelectT },
  { grant: 'DBA', sql: SELECT_T, denied: noSelectT },
  { grant: 'INSERT ON SCHEMA data', sql: 'INSERT INTO data.w VALUES (1)', denied: /INSERT on table W/ },
  { grant: 'INSERT ANY TABLE', sql: 'INSERT INTO data.w VALUES (1)', denied: /INSERT on table W/ },
  { grant: 'UPDATE ON data.w', sql: 'UPDATE data.w SET id = 2 WHERE id = 0', denied: /UPDATE on table W/ },
  { grant: 'UPDATE ANY TABLE', sql: 'UPDATE data.w SET id = 2 WHERE id = 0', denied: /UPDATE on table W/ },
  { grant: 'DELETE ON data.w', sql: 'DELETE FROM data.w WHERE id < 0', denied: /DELETE on table W/ },
  { grant: 'DELETE ANY TABLE', sql: 'DELETE FROM data.w WHERE id < 0', denied: /DELETE on table W/ },
  {
    grant: 'SELECT ON data.t',
    base: ['INSERT ON data.w'],
    sql: 'INSERT INTO data.w SELECT id FROM data.t WHERE id < 0',
    denied: noSelectT,
  },
  {
    grant: 'EXECUTE ON code.prog',
    sql: 'EXECUTE SCRIPT code.prog()',
    denied: /^insufficient privileges for calling script/,
  },
  {
    grant: 'EXECUTE ON SCHEMA code',
    sql: 'SELECT code.plus1(1) AS x',
    denied: /^insufficient privileges for calling script/,
  },
  {
    grant: 'EXECUTE ANY SCRIPT',
    sql: 'SELECT code.plus1(1) AS x',
    denied: /^insufficient privileges for calling script/,
  },
  { grant: 'CREATE SCHEMA', sql: 'CREATE SCHEMA own_a', denied: /^insufficient privileges for creating schema/ },
  {
    grant: 'CREATE TABLE',
    base: ['CREATE SCHEMA'],
    setup: ['CREATE SCHEMA own_b'],
    sql: 'CREATE TABLE own_b.x (i DECIMAL(18,0))',
    denied: /^insufficient privileges for creating table/,
  },
  { grant: 'CREATE ANY TABLE', sql: 'CREATE TABLE data.made (i DECIMAL(18,0))', denied: /for creating table/ },
  {
    grant: 'CREATE SCRIPT',
    base: ['CREATE SCHEMA'],
    setup: ['CREATE SCHEMA own_c'],
    sql: 'CREATE LUA SCRIPT own_c.s() AS\nreturn 1',
    denied: /^insufficient privileges for creating script/,
  },
  { grant: 'CREATE ANY SCRIPT', sql: 'CREATE LUA SCRIPT code.s2() AS\nreturn 1', denied: /for creating script/ },
  {
    grant: 'CREATE ANY VIEW',
    sql: 'CREATE OR REPLACE VIEW data.v_made AS SELECT 1 AS x FROM dual',
    denied: /^insufficient privileges for creating view/,
  },
  {
    grant: 'DROP ANY TABLE',
    sql: 'DROP TABLE IF EXISTS data.gone',
    denied: /^insufficient privileges for dropping table/,
  },
  {
    grant: 'CREATE CONNECTION',
    sql: "CREATE OR REPLACE CONNECTION c_made TO 'https://x.s3.amazonaws.com'",
    denied: /^insufficient privileges for creating connection/,
  },
  {
    grant: 'CREATE USER',
    sql: 'CREATE USER made_by_user IDENTIFIED BY "x"',
    denied: /^insufficient privileges for creating user/,
  },
  {
    grant: 'EXPORT',
    base: ['SELECT ON data.t', 'CONNECTION s3c'],
    sql: export1,
    denied: /^insufficient privileges for EXPORT/,
  },
  {
    grant: 'CONNECTION s3c',
    base: ['SELECT ON data.t', 'EXPORT'],
    sql: export1,
    denied: /^insufficient privileges for using connection S3C \(Session/,
  },
  {
    grant: 'USE ANY CONNECTION',
    base: ['SELECT ON data.t', 'EXPORT'],
    sql: export1,
    denied: /^insufficient privileges for using connection S3C/,
  },
  {
    grant: 'ACCESS ON CONNECTION my_conn FOR SCRIPT code.conn_user',
    base: ['EXECUTE ON SCHEMA code'],
    sql: "SELECT code.conn_user('MY_CONN') AS c",
    denied: /insufficient privileges for using connection MY_CONN in script CONN_USER/,
  },
  {
    grant: 'ACCESS ON CONNECTION my_conn',
    base: ['EXECUTE ON SCHEMA code'],
    sql: "SELECT code.conn_user('MY_CONN') AS c",
    denied: /insufficient privileges for using connection MY_CONN in script CONN_USER/,
  },
  {
    grant: 'ACCESS ANY CONNECTION',
    base: ['EXECUTE ON SCHEMA code'],
    sql: "SELECT code.conn_user('MY_CONN') AS c",
    denied: /insufficient privileges for using connection MY_CONN in script CONN_USER/,
  },
  {
    grant: 'SELECT ANY DICTIONARY',
    sql: 'SELECT COUNT(*) AS n FROM EXA_DBA_USERS',
    denied: /^insufficient privileges: SELECT on table EXA_DBA_USERS/,
  },
];

describe(`a user with exactly some grants (${lua} Lua)`, () => {
  it.each(ROWS.map((r) => [`${r.grant} → ${r.sql.split('\n')[0] ?? ''}`, r] as const))('%s', async (_label, row) => {
    const { name, db } = await newUser((row.base ?? []).map((g) => `GRANT ${g} TO <u>`));
    try {
      for (const sql of row.setup ?? []) await run(db, sql);
      const err = await sqlError(run(db, row.sql));
      expect(err.text).toMatch(row.denied);
      expect(err.code).toMatch(/^(42500|43000)$/);
      await sys.execute(`GRANT ${row.grant} TO ${name}`);
      await run(db, row.sql);
      // Privileges are checked per statement: a REVOKE takes effect in the open session.
      await sys.execute(`REVOKE ${row.grant} FROM ${name}`);
      expect((await sqlError(run(db, row.sql))).text).toMatch(row.denied);
    } finally {
      await db.close();
    }
  });
});

describe('login', () => {
  it('needs CREATE SESSION, the right password, and an existing user', async () => {
    await sys.execute('CREATE USER nosess IDENTIFIED BY "Secret"');
    const login = (password: string): Promise<Driver> => connectDriver({ url: exa.url, user: 'NoSess', password });
    await expect(login('Secret')).rejects.toMatchObject({
      text: 'Connection exception - insufficient privileges: CREATE SESSION.',
      sqlCode: '08004',
    });
    await sys.execute('GRANT CREATE SESSION TO nosess');
    await expect(login('secret')).rejects.toMatchObject({
      text: 'Connection exception - authentication failed.',
      sqlCode: '08004',
    });
    const db = await login('Secret');
    expect((await db.query('SELECT CURRENT_USER AS u')).getRows()).toEqual([{ U: 'NOSESS' }]);
    await db.close();
    await sys.execute('DROP USER nosess');
    await expect(login('Secret')).rejects.toMatchObject({ text: 'Connection exception - authentication failed.' });
  });

  it('folds an unquoted password to upper case, like an identifier', async () => {
    await sys.execute('CREATE USER plain IDENTIFIED BY mixedCase');
    await sys.execute('GRANT CREATE SESSION TO plain');
    await expect(connectDriver({ url: exa.url, user: 'plain', password: 'mixedCase' })).rejects.toBeDefined();
    const db = await connectDriver({ url: exa.url, user: 'plain', password: 'MIXEDCASE' });
    await db.close();
  });
});

describe('exa.get_connection needs ACCESS for the calling user', () => {
  it('GRANT CONNECTION alone is not enough; FOR SCRIPT limits ACCESS to that script', async () => {
    const { name, db } = await newUser(['GRANT EXECUTE ON SCHEMA code TO <u>', 'GRANT CONNECTION my_conn TO <u>']);
    try {
      expect((await sqlError(db.query("SELECT code.conn_user('MY_CONN') AS c"))).text).toContain(
        'insufficient privileges for using connection MY_CONN in script CONN_USER',
      );
      await sys.execute(`GRANT ACCESS ON CONNECTION my_conn FOR SCRIPT code.conn_user TO ${name}`);
      expect((await db.query("SELECT code.conn_user('MY_CONN') AS c")).getRows()).toEqual([{ C: 'AKID' }]);
      expect((await sqlError(db.query("SELECT code.conn_other('MY_CONN') AS c"))).text).toContain(
        'insufficient privileges for using connection MY_CONN in script CONN_OTHER',
      );
    } finally {
      await db.close();
    }
  });

  it('raises a Lua error the UDF can catch', async () => {
    const { name, db } = await newUser(['GRANT EXECUTE ON SCHEMA code TO <u>']);
    try {
      const denied = await db.query("SELECT code.conn_try('MY_CONN') AS r");
      expect(denied.getRows()).toEqual([
        { R: 'caught: insufficient privileges for using connection MY_CONN in script CONN_TRY' },
      ]);
      await sys.execute(`GRANT ACCESS ON CONNECTION my_conn FOR SCRIPT code.conn_try TO ${name}`);
      expect((await db.query("SELECT code.conn_try('MY_CONN') AS r")).getRows()).toEqual([{ R: 'ok AKID' }]);
    } finally {
      await db.close();
    }
  });

  it('a scripting program runs with the caller’s rights and sees the UDF’s error through pquery', async () => {
    const { name, db } = await newUser(['GRANT EXECUTE ON SCHEMA code TO <u>']);
    try {
      const before = (await db.query('EXECUTE SCRIPT code.caller()')).getRows();
      expect(before).toEqual([
        {
          S: 'error',
          V: expect.stringContaining(
            'insufficient privileges for using connection MY_CONN in script CONN_USER',
          ) as unknown,
          WHO: name,
        },
      ]);
      await sys.execute(`GRANT ACCESS ON CONNECTION my_conn FOR SCRIPT code.conn_user TO ${name}`);
      expect((await db.query('EXECUTE SCRIPT code.caller()')).getRows()).toEqual([{ S: 'ok', V: 'AKID', WHO: name }]);
      // The admin running the same program has every privilege.
      expect((await sys.query('EXECUTE SCRIPT code.caller()')).getRows()).toEqual([{ S: 'ok', V: 'AKID', WHO: 'SYS' }]);
    } finally {
      await db.close();
    }
  });
});

describe('GRANT by a user who is not DBA', () => {
  it('passes on what it received WITH ADMIN OPTION, nothing else', async () => {
    const a = await newUser([
      'GRANT CREATE SCHEMA TO <u> WITH ADMIN OPTION',
      'GRANT EXPORT TO <u>',
      'GRANT CONNECTION my_conn TO <u> WITH ADMIN OPTION',
    ]);
    const b = await newUser();
    try {
      await a.db.execute(`GRANT CREATE SCHEMA TO ${b.name}`);
      expect((await sqlError(a.db.execute(`GRANT EXPORT TO ${b.name}`))).text).toMatch(
        /^insufficient privileges for granting/,
      );
      await a.db.execute(`GRANT CONNECTION my_conn TO ${b.name}`);
      expect((await sqlError(a.db.execute(`GRANT CONNECTION s3c TO ${b.name}`))).text).toMatch(
        /^insufficient privileges for granting connection/,
      );
      expect((await sqlError(a.db.execute(`GRANT SELECT ON data.t TO ${b.name}`))).text).toMatch(
        /^insufficient privileges for granting object privileges/,
      );
      const rows = await sys.query(`SELECT privilege FROM exa_dba_sys_privs WHERE grantee = '${b.name}' ORDER BY 1`);
      expect(rows.getRows()).toEqual([{ PRIVILEGE: 'CREATE SCHEMA' }, { PRIVILEGE: 'CREATE SESSION' }]);
    } finally {
      await a.db.close();
      await b.db.close();
    }
  });
});

describe('ownership and system tables', () => {
  it('objects in a schema the user owns need no grant; others see them only with a grant', async () => {
    const { name, db } = await newUser(['GRANT CREATE SCHEMA TO <u>', 'GRANT CREATE TABLE TO <u>']);
    const other = await newUser();
    try {
      await db.execute('CREATE SCHEMA mine');
      await db.execute('CREATE TABLE mine.t (i DECIMAL(18,0))');
      await db.execute('INSERT INTO mine.t VALUES (7)');
      expect((await db.query('SELECT i FROM mine.t')).getRows()).toEqual([{ I: 7 }]);
      expect((await db.query("SELECT schema_owner FROM exa_all_schemas WHERE schema_name = 'MINE'")).getRows()).toEqual(
        [{ SCHEMA_OWNER: name }],
      );
      expect((await db.query('SELECT table_schema, table_name FROM exa_user_tables')).getRows()).toEqual([
        { TABLE_SCHEMA: 'MINE', TABLE_NAME: 'T' },
      ]);
      expect((await sqlError(other.db.query('SELECT i FROM mine.t'))).text).toMatch(
        /^insufficient privileges: SELECT on table T/,
      );
      expect(
        (await other.db.query("SELECT COUNT(*) AS n FROM exa_all_tables WHERE table_schema = 'MINE'")).getRows(),
      ).toEqual([{ N: 0 }]);
      await db.execute(`GRANT SELECT ON mine.t TO ${other.name}`);
      expect((await other.db.query('SELECT i FROM mine.t')).getRows()).toEqual([{ I: 7 }]);
      expect(
        (await other.db.query("SELECT table_name FROM exa_all_tables WHERE table_schema = 'MINE'")).getRows(),
      ).toEqual([{ TABLE_NAME: 'T' }]);
      expect((await sqlError(other.db.execute('DROP TABLE mine.t'))).text).toMatch(
        /^insufficient privileges for dropping table/,
      );
    } finally {
      await db.close();
      await other.db.close();
    }
  });

  it('lists users and grants in EXA_DBA_* and the user’s own in EXA_USER_*', async () => {
    const { name, db } = await newUser([
      'GRANT SELECT ON SCHEMA data TO <u>',
      'GRANT CONNECTION my_conn TO <u>',
      'GRANT ACCESS ON CONNECTION my_conn FOR SCRIPT code.conn_user TO <u>',
      'GRANT EXPORT TO <u>',
    ]);
    try {
      const q = async (sql: string): Promise<unknown> => (await sys.query(sql)).getRows();
      expect(await q(`SELECT user_name FROM exa_dba_users WHERE user_name IN ('SYS', '${name}') ORDER BY 1`)).toEqual([
        { USER_NAME: 'SYS' },
        { USER_NAME: name },
      ]);
      expect(
        await q(`SELECT privilege, admin_option FROM exa_dba_sys_privs WHERE grantee = '${name}' ORDER BY 1`),
      ).toEqual([
        { PRIVILEGE: 'CREATE SESSION', ADMIN_OPTION: false },
        { PRIVILEGE: 'EXPORT', ADMIN_OPTION: false },
      ]);
      expect(
        await q(
          `SELECT COUNT(*) AS n FROM exa_dba_sys_privs WHERE grantee = 'DBA' AND privilege = 'ACCESS ANY CONNECTION'`,
        ),
      ).toEqual([{ N: 1 }]);
      expect(
        await q(
          `SELECT object_schema, object_name, object_type, privilege, grantor, owner FROM exa_dba_obj_privs WHERE grantee = '${name}'`,
        ),
      ).toEqual([
        {
          OBJECT_SCHEMA: null,
          OBJECT_NAME: 'DATA',
          OBJECT_TYPE: 'SCHEMA',
          PRIVILEGE: 'SELECT',
          GRANTOR: 'SYS',
          OWNER: 'SYS',
        },
      ]);
      expect(
        await q(`SELECT granted_connection, admin_option FROM exa_dba_connection_privs WHERE grantee = '${name}'`),
      ).toEqual([{ GRANTED_CONNECTION: 'MY_CONN', ADMIN_OPTION: false }]);
      expect(
        await q(
          `SELECT object_name, for_object_schema, for_object_name, for_object_type, privilege FROM exa_dba_restricted_obj_privs WHERE grantee = '${name}'`,
        ),
      ).toEqual([
        {
          OBJECT_NAME: 'MY_CONN',
          FOR_OBJECT_SCHEMA: 'CODE',
          FOR_OBJECT_NAME: 'CONN_USER',
          FOR_OBJECT_TYPE: 'SCRIPT',
          PRIVILEGE: 'ACCESS',
        },
      ]);
      const own = async (sql: string): Promise<unknown> => (await db.query(sql)).getRows();
      expect(await own('SELECT privilege FROM exa_user_sys_privs ORDER BY 1')).toEqual([
        { PRIVILEGE: 'CREATE SESSION' },
        { PRIVILEGE: 'EXPORT' },
      ]);
      expect(await own('SELECT granted_connection FROM exa_user_connection_privs')).toEqual([
        { GRANTED_CONNECTION: 'MY_CONN' },
      ]);
      expect(
        await own("SELECT table_name FROM exa_all_tables WHERE table_name IN ('T', 'W', 'OTHER') ORDER BY 1"),
      ).toEqual([{ TABLE_NAME: 'OTHER' }, { TABLE_NAME: 'T' }, { TABLE_NAME: 'W' }]);
      expect(await own("SELECT COUNT(*) AS n FROM exa_all_scripts WHERE script_schema = 'CODE'")).toEqual([{ N: 0 }]);
      expect(await own('SELECT user_name FROM exa_user_users')).toEqual([{ USER_NAME: name }]);
    } finally {
      await db.close();
    }
  });
});
