/**
 * UDF calls the way sme and its users write them, under both Lua runtimes: parameter names as declared,
 * calls without FROM, SET/EMITS over many rows with GROUP BY, ORDER BY/LIMIT on UDF output, and UDFs in and
 * over subqueries.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { startExasolSandbox, type ExasolSandbox } from './exasol-sandbox.js';
import { connectDriver, type Driver } from './testing/driver-harness.js';

const ROWS = 10_000;

for (const lua of ['native', 'wasm'] as const) {
  describeTier(luaTier(lua), `UDF calls (${lua} Lua)`, () => {
    let exa: ExasolSandbox;
    let db: Driver;
    beforeAll(async () => {
      exa = await startExasolSandbox({ lua, tls: false });
      db = await connectDriver(exa);
      await db.execute('CREATE SCHEMA u');
      await db.execute(
        `CREATE TABLE u.t AS SELECT CAST(range AS DECIMAL(18,0)) AS id, CAST(range % 7 AS VARCHAR(5)) AS g,
         CAST(range AS DOUBLE) / 2 AS x, 'r' || range AS label, range % 2 = 0 AS flag FROM range(${ROWS})`,
      );
      await db.execute("CREATE CONNECTION my_conn TO 'https://b.s3.amazonaws.com' USER 'AKID' IDENTIFIED BY 'secret'");
    });
    afterAll(async () => {
      await db.close();
      await exa.stop();
    });

    it('hands parameters to ctx under the names written in the definition', async () => {
      // Exasol's own example reads `ctx.a` for a parameter declared `a DOUBLE`
      // (https://docs.exasol.com/db/latest/database_concepts/udf_scripts/lua.htm): no folding to upper case.
      await db.execute(`CREATE OR REPLACE LUA SCALAR SCRIPT u.names(connection_name VARCHAR(100), Mixed_Case DOUBLE, "Quoted" VARCHAR(5))
RETURNS VARCHAR(200) AS
function run(ctx)
  local c = exa.get_connection(ctx.connection_name)
  return table.concat({ctx.connection_name, tostring(ctx.Mixed_Case), ctx.Quoted, tostring(ctx.CONNECTION_NAME), c.user}, '|')
end`);
      const r = await db.query(`SELECT "U"."NAMES"('MY_CONN', 1.5, 'q') AS "ENVELOPE" FROM DUAL`);
      expect(r.getRows()).toEqual([{ ENVELOPE: 'MY_CONN|1.5|q|nil|AKID' }]);
    });

    it('calls a scalar UDF without FROM like FROM DUAL', async () => {
      await db.execute(`CREATE OR REPLACE LUA SCALAR SCRIPT u.hello(who VARCHAR(10)) RETURNS VARCHAR(20) AS
function run(ctx) return 'hi ' .. ctx.who end`);
      expect((await db.query("SELECT u.hello('sme') AS h")).getRows()).toEqual([{ H: 'hi sme' }]);
    });

    it(`runs a SET/EMITS UDF over ${ROWS} rows of several columns, per GROUP BY group`, async () => {
      await db.execute(`CREATE OR REPLACE LUA SET SCRIPT u.stats(g VARCHAR(5), id DECIMAL(18,0), x DOUBLE, label VARCHAR(20), flag BOOLEAN)
EMITS (g VARCHAR(5), n DECIMAL(18,0), id_sum DECIMAL(18,0), x_sum DOUBLE, last_label VARCHAR(20), flags DECIMAL(18,0)) AS
function run(ctx)
  local g, n, ids, xs, last, flags = ctx.g, 0, 0, 0, nil, 0
  repeat
    n = n + 1; ids = ids + ctx.id; xs = xs + ctx.x
    if last == nil or ctx.label > last then last = ctx.label end
    if ctx.flag then flags = flags + 1 end
  until not ctx.next()
  -- DECIMAL columns take decimal values (Exasol: a plain number fails with "decimal expected, got number").
  ctx.emit(g, decimal(n, 18, 0), ids, xs, last, decimal(flags, 18, 0))
end`);
      const all = await db.query('SELECT u.stats(g, id, x, label, flag) FROM u.t GROUP BY g ORDER BY g');
      const expected = await db.query(
        `SELECT g, COUNT(*) AS n, SUM(id) AS id_sum, SUM(x) AS x_sum, MAX(label) AS last_label,
         SUM(CASE WHEN flag THEN 1 ELSE 0 END) AS flags FROM u.t GROUP BY g ORDER BY g`,
      );
      expect(all.getRows()).toHaveLength(7);
      expect(all.getRows()).toEqual(
        expected.getRows().map((r) => ({ ...r, N: Number(r.N), ID_SUM: Number(r.ID_SUM), FLAGS: Number(r.FLAGS) })),
      );
      const whole = await db.query("SELECT u.stats(g, id, x, label, flag) FROM u.t WHERE g = '3'");
      expect(whole.getRows()[0]).toMatchObject({ G: '3', N: 1429 });
    });

    it('applies ORDER BY and LIMIT to the UDF output', async () => {
      const r = await db.query('SELECT u.stats(g, id, x, label, flag) FROM u.t GROUP BY g ORDER BY g DESC LIMIT 2');
      expect(r.getRows().map((row) => row.G)).toEqual(['6', '5']);
      expect(r.getColumns().map((c) => c.name)).toEqual(['G', 'N', 'ID_SUM', 'X_SUM', 'LAST_LABEL', 'FLAGS']);
    });

    it('reads its input from a subquery and serves as a subquery', async () => {
      const over = await db.query(
        'SELECT u.stats(g, id, x, label, flag) FROM (SELECT * FROM u.t WHERE id < 70) s GROUP BY g ORDER BY 1',
      );
      expect(over.getRows().map((row) => row.N)).toEqual([10, 10, 10, 10, 10, 10, 10]);
      const inner = await db.query(
        `SELECT s.g, s.n FROM (SELECT u.stats(g, id, x, label, flag) FROM u.t WHERE id < 15 GROUP BY g) s
       WHERE s.n > 2 ORDER BY s.g`,
      );
      expect(inner.getRows()).toEqual([{ G: '0', N: 3 }]);
      const count = await db.query(
        'SELECT COUNT(*) AS c FROM (SELECT u.stats(g, id, x, label, flag) FROM u.t GROUP BY g)',
      );
      expect(count.getRows()).toEqual([{ C: 7 }]);
    });

    it('inserts a UDF’s output with INSERT INTO … SELECT udf(…)', async () => {
      await db.execute(
        'CREATE TABLE u.out (g VARCHAR(5), n DECIMAL(18,0), id_sum DECIMAL(18,0), x_sum DOUBLE, last_label VARCHAR(20), flags DECIMAL(18,0))',
      );
      await db.execute('INSERT INTO u.out SELECT u.stats(g, id, x, label, flag) FROM u.t WHERE id < 14 GROUP BY g');
      await db.execute(
        'INSERT INTO u.out (g, n, id_sum, x_sum, last_label, flags) SELECT u.stats(g, id, x, label, flag) FROM u.t WHERE id = 3 GROUP BY g',
      );
      const r = await db.query('SELECT g, n, id_sum FROM u.out ORDER BY g, n');
      expect(r.getRows().map((row) => [row.G, row.N])).toEqual([
        ['0', 2],
        ['1', 2],
        ['2', 2],
        ['3', 1],
        ['3', 2],
        ['4', 2],
        ['5', 2],
        ['6', 2],
      ]);
    });
  });
}
