import { deleteEndpoint, dropJob, encodeCsvRow, isSmeError, parseColumnType } from '@sme/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { startEnvironment } from './environment.js';
import { deploy, insertRows, rows, trainJob, waitInService, type Environment } from './scenario.js';

const JOB = 'pred-260101000000';
const TYPES = ['DOUBLE', 'DOUBLE', 'VARCHAR(100) UTF8'].map((t) => parseColumnType(t));

for (const lua of ['native', 'wasm'] as const) {
  describeTier(luaTier(lua), `endpoints and prediction from SQL (sandbox, ${lua} Lua)`, () => {
    let env: Environment;
    const data = rows(10_000, 2);

    beforeAll(async () => {
      env = await startEnvironment(lua);
      await trainJob(env, JOB);
      await env.sql.execute('CREATE OR REPLACE TABLE "ML"."PRED" ("X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)');
      await insertRows(env, '"PRED"', data, false);
    }, 120_000);

    afterAll(async () => {
      await env.stop();
    });

    it('deploys without waiting, predicts 10,000 rows like the model, deletes, and drops the job', async () => {
      const started = Date.now();
      const deployed = await deploy(env, JOB, 'pred-ep');
      expect(deployed).toMatchObject({ status: 'Creating', predictionUdf: '"ML"."pred-ep"' });
      expect((await env.adapters.endpoints().describeEndpoint('pred-ep')).EndpointStatus).toBe('Creating');
      expect(Date.now() - started).toBeLessThan(60_000);

      // Before InService the UDF fails with a coded error, not with a raw AWS message.
      const early = await env.sql
        .query('SELECT "ML"."pred-ep"("X1", "X2", "NOTE") FROM "ML"."PRED"')
        .catch((e: unknown) => e);
      expect(isSmeError(early) ? early.message : String(early)).toContain('SME-E-ENDPOINT-NOT-IN-SERVICE');

      expect(await waitInService(env, 'pred-ep')).toEqual(['Creating', 'InService']);
      const result = await env.sql.query('SELECT "ML"."pred-ep"("X1", "X2", "NOTE") FROM "ML"."PRED"');
      expect(result.columns.map((c) => c.name)).toEqual(['X1', 'X2', 'NOTE', 'PREDICTIONS', 'PROBABILITY']);
      expect(result.rows).toHaveLength(10_000);

      // Inputs come back unchanged (commas, quotes, newlines, NULLs), in some order: compare as multisets.
      // DOUBLE values are compared to 12 significant digits: the sandbox's Lua bridge carries doubles as text with
      // fewer than 17 digits (the CSV the UDF sends the model is exact; see core's formatDouble).
      const approx = (v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v);
      const key = (r: readonly unknown[]) => JSON.stringify([approx(r[0]), approx(r[1]), r[2]]);
      const sent = data.map((d) => key([d.x1, d.x2, d.note])).sort();
      expect(result.rows.map((r) => key(r)).sort()).toEqual(sent);
      expect(result.rows.some((r) => r[2] === 'two\nlines')).toBe(true);
      expect(result.rows.some((r) => r[1] === null && r[2] === null)).toBe(true);

      // Predictions equal the sandbox model's own, row by row.
      const csv = result.rows.map((r) => encodeCsvRow([r[0] ?? null, r[1] ?? null, r[2] ?? null], TYPES)).join('\n');
      const expected = env.aws.predictWithJobModel(JOB, csv + '\n');
      expect(expected).toHaveLength(10_000);
      result.rows.forEach((r, i) => {
        expect(r[3]).toBe(expected?.[i]?.label);
        expect(r[4]).toBeCloseTo(expected?.[i]?.probability ?? Number.NaN, 12);
      });
      expect(new Set(result.rows.map((r) => r[3]))).toEqual(new Set(['yes, sure', 'no "way"']));

      const deleted = await deleteEndpoint({ endpointName: 'pred-ep' }, env.deps, { metadataSchema: 'SME' });
      expect(deleted).toMatchObject({
        deleted: { endpoint: true, endpointConfig: true, model: true },
        udfDropped: true,
      });
      const gone = await env.adapters
        .endpoints()
        .describeEndpoint('pred-ep')
        .catch((e: unknown) => e);
      expect(isSmeError(gone) && gone.kind).toBe('NotFound');
      const scripts = await env.sql.query(
        `SELECT "SCRIPT_NAME" FROM "SYS"."EXA_ALL_SCRIPTS" WHERE "SCRIPT_SCHEMA" = 'ML' AND "SCRIPT_NAME" = 'pred-ep'`,
      );
      expect(scripts.rows).toEqual([]);
      const row = await env.sql.query(
        `SELECT "STATUS", "DELETED_AT" FROM "SME"."SME_METADATA_AUTOPILOT_ENDPOINTS" WHERE "ENDPOINT_NAME" = 'pred-ep'`,
      );
      expect(row.rows[0]?.[0]).toBe('Deleted');
      expect(row.rows[0]?.[1]).not.toBeNull();

      const drop = await dropJob(
        { jobName: JOB },
        {},
        { ...env.deps, automl: env.adapters.automl, objects: () => env.objects },
        { metadataSchema: 'SME' },
      );
      expect(drop.dropped).toBe(true);
      expect(drop.deletedObjects).toBeGreaterThan(0);
      expect(await env.adapters.objects().list(`s3://sme-sandbox/sme/${JOB}/`)).toEqual([]);
      const job = await env.sql.query(
        `SELECT "DROPPED_AT" FROM "SME"."SME_METADATA_AUTOPILOT_JOBS" WHERE "JOB_NAME" = '${JOB}'`,
      );
      expect(job.rows[0]?.[0]).not.toBeNull();
    }, 240_000);
  });
}
