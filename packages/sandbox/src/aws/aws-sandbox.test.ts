import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTier, tierAvailable } from '@sme/test-tiers';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateAutoMLJobV2Command,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeAutoMLJobV2Command,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListAutoMLJobsCommand,
  ListCandidatesForAutoMLJobCommand,
  ListEndpointsCommand,
  SageMakerClient,
  StopAutoMLJobCommand,
} from '@aws-sdk/client-sagemaker';
import type { CreateAutoMLJobV2CommandInput, DescribeAutoMLJobV2CommandOutput } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseCsv } from './automl/model.js';
import { syntheticData, toCsv } from './automl/synthetic.js';
import { startAwsSandbox } from './aws-sandbox.js';
import type { AwsSandbox } from './aws-sandbox.js';
import { IDLE_CONNECTION_TIMEOUT_MS } from './http-util.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

interface Env {
  readonly name: 'sandbox' | 'moto';
  readonly region: string;
  readonly s3Endpoint: string;
  readonly sagemakerEndpoint: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

const ROLE = 'arn:aws:iam::123456789012:role/sme-sandbox';
const BUCKET = 'sme-test';

function clients(env: Env, credentials = env.credentials) {
  const common = { region: env.region, credentials, maxAttempts: 1 };
  return {
    s3: new S3Client({
      ...common,
      endpoint: env.s3Endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
    sm: new SageMakerClient({ ...common, endpoint: env.sagemakerEndpoint }),
    rt: new SageMakerRuntimeClient({ ...common, endpoint: env.sagemakerEndpoint }),
  };
}

function jobInput(name: string, prefix: string, extra: Partial<CreateAutoMLJobV2CommandInput> = {}, tabular = {}) {
  return {
    AutoMLJobName: name,
    AutoMLJobInputDataConfig: [
      {
        ChannelType: 'training' as const,
        ContentType: 'text/csv;header=present',
        CompressionType: 'None' as const,
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: `s3://${BUCKET}/${prefix}` } },
      },
    ],
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
    AutoMLProblemTypeConfig: {
      TabularJobConfig: { TargetAttributeName: 'label', CompletionCriteria: { MaxCandidates: 3 }, ...tabular },
    },
    RoleArn: ROLE,
    ...extra,
  } satisfies CreateAutoMLJobV2CommandInput;
}

async function uploadParts(s3: S3Client, prefix: string, kind: 'binary' | 'regression', n: number, seed = 5) {
  const { header, rows } = syntheticData(kind, n, seed);
  const half = Math.floor(rows.length / 2);
  // Two parts, each with its own header, as Exasol's EXPORT … WITH COLUMN NAMES writes them.
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}part-001.csv`, Body: toCsv(header, rows.slice(0, half)) }),
  );
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}part-002.csv`, Body: toCsv(header, rows.slice(half)) }),
  );
  return { header, rows };
}

async function until<T>(what: string, fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
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

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  await new Promise<void>((r) => {
    srv.close(() => {
      r();
    });
  });
  return port;
}

async function startMoto(): Promise<{ env: Env; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await until(
    'moto_server',
    () =>
      fetch(`${url}/moto-api/`).then(
        (r) => r.status,
        () => 0,
      ),
    (s) => s > 0,
    20_000,
  );
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  return { env: { name: 'moto', region: 'us-east-1', s3Endpoint: url, sagemakerEndpoint: url, credentials }, proc };
}

let sandbox: AwsSandbox;
let sandboxEnv: Env;
let moto: { env: Env; proc: ChildProcess } | undefined;

beforeAll(async () => {
  sandbox = await startAwsSandbox({
    clockSpeed: 100,
    buckets: [BUCKET],
    extraCredentials: [
      { accessKeyId: 'ASIATEMPORARY0000001', secretAccessKey: 'temp-secret', sessionToken: 'the-session-token' },
    ],
  });
  sandboxEnv = { name: 'sandbox', ...sandbox };
  if (tierAvailable('moto')) moto = await startMoto();
});

