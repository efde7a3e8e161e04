// Benchmark of the sandbox (printed, not asserted): Exasol part start time, SELECT and EXPORT rows per second;
// AWS part: AutoML training rows per second for a 5,000-row job (create → Completed) and InvokeEndpoint rows
// per second.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { TextDecoder } from 'node:util';
import {
  CreateAutoMLJobV2Command,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeAutoMLJobV2Command,
  DescribeEndpointCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { startAwsSandbox, startExasolSandbox, syntheticData, toCsv } from '../dist/index.js';
import { connectDriver } from '../dist/exasol/testing/driver-harness.js';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');
const ROWS = 100_000;

const dir = mkdtempSync(join(tmpdir(), 'sme-bench-s3-'));
const s3 = new S3rver({
  port: 0,
  address: '127.0.0.1',
  silent: true,
  directory: dir,
  configureBuckets: [{ name: 'bench', configs: [] }],
});
const { port } = await s3.run();

let t = performance.now();
const exa = await startExasolSandbox({ s3Endpoint: `http://127.0.0.1:${port}` });
const startMs = performance.now() - t;
const db = await connectDriver(exa);
await db.execute('CREATE SCHEMA b');
await db.execute(
  `CREATE TABLE b.t AS SELECT CAST(range AS DECIMAL(18,0)) AS id, CAST(range / 7 AS DECIMAL(12,3)) AS amount, 'row ' || range AS label FROM range(${ROWS})`,
);

t = performance.now();
const rows = (await db.query('SELECT * FROM b.t')).getRows().length;
const selectSec = (performance.now() - t) / 1000;

t = performance.now();
const exported = await db.execute(
  "EXPORT b.t INTO CSV AT 'https://bench.s3.amazonaws.com' USER 'S3RVER' IDENTIFIED BY 'S3RVER' FILE 'p1.csv' FILE 'p2.csv' FILE 'p3.csv' FILE 'p4.csv' WITH COLUMN NAMES",
);
const exportSec = (performance.now() - t) / 1000;

await db.close();
await exa.stop();
await s3.close();
rmSync(dir, { recursive: true, force: true });

// AWS part: the job clock runs fast so the wall time is the training itself.
const TRAIN_ROWS = 5_000;
const INVOKE_ROWS = 5_000;
const aws = await startAwsSandbox({ clockSpeed: 10_000, endpointCreatingSeconds: 1 });
const client = { region: aws.region, endpoint: aws.sagemakerEndpoint, credentials: aws.credentials, maxAttempts: 1 };
const sm = new SageMakerClient(client);
const rt = new SageMakerRuntimeClient(client);
const data = syntheticData('binary', TRAIN_ROWS, 11);
await aws.objects.put('sme-sandbox', 'bench/data/part-001.csv', toCsv(data.header, data.rows), 'text/csv');
const poll = async (read, done) => {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await sleep(20);
  }
};
t = performance.now();
await sm.send(
  new CreateAutoMLJobV2Command({
    AutoMLJobName: 'bench-job',
    AutoMLJobInputDataConfig: [
      {
        ChannelType: 'training',
        ContentType: 'text/csv;header=present',
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://sme-sandbox/bench/data/' } },
      },
    ],
    OutputDataConfig: { S3OutputPath: 's3://sme-sandbox/bench/output' },
    AutoMLProblemTypeConfig: {
      TabularJobConfig: { TargetAttributeName: 'label', CompletionCriteria: { MaxCandidates: 3 } },
    },
    RoleArn: 'arn:aws:iam::123456789012:role/bench',
  }),
);
const job = await poll(
  () => sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'bench-job' })),
  (d) => d.AutoMLJobStatus !== 'InProgress',
);
const trainSec = (performance.now() - t) / 1000;
if (job.AutoMLJobStatus !== 'Completed')
  throw new Error(`bench job ended ${job.AutoMLJobStatus}: ${job.FailureReason}`);
await sm.send(
  new CreateModelCommand({
    ModelName: 'bench-model',
    Containers: job.BestCandidate?.InferenceContainers ?? [],
    ExecutionRoleArn: 'arn:aws:iam::123456789012:role/bench',
  }),
);
await sm.send(
  new CreateEndpointConfigCommand({
    EndpointConfigName: 'bench-config',
    ProductionVariants: [
      { VariantName: 'AllTraffic', ModelName: 'bench-model', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
    ],
  }),
);
await sm.send(new CreateEndpointCommand({ EndpointName: 'bench-endpoint', EndpointConfigName: 'bench-config' }));
await poll(
  () => sm.send(new DescribeEndpointCommand({ EndpointName: 'bench-endpoint' })),
  (e) => e.EndpointStatus === 'InService',
);
const features = syntheticData('binary', INVOKE_ROWS, 12).rows.map((r) => r.slice(0, 4));
const body = toCsv([], features, false);
t = performance.now();
const answer = await rt.send(
  new InvokeEndpointCommand({ EndpointName: 'bench-endpoint', ContentType: 'text/csv', Body: body }),
);
const invokeSec = (performance.now() - t) / 1000;
const predicted = new TextDecoder().decode(answer.Body).trim().split('\n').length;
if (predicted !== INVOKE_ROWS) throw new Error(`InvokeEndpoint answered ${predicted} rows, expected ${INVOKE_ROWS}`);
sm.destroy();
rt.destroy();
await aws.stop();

process.stdout.write(
  JSON.stringify({
    sandboxStartMs: Math.round(startMs),
    selectRowsPerSecond: Math.round(rows / selectSec),
    exportRowsPerSecond: Math.round(exported / exportSec),
    rows: ROWS,
    automlTrainingRowsPerSecond: Math.round(TRAIN_ROWS / trainSec),
    automlTrainingSeconds: Number(trainSec.toFixed(2)),
    automlTrainingRows: TRAIN_ROWS,
    invokeEndpointRowsPerSecond: Math.round(INVOKE_ROWS / invokeSec),
    invokeEndpointRows: INVOKE_ROWS,
  }) + '\n',
);
