import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateAutoMLJobV2Command,
  CreateModelCommand,
  CreateTransformJobCommand,
  DescribeAutoMLJobV2Command,
  DescribeTransformJobCommand,
  SageMakerClient,
  StopTransformJobCommand,
} from '@aws-sdk/client-sagemaker';
import type { CreateTransformJobCommandInput, DescribeTransformJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { parseCsv } from './automl/model.js';
import { syntheticData, toCsv } from './automl/synthetic.js';
import { startAwsSandbox } from './aws-sandbox.js';
import type { AwsSandbox } from './aws-sandbox.js';
import { parseCsvFilter } from './transform-jobs.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const BUCKET = 'sme-transform';
const ROLE = 'arn:aws:iam::123456789012:role/sme-sandbox';

let aws: AwsSandbox;
let sm: SageMakerClient;
let s3: S3Client;
/** Feature rows (no target) of the scored data, and the model made from the trained job's best candidate. */
let features: string[][];

async function until<T>(fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; message: string };
  }
  throw new Error('expected the request to fail');
}

async function text(key: string): Promise<string> {
  const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await r.Body?.transformToString()) ?? '';
}

function transformInput(name: string, extra: Partial<CreateTransformJobCommandInput> = {}) {
  return {
    TransformJobName: name,
    ModelName: 'scorer',
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: `s3://${BUCKET}/batch/in/` } },
      ContentType: 'text/csv',
      SplitType: 'Line' as const,
    },
    TransformOutput: {
      S3OutputPath: `s3://${BUCKET}/batch/${name}/out`,
      Accept: 'text/csv',
      AssembleWith: 'Line' as const,
    },
    TransformResources: { InstanceType: 'ml.m5.large' as const, InstanceCount: 1 },
    ...extra,
  } satisfies CreateTransformJobCommandInput;
}

const finished = (name: string): Promise<DescribeTransformJobCommandOutput> =>
  until(
    () => sm.send(new DescribeTransformJobCommand({ TransformJobName: name })),
    (d) => d.TransformJobStatus !== 'InProgress' && d.TransformJobStatus !== 'Stopping',
  );

beforeAll(async () => {
  aws = await startAwsSandbox({ clockSpeed: 500, buckets: [BUCKET], transformStartingSeconds: 5 });
  const common = { region: aws.region, credentials: aws.credentials };
  sm = new SageMakerClient({ ...common, endpoint: aws.sagemakerEndpoint });
  s3 = new S3Client({ ...common, endpoint: aws.s3Endpoint, forcePathStyle: true });
  const { header, rows } = syntheticData('binary', 600, 3);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'train/part-001.csv', Body: toCsv(header, rows) }));
  await sm.send(
    new CreateAutoMLJobV2Command({
      AutoMLJobName: 'tj-train',
      AutoMLJobInputDataConfig: [
        { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/train/` } } },
      ],
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/automl` },
      AutoMLProblemTypeConfig: {
        TabularJobConfig: { TargetAttributeName: 'label', CompletionCriteria: { MaxCandidates: 1 } },
      },
      RoleArn: ROLE,
    }),
  );
  const job = await until(
    () => sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'tj-train' })),
    (d) => d.AutoMLJobStatus !== 'InProgress',
  );
  const containers = (job.BestCandidate?.InferenceContainers ?? []).map((c) => ({
    ...c,
    Environment: { ...c.Environment, SAGEMAKER_INFERENCE_OUTPUT: 'predicted_label,probability' },
  }));
  await sm.send(new CreateModelCommand({ ModelName: 'scorer', Containers: containers, ExecutionRoleArn: ROLE }));
  // Two input objects of 40 and 30 records, each line `id,<features>`, no header.
  features = syntheticData('binary', 70, 11).rows.map((r) => r.slice(0, 4));
  const lines = features.map((f, i) => [`id-${String(i)}`, ...f]);
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: 'batch/in/a.csv', Body: toCsv([], lines.slice(0, 40), false) }),
  );
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: 'batch/in/b.csv', Body: toCsv([], lines.slice(40), false) }),
  );
}, 60_000);

afterAll(async () => {
  await aws.stop();
});

describe('CSV column filters (SageMaker JSONPath subset)', () => {
  it('selects indexes, negative indexes and slices', () => {
    const cols = ['a', 'b', 'c', 'd', 'e'];
    expect(parseCsvFilter('$')?.(cols)).toEqual(cols);
    expect(parseCsvFilter('$[1:]')?.(cols)).toEqual(['b', 'c', 'd', 'e']);
    expect(parseCsvFilter('$[0,-1]')?.(cols)).toEqual(['a', 'e']);
    expect(parseCsvFilter('$[0,1,-2,-1]')?.(cols)).toEqual(['a', 'b', 'd', 'e']);
    expect(parseCsvFilter('$[1:3]')?.(cols)).toEqual(['b', 'c']);
    expect(parseCsvFilter('$.features')).toBeUndefined();
  });
});

