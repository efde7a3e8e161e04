import { request } from 'node:https';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { quoteLiteral } from '@sme/core';
import { ExasolDeployer, connectExasol } from '@sme/exasol-adapter';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { startAwsSandbox, startExasolSandbox } from '@sme/sandbox';
import type { AwsSandbox, AwsTlsCertificateKind, ExasolSandbox } from '@sme/sandbox';
import { amzDate, deploymentStatements, nodeSha256Crypto, signRequest, utf8ToByteString } from '@sme/udf';
import { learnableRows } from './support.js';

/**
 * Issue 14, "TLS without files": the AWS-call UDF verifies the sandbox's HTTPS endpoints (`--aws-tls`) in memory,
 * in both Lua runtimes under the default `exasol` profile (no file access). Training works with the sandbox's CA
 * baked in at deploy time; without it, with a certificate for another host name, and with an expired one, the
 * script fails with its code and nothing is created (no AutoML job, no metadata row).
 */

const BUCKET = 'sme-sandbox';
const ROLE = 'arn:aws:iam::123456789012:role/SmeSandboxRole';

const awsByKind = new Map<AwsTlsCertificateKind, AwsSandbox>();

beforeAll(async () => {
  for (const kind of ['valid', 'other-host', 'expired'] as const) {
    awsByKind.set(kind, await startAwsSandbox({ clockSpeed: 50, tls: { certificate: kind } }));
  }
});

afterAll(async () => {
  for (const aws of awsByKind.values()) await aws.stop();
});

function sandbox(kind: AwsTlsCertificateKind): AwsSandbox {
  const aws = awsByKind.get(kind);
  if (aws === undefined) throw new Error(`no AWS sandbox for ${kind}`);
  return aws;
}

/**
 * The tests' own view of SageMaker (ListAutoMLJobs), over HTTPS trusting only the sandbox's CA. The bad certificates
 * are the point of those sandboxes, so this observer alone accepts them (its name and dates are not checked).
 */