afterAll(async () => {
  await sandbox.stop();
  moto?.proc.kill();
});

const envs = (): Env[] => [sandboxEnv, ...(moto ? [moto.env] : [])];

for (const which of ['sandbox', 'moto'] as const) {
  describeTier(which, `operations both services have (${which})`, () => {
    const env = (): Env => {
      const e = envs().find((x) => x.name === which);
      if (e === undefined) throw new Error('unreachable');
      return e;
    };

    it('creates, describes, lists and stops a job; creates and deletes an endpoint', async () => {
      const { s3, sm } = clients(env());
      if (which === 'moto') await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await uploadParts(s3, 'common/data/', 'binary', 600);
      const name = `common-${which}`;
      const created = await sm.send(
        new CreateAutoMLJobV2Command(jobInput(name, 'common/data/', {}, { ProblemType: 'BinaryClassification' })),
      );
      expect(created.AutoMLJobArn).toMatch(new RegExp(`automl-job/${name}$`));
      const d = await sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: name }));
      expect(d.AutoMLJobName).toBe(name);
      expect(['InProgress', 'Completed']).toContain(d.AutoMLJobStatus);
      expect(d.CreationTime).toBeInstanceOf(Date);
      const list = await sm.send(new ListAutoMLJobsCommand({ NameContains: 'common' }));
      expect(list.AutoMLJobSummaries?.map((j) => j.AutoMLJobName)).toContain(name);
      await sm.send(new StopAutoMLJobCommand({ AutoMLJobName: name }));
      const stopped = await until(
        'Stopped',
        () => sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: name })),
        (x) => x.AutoMLJobStatus !== 'InProgress' && x.AutoMLJobStatus !== 'Stopping',
      );
      expect(stopped.AutoMLJobStatus).toBe('Stopped');

      const container = {
        Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1',
        ModelDataUrl: `s3://${BUCKET}/none.json`,
      };
      await sm.send(
        new CreateModelCommand({ ModelName: `m-${which}`, PrimaryContainer: container, ExecutionRoleArn: ROLE }),
      );
      await sm.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: `c-${which}`,
          ProductionVariants: [
            { VariantName: 'v1', ModelName: `m-${which}`, InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
          ],
        }),
      );
      await sm.send(new CreateEndpointCommand({ EndpointName: `e-${which}`, EndpointConfigName: `c-${which}` }));
      const ep = await sm.send(new DescribeEndpointCommand({ EndpointName: `e-${which}` }));
      expect(ep.EndpointName).toBe(`e-${which}`);
      expect(['Creating', 'InService', 'Failed']).toContain(ep.EndpointStatus);
      await sm.send(new DeleteEndpointCommand({ EndpointName: `e-${which}` }));
      const gone = await errorOf(sm.send(new DescribeEndpointCommand({ EndpointName: `e-${which}` })));
      expect(gone.name).toBe('ValidationException');
    });
  });
}

