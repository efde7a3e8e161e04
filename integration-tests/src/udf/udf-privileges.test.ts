/**
 * Training as a second user who holds exactly the privileges docs/sql-reference.md lists ("Privileges"), under
 * the sandbox's exasol Lua profile and its privilege checks: without ACCESS on the CONNECTION the UDF's coded
 * error names the GRANT and nothing is created; with it, train → poll → describe work.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { quoteLiteral } from '@sme/core';
import { ExasolDeployer, connectExasol } from '@sme/exasol-adapter';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { startExasolSandbox } from '@sme/sandbox';
import { deploymentStatements } from '@sme/udf';
import { learnableRows, sageMaker, startAwsSandbox } from './support.js';
import type { AwsSandboxHandle } from './support.js';

const BUCKET = 'sme-sandbox';
const ROLE = 'arn:aws:iam::123456789012:role/SmeSandboxRole';

let aws: AwsSandboxHandle;

beforeAll(async () => {
  aws = await startAwsSandbox({ clockSpeed: 50 });
});

afterAll(async () => {
  await aws.stop();
});

for (const lua of ['native', 'wasm'] as const)
  describeTier(luaTier(lua), `training as a user with the documented privileges (Lua runtime ${lua})`, () => {
    let exa: Awaited<ReturnType<typeof startExasolSandbox>>;
    let admin: ExasolSqlPort;
    let analyst: ExasolSqlPort;

    function params(): string {
      return JSON.stringify({
        model_name: 'granted',
        aws_credentials_connection_name: 'S3_CONN',
        aws_region: aws.region,
        iam_sagemaker_role: ROLE,
        s3_bucket_uri: `s3://${BUCKET}`,
        s3_output_path: `privileges/${lua}`,
        input_schema_name: 'DATA',
        input_table_or_view_name: 'CHURN',
        target_attribute_name: 'LABEL',
        problem_type: 'BinaryClassification',
        objective: 'F1',
        max_runtime_for_automl_job_in_seconds: 3600,
        max_candidates: 1,
        max_runtime_per_training_job_in_seconds: 600,
      });
    }

    async function state(): Promise<{ jobs: number; objects: number; rows: number }> {
      const listed = await sageMaker(aws.sagemakerEndpoint, aws.region, aws.credentials, 'ListAutoMLJobs', {
        MaxResults: 100,
      });
      const jobs = (listed.AutoMLJobSummaries as { AutoMLJobName: string }[]).filter((j) =>
        j.AutoMLJobName.startsWith('granted-'),
      ).length;
      const objects = (await aws.objects.list(BUCKET, `privileges/${lua}/`)).length;
      const rows = Number((await admin.query('SELECT COUNT(*) FROM SME.SME_METADATA_AUTOPILOT_JOBS')).rows[0]?.[0]);
      return { jobs, objects, rows };
    }

    beforeAll(async () => {
      exa = await startExasolSandbox({ lua, s3Endpoint: aws.s3Endpoint, s3Region: aws.region });
      const dsn = `${exa.host}/${exa.fingerprint ?? 'nocertcheck'}:${exa.port}`;
      admin = await connectExasol({ dsn, user: exa.user, password: exa.password });
      await new ExasolDeployer(admin).deploy(
        deploymentStatements({ schema: 'SME', awsEndpointUrl: aws.sagemakerEndpoint }),
      );
      await admin.execute(
        `CREATE CONNECTION S3_CONN TO 'https://${BUCKET}.s3.${aws.region}.amazonaws.com' USER ${quoteLiteral(aws.credentials.accessKeyId)} IDENTIFIED BY ${quoteLiteral(aws.credentials.secretAccessKey)}`,
      );
      await admin.execute('CREATE SCHEMA DATA');
      await admin.execute('CREATE TABLE DATA.CHURN (X1 DECIMAL(9,0), X2 DECIMAL(9,0), LABEL DECIMAL(1,0))');
      await admin.execute(`INSERT INTO DATA.CHURN VALUES ${learnableRows(600)}`);
      // Exactly the training rows of docs/sql-reference.md "Privileges", except ACCESS (granted by the second test).
      for (const grant of [
        'CREATE USER ANALYST IDENTIFIED BY "analyst-pw"',
        'GRANT CREATE SESSION TO ANALYST',
        'GRANT EXECUTE ON SCHEMA SME TO ANALYST',
        'GRANT SELECT ON TABLE DATA.CHURN TO ANALYST',
        'GRANT EXPORT TO ANALYST',
        'GRANT CONNECTION S3_CONN TO ANALYST',
        'GRANT SELECT, INSERT, UPDATE ON TABLE SME.SME_METADATA_AUTOPILOT_JOBS TO ANALYST',
      ]) {
        await admin.execute(grant);
      }
      analyst = await connectExasol({ dsn, user: 'ANALYST', password: 'analyst-pw' });
    });

    afterAll(async () => {
      await analyst.close();
      await admin.close();
      await exa.stop();
    });

    it('without ACCESS on the CONNECTION fails with SME-E-CONNECTION-ACCESS naming the GRANT, and creates nothing', async () => {
      const before = await state();
      const failure = await analyst
        .query(`EXECUTE SCRIPT SME.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(${quoteLiteral(params())})`)
        .then(
          () => undefined,
          (e: unknown) => (e instanceof Error ? e.message : String(e)),
        );
      expect(failure).toContain('SME-E-CONNECTION-ACCESS');
      expect(failure).toMatch(
        /GRANT ACCESS ON CONNECTION "?S3_CONN"? FOR SCRIPT "?SME"?\."?SME_[A-Z_]+"? TO "?ANALYST"?/,
      );
      expect(failure).not.toContain(aws.credentials.secretAccessKey);
      expect(await state()).toEqual(before);
    });

    it('with ACCESS for the two UDFs trains, polls to Completed and describes the job', async () => {
      await admin.execute('GRANT ACCESS ON CONNECTION S3_CONN FOR SCRIPT SME.SME_CONNECTION_ADDRESS TO ANALYST');
      await admin.execute('GRANT ACCESS ON CONNECTION S3_CONN FOR SCRIPT SME.SME_AWS_SAGEMAKER_CALL TO ANALYST');
      const before = await state();
      const started = await analyst.query(
        `EXECUTE SCRIPT SME.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(${quoteLiteral(params())})`,
      );
      const jobName = String(started.rows[0]?.[0]);
      expect(jobName).toMatch(/^granted-\d{12}$/);
      let status = '';
      const deadline = Date.now() + 60_000;
      while (status !== 'Completed' && Date.now() < deadline) {
        const polled = await analyst.query(
          `EXECUTE SCRIPT SME.SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS(${quoteLiteral(jobName)}, 'S3_CONN', ${quoteLiteral(aws.region)})`,
        );
        status = String(polled.rows[0]?.[0]);
        if (status === 'Failed' || status === 'Stopped') break;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(status).toBe('Completed');
      const described = await analyst.query(
        `EXECUTE SCRIPT SME.SME_DESCRIBE_SAGEMAKER_AUTOPILOT_JOB(${quoteLiteral(jobName)}, 'S3_CONN', ${quoteLiteral(aws.region)})`,
      );
      expect(described.rows.length).toBeGreaterThan(0);
      const after = await state();
      expect(after.jobs).toBe(before.jobs + 1);
      expect(after.rows).toBe(before.rows + 1);
      expect(after.objects).toBeGreaterThan(before.objects);
      const row = await admin.query(
        `SELECT SCRIPT_USER, JOB_STATUS FROM SME.SME_METADATA_AUTOPILOT_JOBS WHERE JOB_NAME = ${quoteLiteral(jobName)}`,
      );
      expect(row.rows).toEqual([['ANALYST', 'Completed']]);
    });
  });
