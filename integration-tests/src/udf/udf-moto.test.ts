import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createAutoMLJobRequest,
  exportToS3Sql,
  jobS3Layout,
  parseTrainingParams,
  partFileNames,
  quoteLiteral,
} from '@sme/core';
import { describeTier } from '@sme/test-tiers';
import { ExasolDeployer, connectExasol } from '@sme/exasol-adapter';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { startExasolSandbox } from '@sme/sandbox';
import { deploymentStatements } from '@sme/udf';
import { awsCall, findMotoServer, learnableRows, sageMaker, startMoto } from './support.js';
import type { AwsCredentials, Moto } from './support.js';

const REGION = 'us-east-1';
const BUCKET = 'sme-moto';
const SCHEMA = 'SME';
const ROLE = 'arn:aws:iam::123456789012:role/SmeMotoRole';
/** Signs the setup calls made while moto does not check signatures yet (it still reads the service from them). */
const SETUP_KEY: AwsCredentials = { accessKeyId: 'AKIASETUP00000000000', secretAccessKey: 'setup' };

function xmlValue(xml: string, tag: string): string {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (m?.[1] === undefined) throw new Error(`no <${tag}> in ${xml}`);
  return m[1];
}

async function iam(url: string, action: string, fields: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...fields }).toString();
  const r = await awsCall(url, REGION, SETUP_KEY, {
    service: 'iam',
    body,
    contentType: 'application/x-www-form-urlencoded; charset=utf-8',
  });
  if (r.status !== 200) throw new Error(`${action}: HTTP ${r.status}: ${r.text}`);
  return r.text;
}