describe('the whole lifecycle against the sandbox', () => {
  it('uploads CSV, trains, lists candidates, deploys, predicts and cleans up', async () => {
    const { s3, sm, rt } = clients(sandboxEnv);
    const { rows } = await uploadParts(s3, 'life/data/', 'binary', 1200);
    const seen = new Set<string>();
    await sm.send(new CreateAutoMLJobV2Command(jobInput('life-binary', 'life/data/')));
    const done: DescribeAutoMLJobV2CommandOutput = await until(
      'Completed',
      async () => {
        const d = await sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'life-binary' }));
        seen.add(d.AutoMLJobSecondaryStatus ?? '');
        return d;
      },
      (d) => d.AutoMLJobStatus !== 'InProgress',
    );
    expect(done.FailureReason).toBeUndefined();
    expect(done.AutoMLJobStatus).toBe('Completed');
    expect(done.AutoMLJobSecondaryStatus).toBe('Completed');
    expect(seen.has('ModelTuning')).toBe(true);
    const resolved = done.ResolvedAttributes;
    expect(resolved?.AutoMLProblemTypeResolvedAttributes?.TabularResolvedAttributes?.ProblemType).toBe(
      'BinaryClassification',
    );
    expect(resolved?.AutoMLJobObjective?.MetricName).toBe('F1');
    const best = done.BestCandidate;
    expect(best?.FinalAutoMLJobObjectiveMetric?.Type).toBe('Maximize');
    expect(best?.FinalAutoMLJobObjectiveMetric?.MetricName).toBe('F1');
    const bestValue = best?.FinalAutoMLJobObjectiveMetric?.Value ?? 0;

    // The report holds the trivial baseline on the same validation split.
    const reportUri = done.AutoMLJobArtifacts?.DataExplorationNotebookLocation ?? '';
    const reportKey = reportUri.replace(`s3://${BUCKET}/`, '');
    const report = JSON.parse(
      (await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: reportKey }))).Body?.transformToString()) ??
        '{}',
    ) as { baselineValidationMetrics: { F1: number; Accuracy: number } };
    expect(bestValue).toBeGreaterThan(report.baselineValidationMetrics.F1 + 0.15);

    // The explainability and model-insights reports are where DescribeAutoMLJobV2 names them.
    const locations = best?.CandidateProperties?.CandidateArtifactLocations;
    const jobPrefix = `s3://${BUCKET}/output/life-binary/documentation`;
    expect(locations?.Explainability).toBe(`${jobPrefix}/explainability/output/${best?.CandidateName}`);
    expect(locations?.ModelInsights).toBe(`${jobPrefix}/model_monitor/output/${best?.CandidateName}`);
    const readJson = async (uri: string) =>
      JSON.parse(
        (await (
          await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: uri.replace(`s3://${BUCKET}/`, '') }))
        ).Body?.transformToString()) ?? '{}',
      ) as Record<string, unknown>;
    const analysis = (await readJson(`${locations?.Explainability}/analysis.json`)) as {
      version: string;
      explanations: { kernel_shap: { label0: { global_shap_values: Record<string, number>; expected_value: number } } };
    };
    expect(analysis.version).toBe('1.0');
    const shap = analysis.explanations.kernel_shap.label0;
    expect(Object.keys(shap.global_shap_values).sort()).toEqual(['color', 'noise', 'x1', 'x2']);
    expect(shap.expected_value).toBeGreaterThanOrEqual(0);
    expect(shap.expected_value).toBeLessThanOrEqual(1);
    // label = 2·x1 − x2 + f(color) + noise: x1 matters most, the column named noise least.
    const ranked = Object.entries(shap.global_shap_values)
      .sort((a, b) => b[1] - a[1])
      .map(([k]) => k);
    expect(ranked[0]).toBe('x1');
    expect(ranked[3]).toBe('noise');
    const statistics = (await readJson(`${locations?.ModelInsights}/statistics.json`)) as {
      dataset: { item_count: number };
      binary_classification_metrics: {
        confusion_matrix: Record<string, Record<string, number>>;
        f1: { value: number; standard_deviation: number | string };
        auc: { value: number };
        receiver_operating_characteristic_curve: { false_positive_rates: number[]; true_positive_rates: number[] };
      };
    };
    const bcm = statistics.binary_classification_metrics;
    const cells = Object.values(bcm.confusion_matrix).flatMap((r) => Object.values(r));
    expect(cells.reduce((a, b) => a + b, 0)).toBe(statistics.dataset.item_count);
    expect(Object.keys(bcm.confusion_matrix).sort()).toEqual(['no', 'yes']);
    expect(bcm.f1.value).toBeCloseTo(bestValue, 9);
    expect(bcm.auc.value).toBeGreaterThan(0.8);
    expect(bcm.receiver_operating_characteristic_curve.true_positive_rates.at(-1)).toBe(1);

    const cands = await sm.send(
      new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: 'life-binary', SortBy: 'FinalObjectiveMetricValue' }),
    );
    for (const c of cands.Candidates ?? []) {
      const at = c.CandidateProperties?.CandidateArtifactLocations;
      expect(at?.Explainability).toBe(`${jobPrefix}/explainability/output/${c.CandidateName}`);
      expect(await readJson(`${at?.ModelInsights}/statistics.json`)).toHaveProperty('binary_classification_metrics');
    }
    expect(cands.Candidates).toHaveLength(3);
    expect(cands.Candidates?.[0]?.CandidateName).toBe(best?.CandidateName);
    const values = cands.Candidates?.map((c) => c.FinalAutoMLJobObjectiveMetric?.Value ?? 0) ?? [];
    expect([...values].sort((a, b) => b - a)).toEqual(values);

    const modelUrl = best?.InferenceContainers?.[0]?.ModelDataUrl ?? '';
    const artifact = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: modelUrl.replace(`s3://${BUCKET}/`, '') }),
    );
    expect(JSON.parse((await artifact.Body?.transformToString()) ?? '{}')).toMatchObject({
      format: 'sme-sandbox-model/1',
    });

    const containers = (best?.InferenceContainers ?? []).map((c) => ({
      ...c,
      Environment: { ...c.Environment, SAGEMAKER_INFERENCE_OUTPUT: 'predicted_label,probability' },
    }));
    await sm.send(new CreateModelCommand({ ModelName: 'life-model', Containers: containers, ExecutionRoleArn: ROLE }));
    const described = await sm.send(new DescribeModelCommand({ ModelName: 'life-model' }));
    expect(described.Containers?.[0]?.ModelDataUrl).toBe(modelUrl);
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'life-config',
        ProductionVariants: [
          { VariantName: 'AllTraffic', ModelName: 'life-model', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
        ],
      }),
    );
    const config = await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'life-config' }));
    expect(config.ProductionVariants?.[0]?.ModelName).toBe('life-model');
    await sm.send(new CreateEndpointCommand({ EndpointName: 'life-endpoint', EndpointConfigName: 'life-config' }));
    const early = await errorOf(
      rt.send(new InvokeEndpointCommand({ EndpointName: 'life-endpoint', ContentType: 'text/csv', Body: '1,2,red,3' })),
    );
    expect(early.name).toBe('ValidationError');
    await until(
      'InService',
      () => sm.send(new DescribeEndpointCommand({ EndpointName: 'life-endpoint' })),
      (e) => e.EndpointStatus === 'InService',
    );
    const listed = await sm.send(new ListEndpointsCommand({ NameContains: 'life' }));
    expect(listed.Endpoints?.map((e) => e.EndpointName)).toEqual(['life-endpoint']);

    // Rows without header and target; values with commas, quotes, and an empty (missing) field.
    const inputs = rows.slice(0, 40).map((r) => r.slice(0, 4));
    inputs.push(['', '0.5', 'grey, dark', '']);
    const body = toCsv([], inputs, false);
    const answer = await rt.send(
      new InvokeEndpointCommand({ EndpointName: 'life-endpoint', ContentType: 'text/csv', Body: body }),
    );
    expect(answer.InvokedProductionVariant).toBe('AllTraffic');
    const out = parseCsv(new TextDecoder().decode(answer.Body));
    expect(out).toHaveLength(inputs.length);
    const local = sandbox.predictWithJobModel('life-binary', body) ?? [];
    out.forEach((row, i) => {
      expect(['yes', 'no']).toContain(row[0]);
      expect(row[0]).toBe(local[i]?.label);
      expect(Number(row[1])).toBeCloseTo(local[i]?.probability ?? -1, 9);
      expect(Number(row[1])).toBeGreaterThanOrEqual(0.5);
    });
    const correct = out.slice(0, 40).filter((r, i) => r[0] === rows[i]?.[4]).length;
    expect(correct).toBeGreaterThan(30);

    const wrongWidth = await errorOf(
      rt.send(
        new InvokeEndpointCommand({ EndpointName: 'life-endpoint', ContentType: 'text/csv', Body: '1,2,red,3,yes' }),
      ),
    );
    expect(wrongWidth.name).toBe('ModelError');
    const tooBig = await errorOf(
      rt.send(
        new InvokeEndpointCommand({
          EndpointName: 'life-endpoint',
          ContentType: 'text/csv',
          Body: 'x'.repeat(5 * 1024 * 1024 + 1),
        }),
      ),
    );
    expect(tooBig.name).toBe('ValidationError');
    expect(tooBig.message).toMatch(/5242880/);

    // A serverless variant: ServerlessConfig instead of instances, validated as the API model and its docs say.
    const serverlessConfig = (name: string, variant: Record<string, unknown>) =>
      errorOf(
        sm.send(
          new CreateEndpointConfigCommand({
            EndpointConfigName: name,
            ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'life-model', ...variant }],
          }),
        ),
      );
    const refusals = [
      { ServerlessConfig: { MemorySizeInMB: 1500, MaxConcurrency: 2 } },
      { ServerlessConfig: { MemorySizeInMB: 8192, MaxConcurrency: 2 } },
      { ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 0 } },
      { ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 201 } },
      { ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 2, ProvisionedConcurrency: 3 } },
      { ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 2 }, InstanceType: 'ml.m5.large' },
      {},
    ];
    for (const [i, variant] of refusals.entries()) {
      expect((await serverlessConfig(`bad-${String(i)}`, variant)).name, JSON.stringify(variant)).toBe(
        'ValidationException',
      );
    }
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'life-serverless',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'life-model',
            ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
          },
        ],
      }),
    );
    await sm.send(
      new CreateEndpointCommand({ EndpointName: 'life-serverless', EndpointConfigName: 'life-serverless' }),
    );
    const serverless = await until(
      'InService',
      () => sm.send(new DescribeEndpointCommand({ EndpointName: 'life-serverless' })),
      (e) => e.EndpointStatus === 'InService',
    );
    expect(serverless.ProductionVariants?.[0]?.CurrentServerlessConfig).toEqual({
      MemorySizeInMB: 2048,
      MaxConcurrency: 5,
    });
    expect(serverless.ProductionVariants?.[0]?.CurrentInstanceCount).toBeUndefined();
    const served = await rt.send(
      new InvokeEndpointCommand({ EndpointName: 'life-serverless', ContentType: 'text/csv', Body: body }),
    );
    expect(parseCsv(new TextDecoder().decode(served.Body))).toEqual(out);
    // Serverless invocations carry at most 4 MB.
    const tooBigServerless = await errorOf(
      rt.send(
        new InvokeEndpointCommand({
          EndpointName: 'life-serverless',
          ContentType: 'text/csv',
          Body: 'x'.repeat(4 * 1000 * 1000 + 1),
        }),
      ),
    );
    expect(tooBigServerless.name).toBe('ValidationError');
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'life-serverless' }));
    await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'life-serverless' }));

    await sm.send(new DeleteEndpointCommand({ EndpointName: 'life-endpoint' }));
    await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'life-config' }));
    await sm.send(new DeleteModelCommand({ ModelName: 'life-model' }));
    expect((await errorOf(sm.send(new DescribeModelCommand({ ModelName: 'life-model' })))).name).toBe(
      'ValidationException',
    );
    const gone = await errorOf(
      rt.send(new InvokeEndpointCommand({ EndpointName: 'life-endpoint', ContentType: 'text/csv', Body: '1,2,red,3' })),
    );
    expect(gone.message).toMatch(/not found/);
    // Every response of the lifecycle (Describe polled through each secondary status) matched the API model.
    expect(sandbox.responseViolations()).toEqual([]);
  });

  it('trains a regression job with the MSE default objective (Minimize) beating the mean', async () => {
    const { s3, sm } = clients(sandboxEnv);
    await uploadParts(s3, 'reg/data/', 'regression', 800);
    await sm.send(new CreateAutoMLJobV2Command(jobInput('reg-job', 'reg/data/')));
    const done = await until(
      'Completed',
      () => sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'reg-job' })),
      (d) => d.AutoMLJobStatus !== 'InProgress',
    );
    expect(done.AutoMLJobStatus).toBe('Completed');
    const metric = done.BestCandidate?.FinalAutoMLJobObjectiveMetric;
    expect(metric?.MetricName).toBe('MSE');
    expect(metric?.Type).toBe('Minimize');
    const key = (done.AutoMLJobArtifacts?.DataExplorationNotebookLocation ?? '').replace(`s3://${BUCKET}/`, '');
    const report = JSON.parse(
      (await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body?.transformToString()) ?? '{}',
    ) as { baselineValidationMetrics: { MSE: number } };
    expect(metric?.Value ?? Infinity).toBeLessThan(report.baselineValidationMetrics.MSE * 0.5);
    const insights = done.BestCandidate?.CandidateProperties?.CandidateArtifactLocations?.ModelInsights ?? '';
    const statsKey = `${insights.replace(`s3://${BUCKET}/`, '')}/statistics.json`;
    const stats = JSON.parse(
      (await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: statsKey }))).Body?.transformToString()) ??
        '{}',
    ) as { regression_metrics: { mse: { value: number } }; residuals: { counts: number[] } };
    expect(stats.regression_metrics.mse.value).toBeCloseTo(metric?.Value ?? -1, 9);
    expect(stats.residuals.counts).toHaveLength(20);
  });
});

