import { Readable } from 'node:stream';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTier } from '@sme/test-tiers';
import type { CreateAutoMLJobV2Request } from './core-api.js';
import { S3ObjectStore } from './s3-object-store.js';
import { createSageMakerAdapters } from './sagemaker-adapters.js';
import type { SageMakerAdapters } from './sagemaker-adapters.js';
import { AwsClients } from './sagemaker-clients.js';
import { resolveSageMakerOptions } from './sagemaker-config.js';
import { findMotoServer, startMotoServer } from './testing/moto-server.js';
import type { MotoServer } from './testing/moto-server.js';

const credentials = { accessKeyId: 'AKIDMOTO', secretAccessKey: 'moto-secret' };

function request(name: string): CreateAutoMLJobV2Request {
  return {
    AutoMLJobName: name,
    AutoMLJobInputDataConfig: [
      {
        ChannelType: 'training',
        ContentType: 'text/csv;header=present',
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://sme-test/exports/${name}/data/` } },
      },
    ],
    OutputDataConfig: { S3OutputPath: `s3://sme-test/exports/${name}/output/` },
    // moto (5.2) answers HTTP 500 to a job without a ProblemType.
    AutoMLProblemTypeConfig: {
      TabularJobConfig: {
        TargetAttributeName: 'y',
        ProblemType: 'Regression',
        CompletionCriteria: { MaxCandidates: 2 },
      },
    },
    RoleArn: 'arn:aws:iam::123456789012:role/SmeRole',
    AutoMLJobObjective: { MetricName: 'MSE' },
  };
}

