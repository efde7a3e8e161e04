/**
 * The faults that make a client retry what already happened: `lostReplyRate` (carried out, answered 500) and
 * `resetRate` (carried out, connection dropped without an answer), seen through the AWS SDK.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateAutoMLJobV2Command,
  DescribeAutoMLJobV2Command,
  ListEndpointsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { CreateAutoMLJobV2CommandInput } from '@aws-sdk/client-sagemaker';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { syntheticData, toCsv } from './automl/synthetic.js';
import { startAwsSandbox, type AwsSandbox } from './aws-sandbox.js';
import { FaultInjector, seededRandom } from './faults.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const BUCKET = 'sme-lost';
let aws: AwsSandbox;
let sm: SageMakerClient;
let s3: S3Client;

beforeAll(async () => {
  aws = await startAwsSandbox({ buckets: [BUCKET], clockSpeed: 1000 });
  // One attempt: the test sees what the service answered, not what the SDK made of it after retrying.
  const common = { region: aws.region, credentials: aws.credentials, maxAttempts: 1 };
  sm = new SageMakerClient({ ...common, endpoint: aws.sagemakerEndpoint });
  s3 = new S3Client({ ...common, endpoint: aws.s3Endpoint, forcePathStyle: true });
  const { header, rows } = syntheticData('binary', 200, 3);
  await aws.objects.put(BUCKET, 'data/part-001.csv', toCsv(header, rows));
});
afterAll(async () => {
  sm.destroy();
  s3.destroy();
  await aws.stop();
});
afterEach(() => {
  aws.faults.clear();
});

function job(name: string): CreateAutoMLJobV2CommandInput {
  return {
    AutoMLJobName: name,
    AutoMLJobInputDataConfig: [
      {
        ChannelType: 'training',
        ContentType: 'text/csv;header=present',
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/data/` } },
      },
    ],
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/out` },
    AutoMLProblemTypeConfig: { TabularJobConfig: { TargetAttributeName: 'label' } },
    RoleArn: 'arn:aws:iam::123456789012:role/sme-sandbox',
  };
}

async function failure(p: Promise<unknown>): Promise<{ name: string; code?: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; code?: string; $metadata?: { httpStatusCode?: number } };
    return {
      name: err.name,
      ...(err.code === undefined ? {} : { code: err.code }),
      ...(err.$metadata?.httpStatusCode === undefined ? {} : { status: err.$metadata.httpStatusCode }),
    };
  }
  throw new Error('expected the request to fail');
}

describe('lostReplyRate', () => {
  it('creates the job, then answers 500 InternalFailure', async () => {
    aws.faults.setOperation('CreateAutoMLJobV2', { lostReplyRate: 1 });
    const seen = await failure(sm.send(new CreateAutoMLJobV2Command(job('lost-reply-1'))));
    expect([seen.name, seen.status]).toEqual(['InternalFailure', 500]);
    expect(aws.faults.injected().CreateAutoMLJobV2).toBe(1);
    aws.faults.clear();
    const d = await sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'lost-reply-1' }));
    expect(d.AutoMLJobName).toBe('lost-reply-1');
    // A client that retries the create now learns that its first attempt went through.
    expect((await failure(sm.send(new CreateAutoMLJobV2Command(job('lost-reply-1'))))).name).toBe('ResourceInUse');
  });

  it('stores the S3 object, then answers 500 InternalError', async () => {
    aws.faults.setOperation('S3', { lostReplyRate: 1 });
    const seen = await failure(
      s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'lost/x.csv', Body: 'a,b\n1,2\n' })),
    );
    expect([seen.name, seen.status]).toEqual(['InternalError', 500]);
    aws.faults.clear();
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'lost/x.csv' }));
    expect(await got.Body?.transformToString()).toBe('a,b\n1,2\n');
  });
});

describe('resetRate', () => {
  it('creates the job, then drops the connection without an answer', async () => {
    aws.faults.set({ CreateAutoMLJobV2: { resetRate: 1 } });
    const seen = await failure(sm.send(new CreateAutoMLJobV2Command(job('reset-1'))));
    expect(seen.status).toBeUndefined();
    expect(seen.code).toBe('ECONNRESET');
    aws.faults.clear();
    const d = await sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'reset-1' }));
    expect(d.AutoMLJobName).toBe('reset-1');
  });

  it('stores the S3 object, then drops the connection', async () => {
    aws.faults.setOperation('S3', { resetRate: 1 });
    const seen = await failure(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reset/x.csv', Body: 'a\n1\n' })));
    expect(seen.code).toBe('ECONNRESET');
    aws.faults.clear();
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reset/x.csv' }));
    expect(await got.Body?.transformToString()).toBe('a\n1\n');
  });

  it('is set over HTTP like the other rules and leaves other operations alone', async () => {
    const http = await fetch(`${aws.sagemakerEndpoint}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ rules: { DescribeAutoMLJobV2: { resetRate: 1, lostReplyRate: 0 } } }),
    });
    expect(http.status).toBe(200);
    expect(await http.json()).toMatchObject({ rules: { DescribeAutoMLJobV2: { resetRate: 1, lostReplyRate: 0 } } });
    await expect(sm.send(new ListEndpointsCommand({}))).resolves.toBeDefined();
    expect((await failure(sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'reset-1' })))).code).toBe(
      'ECONNRESET',
    );
  });
});

describe('rule validation and determinism', () => {
  it.each([
    [{ lostReplyRate: 1.5 }, /lostReplyRate must be a number in \[0, 1\], received 1\.5/],
    [{ resetRate: -0.1 }, /resetRate must be a number in \[0, 1\], received -0\.1/],
    [{ resetRate: '0.5' }, /resetRate must be a number in \[0, 1\], received 0\.5/],
    [{ resetRate: Number.NaN }, /resetRate must be a number in \[0, 1\], received NaN/],
    [
      { lostReplyrate: 0.5 },
      /Op\.lostReplyrate is unknown; use throttleRate, serverErrorRate, lostReplyRate, resetRate or latencyMs/,
    ],
    [null, /fault rule Op must be an object, received null/],
  ])('refuses %j', (rule, message) => {
    expect(() => new FaultInjector({ Op: rule as never })).toThrow(message);
  });

  it('answers 400 with the reason over HTTP and keeps the previous rules', async () => {
    aws.faults.set({ ListEndpoints: { latencyMs: 1 } });
    const http = await fetch(`${aws.sagemakerEndpoint}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ rules: { '*': { resetRate: 2 } } }),
    });
    expect(http.status).toBe(400);
    expect(((await http.json()) as { message: string }).message).toBe(
      'fault rule *.resetRate must be a number in [0, 1], received 2',
    );
    expect(aws.faults.get()).toEqual({ ListEndpoints: { latencyMs: 1 } });
  });

  it('repeats the same sequence for the same seed', () => {
    const run = (seed: number): string[] => {
      const f = new FaultInjector(
        { '*': { throttleRate: 0.2, lostReplyRate: 0.3, resetRate: 0.3 } },
        seededRandom(seed),
      );
      return Array.from({ length: 40 }, () => f.decide('X').kind);
    };
    const first = run(7);
    expect(run(7)).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['none', 'throttle', 'lostReply', 'reset']));
    expect(run(8)).not.toEqual(first);
  });

  it('keeps the fault sequence of rules without the new rates', () => {
    const seq = (rule: object): string[] => {
      const f = new FaultInjector({ '*': rule }, seededRandom(42));
      return Array.from({ length: 30 }, () => f.decide('X').kind);
    };
    expect(seq({ throttleRate: 0.5, lostReplyRate: 0, resetRate: 0 })).toEqual(seq({ throttleRate: 0.5 }));
  });
});