describe('jobs that end early', () => {
  it('fails like Autopilot with fewer than 500 rows or a missing target', async () => {
    const { s3, sm } = clients(sandboxEnv);
    await uploadParts(s3, 'small/data/', 'binary', 300);
    await sm.send(new CreateAutoMLJobV2Command(jobInput('small-job', 'small/data/')));
    await sm.send(
      new CreateAutoMLJobV2Command(jobInput('no-target', 'life/data/', {}, { TargetAttributeName: 'nope' })),
    );
    for (const [name, reason] of [
      ['small-job', /at least 500 rows/],
      ['no-target', /Target attribute 'nope' not found/],
    ] as const) {
      const d = await until(
        name,
        () => sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: name })),
        (x) => x.AutoMLJobStatus !== 'InProgress',
      );
      expect(d.AutoMLJobStatus).toBe('Failed');
      expect(d.FailureReason).toMatch(reason);
    }
  });

  it('honours MaxAutoMLJobRuntimeInSeconds', async () => {
    const { sm } = clients(sandboxEnv);
    await sm.send(
      new CreateAutoMLJobV2Command(
        jobInput(
          'short-job',
          'life/data/',
          {},
          { CompletionCriteria: { MaxCandidates: 6, MaxAutoMLJobRuntimeInSeconds: 40 } },
        ),
      ),
    );
    const d = await until(
      'end',
      () => sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: 'short-job' })),
      (x) => x.AutoMLJobStatus !== 'InProgress',
    );
    expect(d.AutoMLJobSecondaryStatus).toBe('MaxAutoMLJobRuntimeReached');
    const c = await sm.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: 'short-job' }));
    expect(c.Candidates?.length ?? 0).toBeLessThan(6);
  });

  it('refuses a duplicate job name with ResourceInUse', async () => {
    const { sm } = clients(sandboxEnv);
    const e = await errorOf(sm.send(new CreateAutoMLJobV2Command(jobInput('LIFE-BINARY', 'life/data/'))));
    expect(e.name).toBe('ResourceInUse');
  });
});

