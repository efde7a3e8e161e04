import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier } from '@sme/test-tiers';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { AwsInspector, PROVIDERS, type Environment } from '../environment/index.js';
import { connect, createBucketConnection, createTrainingTable, metadataRows } from './exasol-fixtures.js';
import { jsonOf, runSme, smeInstall } from './sme-binary.js';

const provider = PROVIDERS.moto;

const SCHEMA = 'SME_MOTO';

// moto implements CreateAutoMLJobV2 (with ProblemType and CompletionCriteria), DescribeAutoMLJobV2, StopAutoMLJob, S3 and STS, and
// never completes a job: this tier covers train, status and stop.
describeTier('moto', 'sme binary against moto (SageMaker, S3, STS) + sandbox Exasol', () => {
  let env: Environment;
  let bin: string;
  let sql: ExasolSqlPort;
  const sme = (args: string[]) => runSme(bin, env, args);

  beforeAll(async () => {
    bin = smeInstall().bin;
    env = await provider.start();
    sql = await connect(env);
    expect((await sme(['deploy', '--schema', SCHEMA])).code).toBe(0);
    await createTrainingTable(sql, 'MOTO_DATA', 'CUSTOMERS', 600);
    await createBucketConnection(sql, env, 'S3_MOTO');
  }, 180_000);

  afterAll(async () => {
    await sql.close();
    await env.stop();
  });

  it('trains (a bare role name becomes an ARN through STS), shows the status, stops the job', async () => {
    const started = await sme([
      'train',
      '--schema',
      SCHEMA,
      '--model-name',
      'moto',
      '--table',
      'MOTO_DATA.CUSTOMERS',
      '--target',
      'CHURNED',
      '--connection',
      'S3_MOTO',
      '--bucket',
      `s3://${env.aws.bucket}`,
      '--output-path',
      'moto',
      '--role',
      'SmeMotoRole',
      '--problem-type',
      'BinaryClassification',
      // CUSTOMER_ID is a unique key: allowed here, the pre-flight refusal is tested elsewhere.
      '--allow-suspect-features',
      // moto reads TabularJobConfig.CompletionCriteria unconditionally (HTTP 500 without it).
      '--max-candidates',
      '2',
      '--json',
    ]);
    expect(started.code, started.stdout + started.stderr).toBe(0);
    const { jobName, roleArn } = jsonOf<{ jobName: string; roleArn: string }>(started);
    expect(roleArn).toBe(`arn:aws:iam::${env.aws.accountId}:role/SmeMotoRole`);
    expect(await new AwsInspector(env).autoMLJobNames()).toContain(jobName);
    const keys = await new AwsInspector(env).objectKeys(`moto/${jobName}/`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(new RegExp(`^moto/${jobName}/attempt-\\d+-\\d+/input/`));
    const [row] = await metadataRows(sql, SCHEMA, jobName);
    expect(row).toMatchObject({ IAM_SAGEMAKER_ROLE: roleArn, PROBLEM_TYPE: 'BinaryClassification' });

    const status = await sme(['status', jobName, '--schema', SCHEMA, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(jsonOf<{ status: string }>(status).status).toBe('InProgress');

    const stopped = await sme(['stop', jobName, '--schema', SCHEMA, '--yes']);
    expect(stopped.code, stopped.stderr).toBe(0);
    const after = await sme(['status', jobName, '--schema', SCHEMA, '--watch', '--poll-interval', '0.3', '--json']);
    expect(jsonOf<{ status: string }>(after).status).toBe('Stopped');
    expect(after.code).toBe(4);
    expect((await metadataRows(sql, SCHEMA, jobName))[0]).toMatchObject({ JOB_STATUS: 'Stopped' });
  });
});
