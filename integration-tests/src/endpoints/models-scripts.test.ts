/**
 * Stable model names through EXECUTE SCRIPT: SME_PROMOTE_SAGEMAKER_AUTOPILOT_MODEL points `churn` at a job, and
 * `ML.PREDICT_CHURN(…)` keeps its name and signature when a retrained job is promoted (and the old endpoint is
 * gone); a job whose columns differ is refused with a code and changes nothing. Both Lua runtimes of the sandbox.
 */
import { encodeCsvRow, insertEndpointSql, insertJobSql, isSmeError, parseColumnType, quoteLiteral } from '@sme/core';
import { ExasolDeployer } from '@sme/exasol-adapter';
import { deploymentStatements } from '@sme/udf';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { startEnvironment } from './environment.js';
import { insertRows, rows, trainJob, type Environment } from './scenario.js';

const JOB1 = 'churnp-260101000000';
const JOB2 = 'churnp-260201000000';
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
  describeTier(luaTier(lua), `stable model names through EXECUTE SCRIPT (sandbox, ${lua} Lua)`, () => {
    let env: Environment;
    const data = rows(120, 5);
    const run = (sql: string) => env.sql.query(sql);
    const promote = (job: string, name: string) =>
      run(
        `EXECUTE SCRIPT "SME"."SME_PROMOTE_SAGEMAKER_AUTOPILOT_MODEL"(${quoteLiteral(job)}, ${quoteLiteral(name)}, NULL)`,
      );
    const deployKeyed = async (job: string, endpoint: string) => {
      const json = JSON.stringify({
        job_name: job,
        endpoint_name: endpoint,
        schema_name: 'ML',
        aws_credentials_connection_name: 'AWS',
        aws_region: env.aws.region,
        key_columns: ['ID DECIMAL(18,0)'],
      });
      await run(
        `EXECUTE SCRIPT "SME"."SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT"(${quoteLiteral(json)}, NULL, NULL, NULL, NULL, NULL, NULL)`,
      );
      for (let i = 0; i < 300; i++) {
        const s = await run(
          `EXECUTE SCRIPT "SME"."SME_SAGEMAKER_AUTOPILOT_ENDPOINT_STATUS"('${endpoint}', NULL, NULL)`,
        );
        if (s.rows[0]?.[0] === 'InService') return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`${endpoint} did not come InService`);
    };
    /** PREDICT_CHURN over the table, unquoted as users write it; checked against the given job's model. */
    const predictsWith = async (job: string) => {
      const result = await run('SELECT ML.PREDICT_CHURN(ID, X1, X2, NOTE) FROM ML.PRED_KEYS');
      expect(result.columns.map((c) => c.name)).toEqual(['ID', 'X1', 'X2', 'NOTE', 'PREDICTIONS', 'PROBABILITY']);
      const sorted = [...result.rows].sort((a, b) => Number(a[0]) - Number(b[0]));
      expect(sorted.map((r) => r[0])).toEqual(data.map((_, i) => i + 1));
      const csv = sorted.map((r) => encodeCsvRow([r[1] ?? null, r[2] ?? null, r[3] ?? null], TYPES)).join('\n');
      const expected = env.aws.predictWithJobModel(job, csv + '\n');
      expect(expected).toHaveLength(data.length);
      sorted.forEach((r, i) => {
        expect(r[4]).toBe(expected?.[i]?.label);
      });
    };
    const modelRows = async () =>
      (
        await run(
          'SELECT "MODEL_NAME", "JOB_NAME", "ENDPOINT_NAME", "PREDICTION_UDF", "PROMOTED_BY" FROM "SME"."SME_METADATA_AUTOPILOT_MODELS" ORDER BY "PROMOTED_AT"',
        )
      ).rows;

    beforeAll(async () => {
      env = await startEnvironment(lua);
      await new ExasolDeployer(env.sql).deploy(
        deploymentStatements({
          schema: 'SME',
          awsEndpointUrl: env.aws.sagemakerEndpoint,
          s3EndpointUrl: env.aws.s3Endpoint,
        }),
      );
      await trainJob(env, JOB1);
      await trainJob(env, JOB2);
      await env.sql.execute('CREATE OR REPLACE TABLE "ML"."PRED" ("X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)');
      await insertRows(env, '"PRED"', data, false);
      await env.sql.execute(
        'CREATE OR REPLACE TABLE "ML"."PRED_KEYS" AS SELECT ROW_NUMBER() OVER (ORDER BY "X1", "NOTE") AS "ID", "X1", "X2", "NOTE" FROM "ML"."PRED"',
      );
    }, 180_000);

    afterAll(async () => {
      await env.stop();
    });

    it('refuses a bad name and a job without an endpoint, creating nothing', async () => {
      expect(await failure(promote(JOB1, '1churn'))).toMatch(/: SME-E-PROMOTE-NAME/);
      expect(await failure(promote(JOB1, 'churn'))).toMatch(/: SME-E-PROMOTE-NO-ENDPOINT/);
      expect(await failure(promote('no-such-job', 'churn'))).toMatch(/: SME-E-JOB-NOT-FOUND/);
      expect(await modelRows()).toEqual([]);
      const udf = await run(`SELECT "SCRIPT_NAME" FROM "SYS"."EXA_ALL_SCRIPTS" WHERE "SCRIPT_NAME" = 'PREDICT_CHURN'`);
      expect(udf.rows).toEqual([]);
    });

    it('keeps PREDICT_CHURN across a retrain: promote, retrain, promote, delete the old endpoint', async () => {
      await deployKeyed(JOB1, 'churnp-ep1');
      const first = await promote(JOB1, 'churn');
      expect(first.rows).toEqual([['churn', JOB1, 'churnp-ep1', '"ML"."PREDICT_CHURN"', null]]);
      await predictsWith(JOB1);

      await deployKeyed(JOB2, 'churnp-ep2');
      const second = await promote(JOB2, 'CHURN');
      expect(second.rows).toEqual([['churn', JOB2, 'churnp-ep2', '"ML"."PREDICT_CHURN"', JOB1]]);
      await run(`EXECUTE SCRIPT "SME"."SME_DELETE_SAGEMAKER_AUTOPILOT_ENDPOINT"('churnp-ep1', NULL, NULL)`);
      // The old endpoint is gone: the name now predicts through the retrained job's endpoint.
      await predictsWith(JOB2);
      const user = (await run('SELECT CURRENT_USER')).rows[0]?.[0];
      expect(await modelRows()).toEqual([
        ['churn', JOB1, 'churnp-ep1', 'PREDICT_CHURN', user],
        ['churn', JOB2, 'churnp-ep2', 'PREDICT_CHURN', user],
      ]);
    }, 240_000);

    it('refuses a job whose columns differ (SME-E-PROMOTE-SIGNATURE) and keeps the UDF as it was', async () => {
      const job3 = 'churnp-260301000000';
      await env.sql.execute(
        insertJobSql('SME', {
          JOB_NAME: { kind: 'text', value: job3 },
          TARGET_ATTRIBUTE_NAME: { kind: 'text', value: 'LABEL' },
          PROBLEM_TYPE: { kind: 'text', value: 'BinaryClassification' },
          COLUMN_NAMES: { kind: 'text', value: '["X1","NOTE","LABEL"]' },
          COLUMN_TYPES: { kind: 'text', value: '["DOUBLE","VARCHAR(100) UTF8","VARCHAR(20) UTF8"]' },
        }),
      );
      await env.sql.execute(
        insertEndpointSql('SME', {
          ENDPOINT_NAME: { kind: 'text', value: 'churnp-ep3' },
          JOB_NAME: { kind: 'text', value: job3 },
          UDF_SCHEMA: { kind: 'text', value: 'ML' },
          PROBLEM_TYPE: { kind: 'text', value: 'BinaryClassification' },
          AWS_CREDENTIALS_CONNECTION_NAME: { kind: 'text', value: 'AWS' },
          AWS_REGION: { kind: 'text', value: env.aws.region },
          KEY_COLUMNS: { kind: 'text', value: '["ID"]' },
          KEY_TYPES: { kind: 'text', value: '["DECIMAL(18,0)"]' },
        }),
      );
      expect(await failure(promote(job3, 'churn'))).toMatch(/: SME-E-PROMOTE-SIGNATURE/);
      expect((await modelRows()).map((r) => r[1])).toEqual([JOB1, JOB2]);
      await predictsWith(JOB2);
      await run(`EXECUTE SCRIPT "SME"."SME_DELETE_SAGEMAKER_AUTOPILOT_ENDPOINT"('churnp-ep2', NULL, NULL)`);
    }, 120_000);
  });
}