async function jobNames(aws: AwsSandbox): Promise<string[]> {
  const url = new URL(aws.sagemakerEndpoint);
  const body = JSON.stringify({ MaxResults: 100 });
  const signed = signRequest(
    nodeSha256Crypto,
    {
      method: 'POST',
      path: '/',
      headers: [
        ['host', url.host],
        ['content-type', 'application/x-amz-json-1.1'],
        ['x-amz-target', 'SageMaker.ListAutoMLJobs'],
      ],
      body: utf8ToByteString(body),
    },
    aws.credentials,
    { region: aws.region, service: 'sagemaker', amzDate: amzDate(Date.now()) },
  );
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: Object.fromEntries(signed.headers),
        ca: aws.caPem,
        rejectUnauthorized: false,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (data += d));
        res.on('end', () => {
          resolve(data);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  const parsed = JSON.parse(text) as { AutoMLJobSummaries?: { AutoMLJobName: string }[] };
  if (parsed.AutoMLJobSummaries === undefined) throw new Error(`ListAutoMLJobs: ${text}`);
  return parsed.AutoMLJobSummaries.map((j) => j.AutoMLJobName);
}

function params(aws: AwsSandbox, modelName: string): string {
  return JSON.stringify({
    model_name: modelName,
    aws_credentials_connection_name: 'S3_CONN',
    aws_region: aws.region,
    iam_sagemaker_role: ROLE,
    s3_bucket_uri: `s3://${BUCKET}`,
    s3_output_path: 'sme/tls',
    input_schema_name: 'DATA',
    input_table_or_view_name: 'CHURN',
    target_attribute_name: 'LABEL',
    problem_type: 'BinaryClassification',
    max_candidates: 1,
  });
}

for (const lua of ['native', 'wasm'] as const) {
  describeTier(luaTier(lua), `in-database HTTPS verified in memory (Lua runtime ${lua}, exasol profile)`, () => {
    /** One Exasol sandbox per AWS sandbox (EXPORT writes to that one's S3). */
    const connections = new Map<AwsTlsCertificateKind, { exa: ExasolSandbox; sql: ExasolSqlPort }>();

    beforeAll(async () => {
      for (const kind of ['valid', 'other-host', 'expired'] as const) {
        const aws = sandbox(kind);
        const caPem = aws.caPem ?? '';
        const exa = await startExasolSandbox({ lua, s3Endpoint: aws.s3Endpoint, s3Region: aws.region, s3CaPem: caPem });
        const sql = await connectExasol({
          dsn: `${exa.host}/${exa.fingerprint ?? 'nocertcheck'}:${exa.port}`,
          user: exa.user,
          password: exa.password,
        });
        connections.set(kind, { exa, sql });
        const deployer = new ExasolDeployer(sql);
        // SME trusts the sandbox's CA (sme deploy --aws-ca-file); SME_NOCA only AWS's own roots.
        await deployer.deploy(
          deploymentStatements({
            schema: 'SME',
            awsEndpointUrl: aws.sagemakerEndpoint,
            s3EndpointUrl: aws.s3Endpoint,
            extraCaPem: caPem,
          }),
        );
        await deployer.deploy(deploymentStatements({ schema: 'SME_NOCA', awsEndpointUrl: aws.sagemakerEndpoint }));
        await sql.execute(
          `CREATE CONNECTION S3_CONN TO 'https://${BUCKET}.s3.${aws.region}.amazonaws.com' USER ${quoteLiteral(aws.credentials.accessKeyId)} IDENTIFIED BY ${quoteLiteral(aws.credentials.secretAccessKey)}`,
        );
        await sql.execute('CREATE SCHEMA DATA');
        await sql.execute('CREATE TABLE DATA.CHURN (X1 DECIMAL(9,0), X2 DECIMAL(9,0), LABEL DECIMAL(1,0))');
        await sql.execute(`INSERT INTO DATA.CHURN VALUES ${learnableRows(600)}`);
      }
    });

    afterAll(async () => {
      for (const { exa, sql } of connections.values()) {
        await sql.close();
        await exa.stop();
      }
    });

    function session(kind: AwsTlsCertificateKind): ExasolSqlPort {
      const c = connections.get(kind);
      if (c === undefined) throw new Error(`no Exasol sandbox for ${kind}`);
      return c.sql;
    }

    /** Rows of the jobs table whose job was started for `modelName` (job name = model name + `-` + UTC time). */
    async function metadataRows(sql: ExasolSqlPort, schema: string, modelName: string): Promise<number> {
      const r = await sql.query(
        `SELECT COUNT(*) FROM ${schema}.SME_METADATA_AUTOPILOT_JOBS WHERE JOB_NAME LIKE ${quoteLiteral(modelName + '-%')}`,
      );
      return Number(r.rows[0]?.[0]);
    }

    let trainedJob = '';

    it('trains through EXECUTE SCRIPT over https with the sandbox CA baked in', async () => {
      const aws = sandbox('valid');
      const sql = session('valid');
      expect(aws.sagemakerEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const model = `tls-ok-${lua.charAt(0)}`;
      const r = await sql.query(
        `EXECUTE SCRIPT SME.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(${quoteLiteral(params(aws, model))})`,
      );
      const row = Object.fromEntries(r.columns.map((c, i) => [c.name, r.rows[0]?.[i]]));
      expect(row.JOB_STATUS).toBe('InProgress');
      expect(await jobNames(aws)).toContain(String(row.JOB_NAME));
      expect(await metadataRows(sql, 'SME', model)).toBe(1);
      trainedJob = String(row.JOB_NAME);
    });

    it('polls, deploys an endpoint, predicts through the prediction UDF and drops the job (S3) over https', async () => {
      const aws = sandbox('valid');
      const sql = session('valid');
      const region = quoteLiteral(aws.region);
      const job = quoteLiteral(trainedJob);
      let status = '';
      for (let i = 0; i < 600 && status !== 'Completed' && status !== 'Failed'; i++) {
        const r = await sql.query(
          `EXECUTE SCRIPT SME.SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS(${job}, 'S3_CONN', ${region})`,
        );
        status = String(r.rows[0]?.[0]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe('Completed');
      const ep = `tls-${lua}`;
      await sql.query(
        `EXECUTE SCRIPT SME.SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT(${job}, ${quoteLiteral(ep)}, 'DATA', 'ml.m5.large', 1, 'S3_CONN', ${region})`,
      );
      let epStatus = '';
      for (let i = 0; i < 600 && epStatus !== 'InService' && epStatus !== 'Failed'; i++) {
        const r = await sql.query(
          `EXECUTE SCRIPT SME.SME_SAGEMAKER_AUTOPILOT_ENDPOINT_STATUS(${quoteLiteral(ep)}, 'S3_CONN', ${region})`,
        );
        epStatus = String(r.rows[0]?.[0]);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(epStatus).toBe('InService');
      const predicted = await sql.query(`SELECT DATA."${ep}"(X1, X2) FROM DATA.CHURN WHERE X1 < 5`);
      expect(predicted.rows.length).toBeGreaterThan(0);
      for (const r of predicted.rows) expect(['0', '1', 0, 1]).toContain(r[2]);
      await sql.query(`EXECUTE SCRIPT SME.SME_DELETE_SAGEMAKER_AUTOPILOT_ENDPOINT(${quoteLiteral(ep)}, NULL, NULL)`);
      expect((await aws.objects.list(BUCKET, `sme/tls/${trainedJob}/`)).length).toBeGreaterThan(0);
      await sql.query(`EXECUTE SCRIPT SME.SME_DROP_SAGEMAKER_AUTOPILOT_JOB(${job}, 'S3_CONN', ${region})`);
      expect(await aws.objects.list(BUCKET, `sme/tls/${trainedJob}/`)).toEqual([]);
    });

    const refusals: [string, AwsTlsCertificateKind, string, RegExp][] = [
      [
        'without the sandbox CA',
        'valid',
        'SME_NOCA',
        /SME-E-AWS-TLS-UNTRUSTED: .*host 127\.0\.0\.1: unable to get local issuer certificate/,
      ],
      [
        'with a certificate for another host name',
        'other-host',
        'SME',
        /SME-E-AWS-TLS-NAME-MISMATCH: .*host 127\.0\.0\.1: the certificate is for DNS:other-host\.invalid, not the address 127\.0\.0\.1/,
      ],
      [
        'with an expired certificate',
        'expired',
        'SME',
        /SME-E-AWS-TLS-EXPIRED: .*host 127\.0\.0\.1: certificate has expired/,
      ],
    ];

    it.each(refusals)('refuses %s with its code and creates nothing', async (_what, kind, schema, expected) => {
      const aws = sandbox(kind);
      const sql = session(kind);
      const model = `tls-${kind.slice(0, 5)}-${schema === 'SME' ? 'ca' : 'noca'}-${lua.charAt(0)}`;
      const jobsBefore = await jobNames(aws);
      const error = await sql
        .query(`EXECUTE SCRIPT ${schema}.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(${quoteLiteral(params(aws, model))})`)
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(error).toBeInstanceOf(Error);
      expect(String(error?.message)).toMatch(expected);
      expect(await jobNames(aws)).toEqual(jobsBefore);
      expect(await metadataRows(sql, schema, model)).toBe(0);
    });
  });
}