describe('requests the real API rejects', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'a 33-character job name',
      { AutoMLJobName: 'a'.repeat(33) },
      /at 'autoMLJobName' .*length less than or equal to 32/,
    ],
    ['a job name with an underscore', { AutoMLJobName: 'bad_name' }, /regular expression pattern/],
    [
      'an unknown ProblemType',
      { AutoMLProblemTypeConfig: { TabularJobConfig: { TargetAttributeName: 'label', ProblemType: 'Clustering' } } },
      /problemType' failed to satisfy constraint: Member must satisfy enum value set/,
    ],
    [
      'a missing RoleArn',
      { RoleArn: undefined },
      /Value null at 'roleArn' failed to satisfy constraint: Member must not be null/,
    ],
    [
      'MaxCandidates 0',
      {
        AutoMLProblemTypeConfig: {
          TabularJobConfig: { TargetAttributeName: 'label', CompletionCriteria: { MaxCandidates: 0 } },
        },
      },
      /greater than or equal to 1/,
    ],
    [
      'two problem type configs (a union takes exactly one)',
      {
        AutoMLProblemTypeConfig: {
          TabularJobConfig: { TargetAttributeName: 'label' },
          TextClassificationJobConfig: { ContentColumn: 'text', TargetLabelColumn: 'label' },
        },
      },
      /at 'autoMLProblemTypeConfig' failed to satisfy constraint: Member must have exactly one member set/,
    ],
    [
      'an objective of another problem type',
      {
        AutoMLJobObjective: { MetricName: 'MSE' },
        AutoMLProblemTypeConfig: {
          TabularJobConfig: { TargetAttributeName: 'label', ProblemType: 'BinaryClassification' },
        },
      },
      /not valid for problem type/,
    ],
  ];
  it.each(cases)('%s → ValidationException', async (_what, patch, message) => {
    const { sm } = clients(sandboxEnv);
    const input = { ...jobInput('valid-name', 'x/'), ...patch } as CreateAutoMLJobV2CommandInput;
    const e = await errorOf(sm.send(new CreateAutoMLJobV2Command(input)));
    expect(e.name).toBe('ValidationException');
    expect(e.status).toBe(400);
    expect(e.message).toMatch(message);
  });

  it('a wrong secret → 403 SignatureDoesNotMatch; an unknown key → UnrecognizedClientException', async () => {
    const wrong = clients(sandboxEnv, { accessKeyId: sandbox.credentials.accessKeyId, secretAccessKey: 'wrong' });
    const e1 = await errorOf(wrong.sm.send(new ListEndpointsCommand({})));
    expect([e1.name, e1.status]).toEqual(['SignatureDoesNotMatch', 403]);
    const unknown = clients(sandboxEnv, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' });
    const e2 = await errorOf(unknown.sm.send(new ListEndpointsCommand({})));
    expect([e2.name, e2.status]).toEqual(['UnrecognizedClientException', 403]);
    const s3 = await errorOf(wrong.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'v' })));
    expect([s3.name, s3.status]).toEqual(['SignatureDoesNotMatch', 403]);
  });

  it('accepts temporary credentials only with their session token', async () => {
    const temp = { accessKeyId: 'ASIATEMPORARY0000001', secretAccessKey: 'temp-secret' };
    const ok = clients(sandboxEnv, { ...temp, sessionToken: 'the-session-token' });
    await expect(ok.sm.send(new ListEndpointsCommand({}))).resolves.toBeDefined();
    const bad = clients(sandboxEnv, { ...temp, sessionToken: 'another-token' });
    expect((await errorOf(bad.sm.send(new ListEndpointsCommand({})))).name).toBe('UnrecognizedClientException');
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const url = new URL(sandbox.sagemakerEndpoint);
    const signer = new SignatureV4({
      credentials: sandbox.credentials,
      region: sandbox.region,
      service: 'sagemaker',
      sha256: Sha256,
    });
    const req = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: {
          host: url.host,
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'SageMaker.CreateTrainingJob',
        },
        body: '{}',
      }),
    );
    const res = await fetch(sandbox.sagemakerEndpoint, { method: 'POST', headers: req.headers, body: '{}' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ __type: 'UnknownOperationException' });
  });
});

