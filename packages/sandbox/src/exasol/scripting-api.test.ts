/** Scripting-program results the way Exasol hands them back, under both Lua runtimes. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { startExasolSandbox, type ExasolSandbox } from './exasol-sandbox.js';
import { connectDriver, type Driver } from './testing/driver-harness.js';

for (const lua of ['native', 'wasm'] as const) {
  describeTier(luaTier(lua), `scripting API results (${lua} Lua)`, () => {
    let exa: ExasolSandbox;
    let db: Driver;
    beforeAll(async () => {
      exa = await startExasolSandbox({ lua, tls: false });
      db = await connectDriver(exa);
      await db.execute('CREATE SCHEMA sa');
      await db.execute(`CREATE SCRIPT sa.q(p) RETURNS TABLE AS
exit(query([[SELECT :t AS "v", 2 AS n FROM dual]], {t=p}))`);
    });
    afterAll(async () => {
      await db.close();
      await exa.stop();
    });

    it('exit(query(…)) returns the query result with its own columns', async () => {
      const r = await db.query("EXECUTE SCRIPT sa.q('x')");
      expect(r.getColumns()).toEqual([
        { name: 'v', dataType: { type: 'CHAR', size: 1, characterSet: 'ASCII' } },
        { name: 'N', dataType: { type: 'DECIMAL', precision: 1, scale: 0 } },
      ]);
      expect(r.getRows()).toEqual([{ v: 'x', N: 2 }]);
    });

    it('query runs EXECUTE SCRIPT; pquery reports error_code, error_message, statement_text', async () => {
      await db.execute(`CREATE SCRIPT sa.p() RETURNS TABLE AS
local ok, r = pquery([[SELECT * FROM sa.nope]])
local nested = query([[EXECUTE SCRIPT sa.q('y')]])
exit({{tostring(ok), r.error_code, r.error_message, r.statement_text, nested[1].v, nested[1].N, #nested}},
  "ok VARCHAR(5), code VARCHAR(5), msg VARCHAR(200), stmt VARCHAR(100), v VARCHAR(5), n DECIMAL(3,0), c DECIMAL(3,0)")`);
      const [row] = (await db.query('EXECUTE SCRIPT sa.p()')).getRows();
      expect(row).toMatchObject({ OK: 'false', CODE: '42000', STMT: 'SELECT * FROM sa.nope', V: 'y', N: 2, C: 1 });
      expect(row?.MSG).toMatch(/^object SA\.NOPE not found|^object NOPE not found/);
    });
  });
}
