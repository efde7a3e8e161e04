/**
 * The whole in-database path through EXECUTE SCRIPT and SELECT, under the sandbox's exasol Lua profile, on a table
 * with DECIMAL, DOUBLE, VARCHAR and BOOLEAN features and NULLs in each: train → poll → describe → stop a second
 * job → deploy an endpoint → status → predict from SQL → delete → drop. The label depends on a DECIMAL and a
 * BOOLEAN column, so predictions are only right if those values reach the model the same way in training (EXPORT)
 * and in prediction (the UDF). Both Lua runtimes.
 */
import { encodeCsvRow, parseColumnType, quoteLiteral } from '@sme/core';
import { ExasolDeployer } from '@sme/exasol-adapter';
import { deploymentStatements } from '@sme/udf';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { BUCKET, startEnvironment } from './environment.js';
import { rng, type Environment } from './scenario.js';

const COLUMNS =
  '"AGE" DECIMAL(5,0), "BALANCE" DECIMAL(12,2), "SCORE" DOUBLE, "PLAN" VARCHAR(20) UTF8, "ACTIVE" BOOLEAN';
const FEATURES = '"AGE", "BALANCE", "SCORE", "PLAN", "ACTIVE"';
const PLANS = ['basic', 'pro: yearly', "family's", null];

interface Customer {
  readonly age: number | null;
  readonly balance: string | null;
  readonly score: number;
  readonly plan: string | null;
  readonly active: boolean | null;
}

/** Churned exactly when inactive or the balance is low (NULL balance counts as high, NULL active as active). */
function churned(c: Customer): string {
  return c.active === false || (c.balance !== null && Number(c.balance) < 300) ? 'yes' : 'no';
}

function customers(n: number, seed: number): Customer[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    age: i % 13 === 3 ? null : 18 + Math.floor(r() * 60),
    balance: i % 7 === 2 ? null : (r() * 1000).toFixed(2),
    score: Math.round((r() * 2 - 1) * 1e4) / 1e4,
    plan: PLANS[Math.floor(r() * PLANS.length)] ?? null,
    active: i % 5 === 1 ? null : r() > 0.3,
  }));
}

function values(c: Customer, label: boolean): string {
  const parts = [
    c.age === null ? 'NULL' : String(c.age),
    c.balance ?? 'NULL',
    String(c.score),
    c.plan === null ? 'NULL' : quoteLiteral(c.plan),
    c.active === null ? 'NULL' : c.active ? 'TRUE' : 'FALSE',
  ];
  if (label) parts.push(quoteLiteral(churned(c)));
  return `(${parts.join(', ')})`;
}