describe('keep-alive connections', () => {
  /** One GET over `agent`: its status, whether it went over a reused connection, and that connection. */
  function get(endpoint: string, agent: Agent): Promise<{ status: number; reused: boolean; socket: Socket }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(endpoint, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, socket: req.socket as Socket });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  for (const service of ['sagemakerEndpoint', 's3Endpoint'] as const) {
    it(
      `${service}: answers requests on one connection and closes it once idle`,
      async () => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        try {
          const first = await get(sandbox[service], agent);
          const second = await get(sandbox[service], agent);
          expect(first.reused).toBe(false);
          expect(second.reused).toBe(true);
          expect(second.socket).toBe(first.socket);
          // The server, not this client, ends the idle connection.
          await new Promise<void>((resolve) => {
            if (second.socket.readableEnded) resolve();
            else second.socket.once('end', resolve);
          });
        } finally {
          agent.destroy();
        }
      },
      IDLE_CONNECTION_TIMEOUT_MS + 10_000,
    );
  }
});

describe('S3', () => {
  it('stores streamed (aws-chunked) uploads of a default-configured client intact', async () => {
    const s3 = new S3Client({
      region: sandbox.region,
      endpoint: sandbox.s3Endpoint,
      forcePathStyle: true,
      credentials: sandbox.credentials,
      maxAttempts: 1,
    });
    const text = 'a,b\n1,"x, ""y"""\n'.repeat(1000);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'chunked/x.csv', Body: text }));
    expect((await sandbox.objects.get(BUCKET, 'chunked/x.csv'))?.toString('utf8')).toBe(text);
  });
});

