/** Training data, a trained job and a deployed endpoint in the sandbox: shared by the test and the benchmark. */
import {
  createEndpointsTableSql,
  createMetadataTableSql,
  deployEndpoint,
  encodeStringArray,
  endpointStatus,
  exasolTimestamp,
  insertJobSql,
  quoteLiteral,
  type ProblemType,
} from '@sme/core';
import { BUCKET, predictionBundle, startEnvironment } from './environment.js';
import { seededRandom } from '@sme/sandbox';

export type Environment = Awaited<ReturnType<typeof startEnvironment>>;

export const NOTES = ['plain', 'a, b', 'say "hi"', 'two\nlines', "it's", 'x,"y"\r\nz', null];
export const LABELS = ['yes, sure', 'no "way"'];

/** A seeded generator (the sandbox's mulberry32), so that every run sees the same rows. */
export const rng = seededRandom;

export interface DataRow {
  readonly x1: number;
  readonly x2: number | null;
  readonly note: string | null;
}

export function rows(n: number, seed: number): DataRow[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    x1: Math.round((r() * 4 - 2) * 1e6) / 1e6,
    x2: i % 17 === 5 ? null : r() * 4 - 2,
    note: NOTES[Math.floor(r() * NOTES.length)] ?? null,
  }));
}

function sqlValue(v: number | string | null): string {
  if (v === null) return 'NULL';
  return typeof v === 'number' ? String(v) : quoteLiteral(v);
}

export async function insertRows(env: Environment, table: string, data: readonly DataRow[], label: boolean) {
  const cols = label ? '("X1", "X2", "NOTE", "LABEL")' : '("X1", "X2", "NOTE")';
  for (let i = 0; i < data.length; i += 500) {
    const values = data.slice(i, i + 500).map((d) => {
      const parts = [sqlValue(d.x1), sqlValue(d.x2), sqlValue(d.note)];
      if (label) parts.push(sqlValue(LABELS[d.x1 + (d.x2 ?? 0) > 0 ? 0 : 1] ?? ''));
      return '(' + parts.join(', ') + ')';
    });
    await env.sql.execute(`INSERT INTO "ML".${table} ${cols} VALUES ${values.join(', ')}`);
  }
}

/**
 * Creates the tables, trains a job on 600 rows by calling the sandbox SageMaker directly (the CSV is uploaded, as
 * EXPORT would), records its metadata row and waits until it is Completed.
 */
export async function trainJob(env: Environment, jobName: string): Promise<void> {
  await env.sql.execute('CREATE SCHEMA IF NOT EXISTS "ML"');
  await env.sql.execute('CREATE SCHEMA IF NOT EXISTS "SME"');
  await env.sql.execute(createMetadataTableSql('SME'));
  await env.sql.execute(createEndpointsTableSql('SME'));
  await env.sql.execute(
    'CREATE OR REPLACE TABLE "ML"."TRAIN" ("X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8, "LABEL" VARCHAR(20) UTF8)',
  );
  const training = rows(600, 1);
  const csv =
    'X1,X2,NOTE,LABEL\n' +
    training
      .map((d) =>
        [d.x1, d.x2 ?? '', d.note ?? '', LABELS[d.x1 + (d.x2 ?? 0) > 0 ? 0 : 1] ?? '']
          .map((v) => {
            const t = String(v);
            return /[",\r\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
          })
          .join(','),
      )
      .join('\n') +
    '\n';
  const prefix = `s3://${BUCKET}/sme/${jobName}/`;
  await env.adapters.objects().upload(prefix + 'input/part-001.csv', csv);
  const problemType: ProblemType = 'BinaryClassification';
  const role = 'arn:aws:iam::123456789012:role/SageMaker';
  const automl = env.adapters.automl({ connectionName: 'AWS', region: env.aws.region });
  await automl.createJob({
    AutoMLJobName: jobName,
    AutoMLJobInputDataConfig: [
      {
        ChannelType: 'training',
        ContentType: 'text/csv;header=present',
        CompressionType: 'None',
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: prefix + 'input/' } },
      },
    ],
    OutputDataConfig: { S3OutputPath: prefix + 'output/' },
    AutoMLProblemTypeConfig: {
      TabularJobConfig: {
        TargetAttributeName: 'LABEL',
        ProblemType: problemType,
        CompletionCriteria: { MaxCandidates: 2 },
      },
    },
    RoleArn: role,
  });
  await env.sql.execute(
    insertJobSql('SME', {
      DATETIME: { kind: 'timestamp', value: exasolTimestamp(Date.now()) },
      JOB_NAME: { kind: 'text', value: jobName },
      AWS_CREDENTIALS_CONNECTION_NAME: { kind: 'text', value: 'AWS' },
      AWS_REGION: { kind: 'text', value: env.aws.region },
      IAM_SAGEMAKER_ROLE: { kind: 'text', value: role },
      // Where the job's files are (the batch predictions go under its prefix, s3://<bucket>/sme/<job>/).
      S3_BUCKET_URI: { kind: 'text', value: `s3://${BUCKET}` },
      S3_OUTPUT_PATH: { kind: 'text', value: 'sme' },
      TARGET_ATTRIBUTE_NAME: { kind: 'text', value: 'LABEL' },
      PROBLEM_TYPE: { kind: 'text', value: problemType },
      COLUMN_NAMES: { kind: 'text', value: encodeStringArray(['X1', 'X2', 'NOTE', 'LABEL']) },
      COLUMN_TYPES: {
        kind: 'text',
        value: encodeStringArray(['DOUBLE', 'DOUBLE', 'VARCHAR(100) UTF8', 'VARCHAR(20) UTF8']),
      },
      JOB_STATUS: { kind: 'text', value: 'InProgress' },
      S3_INPUT_URI: { kind: 'text', value: prefix + 'input/' },
      S3_OUTPUT_URI: { kind: 'text', value: prefix + 'output/' },
    }),
  );
  for (let i = 0; i < 600; i++) {
    const d = await automl.describeJob(jobName);
    if (d.AutoMLJobStatus === 'Completed') return;
    if (d.AutoMLJobStatus === 'Failed' || d.AutoMLJobStatus === 'Stopped') throw new Error('job ' + d.AutoMLJobStatus);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not complete');
}

export async function deploy(env: Environment, jobName: string, endpointName: string, maxRows?: number) {
  return deployEndpoint(
    {
      jobName,
      endpointName,
      schemaName: 'ML',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
      connectionName: 'AWS',
      region: env.aws.region,
    },
    {
      ...env.deps,
      automl: env.adapters.automl,
      json: env.json,
      predictionUdf: {
        luaBundle: predictionBundle(),
        awsEndpointUrl: env.aws.sagemakerEndpoint,
        ...(maxRows === undefined ? {} : { maxRows }),
      },
    },
    { metadataSchema: 'SME', user: 'SYS' },
  );
}

export async function waitInService(env: Environment, endpointName: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 300; i++) {
    const s = await endpointStatus({ endpointName }, env.deps, { metadataSchema: 'SME' });
    if (seen[seen.length - 1] !== s.status) seen.push(s.status);
    if (s.status === 'InService' || s.status === 'Failed') return seen;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('endpoint not InService');
}