describe('batch transform', () => {
  it('scores every object under the prefix into <object>.out, keys joined back, as the model predicts', async () => {
    await sm.send(
      new CreateTransformJobCommand(
        transformInput('tj-join', {
          DataProcessing: { InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-2,-1]' },
        }),
      ),
    );
    const first = await sm.send(new DescribeTransformJobCommand({ TransformJobName: 'tj-join' }));
    expect(first.TransformJobStatus).toBe('InProgress');
    const done = await finished('tj-join');
    expect(done.FailureReason).toBeUndefined();
    expect(done.TransformJobStatus).toBe('Completed');
    expect(done.TransformEndTime?.getTime()).toBeGreaterThanOrEqual(done.TransformStartTime?.getTime() ?? Infinity);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'batch/tj-join/out/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['batch/tj-join/out/a.csv.out', 'batch/tj-join/out/b.csv.out']);
    const out = [
      ...parseCsv(await text('batch/tj-join/out/a.csv.out')),
      ...parseCsv(await text('batch/tj-join/out/b.csv.out')),
    ];
    const expected = aws.predictWithJobModel('tj-train', toCsv([], features, false)) ?? [];
    expect(out).toHaveLength(70);
    expect(out.map((r) => r[0])).toEqual(features.map((_, i) => `id-${String(i)}`));
    expect(out.map((r) => r[1])).toEqual(expected.map((p) => p.label));
    expect(out.map((r) => Number(r[2]))).toEqual(expected.map((p) => p.probability));
  });

  it('without data processing writes only the model output, one line per record', async () => {
    // The input lines carry an id the model does not know: without InputFilter the job fails, writing nothing.
    await sm.send(new CreateTransformJobCommand(transformInput('tj-plain')));
    const failed = await finished('tj-plain');
    expect(failed.TransformJobStatus).toBe('Failed');
    expect(failed.FailureReason).toMatch(
      /^ClientError: s3:\/\/sme-transform\/batch\/in\/a\.csv: Row 1 has 5 columns; the model expects 4/,
    );
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'batch/tj-plain/' }));
    expect(listed.KeyCount).toBe(0);
  });

  it('validates requests as AWS does', async () => {
    const invalidName = await errorOf(sm.send(new CreateTransformJobCommand(transformInput('bad_name'))));
    expect(invalidName.name).toBe('ValidationException');
    expect(invalidName.message).toMatch(
      /Value 'bad_name' at 'transformJobName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    const badSplit = await errorOf(
      sm.send(
        new CreateTransformJobCommand({
          ...transformInput('tj-split'),
          TransformInput: { ...transformInput('x').TransformInput, SplitType: 'Lines' as never },
        }),
      ),
    );
    expect(badSplit.message).toMatch(
      /Value 'Lines' at 'transformInput.splitType' failed to satisfy constraint: Member must satisfy enum value set/,
    );
    const noModel = await errorOf(
      sm.send(new CreateTransformJobCommand({ ...transformInput('tj-nomodel'), ModelName: 'nope' })),
    );
    expect(noModel).toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/Could not find model .*model\/nope/) as unknown,
    });
    const payload = await errorOf(
      sm.send(
        new CreateTransformJobCommand({
          ...transformInput('tj-payload'),
          MaxPayloadInMB: 60,
          MaxConcurrentTransforms: 2,
        }),
      ),
    );
    expect(payload.message).toMatch(/must not exceed 100 MB/);
    await sm.send(new CreateTransformJobCommand(transformInput('tj-twice')));
    const twice = await errorOf(sm.send(new CreateTransformJobCommand(transformInput('TJ-TWICE'))));
    expect(twice.name).toBe('ResourceInUse');
    const missing = await errorOf(sm.send(new DescribeTransformJobCommand({ TransformJobName: 'tj-none' })));
    expect(missing.name).toBe('ResourceNotFound');
  });

  it('stops: Stopping, then Stopped, and no output', async () => {
    const slow = await startAwsSandbox({ clockSpeed: 1, buckets: [BUCKET], transformStartingSeconds: 30 });
    try {
      const client = new SageMakerClient({
        region: slow.region,
        credentials: slow.credentials,
        endpoint: slow.sagemakerEndpoint,
      });
      await client.send(
        new CreateModelCommand({
          ModelName: 'scorer',
          PrimaryContainer: { Image: 'x', ModelDataUrl: `s3://${BUCKET}/m.json` },
          ExecutionRoleArn: ROLE,
        }),
      );
      await slow.objects.put(BUCKET, 'batch/in/a.csv', '1,2\n');
      await client.send(new CreateTransformJobCommand(transformInput('tj-stop')));
      await client.send(new StopTransformJobCommand({ TransformJobName: 'tj-stop' }));
      const stopping = await client.send(new DescribeTransformJobCommand({ TransformJobName: 'tj-stop' }));
      expect(stopping.TransformJobStatus).toBe('Stopping');
      const stopped = await until(
        () => client.send(new DescribeTransformJobCommand({ TransformJobName: 'tj-stop' })),
        (d) => d.TransformJobStatus !== 'Stopping',
      );
      expect(stopped.TransformJobStatus).toBe('Stopped');
      expect(stopped.TransformEndTime).toBeInstanceOf(Date);
      expect(await slow.objects.list(BUCKET, 'batch/tj-stop/')).toEqual([]);
      // Stopping a job that has ended changes nothing.
      await client.send(new StopTransformJobCommand({ TransformJobName: 'tj-stop' }));
      const again = await client.send(new DescribeTransformJobCommand({ TransformJobName: 'tj-stop' }));
      expect(again.TransformJobStatus).toBe('Stopped');
    } finally {
      await slow.stop();
    }
  });
});