describe('fault injection', () => {
  it('throttles, fails with 5xx and adds latency per operation, from the object API and over HTTP', async () => {
    const { sm } = clients(sandboxEnv);
    sandbox.faults.setOperation('ListEndpoints', { throttleRate: 1 });
    const t = await errorOf(sm.send(new ListEndpointsCommand({})));
    expect([t.name, t.status]).toEqual(['ThrottlingException', 400]);
    await expect(sm.send(new ListAutoMLJobsCommand({}))).resolves.toBeDefined();

    sandbox.faults.set({ ListEndpoints: { serverErrorRate: 1 } });
    const s1 = await errorOf(sm.send(new ListEndpointsCommand({})));
    const s2 = await errorOf(sm.send(new ListEndpointsCommand({})));
    expect(new Set([s1.status, s2.status])).toEqual(new Set([500, 503]));

    sandbox.faults.set({ ListEndpoints: { latencyMs: 150 } });
    const started = Date.now();
    await sm.send(new ListEndpointsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    const http = await fetch(`${sandbox.sagemakerEndpoint}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ rules: { '*': { throttleRate: 1 } } }),
    });
    expect(http.status).toBe(200);
    expect((await errorOf(sm.send(new ListAutoMLJobsCommand({})))).name).toBe('ThrottlingException');
    expect(sandbox.faults.injected().ListAutoMLJobs).toBe(1);
    sandbox.faults.clear();
    await expect(sm.send(new ListAutoMLJobsCommand({}))).resolves.toBeDefined();
    expect(() => {
      sandbox.faults.setOperation('x', { throttleRate: 2 });
    }).toThrow(/throttleRate must be a number in \[0, 1\], received 2/);
  });
});

describe('responses', () => {
  it('every response this file received matched the API model', () => {
    expect(sandbox.responseViolations()).toEqual([]);
  });
});
