/**
 * A watch against the AWS sandbox through the real sagemaker adapter: the sandbox's faults become the adapter's
 * codes, and the watch rides them out while the job runs on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollJob, type JobDeps } from '@sme/core';
import { FixedClock, InMemoryMetadataStores, InMemoryScriptsSql, MemoryLog } from '@sme/core/testing';
import { createSageMakerAdapters, resolveSageMakerOptions, type SageMakerAdapters } from '@sme/sagemaker-adapter';
import { startAwsSandbox, type AwsSandbox } from '@sme/sandbox';
import { createOutput } from '../output.js';
import { followJob } from './follow-job.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let aws: AwsSandbox;
let adapters: SageMakerAdapters;

beforeAll(async () => {
  aws = await startAwsSandbox({ clockSpeed: 1000 });
  const rows = ['x,y,label'];
  for (let i = 0; i < 600; i++) rows.push(`${String(i % 17)},${String(i % 5)},${i % 17 > 8 ? 'yes' : 'no'}`);
  await aws.objects.put('sme-sandbox', 'watch/data.csv', rows.join('\n') + '\n');
  adapters = createSageMakerAdapters(
    resolveSageMakerOptions({
      region: aws.region,
      endpointUrl: aws.sagemakerEndpoint,
      s3EndpointUrl: aws.s3Endpoint,
      credentials: aws.credentials,
      // One attempt per poll, so that every injected fault reaches the watch.
      maxAttempts: 1,
    }),
  );
}, 60_000);
afterAll(async () => {
  adapters.close();
  await aws.stop();
});

describe('watching a sandbox job through the sagemaker adapter', () => {
  it.each([
    ['throttleRate', 'SME-E-AWS-THROTTLED'],
    ['lostReplyRate', 'SME-E-AWS-SERVICE'],
    ['resetRate', 'SME-E-AWS-UNREACHABLE'],
  ])('rides out %s (%s) and reports the job’s end', async (fault, code) => {
    const jobName = `watch-${fault.toLowerCase()}`;
    const automl = adapters.automl({ connectionName: 'C', region: aws.region });
    await automl.createJob({
      AutoMLJobName: jobName,
      AutoMLJobInputDataConfig: [
        {
          ChannelType: 'training',
          ContentType: 'text/csv;header=present',
          CompressionType: 'None',
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://sme-sandbox/watch/' } },
        },
      ],
      OutputDataConfig: { S3OutputPath: 's3://sme-sandbox/watch-out' },
      AutoMLProblemTypeConfig: {
        TabularJobConfig: { TargetAttributeName: 'label', CompletionCriteria: { MaxCandidates: 1 } },
      },
      RoleArn: 'arn:aws:iam::123456789012:role/sme-sandbox',
    });
    aws.faults.set({ DescribeAutoMLJobV2: { [fault]: 1 } });
    const deps: JobDeps = {
      sql: new InMemoryScriptsSql(),
      stores: new InMemoryMetadataStores(),
      automl: adapters.automl,
      clock: new FixedClock(0),
      log: new MemoryLog(),
    };
    const err: string[] = [];
    const output = createOutput(false, {
      stdout: { write: () => true },
      stderr: { write: (t: string) => err.push(t) },
    });
    let sleeps = 0;
    const final = await followJob(
      jobName,
      () => pollJob({ jobName, connectionName: 'C', region: aws.region }, deps, { metadataSchema: 'SME' }),
      output,
      {
        intervalMs: 10,
        tty: false,
        stream: process.stderr,
        sleep: async (ms) => {
          // Three failed polls, then the service answers again.
          if (++sleeps === 3) aws.faults.clear();
          await new Promise((resolve) => setTimeout(resolve, ms));
        },
      },
    );
    expect(final.terminal).toBe(true);
    expect(aws.faults.injected().DescribeAutoMLJobV2).toBeGreaterThanOrEqual(3);
    const warnings = err.filter((line) => line.startsWith('warning: '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`warning: polling job ${jobName} failed (${code}: `);
    expect(warnings[0]).toContain('retrying — the job keeps running');
    expect(err).toContain(`polling job ${jobName} works again after 3 failed polls over 0 s\n`);
    expect(err.at(-1)).toMatch(new RegExp(`^${jobName}: ${final.status} / `));
  });
});
