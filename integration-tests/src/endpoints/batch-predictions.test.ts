/**
 * Batch predictions through EXECUTE SCRIPT: SME_BATCH_PREDICT_SAGEMAKER_AUTOPILOT exports a table's keys and features,
 * runs a batch transform on the job's best model, and SME_POLL_SAGEMAKER_BATCH_PREDICTION imports the results into
 * the output table once it completed. The rows equal the endpoint's predictions row by row, keys intact; the
 * transform's S3 data is gone afterwards; bad input fails with a code and creates nothing. Both Lua runtimes.
 */
import { parseCsv, quoteLiteral, type SqlValue } from '@sme/core';
import { ExasolDeployer } from '@sme/exasol-adapter';
import { deploymentStatements } from '@sme/udf';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { BUCKET, startEnvironment } from './environment.js';
import { deploy, rows, trainJob, waitInService, type Environment } from './scenario.js';

const JOB = 'batchp-260101000000';
const EP = 'batch-ep';
const N = 120;

function csvField(v: SqlValue | undefined): string {
  if (v === null || v === undefined) return '';
  const t = String(v);
  return /[",\r\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
}

for (const lua of ['native', 'wasm'] as const) {
  describeTier(luaTier(lua), `batch predictions through EXECUTE SCRIPT (sandbox, ${lua} Lua)`, () => {
    let env: Environment;
    const run = (sql: string) => env.sql.query(sql);
    const params = (extra: Record<string, unknown> = {}) =>
      quoteLiteral(
        JSON.stringify({
          job_name: JOB,
          aws_credentials_connection_name: 'AWS',
          aws_region: env.aws.region,
          input_schema_name: 'ML',
          input_table_or_view_name: 'SCORE_IN',
          output_schema_name: 'ML',
          output_table_name: 'SCORES',
          key_columns: ['ID'],
          ...extra,
        }),
      );
    const batchPrefix = () => `s3://${BUCKET}/sme/${JOB}/batch-predictions/`;
    const failure = async (sql: string): Promise<string> => {
      const e = await run(sql).then(
        () => undefined,
        (err: unknown) => err,
      );
      if (e === undefined) throw new Error('the statement succeeded');
      return e instanceof Error ? e.message : JSON.stringify(e);
    };

    beforeAll(async () => {
      env = await startEnvironment(lua, { transformStartingSeconds: 50 });
      await new ExasolDeployer(env.sql).deploy(
        deploymentStatements({
          schema: 'SME',
          awsEndpointUrl: env.aws.sagemakerEndpoint,
          s3EndpointUrl: env.aws.s3Endpoint,
        }),
      );
      await trainJob(env, JOB);
      await env.sql.execute(
        'CREATE OR REPLACE TABLE "ML"."SCORE_IN" ("ID" DECIMAL(18,0), "X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)',
      );
      const data = rows(N, 9);
      const values = data.map(
        (d, i) =>
          `(${String(1000 + i * 7)}, ${String(d.x1)}, ${d.x2 === null ? 'NULL' : String(d.x2)}, ${d.note === null ? 'NULL' : quoteLiteral(d.note)})`,
      );
      await env.sql.execute(`INSERT INTO "ML"."SCORE_IN" VALUES ${values.join(', ')}`);
      await deploy(env, JOB, EP);
      expect(await waitInService(env, EP)).toContain('InService');
    }, 240_000);

    afterAll(async () => {
      await env.stop();
    });

    it('refuses bad input with its code and creates nothing', async () => {
      const batch = (extra: Record<string, unknown>) =>
        `EXECUTE SCRIPT "SME"."SME_BATCH_PREDICT_SAGEMAKER_AUTOPILOT"(${params(extra)})`;
      expect(await failure(batch({ key_columns: ['NO_SUCH'] }))).toMatch(/: SME-E-BATCH-KEY-COLUMNS/);
      expect(await failure(batch({ model_name: 'batchp' }))).toMatch(/: SME-E-BATCH-PARAMS.*SME-E-BATCH-MODEL-REF/);
      expect(await failure(batch({ input_table_or_view_name: 'NOPE' }))).toMatch(/: SME-E-TABLE-NOT-FOUND/);
      expect(
        await failure(`EXECUTE SCRIPT "SME"."SME_POLL_SAGEMAKER_BATCH_PREDICTION"('never-started', NULL, NULL)`),
      ).toMatch(/: SME-E-BATCH-NOT-FOUND/);
      expect(await env.adapters.objects().list(batchPrefix())).toEqual([]);
      const recorded = await run('SELECT COUNT(*) FROM "SME"."SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS"');
      expect(Number(recorded.rows[0]?.[0])).toBe(0);
    });

    it('predicts the table into another one, equal to the endpoint row by row with the keys intact', async () => {
      const started = await run(`EXECUTE SCRIPT "SME"."SME_BATCH_PREDICT_SAGEMAKER_AUTOPILOT"(${params()})`);
      expect(started.columns.map((c) => c.name)).toEqual([
        'BATCH_PREDICTION_NAME',
        'STATUS',
        'JOB_NAME',
        'OUTPUT_TABLE',
        'ROW_COUNT',
        'S3_PREFIX_URI',
      ]);
      const name = String(started.rows[0]?.[0]);
      expect(name).toMatch(new RegExp(`^${JOB}-\\d{12}$`));
      expect(started.rows[0]?.slice(1, 5)).toEqual(['InProgress', JOB, '"ML"."SCORES"', N]);
      expect((await env.adapters.objects().list(batchPrefix())).length).toBeGreaterThan(0);

      const seen: unknown[] = [];
      let last: readonly SqlValue[] | undefined;
      for (let i = 0; i < 600 && seen.at(-1) !== 'Completed' && seen.at(-1) !== 'Failed'; i++) {
        const polled = await run(
          `EXECUTE SCRIPT "SME"."SME_POLL_SAGEMAKER_BATCH_PREDICTION"(${quoteLiteral(name)}, NULL, NULL)`,
        );
        last = polled.rows[0];
        if (seen.at(-1) !== last?.[1]) seen.push(last?.[1]);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen, String(last?.[4])).toEqual(['InProgress', 'Completed']);
      expect(last?.slice(0, 4)).toEqual([name, 'Completed', N, '"ML"."SCORES"']);

      const scored = await run('SELECT "ID", "PREDICTIONS", "PROBABILITY" FROM "ML"."SCORES" ORDER BY "ID"');
      const inputs = await run('SELECT "ID", "X1", "X2", "NOTE" FROM "ML"."SCORE_IN" ORDER BY "ID"');
      expect(scored.rows.map((r) => r[0])).toEqual(inputs.rows.map((r) => r[0]));
      // The endpoint on the same rows, in the same order (InvokeEndpoint answers one line per input line).
      const body = inputs.rows.map((r) => r.slice(1).map(csvField).join(',')).join('\n') + '\n';
      const answer = parseCsv(await env.adapters.inference().invoke(EP, body));
      expect(answer).toHaveLength(N);
      scored.rows.forEach((r, i) => {
        const [label, probability] = answer[i] ?? [];
        expect([r[1], r[2]]).toEqual([label, Number(probability)]);
      });

      // Recorded, and the transform's S3 data is gone.
      const row = await run(
        `SELECT "STATUS", "IMPORTED_ROWS", "ROW_COUNT", "KEY_COLUMNS", "ENDED" FROM "SME"."SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS" WHERE "BATCH_PREDICTION_NAME" = ${quoteLiteral(name)}`,
      );
      expect(row.rows[0]?.slice(0, 4)).toEqual(['Completed', N, N, '["ID"]']);
      expect(row.rows[0]?.[4]).not.toBeNull();
      expect(await env.adapters.objects().list(batchPrefix())).toEqual([]);

      // Polling a finished batch prediction again imports nothing twice.
      await run(`EXECUTE SCRIPT "SME"."SME_POLL_SAGEMAKER_BATCH_PREDICTION"(${quoteLiteral(name)}, NULL, NULL)`);
      const count = await run('SELECT COUNT(*) FROM "ML"."SCORES"');
      expect(Number(count.rows[0]?.[0])).toBe(N);
    }, 240_000);
  });
}