describeTier('moto', 'against moto', () => {
  let server: MotoServer;
  let aws: SageMakerAdapters;

  beforeAll(async () => {
    server = await startMotoServer(findMotoServer() ?? 'moto_server');
    // Everything through AWS_ENDPOINT_URL, as a user pointing sme at an emulator would.
    aws = createSageMakerAdapters(
      resolveSageMakerOptions({ region: 'us-east-1', credentials, maxAttempts: 1 }, { AWS_ENDPOINT_URL: server.url }),
    );
  });
  afterAll(async () => {
    aws.close();
    await server.stop();
  });

  describe('AutoML V2', () => {
    it('creates, describes and stops a job, with times as epoch milliseconds', async () => {
      const automl = aws.automl({ connectionName: '', region: 'us-east-1' });
      const before = Date.now();
      const { AutoMLJobArn } = await automl.createJob(request('job-a'));
      expect(AutoMLJobArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:automl-job/job-a');

      const d = await automl.describeJob('job-a');
      expect(d).toMatchObject({
        AutoMLJobName: 'job-a',
        AutoMLJobArn,
        AutoMLJobStatus: 'InProgress',
        RoleArn: 'arn:aws:iam::123456789012:role/SmeRole',
        OutputDataConfig: { S3OutputPath: 's3://sme-test/exports/job-a/output/' },
        AutoMLJobObjective: { MetricName: 'MSE' },
      });
      expect(typeof d.CreationTime).toBe('number');
      expect(Math.abs(d.CreationTime - before)).toBeLessThan(60_000);
      expect(d.FailureReason).toBeUndefined();
      expect(d.BestCandidate?.CandidateName).toBeTypeOf('string');

      await automl.stopJob('job-a');
      expect((await automl.describeJob('job-a')).AutoMLJobStatus).toBe('Stopped');
    });

    it('translates a duplicate name to SME-E-AWS-ALREADY-EXISTS keeping the request id', async () => {
      const automl = aws.automl({ connectionName: '', region: 'us-east-1' });
      await automl.createJob(request('job-dup'));
      const e: unknown = await automl.createJob(request('job-dup')).catch((x: unknown) => x);
      expect(e).toMatchObject({
        code: 'SME-E-AWS-ALREADY-EXISTS',
        kind: 'AlreadyExists',
        details: { httpStatus: 400 },
      });
      expect((e as { details: { requestId?: string } }).details.requestId).toMatch(/\w{10,}/);
      expect((e as Error).message).toContain("CreateAutoMLJobV2 'job-dup'");
    });

    it('translates an unknown job to SME-E-AWS-NOT-FOUND', async () => {
      const automl = aws.automl({ connectionName: '', region: 'us-east-1' });
      await expect(automl.describeJob('no-such-job')).rejects.toMatchObject({ code: 'SME-E-AWS-NOT-FOUND' });
      await expect(automl.stopJob('no-such-job')).rejects.toMatchObject({ code: 'SME-E-AWS-NOT-FOUND' });
    });

    it('reports moto’s missing ListCandidatesForAutoMLJob (HTTP 500) as SME-E-AWS-SERVICE', async () => {
      const automl = aws.automl({ connectionName: '', region: 'us-east-1' });
      await expect(automl.listCandidates('job-a')).rejects.toMatchObject({
        code: 'SME-E-AWS-SERVICE',
        details: { httpStatus: 500 },
      });
    });

    it('keeps one port per region and sends calls to the target region', async () => {
      const eu = aws.automl({ connectionName: 'IGNORED', region: 'eu-west-1' });
      expect(aws.automl({ connectionName: 'OTHER', region: 'eu-west-1' })).toBe(eu);
      expect(await eu.createJob(request('job-eu'))).toEqual({
        AutoMLJobArn: 'arn:aws:sagemaker:eu-west-1:123456789012:automl-job/job-eu',
      });
    });
  });

  describe('endpoints and inference', () => {
    it('runs model → endpoint config → endpoint → invoke → delete', async () => {
      await aws.endpoints().createModel({
        ModelName: 'm1',
        ExecutionRoleArn: 'arn:aws:iam::123456789012:role/SmeRole',
        Containers: [{ Image: 'img', ModelDataUrl: 's3://sme-test/model.tar.gz', Environment: { A: 'b' } }],
      });
      await aws.endpoints().createEndpointConfig({
        EndpointConfigName: 'c1',
        ProductionVariants: [
          { VariantName: 'v', ModelName: 'm1', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
        ],
      });
      await aws.endpoints().createEndpoint({ EndpointName: 'e1', EndpointConfigName: 'c1' });
      const d = await aws.endpoints().describeEndpoint('e1');
      expect(d).toMatchObject({ EndpointName: 'e1', EndpointConfigName: 'c1' });
      expect(d.EndpointArn).toContain(':endpoint/e1');
      expect(typeof d.CreationTime).toBe('number');
      expect((await aws.endpoints().listEndpoints()).map((x) => x.EndpointName)).toContain('e1');

      expect(typeof (await aws.inference().invoke('e1', '1,2\n3,4\n'))).toBe('string');

      await aws.endpoints().deleteEndpoint('e1');
      await expect(aws.endpoints().describeEndpoint('e1')).rejects.toMatchObject({ code: 'SME-E-AWS-NOT-FOUND' });
      await aws.endpoints().deleteEndpointConfig('c1');
      await aws.endpoints().deleteModel('m1');
      await expect(aws.endpoints().deleteModel('m1')).rejects.toMatchObject({ code: 'SME-E-AWS-NOT-FOUND' });
    });
  });

  describe('S3 object store', () => {
    let store: S3ObjectStore;
    beforeAll(async () => {
      const s3 = new S3Client({ region: 'us-east-1', endpoint: server.url, forcePathStyle: true, credentials });
      await s3.send(new CreateBucketCommand({ Bucket: 'sme-test' }));
      s3.destroy();
      // Tiny batches so that paging and batching run with a handful of objects.
      store = new S3ObjectStore(new AwsClients(aws.options), 'us-east-1', { deleteBatchSize: 2, listPageSize: 3 });
    });

    it('uploads text and streams, lists, reads, and deletes a prefix in batches', async () => {
      for (let i = 0; i < 6; i++)
        await store.upload(`s3://sme-test/exports/job-1/data/part-${i}.csv`, `a,b\n${i},${i}\n`);
      await store.upload('s3://sme-test/exports/job-10/data/part-0.csv', Readable.from(['x,y\n', '1,2\n']), {
        contentType: 'text/csv',
      });

      const listed = await store.list('s3://sme-test/exports/job-1/');
      expect(listed).toEqual([0, 1, 2, 3, 4, 5].map((i) => `s3://sme-test/exports/job-1/data/part-${i}.csv`));
      expect(await store.readText('s3://sme-test/exports/job-1/data/part-3.csv')).toBe('a,b\n3,3\n');
      // The stream arrives without aws-chunked framing (requestChecksumCalculation WHEN_REQUIRED).
      expect(await store.readText('s3://sme-test/exports/job-10/data/part-0.csv')).toBe('x,y\n1,2\n');

      expect(await store.deletePrefix('s3://sme-test/exports/job-1/')).toBe(6);
      expect(await store.list('s3://sme-test/exports/job-1/')).toEqual([]);
      expect(await store.list('s3://sme-test/exports/')).toEqual(['s3://sme-test/exports/job-10/data/part-0.csv']);
      expect(await store.deletePrefix('s3://sme-test/exports/nothing/')).toBe(0);
    });

    it('refuses to delete a whole bucket and translates a missing bucket', async () => {
      await expect(store.deletePrefix('s3://sme-test')).rejects.toMatchObject({ code: 'SME-E-S3-PREFIX-EMPTY' });
      await expect(store.deletePrefix('s3://sme-test/')).rejects.toMatchObject({ code: 'SME-E-S3-PREFIX-EMPTY' });
      await expect(store.list('s3://no-such-bucket/x/')).rejects.toMatchObject({
        code: 'SME-E-AWS-NOT-FOUND',
        details: { httpStatus: 404 },
      });
    });
  });

  describe('identity', () => {
    it('turns a role name into an ARN with the account from STS, once', async () => {
      expect(await aws.identity().roleArn('SmeRole')).toBe('arn:aws:iam::123456789012:role/SmeRole');
      expect(await aws.identity().roleArn('service-role/SmeRole')).toBe(
        'arn:aws:iam::123456789012:role/service-role/SmeRole',
      );
      expect(await aws.identity().accountId()).toBe('123456789012');
    });
    it('passes ARNs through and refuses what is neither', async () => {
      const arn = 'arn:aws:iam::210987654321:role/Other';
      expect(await aws.identity().roleArn(arn)).toBe(arn);
      await expect(aws.identity().roleArn('not a role!')).rejects.toMatchObject({ code: 'SME-E-AWS-ROLE-INVALID' });
    });
  });

  it('fails every call after close() with SME-E-AWS-CLOSED', async () => {
    const other = createSageMakerAdapters(aws.options);
    other.close();
    await expect(other.endpoints().describeEndpoint('x')).rejects.toMatchObject({ code: 'SME-E-AWS-CLOSED' });
  });
});
