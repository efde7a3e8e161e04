/**
 * AWS part: errors for names that do not exist, account limits, the per-candidate runtime limit and faults
 * configured at start.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateAutoMLJobV2Command,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeAutoMLJobV2Command,
  ListAutoMLJobsCommand,
  ListCandidatesForAutoMLJobCommand,
  ListEndpointsCommand,
  SageMakerClient,
  StopAutoMLJobCommand,
} from '@aws-sdk/client-sagemaker';
import type { CreateAutoMLJobV2CommandInput } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticData, toCsv } from './automl/synthetic.js';
import { startAwsSandbox, type AwsSandbox } from './aws-sandbox.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const BUCKET = 'sme-limits';
let slow: AwsSandbox;
let fast: AwsSandbox;

beforeAll(async () => {
  [slow, fast] = await Promise.all([
    startAwsSandbox({
      buckets: [BUCKET],
      maxRunningJobs: 1,
      maxEndpoints: 1,
      faults: { ListEndpoints: { throttleRate: 1 }, ListAutoMLJobs: { latencyMs: 100 } },
    }),
    startAwsSandbox({ buckets: [BUCKET], clockSpeed: 1000 }),
  ]);
});
afterAll(async () => {
  await Promise.all([slow.stop(), fast.stop()]);
});

const client = (aws: AwsSandbox): SageMakerClient =>
  new SageMakerClient({
    region: aws.region,
    endpoint: aws.sagemakerEndpoint,
    credentials: aws.credentials,
    maxAttempts: 1,
  });

function job(name: string, completion: Record<string, number> = {}): CreateAutoMLJobV2CommandInput {
  return {
    AutoMLJobName: name,
    AutoMLJobInputDataConfig: [
      {
        ChannelType: 'training',
        ContentType: 'text/csv;header=present',
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/data/` } },
      },
    ],
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
    AutoMLProblemTypeConfig: {
      TabularJobConfig: { TargetAttributeName: 'label', CompletionCriteria: { MaxCandidates: 2, ...completion } },
    },
    RoleArn: 'arn:aws:iam::123456789012:role/sme-sandbox',
  };
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the request to fail');
}

describe('names that do not exist', () => {
  it('answer ResourceNotFound (400) for Describe, Stop and ListCandidates of an unknown job', async () => {
    const sm = client(fast);
    for (const call of [
      sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'no-such-job' })),
      sm.send(new StopAutoMLJobCommand({ AutoMLJobName: 'no-such-job' })),
      sm.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: 'no-such-job' })),
    ]) {
      const e = await errorOf(call);
      expect([e.name, e.status]).toEqual(['ResourceNotFound', 400]);
      expect(e.message).toBe('Could not find AutoML job with name no-such-job.');
    }
    sm.destroy();
  });
});

describe('account limits', () => {
  it('answer ResourceLimitExceeded past the running-job and endpoint quotas', async () => {
    const sm = client(slow);
    await sm.send(new CreateAutoMLJobV2Command(job('first')));
    const e = await errorOf(sm.send(new CreateAutoMLJobV2Command(job('second'))));
    expect([e.name, e.status]).toEqual(['ResourceLimitExceeded', 400]);
    expect(e.message).toMatch(/'Max number of concurrent AutoML jobs' is 1 Jobs, with current utilization of 1 Jobs/);
    await sm.send(new StopAutoMLJobCommand({ AutoMLJobName: 'first' }));

    await sm.send(
      new CreateModelCommand({
        ModelName: 'm',
        ExecutionRoleArn: 'arn:aws:iam::123456789012:role/r',
        PrimaryContainer: { Image: 'sandbox', ModelDataUrl: `s3://${BUCKET}/none/model.tar.gz` },
      }),
    );
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'c',
        ProductionVariants: [
          { VariantName: 'v', ModelName: 'm', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
        ],
      }),
    );
    await sm.send(new CreateEndpointCommand({ EndpointName: 'e1', EndpointConfigName: 'c' }));
    const e2 = await errorOf(sm.send(new CreateEndpointCommand({ EndpointName: 'e2', EndpointConfigName: 'c' })));
    expect([e2.name, e2.status]).toEqual(['ResourceLimitExceeded', 400]);
    expect(e2.message).toMatch(/'Number of endpoints' is 1 Endpoints/);
    sm.destroy();
  });
});

describe('MaxRuntimePerTrainingJobInSeconds', () => {
  it('fails every candidate that would train longer, and then the job', async () => {
    const s3 = new S3Client({
      region: fast.region,
      endpoint: fast.s3Endpoint,
      credentials: fast.credentials,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const { header, rows } = syntheticData('binary', 600, 3);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'data/part-1.csv', Body: toCsv(header, rows) }));
    s3.destroy();
    const sm = client(fast);
    // a candidate takes 2 job seconds (DEFAULT_PHASE_SECONDS.candidate)
    await sm.send(new CreateAutoMLJobV2Command(job('per-candidate', { MaxRuntimePerTrainingJobInSeconds: 1 })));
    let d = await sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'per-candidate' }));
    for (let i = 0; i < 300 && d.AutoMLJobStatus === 'InProgress'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      d = await sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'per-candidate' }));
    }
    expect(d.AutoMLJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/No candidate completed training/);
    const c = await sm.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: 'per-candidate' }));
    expect(c.Candidates?.length).toBe(2);
    for (const cand of c.Candidates ?? []) {
      expect(cand.CandidateStatus).toBe('Failed');
      expect(cand.FailureReason).toBe('MaxRuntimePerTrainingJobInSeconds was reached.');
    }
    sm.destroy();
  });
});

describe('faults set at start', () => {
  it('apply from the first request and can be changed at run time', async () => {
    const sm = client(slow);
    expect(slow.faults.get()).toEqual({ ListEndpoints: { throttleRate: 1 }, ListAutoMLJobs: { latencyMs: 100 } });
    const e = await errorOf(sm.send(new ListEndpointsCommand({})));
    expect([e.name, e.status]).toEqual(['ThrottlingException', 400]);
    const started = performance.now();
    await sm.send(new ListAutoMLJobsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(slow.faults.injected().ListEndpoints).toBe(1);
    slow.faults.clear();
    await expect(sm.send(new ListEndpointsCommand({}))).resolves.toBeDefined();
    sm.destroy();
  });

  it('are checked at start', async () => {
    await expect(startAwsSandbox({ faults: { '*': { serverErrorRate: 1.5 } } })).rejects.toThrow(
      /serverErrorRate must be a number in \[0, 1\], received 1.5/,
    );
  });
});