for (const lua of ['native', 'wasm'] as const)
  describeTier(luaTier(lua), `the in-database lifecycle under the exasol Lua profile (${lua} Lua)`, () => {
    let env: Environment;
    const training = customers(800, 11);
    const fresh = customers(300, 12);
    const region = (): string => quoteLiteral(env.aws.region);
    const run = (sql: string) => env.sql.query(sql);
    const params = (model: string): string =>
      quoteLiteral(
        JSON.stringify({
          model_name: model,
          aws_credentials_connection_name: 'AWS',
          aws_region: env.aws.region,
          iam_sagemaker_role: 'arn:aws:iam::123456789012:role/SageMaker',
          s3_bucket_uri: `s3://${BUCKET}`,
          s3_output_path: `lifecycle/${lua}`,
          input_schema_name: 'ML',
          input_table_or_view_name: 'CUSTOMERS',
          target_attribute_name: 'CHURNED',
          problem_type: 'BinaryClassification',
          objective: 'Accuracy',
          max_runtime_for_automl_job_in_seconds: 3600,
          max_candidates: 4,
          max_runtime_per_training_job_in_seconds: 600,
        }),
      );
    const poll = async (job: string): Promise<string> => {
      const r = await run(
        `EXECUTE SCRIPT "SME"."SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS"(${quoteLiteral(job)}, 'AWS', ${region()})`,
      );
      return String(r.rows[0]?.[0]);
    };

    beforeAll(async () => {
      env = await startEnvironment(lua);
      await new ExasolDeployer(env.sql).deploy(
        deploymentStatements({
          schema: 'SME',
          awsEndpointUrl: env.aws.sagemakerEndpoint,
          s3EndpointUrl: env.aws.s3Endpoint,
        }),
      );
      await env.sql.execute('CREATE SCHEMA IF NOT EXISTS "ML"');
      await env.sql.execute(`CREATE OR REPLACE TABLE "ML"."CUSTOMERS" (${COLUMNS}, "CHURNED" VARCHAR(5) UTF8)`);
      await env.sql.execute(`INSERT INTO "ML"."CUSTOMERS" VALUES ${training.map((c) => values(c, true)).join(', ')}`);
      await env.sql.execute(`CREATE OR REPLACE TABLE "ML"."NEW_CUSTOMERS" (${COLUMNS})`);
      await env.sql.execute(`INSERT INTO "ML"."NEW_CUSTOMERS" VALUES ${fresh.map((c) => values(c, false)).join(', ')}`);
    }, 180_000);

    afterAll(async () => {
      await env.stop();
    });

    it('trains, polls, describes, stops, deploys, predicts with DECIMAL/DOUBLE/VARCHAR/BOOLEAN features and NULLs, deletes and drops', async () => {
      // Train and follow the job to Completed.
      const started = await run(`EXECUTE SCRIPT "SME"."SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT"(${params('life')})`);
      const job = String(started.rows[0]?.[0]);
      expect(job).toMatch(/^life-\d{12}$/);
      let status = await poll(job);
      for (let i = 0; i < 600 && status === 'InProgress'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await poll(job);
      }
      expect(status).toBe('Completed');
      const described = await run(
        `EXECUTE SCRIPT "SME"."SME_DESCRIBE_SAGEMAKER_AUTOPILOT_JOB"(${quoteLiteral(job)}, 'AWS', ${region()})`,
      );
      expect(described.rows.length).toBeGreaterThan(0);

      // A second job, stopped while it runs.
      await new Promise((r) => setTimeout(r, 1000)); // job names carry seconds
      const second = String(
        (await run(`EXECUTE SCRIPT "SME"."SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT"(${params('life')})`)).rows[0]?.[0],
      );
      expect(second).not.toBe(job);
      await run(`EXECUTE SCRIPT "SME"."SME_STOP_SAGEMAKER_AUTOPILOT_JOB"(${quoteLiteral(second)}, 'AWS', ${region()})`);
      let secondStatus = await poll(second);
      for (let i = 0; i < 300 && !['Stopped', 'Completed'].includes(secondStatus); i++) {
        await new Promise((r) => setTimeout(r, 100));
        secondStatus = await poll(second);
      }
      expect(secondStatus).toBe('Stopped');

      // Deploy an endpoint from SQL and follow it to InService.
      const ep = `life-${lua}`;
      const deployed = await run(
        `EXECUTE SCRIPT "SME"."SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT"(${quoteLiteral(job)}, ${quoteLiteral(ep)}, 'ML', 'ml.m5.large', 1, 'AWS', ${region()})`,
      );
      expect(deployed.rows[0]?.[0]).toBe(ep);
      let epStatus = '';
      for (let i = 0; i < 600 && epStatus !== 'InService' && epStatus !== 'Failed'; i++) {
        const s = await run(
          `EXECUTE SCRIPT "SME"."SME_SAGEMAKER_AUTOPILOT_ENDPOINT_STATUS"(${quoteLiteral(ep)}, 'AWS', ${region()})`,
        );
        epStatus = String(s.rows[0]?.[0]);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(epStatus).toBe('InService');

      // Predict from SQL: one row out per row in, NULLs included; the same labels the model gives for the same rows.
      const predicted = await run(`SELECT "ML"."${ep}"(${FEATURES}) FROM "ML"."NEW_CUSTOMERS"`);
      expect(predicted.columns.map((c) => c.name)).toEqual([
        'AGE',
        'BALANCE',
        'SCORE',
        'PLAN',
        'ACTIVE',
        'PREDICTIONS',
        'PROBABILITY',
      ]);
      expect(predicted.rows).toHaveLength(fresh.length);
      const types = ['DOUBLE', 'DOUBLE', 'DOUBLE', 'VARCHAR(20) UTF8', 'BOOLEAN'].map((t) => parseColumnType(t));
      const csv = predicted.rows
        .map((r) =>
          encodeCsvRow(
            r.slice(0, 5).map((v) => v ?? null),
            types,
          ),
        )
        .join('\n');
      const expected = env.aws.predictWithJobModel(job, csv + '\n');
      predicted.rows.forEach((r, i) => {
        expect(r[5]).toBe(expected?.[i]?.label);
      });
      // The label hangs on BALANCE (DECIMAL) and ACTIVE (BOOLEAN): right answers need both to arrive intact.
      const truth = predicted.rows.map((r) =>
        churned({
          age: null,
          balance: r[1] === null || r[1] === undefined ? null : String(r[1]),
          score: 0,
          plan: null,
          active: r[4] === null || r[4] === undefined ? null : r[4] === true,
        }),
      );
      const correct = predicted.rows.filter((r, i) => r[5] === truth[i]).length / fresh.length;
      const yes = truth.filter((t) => t === 'yes').length / fresh.length;
      expect(correct).toBeGreaterThan(Math.max(yes, 1 - yes) + 0.1);

      // Delete the endpoint, then drop both jobs with their S3 data.
      const deleted = await run(
        `EXECUTE SCRIPT "SME"."SME_DELETE_SAGEMAKER_AUTOPILOT_ENDPOINT"(${quoteLiteral(ep)}, NULL, NULL)`,
      );
      expect(deleted.rows[0]?.[0]).toBe(ep);
      expect((await env.adapters.endpoints().listEndpoints()).map((e) => e.EndpointName)).not.toContain(ep);
      for (const name of [job, second]) {
        await run(`EXECUTE SCRIPT "SME"."SME_DROP_SAGEMAKER_AUTOPILOT_JOB"(${quoteLiteral(name)}, 'AWS', ${region()})`);
        expect(await env.adapters.objects().list(`s3://${BUCKET}/lifecycle/${lua}/${name}/`)).toEqual([]);
      }
      const rows = await run(
        `SELECT COUNT(*) FROM "SME"."SME_METADATA_AUTOPILOT_JOBS" WHERE "JOB_NAME" IN (${quoteLiteral(job)}, ${quoteLiteral(second)}) AND "DROPPED_AT" IS NOT NULL`,
      );
      expect(Number(rows.rows[0]?.[0])).toBe(2);
    }, 300_000);
  });
