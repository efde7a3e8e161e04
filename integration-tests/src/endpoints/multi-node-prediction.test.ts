/**
 * Prediction spread over a multi-node sandbox, both Lua runtimes: the grouped call sme generates
 * (`GROUP BY IPROC(), MOD(ROWNUM, 4)`) predicts every row exactly as the plain ungrouped call does, and runs
 * several instances on every node (what the sandbox recorded of the call: each instance's node, as the UDF's
 * `exa.meta.node_id` sees it, and the rows it read); the ungrouped call runs as one instance.
 */
import { PREDICTION_GROUPS_PER_NODE, predictionCallSql, type SqlValue } from '@sme/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { startEnvironment } from './environment.js';
import { deploy, insertRows, rows, trainJob, waitInService, type Environment } from './scenario.js';

const JOB = 'multinode-260101000000';
const EP = 'multi-ep';
const NODES = 3;
const ROWS = 360;
const UDF = `"ML"."${EP}"`;
const FEATURES = ['X1', 'X2', 'NOTE'];

/** Rows as comparable text, sorted: the output order of a UDF call is not promised. */
function sorted(result: { rows: readonly (readonly SqlValue[])[] }): string[] {
  return result.rows.map((r) => JSON.stringify(r)).sort();
}

for (const lua of ['native', 'wasm'] as const) {
  describeTier(luaTier(lua), `prediction over a ${String(NODES)}-node sandbox (${lua} Lua)`, () => {
    let env: Environment;

    beforeAll(async () => {
      env = await startEnvironment(lua, { endpointCreatingSeconds: 10 }, { nodes: NODES });
      await trainJob(env, JOB);
      await env.sql.execute('CREATE OR REPLACE TABLE "ML"."PRED" ("X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)');
      await insertRows(env, '"PRED"', rows(ROWS, 7), false);
      // Small batches, so that every instance sends several requests.
      await deploy(env, JOB, EP, 20);
      expect((await waitInService(env, EP)).at(-1)).toBe('InService');
    }, 180_000);

    afterAll(async () => {
      await env.stop();
    });

    it('predicts every row of the grouped call as the ungrouped call does, on every node at once', async () => {
      expect((await env.sql.query('SELECT NPROC() AS "N" FROM DUAL')).rows).toEqual([[NODES]]);

      const plain = await env.sql.query(`SELECT ${UDF}("X1", "X2", "NOTE") FROM "ML"."PRED"`);
      expect(env.exa.udfCalls().at(-1)?.instances).toEqual([expect.objectContaining({ groups: 1, rows: ROWS })]);

      const grouped = await env.sql.query(predictionCallSql(UDF, FEATURES, '"ML"."PRED"'));
      expect(grouped.columns.map((c) => c.name)).toEqual(['X1', 'X2', 'NOTE', 'PREDICTIONS', 'PROBABILITY']);
      expect(grouped.rows).toHaveLength(ROWS);
      // Row by row: the same inputs with the same PREDICTIONS and PROBABILITY.
      expect(sorted(grouped)).toEqual(sorted(plain));

      const call = env.exa.udfCalls().at(-1);
      expect(call?.script).toBe(`ML.${EP}`);
      expect(call?.instances.reduce((n, i) => n + i.rows, 0)).toBe(ROWS);
      for (let node = 0; node < NODES; node++) {
        const here = call?.instances.filter((i) => i.node === node) ?? [];
        // Each node ran several instances, and every one of them read rows.
        expect(here.length, `node ${String(node)}`).toBeGreaterThan(1);
        expect(here.length).toBeLessThanOrEqual(PREDICTION_GROUPS_PER_NODE);
        for (const i of here) expect(i.rows).toBeGreaterThan(0);
      }
    }, 120_000);

    it('predicts the rows of a LIMIT subselect the way sme predict --table --limit asks', async () => {
      const limited = await env.sql.query(
        predictionCallSql(UDF, FEATURES, '(SELECT "X1", "X2", "NOTE" FROM "ML"."PRED" LIMIT 50)'),
      );
      expect(limited.rows).toHaveLength(50);
      const nodes = new Set(
        env.exa
          .udfCalls()
          .at(-1)
          ?.instances.map((i) => i.node),
      );
      expect(nodes.size).toBe(NODES);
    }, 60_000);
  });
}
