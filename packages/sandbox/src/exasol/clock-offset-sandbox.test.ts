/**
 * `clockOffsetSeconds` (sme-sandbox --clock-offset) moves the database's clock and nothing else: CURRENT_TIMESTAMP
 * and Lua's os.time() in scripting programs and UDFs, in both Lua runtimes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { startExasolSandbox, type ExasolSandbox } from './exasol-sandbox.js';
import { connectDriver, type Driver } from './testing/driver-harness.js';

const OFFSET = 600;

/** Seconds since the epoch of an Exasol TIMESTAMP text (`2026-01-02 03:04:05.678000`, UTC in the sandbox). */
function epochOf(timestamp: string): number {
  return Date.parse(timestamp.replace(' ', 'T') + 'Z') / 1000;
}

for (const lua of ['native', 'wasm'] as const)
  describeTier(luaTier(lua), `database clock offset (${lua} Lua)`, () => {
    let shifted: ExasolSandbox;
    let plain: ExasolSandbox;
    let db: Driver;
    let plainDb: Driver;

    beforeAll(async () => {
      shifted = await startExasolSandbox({ lua, tls: false, clockOffsetSeconds: OFFSET });
      plain = await startExasolSandbox({ lua, tls: false });
      db = await connectDriver(shifted);
      plainDb = await connectDriver(plain);
      for (const d of [db, plainDb]) {
        await d.execute('CREATE SCHEMA p');
        await d.execute(
          'CREATE OR REPLACE LUA SCALAR SCRIPT p.clock_udf(x DOUBLE) RETURNS DOUBLE AS\nfunction run(ctx) return os.time() end',
        );
        await d.execute(
          'CREATE OR REPLACE SCRIPT p.clock_script() RETURNS TABLE AS\nexit({{os.time(), os.time({year=2020, month=1, day=1, hour=0})}}, "T DOUBLE, FIXED DOUBLE")',
        );
      }
    });
    afterAll(async () => {
      await db.close();
      await plainDb.close();
      await shifted.stop();
      await plain.stop();
    });

    async function clocks(d: Driver): Promise<{ sql: number; udf: number; script: number; fixed: number }> {
      // Separate statements: the sandbox runs a UDF call only as a select list of UDF calls and columns.
      const [row] = (await d.query('SELECT p.clock_udf(1) AS U FROM DUAL')).getRows();
      const [sqlRow] = (await d.query('SELECT CURRENT_TIMESTAMP AS TS FROM DUAL')).getRows();
      const [scriptRow] = (await d.query('EXECUTE SCRIPT p.clock_script()')).getRows();
      return {
        sql: epochOf(String(sqlRow?.TS)),
        udf: Number(row?.U),
        script: Number(scriptRow?.T),
        fixed: Number(scriptRow?.FIXED),
      };
    }

    it('runs CURRENT_TIMESTAMP and os.time() ahead by the offset; os.time(table) is untouched', async () => {
      const real = Date.now() / 1000;
      const ahead = await clocks(db);
      const normal = await clocks(plainDb);
      for (const value of [ahead.sql, ahead.udf, ahead.script])
        expect(Math.abs(value - real - OFFSET)).toBeLessThan(30);
      for (const value of [normal.sql, normal.udf, normal.script]) expect(Math.abs(value - real)).toBeLessThan(30);
      expect(ahead.fixed).toBe(normal.fixed);
    });
  });