// moto judges the AWS calls; the in-database side runs under native lua5.4 with LuaSec and luaossl, as in Exasol
// (both tiers are required; the tests count for moto).
describeTier(['moto', 'native-lua'], 'in-database AWS calls against moto with authentication on', () => {
  let server: Moto;
  let key: AwsCredentials;
  let exa: Awaited<ReturnType<typeof startExasolSandbox>>;
  let sql: ExasolSqlPort;

  beforeAll(async () => {
    server = await startMoto(findMotoServer() ?? 'moto_server');
    // An IAM user with an access key, created while moto still accepts anything; then every call is checked.
    await iam(server.url, 'CreateUser', { UserName: 'sme' });
    await iam(server.url, 'PutUserPolicy', {
      UserName: 'sme',
      PolicyName: 'all',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      }),
    });
    const created = await iam(server.url, 'CreateAccessKey', { UserName: 'sme' });
    key = { accessKeyId: xmlValue(created, 'AccessKeyId'), secretAccessKey: xmlValue(created, 'SecretAccessKey') };
    const bucket = await awsCall(server.url, REGION, SETUP_KEY, {
      service: 's3',
      method: 'PUT',
      path: `/${BUCKET}`,
      body: '',
      contentType: 'application/xml',
    });
    if (bucket.status !== 200) throw new Error(`CreateBucket: HTTP ${bucket.status}: ${bucket.text}`);
    // https://github.com/getmoto/moto/blob/master/docs/docs/iam.rst: authentication starts after this many actions.
    const reset = await fetch(new URL('/moto-api/reset-auth', server.url), { method: 'POST', body: '0' });
    if (reset.status !== 200) throw new Error(`reset-auth: HTTP ${reset.status}`);

    exa = await startExasolSandbox({
      lua: 'native',
      s3Endpoint: server.url,
      s3Region: REGION,
    });
    sql = await connectExasol({
      dsn: `${exa.host}/${exa.fingerprint ?? 'nocertcheck'}:${exa.port}`,
      user: exa.user,
      password: exa.password,
    });
    await new ExasolDeployer(sql).deploy(deploymentStatements({ schema: SCHEMA, awsEndpointUrl: server.url }));
    const address = `'https://${BUCKET}.s3.${REGION}.amazonaws.com'`;
    await sql.execute(
      `CREATE CONNECTION MOTO_CONN TO ${address} USER ${quoteLiteral(key.accessKeyId)} IDENTIFIED BY ${quoteLiteral(key.secretAccessKey)}`,
    );
    await sql.execute(
      `CREATE CONNECTION WRONG_SECRET TO ${address} USER ${quoteLiteral(key.accessKeyId)} IDENTIFIED BY 'not-the-secret-0123456789'`,
    );
    await sql.execute('CREATE SCHEMA DATA');
    await sql.execute('CREATE TABLE DATA.CHURN (X1 DECIMAL(9,0), X2 DECIMAL(9,0), LABEL DECIMAL(1,0))');
    await sql.execute(`INSERT INTO DATA.CHURN VALUES ${learnableRows(600)}`);
  });

  afterAll(async () => {
    await sql.close();
    await exa.stop();
    await server.stop();
  });

  /** `model` differs per test: job names carry seconds, and two tests may start a job in the same second. */
  function trainingJson(connection: string, model = 'moto'): string {
    return JSON.stringify({
      model_name: model,
      aws_credentials_connection_name: connection,
      aws_region: REGION,
      iam_sagemaker_role: ROLE,
      s3_bucket_uri: `s3://${BUCKET}`,
      s3_output_path: 'sme',
      input_schema_name: 'DATA',
      input_table_or_view_name: 'CHURN',
      target_attribute_name: 'LABEL',
      problem_type: 'BinaryClassification',
      // moto 5.2.1 answers HTTP 500 without TabularJobConfig.CompletionCriteria (KeyError in
      // moto/sagemaker/models.py AutoMLJob.__init__); AWS does not require it.
      max_candidates: 1,
    });
  }

  async function motoJobs(): Promise<string[]> {
    const r = await sageMaker(server.url, REGION, key, 'ListAutoMLJobs', {});
    return (r.AutoMLJobSummaries as { AutoMLJobName: string }[]).map((j) => j.AutoMLJobName);
  }

  it('moto refuses a call signed with an unknown key, so authentication is really on', async () => {
    await expect(sageMaker(server.url, REGION, SETUP_KEY, 'ListAutoMLJobs', {})).rejects.toThrow(/HTTP 403/);
  });

  it('creates a job that moto accepts, and polls it', async () => {
    const r = await sql.query(
      `EXECUTE SCRIPT ${SCHEMA}.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(${quoteLiteral(trainingJson('MOTO_CONN'))})`,
    );
    const jobName = String(r.rows[0]?.[0]);
    expect(jobName).toMatch(/^moto-\d{12}$/);
    expect(await motoJobs()).toContain(jobName);
    const d = await sageMaker(server.url, REGION, key, 'DescribeAutoMLJobV2', { AutoMLJobName: jobName });
    expect(d.RoleArn).toBe(ROLE);
    const polled = await sql.query(
      `EXECUTE SCRIPT ${SCHEMA}.SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS(${quoteLiteral(jobName)}, 'MOTO_CONN', '${REGION}')`,
    );
    expect(polled.rows[0]?.[0]).toBe(d.AutoMLJobStatus);
    expect(polled.rows[0]?.[1]).toBe(d.AutoMLJobSecondaryStatus);
  });

  it('a wrong secret in the CONNECTION is refused by moto with SME-E-AWS-CREDENTIALS, and the secret is not shown', async () => {
    const [job] = await motoJobs();
    const error = await sql
      .query(
        `EXECUTE SCRIPT ${SCHEMA}.SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS(${quoteLiteral(job ?? 'x')}, 'WRONG_SECRET', '${REGION}')`,
      )
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toMatch(
      /SME-E-AWS-CREDENTIALS: SageMaker DescribeAutoMLJobV2: AWS rejected the credentials/,
    );
    expect(error?.message).not.toContain('not-the-secret-0123456789');
    expect(error?.message).not.toContain(key.secretAccessKey);
  });

  /** One call of the AWS-call UDF (what the training script does for CreateAutoMLJobV2): its JSON envelope. */
  async function udfCall(connection: string, operation: string, payload: unknown): Promise<Record<string, unknown>> {
    const r = await sql.query(
      `SELECT ${SCHEMA}.SME_AWS_SAGEMAKER_CALL(${quoteLiteral(connection)}, ${quoteLiteral(REGION)}, ${quoteLiteral(operation)}, ${quoteLiteral(JSON.stringify(payload))}) FROM DUAL`,
    );
    return JSON.parse(String(r.rows[0]?.[0])) as Record<string, unknown>;
  }

  it('training with the wrong secret gets past EXPORT, fails at the UDF’s signed CreateAutoMLJobV2 and starts no job', async () => {
    // The training's steps, with the one difference under test: EXPORT (checked by moto's S3) uses the right
    // secret, and the SageMaker call that the Lua UDF signs uses a CONNECTION with the same key and a wrong secret.
    const params = parseTrainingParams(JSON.parse(trainingJson('WRONG_SECRET')));
    const jobName = 'moto-wrong-secret';
    const layout = jobS3Layout({ bucket: BUCKET, prefix: '', outputPath: params.s3OutputPath, jobName });
    await sql.execute(
      exportToS3Sql({
        schema: 'DATA',
        table: 'CHURN',
        columns: ['X1', 'X2', 'LABEL'],
        connection: 'MOTO_CONN',
        fileKeys: partFileNames(1).map((f) => layout.inputKeyPrefix + f),
      }),
    );
    const request = createAutoMLJobRequest(params, {
      jobName,
      roleArn: ROLE,
      inputPrefixUri: layout.inputPrefixUri,
      outputPrefixUri: layout.outputPrefixUri,
    });
    const before = await motoJobs();

    const refused = await udfCall('WRONG_SECRET', 'CreateAutoMLJobV2', request);
    expect(refused).toMatchObject({ ok: false, code: 'SME-E-AWS-CREDENTIALS', kind: 'AccessDenied' });
    expect(JSON.stringify(refused)).not.toContain('not-the-secret-0123456789');
    expect(await motoJobs()).toEqual(before);

    // The same request signed with the right secret is accepted: the secret was the only thing wrong.
    expect(await udfCall('MOTO_CONN', 'CreateAutoMLJobV2', request)).toMatchObject({ ok: true, httpStatus: 200 });
    expect(await motoJobs()).toContain(jobName);
  });

  it('training with the wrong secret through the script stops at EXPORT (moto’s S3 refuses it) and starts no job', async () => {
    const before = await motoJobs();
    const error = await sql
      .query(
        `EXECUTE SCRIPT ${SCHEMA}.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(${quoteLiteral(trainingJson('WRONG_SECRET', 'motowrong'))})`,
      )
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    // The EXPORT's own error, passed on by the script as SME-E-SQL: the SageMaker call is never reached.
    expect(error?.message).toMatch(
      /SME-E-SQL: \[42636\] ETL-5105: .*writing data to external connection .*signature we calculated does not match/,
    );
    expect(error?.message).not.toContain('not-the-secret-0123456789');
    expect(await motoJobs()).toEqual(before);
  });
});
