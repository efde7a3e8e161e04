/**
 * The in-database endpoint programs through EXECUTE SCRIPT and SELECT: bad input to deploy, then deploy, follow its
 * status to InService, predict through its UDF, delete it, drop the job; a serverless endpoint with an idle TTL
 * reaped by SME_REAP_IDLE_ENDPOINTS; bad input fails with a code and creates nothing. Both Lua runtimes of the
 * Exasol sandbox.
 */
import { encodeCsvRow, isSmeError, parseColumnType, quoteLiteral, type SqlValue } from '@sme/core';
import { ExasolDeployer } from '@sme/exasol-adapter';
import { deploymentStatements } from '@sme/udf';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { BUCKET, startEnvironment } from './environment.js';
import { insertRows, rows, trainJob, type Environment } from './scenario.js';

const JOB = 'sqlep-260101000000';
const EP = 'sql-ep';
const TYPES = ['DOUBLE', 'DOUBLE', 'VARCHAR(100) UTF8'].map((t) => parseColumnType(t));

async function failure(promise: Promise<unknown>): Promise<string> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (e === undefined) throw new Error('the statement succeeded');
  return isSmeError(e) || e instanceof Error ? e.message : JSON.stringify(e);
}

for (const lua of ['native', 'wasm'] as const) {
  describeTier(luaTier(lua), `endpoint scripts through EXECUTE SCRIPT (sandbox, ${lua} Lua)`, () => {
    let env: Environment;
    const data = rows(300, 3);
    const region = () => quoteLiteral(env.aws.region);
    const run = (sql: string) => env.sql.query(sql);
    const endpointRow = async (): Promise<Record<string, SqlValue> | undefined> => {
      const r = await run(`SELECT * FROM "SME"."SME_METADATA_AUTOPILOT_ENDPOINTS" WHERE "ENDPOINT_NAME" = '${EP}'`);
      const row = r.rows[0];
      return row === undefined ? undefined : Object.fromEntries(r.columns.map((c, i) => [c.name, row[i] ?? null]));
    };
    const awsEndpoints = async () => (await env.adapters.endpoints().listEndpoints()).map((e) => e.EndpointName);

    beforeAll(async () => {
      env = await startEnvironment(lua);
      await new ExasolDeployer(env.sql).deploy(
        deploymentStatements({
          schema: 'SME',
          awsEndpointUrl: env.aws.sagemakerEndpoint,
          s3EndpointUrl: env.aws.s3Endpoint,
        }),
      );
      await trainJob(env, JOB);
      await env.sql.execute('CREATE OR REPLACE TABLE "ML"."PRED" ("X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)');
      await insertRows(env, '"PRED"', data, false);
    }, 180_000);

    afterAll(async () => {
      await env.stop();
    });

    it('refuses bad input with its code and creates nothing', async () => {
      const deploy = (name: string, count: string, job = JOB) =>
        run(
          `EXECUTE SCRIPT "SME"."SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT"(${quoteLiteral(job)}, ${quoteLiteral(name)}, 'ML', 'ml.m5.large', ${count}, 'AWS', ${region()})`,
        );
      expect(await failure(deploy('bad_name!', '1'))).toMatch(/: SME-E-ENDPOINT-NAME/);
      expect(await failure(deploy(EP, '0'))).toMatch(/: SME-E-ENDPOINT-INSTANCE-COUNT/);
      expect(await failure(deploy(EP, 'NULL'))).toMatch(/: SME-E-UDF-ARGUMENT/);
      expect(await failure(deploy(EP, '1', 'no-such-job'))).toMatch(/: SME-E-JOB-NOT-FOUND/);
      expect(
        await failure(
          run(`EXECUTE SCRIPT "SME"."SME_SAGEMAKER_AUTOPILOT_ENDPOINT_STATUS"('never-deployed', NULL, NULL)`),
        ),
      ).toMatch(/: SME-E-ENDPOINT-NOT-FOUND/);
      expect(await failure(run(`EXECUTE SCRIPT "SME"."SME_DROP_SAGEMAKER_AUTOPILOT_JOB"(NULL, NULL, NULL)`))).toMatch(
        /: SME-E-UDF-ARGUMENT/,
      );
      expect(await awsEndpoints()).toEqual([]);
      expect(await endpointRow()).toBeUndefined();
      const udfs = await run(`SELECT "SCRIPT_NAME" FROM "SYS"."EXA_ALL_SCRIPTS" WHERE "SCRIPT_SCHEMA" = 'ML'`);
      expect(udfs.rows).toEqual([]);
    });

    it('deploys from the JSON form with key columns, which come back unchanged and join to their rows', async () => {
      const KEP = 'sql-ep-keys';
      await env.sql.execute(
        'CREATE OR REPLACE TABLE "ML"."PRED_KEYS" ("ID" DECIMAL(18,0), "TAG" VARCHAR(10) UTF8, "X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)',
      );
      await env.sql.execute(
        'INSERT INTO "ML"."PRED_KEYS" SELECT 1000 + ROW_NUMBER() OVER (ORDER BY "X1", "NOTE"), NULL, "X1", "X2", "NOTE" FROM "ML"."PRED"',
      );
      await env.sql.execute('UPDATE "ML"."PRED_KEYS" SET "TAG" = \'t\' || "ID" WHERE MOD("ID", 3) = 0');
      const json = JSON.stringify({
        job_name: JOB,
        endpoint_name: KEP,
        schema_name: 'ML',
        aws_credentials_connection_name: 'AWS',
        aws_region: env.aws.region,
        key_columns: ['ID DECIMAL(18,0)', 'TAG VARCHAR(10) UTF8'],
      });
      const viaJson = (extra: string) =>
        run(`EXECUTE SCRIPT "SME"."SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT"(${quoteLiteral(json)}, ${extra})`);
      // Positional arguments beside the JSON object are refused rather than silently ignored.
      expect(await failure(viaJson(`'x', NULL, NULL, NULL, NULL, NULL`))).toMatch(/: SME-E-UDF-ARGUMENT/);
      const badKey = JSON.stringify({ ...JSON.parse(json), key_columns: ['X1'] });
      expect(
        await failure(
          run(
            `EXECUTE SCRIPT "SME"."SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT"(${quoteLiteral(badKey)}, NULL, NULL, NULL, NULL, NULL, NULL)`,
          ),
        ),
      ).toMatch(/: SME-E-ENDPOINT-KEY-COLUMNS/);
      expect(await awsEndpoints()).toEqual([]);

      const deployed = await viaJson('NULL, NULL, NULL, NULL, NULL, NULL');
      expect(deployed.rows[0]).toEqual([KEP, 'Creating', `"ML"."${KEP}"`]);
      const row = await run(
        `SELECT "KEY_COLUMNS", "KEY_TYPES" FROM "SME"."SME_METADATA_AUTOPILOT_ENDPOINTS" WHERE "ENDPOINT_NAME" = '${KEP}'`,
      );
      expect(row.rows).toEqual([['["ID","TAG"]', '["DECIMAL(18,0)","VARCHAR(10) UTF8"]']]);
      for (let i = 0; i < 300; i++) {
        const s = await run(`EXECUTE SCRIPT "SME"."SME_SAGEMAKER_AUTOPILOT_ENDPOINT_STATUS"('${KEP}', NULL, NULL)`);
        if (s.rows[0]?.[0] === 'InService') break;
        await new Promise((r) => setTimeout(r, 20));
      }

      await env.sql.execute(
        'CREATE OR REPLACE TABLE "ML"."SCORES" ("ID" DECIMAL(18,0), "TAG" VARCHAR(10) UTF8, "X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8, "PREDICTIONS" VARCHAR(20) UTF8, "PROBABILITY" DOUBLE)',
      );
      await env.sql.execute(
        `INSERT INTO "ML"."SCORES" SELECT "ML"."${KEP}"("ID", "TAG", "X1", "X2", "NOTE") FROM "ML"."PRED_KEYS"`,
      );
      const scored = await run(
        'SELECT s."ID", s."TAG", k."X1", k."X2", k."NOTE", s."PREDICTIONS" FROM "ML"."SCORES" s JOIN "ML"."PRED_KEYS" k ON s."ID" = k."ID" ORDER BY s."ID"',
      );
      expect(scored.columns.map((c) => c.name)).toEqual(['ID', 'TAG', 'X1', 'X2', 'NOTE', 'PREDICTIONS']);
      expect(scored.rows).toHaveLength(data.length);
      // Each prediction is the model's for the features of the row its key names.
      const csv = scored.rows.map((r) => encodeCsvRow([r[2] ?? null, r[3] ?? null, r[4] ?? null], TYPES)).join('\n');
      const expected = env.aws.predictWithJobModel(JOB, csv + '\n');
      scored.rows.forEach((r, i) => {
        expect(r[0]).toBe(1001 + i);
        expect(r[1]).toBe((1001 + i) % 3 === 0 ? `t${String(1001 + i)}` : null);
        expect(r[5]).toBe(expected?.[i]?.label);
      });
      await run(`EXECUTE SCRIPT "SME"."SME_DELETE_SAGEMAKER_AUTOPILOT_ENDPOINT"('${KEP}', NULL, NULL)`);
      expect(await awsEndpoints()).toEqual([]);
    }, 240_000);

    it('deploys serverless with an idle TTL; SME_REAP_IDLE_ENDPOINTS deletes it once past its deadline', async () => {
      const IDLE = 'idle-sql-ep';
      const rowOf = async (name: string): Promise<Record<string, SqlValue> | undefined> => {
        const r = await run(`SELECT * FROM "SME"."SME_METADATA_AUTOPILOT_ENDPOINTS" WHERE "ENDPOINT_NAME" = '${name}'`);
        const row = r.rows[0];
        return row === undefined ? undefined : Object.fromEntries(r.columns.map((c, i) => [c.name, row[i] ?? null]));
      };
      const deploy = (extra: Record<string, unknown>) =>
        run(
          `EXECUTE SCRIPT "SME"."SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT"(${quoteLiteral(
            JSON.stringify({
              job_name: JOB,
              endpoint_name: IDLE,
              schema_name: 'ML',
              aws_credentials_connection_name: 'AWS',
              aws_region: env.aws.region,
              ...extra,
            }),
          )}, NULL, NULL, NULL, NULL, NULL, NULL)`,
        );
      expect(await failure(deploy({ idle_ttl: '2 hours' }))).toMatch(/: SME-E-ENDPOINT-IDLE-TTL/);
      expect(await failure(deploy({ serverless_memory_mb: 1500 }))).toMatch(/: SME-E-ENDPOINT-SERVERLESS/);
      expect(await failure(deploy({ serverless_memory_mb: 2048, serverless_max_concurrency: 0 }))).toMatch(
        /: SME-E-ENDPOINT-SERVERLESS/,
      );
      expect(await failure(deploy({ serverless_memory_mb: 2048, instance_type: 'ml.m5.large' }))).toMatch(
        /: SME-E-UDF-ARGUMENT/,
      );
      expect(await awsEndpoints()).toEqual([]);
      expect(await rowOf(IDLE)).toBeUndefined();

      const deployed = await deploy({ serverless_memory_mb: 2048, serverless_max_concurrency: 3, idle_ttl: '2h' });
      expect(deployed.rows[0]?.[0]).toBe(IDLE);
      const row = await rowOf(IDLE);
      expect([row?.SERVERLESS_MEMORY_MB, row?.SERVERLESS_MAX_CONCURRENCY, row?.IDLE_TTL_SECONDS].map(Number)).toEqual([
        2048, 3, 7200,
      ]);
      expect([row?.INSTANCE_TYPE, row?.INSTANCE_COUNT]).toEqual([null, null]);
      expect(row?.IDLE_DEADLINE).not.toBeNull();

      // Not due yet: nothing is reaped.
      const none = await run(`EXECUTE SCRIPT "SME"."SME_REAP_IDLE_ENDPOINTS"('{}')`);
      expect(none.columns.map((c) => c.name)).toEqual([
        'ENDPOINT_NAME',
        'JOB_NAME',
        'IDLE_DEADLINE',
        'RESULT',
        'PROBLEM',
      ]);
      expect(none.rows).toEqual([]);
      expect(await awsEndpoints()).toEqual([IDLE]);

      // Two hours pass: the deadline is moved into the past instead.
      await env.sql.execute(
        `UPDATE "SME"."SME_METADATA_AUTOPILOT_ENDPOINTS" SET "IDLE_DEADLINE" = TIMESTAMP '2000-01-01 00:00:00.000' WHERE "ENDPOINT_NAME" = '${IDLE}'`,
      );
      const elsewhere = await run(`EXECUTE SCRIPT "SME"."SME_REAP_IDLE_ENDPOINTS"('{"aws_region": "ap-south-1"}')`);
      expect(elsewhere.rows).toEqual([]);
      const reaped = await run(`EXECUTE SCRIPT "SME"."SME_REAP_IDLE_ENDPOINTS"(NULL)`);
      expect(reaped.rows.map((r) => [r[0], r[1], r[3], r[4]])).toEqual([[IDLE, JOB, 'Reaped', null]]);
      expect(await awsEndpoints()).toEqual([]);
      const udf = await run(
        `SELECT "SCRIPT_NAME" FROM "SYS"."EXA_ALL_SCRIPTS" WHERE "SCRIPT_SCHEMA" = 'ML' AND "SCRIPT_NAME" = '${IDLE}'`,
      );
      expect(udf.rows).toEqual([]);
      const after = await rowOf(IDLE);
      expect(after?.STATUS).toBe('Reaped');
      expect(after?.DELETED_AT).not.toBeNull();
      // Reaped once: the next run finds nothing.
      expect((await run(`EXECUTE SCRIPT "SME"."SME_REAP_IDLE_ENDPOINTS"('{}')`)).rows).toEqual([]);
    }, 240_000);

    it('follows the status to InService, predicts, deletes and drops the job', async () => {
      const deployed = await run(
        `EXECUTE SCRIPT "SME"."SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT"('${JOB}', '${EP}', 'ML', 'ml.m5.large', 1, 'AWS', ${region()})`,
      );
      // The SQL call returns before the endpoint is InService.
      expect(deployed.rows[0]?.[0]).toBe(EP);
      expect(deployed.rows[0]?.[1]).toBe('Creating');
      expect(await endpointRow()).toMatchObject({ JOB_NAME: JOB, STATUS: 'Creating', INSTANCE_TYPE: 'ml.m5.large' });

      const seen: unknown[] = [];
      for (let i = 0; i < 300 && seen.at(-1) !== 'InService'; i++) {
        const s = await run(
          `EXECUTE SCRIPT "SME"."SME_SAGEMAKER_AUTOPILOT_ENDPOINT_STATUS"('${EP}', 'AWS', ${region()})`,
        );
        expect(s.columns.map((c) => c.name)).toEqual(['ENDPOINT_STATUS', 'FAILURE_REASON']);
        if (seen.at(-1) !== s.rows[0]?.[0]) seen.push(s.rows[0]?.[0]);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen).toEqual(['Creating', 'InService']);
      expect((await endpointRow())?.STATUS).toBe('InService');

      const result = await run(`SELECT "ML"."${EP}"("X1", "X2", "NOTE") FROM "ML"."PRED"`);
      expect(result.columns.map((c) => c.name)).toEqual(['X1', 'X2', 'NOTE', 'PREDICTIONS', 'PROBABILITY']);
      expect(result.rows).toHaveLength(data.length);
      const csv = result.rows.map((r) => encodeCsvRow([r[0] ?? null, r[1] ?? null, r[2] ?? null], TYPES)).join('\n');
      const expected = env.aws.predictWithJobModel(JOB, csv + '\n');
      result.rows.forEach((r, i) => {
        expect(r[3]).toBe(expected?.[i]?.label);
      });

      const deleted = await run(`EXECUTE SCRIPT "SME"."SME_DELETE_SAGEMAKER_AUTOPILOT_ENDPOINT"('${EP}', NULL, NULL)`);
      expect(deleted.rows).toEqual([[EP, true, true, true, true, true]]);
      expect(await awsEndpoints()).toEqual([]);
      const udf = await run(
        `SELECT "SCRIPT_NAME" FROM "SYS"."EXA_ALL_SCRIPTS" WHERE "SCRIPT_SCHEMA" = 'ML' AND "SCRIPT_NAME" = '${EP}'`,
      );
      expect(udf.rows).toEqual([]);
      const row = await endpointRow();
      expect(row?.STATUS).toBe('Deleted');
      expect(row?.DELETED_AT).not.toBeNull();

      const prefix = `s3://${BUCKET}/sme/${JOB}/`;
      const before = (await env.adapters.objects().list(prefix)).length;
      expect(before).toBeGreaterThan(0);
      const dropped = await run(
        `EXECUTE SCRIPT "SME"."SME_DROP_SAGEMAKER_AUTOPILOT_JOB"(${quoteLiteral(JOB)}, 'AWS', ${region()})`,
      );
      expect(dropped.columns.map((c) => c.name)).toEqual([
        'JOB_NAME',
        'JOB_STOPPED',
        'ENDPOINTS_DELETED',
        'OBJECTS_DELETED',
      ]);
      expect(dropped.rows).toEqual([[JOB, false, 0, before]]);
      expect(await env.adapters.objects().list(prefix)).toEqual([]);
      const job = await run(`SELECT "DROPPED_AT" FROM "SME"."SME_METADATA_AUTOPILOT_JOBS" WHERE "JOB_NAME" = '${JOB}'`);
      expect(job.rows[0]?.[0]).not.toBeNull();
      // AWS still says Completed, but the model artifacts are gone: the shared core use case refuses.
      const again = run(
        `EXECUTE SCRIPT "SME"."SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT"('${JOB}', '${EP}', 'ML', 'ml.m5.large', 1, 'AWS', ${region()})`,
      );
      expect(await failure(again)).toMatch(/: SME-E-ENDPOINT-JOB-DROPPED/);
      expect(await awsEndpoints()).toEqual([]);
    }, 240_000);
  });
}
