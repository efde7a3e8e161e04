import { describe, expect, it } from 'vitest';
import { isSmeError, SmeError } from '../errors.js';
import { queryText, type SqlPort, type SqlQuery, type SqlRows } from '../ports/sql-port.js';
import type {
  CreateTransformJobRequest,
  TransformJobDescription,
  TransformPortFactory,
} from '../ports/transform-port.js';
import { METADATA_COLUMNS } from '../sql/metadata-table.js';
import { FakeAutoML } from '../testing/fake-automl.js';
import { FakeEndpoints, FakeObjectStore } from '../testing/fake-endpoints.js';
import { FixedClock, MemoryLog, nodeJson } from '../testing/node-doubles.js';
import { parseBatchPredictionParams } from './batch-prediction-params.js';
import { pollBatchPrediction } from './poll-batch-prediction.js';
import { startBatchPrediction, type BatchPredictionDeps } from './start-batch-prediction.js';

const JOB = 'churn-231114221320';
const NOW = Date.UTC(2023, 10, 15, 9, 30, 0);
const NAME = JOB + '-231115093000';
const PREFIX = 's3://bkt/ml/sme/' + JOB + '/batch-predictions/' + NAME + '/';

const jobRow: Record<string, string> = {
  JOB_NAME: JOB,
  S3_BUCKET_URI: 's3://bkt/ml',
  S3_OUTPUT_PATH: 'sme',
  TARGET_ATTRIBUTE_NAME: 'CHURN',
  PROBLEM_TYPE: 'BinaryClassification',
  IAM_SAGEMAKER_ROLE: 'arn:aws:iam::123456789012:role/sm',
  COLUMN_NAMES: '["AGE","PLAN","CHURN"]',
  COLUMN_TYPES: '["DECIMAL(3,0)","VARCHAR(10) UTF8","VARCHAR(3) UTF8"]',
  JOB_STATUS: 'Completed',
};

/**
 * A SqlPort that answers the statements of a batch prediction from a few tables in memory and records every
 * statement; the batch predictions row is kept as INSERT/UPDATE leave it (parsed loosely: these tests own the SQL).
 */
class ScriptedSql implements SqlPort {
  readonly statements: string[] = [];
  batchRow: Record<string, string | number | null> | undefined;
  outputColumns: string[] = [];
  failOn: RegExp | undefined;

  query(query: string | SqlQuery): Promise<SqlRows> {
    const sql = queryText(query);
    this.statements.push(sql);
    const rows = (columns: string[], values: (string | number | null)[][]): Promise<SqlRows> =>
      Promise.resolve({ columns: columns.map((name) => ({ name, type: 'VARCHAR(100)' })), rows: values });
    if (sql.includes('"SME_METADATA_AUTOPILOT_JOBS"')) {
      const names = METADATA_COLUMNS.map((c) => c.name);
      return rows(names, [names.map((n) => jobRow[n] ?? null)]);
    }
    if (sql.includes('EXA_ALL_COLUMNS') && sql.includes("'CUSTOMERS'")) {
      return rows(
        ['COLUMN_NAME', 'COLUMN_TYPE'],
        [
          ['ID', 'DECIMAL(18,0)'],
          ['AGE', 'DECIMAL(3,0)'],
          ['PLAN', 'VARCHAR(10) UTF8'],
        ],
      );
    }
    if (sql.includes('EXA_ALL_COLUMNS'))
      return rows(
        ['COLUMN_NAME', 'COLUMN_TYPE'],
        this.outputColumns.map((c) => [c, 'X']),
      );
    if (sql.includes('NPROC()')) return rows(['NPROC'], [[1]]);
    if (sql.includes('COUNT(*)')) return rows(['ROW_COUNT'], [[3]]);
    if (sql.includes('SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS')) {
      const r = this.batchRow;
      return r === undefined ? rows(['BATCH_PREDICTION_NAME'], []) : rows(Object.keys(r), [Object.values(r)]);
    }
    return Promise.reject(new Error('unexpected query ' + sql));
  }

  execute(sql: string): Promise<number> {
    this.statements.push(sql);
    if (this.failOn?.test(sql) === true) return Promise.reject(new SmeError('SME-E-SQL-FAILED', 'Internal', 'boom'));
    if (sql.startsWith('INSERT INTO "SME"."SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS"')) {
      this.batchRow = {
        BATCH_PREDICTION_NAME: NAME,
        TRANSFORM_JOB_NAME: NAME,
        MODEL_NAME: NAME,
        OUTPUT_SCHEMA_NAME: 'OUT',
        OUTPUT_TABLE_NAME: 'SCORES',
        OUTPUT_COLUMNS: '["ID","PREDICTIONS","PROBABILITY"]',
        OUTPUT_COLUMN_TYPES: '["DECIMAL(18,0)","VARCHAR(3) UTF8","DOUBLE"]',
        S3_PREFIX_URI: PREFIX,
        AWS_CREDENTIALS_CONNECTION_NAME: 'AWS',
        AWS_REGION: 'eu-central-1',
        STATUS: 'InProgress',
      };
    }
    const status = /"STATUS" = '(\w+)'/.exec(sql);
    if (sql.startsWith('UPDATE') && status !== null && this.batchRow !== undefined)
      this.batchRow.STATUS = status[1] ?? '';
    if (sql.startsWith('IMPORT')) return Promise.resolve(3);
    return Promise.resolve(0);
  }
}

class FakeTransforms {
  readonly requests: CreateTransformJobRequest[] = [];
  readonly calls: string[] = [];
  status: TransformJobDescription['TransformJobStatus'] = 'InProgress';
  failCreate: Error | undefined;
  readonly factory: TransformPortFactory = () => ({
    createTransformJob: (r) => {
      this.calls.push('create ' + r.TransformJobName);
      if (this.failCreate !== undefined) return Promise.reject(this.failCreate);
      this.requests.push(r);
      return Promise.resolve();
    },
    describeTransformJob: (name) =>
      Promise.resolve({
        TransformJobName: name,
        TransformJobStatus: this.status,
        CreationTime: NOW,
        ...(this.status === 'Failed' ? { FailureReason: 'ClientError: bad row' } : {}),
      }),
    stopTransformJob: (name) => {
      this.calls.push('stop ' + name);
      return Promise.resolve();
    },
  });
}

function setup() {
  const sql = new ScriptedSql();
  const automl = new FakeAutoML().add({
    AutoMLJobName: JOB,
    AutoMLJobArn: 'arn:aws:sagemaker:eu-central-1:123456789012:automl-job/' + JOB,
    AutoMLJobStatus: 'Completed',
    AutoMLJobSecondaryStatus: 'Completed',
    CreationTime: NOW - 3600_000,
    BestCandidate: {
      CandidateName: 'best',
      CandidateStatus: 'Completed',
      InferenceContainers: [{ Image: 'img', ModelDataUrl: 's3://bkt/model.tar.gz' }],
    },
  });
  const endpoints = new FakeEndpoints();
  const objects = new FakeObjectStore();
  const transforms = new FakeTransforms();
  const log = new MemoryLog();
  const deps: BatchPredictionDeps = {
    sql,
    automl: automl.factory,
    endpoints: endpoints.factory,
    transforms: transforms.factory,
    objects: objects.factory,
    clock: new FixedClock(NOW),
    json: nodeJson,
    log,
  };
  return { sql, endpoints, objects, transforms, deps };
}

const params = {
  job_name: JOB,
  aws_credentials_connection_name: 'aws',
  aws_region: 'eu-central-1',
  input_schema_name: 'retail',
  input_table_or_view_name: 'customers',
  output_schema_name: 'out',
  output_table_name: 'scores',
  key_columns: ['id'],
};

describe('parseBatchPredictionParams', () => {
  it('normalises names and reports every problem at once', () => {
    const p = parseBatchPredictionParams(JSON.stringify(params), nodeJson);
    expect(p).toMatchObject({ jobName: JOB, connectionName: 'AWS', keyColumns: ['ID'], instanceType: 'ml.m5.large' });
    let error: unknown;
    try {
      parseBatchPredictionParams(
        { ...params, model_name: 'churn', key_columns: [], aws_region: 'nowhere', extra: 1 },
        nodeJson,
      );
    } catch (e) {
      error = e;
    }
    expect(isSmeError(error) && error.code).toBe('SME-E-BATCH-PARAMS');
    const codes = isSmeError(error) ? (error.details.problems ?? []).map((p) => p.code).sort() : [];
    expect(codes).toEqual([
      'SME-E-BATCH-KEY-COLUMNS',
      'SME-E-BATCH-MODEL-REF',
      'SME-E-PARAM-REGION',
      'SME-E-PARAM-UNKNOWN',
    ]);
  });
});

describe('startBatchPrediction', () => {
  it('exports keys then features without header, runs the transform on a model of the best candidate, records it', async () => {
    const { sql, endpoints, transforms, deps } = setup();
    const r = await startBatchPrediction(params, deps, { metadataSchema: 'SME', sessionId: '7', user: 'SYS' });
    expect(r).toMatchObject({ name: NAME, status: 'InProgress', rowCount: 3, s3PrefixUri: PREFIX });
    expect(r.outputColumns).toEqual(['ID', 'PREDICTIONS', 'PROBABILITY']);
    const exported = sql.statements.find((s) => s.startsWith('EXPORT')) ?? '';
    expect(exported).toContain('SELECT "ID", "AGE", "PLAN" FROM "RETAIL"."CUSTOMERS"');
    expect(exported).toContain(`FILE '${PREFIX.slice('s3://bkt/'.length)}input/part-001.csv'`);
    expect(exported).not.toContain('WITH COLUMN NAMES');
    expect(endpoints.calls).toEqual(['createModel ' + NAME]);
    expect(endpoints.models.get(NAME.toLowerCase())?.containers[0]?.Environment).toEqual({
      SAGEMAKER_INFERENCE_OUTPUT: 'predicted_label,probability',
    });
    expect(transforms.requests[0]).toMatchObject({
      TransformJobName: NAME,
      ModelName: NAME,
      TransformInput: { DataSource: { S3DataSource: { S3Uri: PREFIX + 'input/' } }, SplitType: 'Line' },
      TransformOutput: { S3OutputPath: PREFIX + 'output/', AssembleWith: 'Line', Accept: 'text/csv' },
      DataProcessing: { InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-2,-1]' },
    });
    expect(sql.batchRow?.STATUS).toBe('InProgress');
  });

  it('refuses an input without the training features before creating anything', async () => {
    const { sql, endpoints, deps } = setup();
    jobRow.COLUMN_NAMES = '["AGE","PLAN","REGION","CHURN"]';
    jobRow.COLUMN_TYPES = '["DECIMAL(3,0)","VARCHAR(10) UTF8","VARCHAR(9) UTF8","VARCHAR(3) UTF8"]';
    try {
      await expect(startBatchPrediction(params, deps, { metadataSchema: 'SME' })).rejects.toMatchObject({
        code: 'SME-E-BATCH-FEATURES-MISSING',
      });
    } finally {
      jobRow.COLUMN_NAMES = '["AGE","PLAN","CHURN"]';
      jobRow.COLUMN_TYPES = '["DECIMAL(3,0)","VARCHAR(10) UTF8","VARCHAR(3) UTF8"]';
    }
    expect(sql.statements.some((s) => s.startsWith('EXPORT'))).toBe(false);
    expect(endpoints.calls).toEqual([]);
  });

  it('removes the export and the model when the transform cannot be created', async () => {
    const { endpoints, objects, transforms, deps } = setup();
    transforms.failCreate = new SmeError('SME-E-AWS-VALIDATION', 'Validation', 'bad instance type');
    objects.put(PREFIX + 'input/part-001.csv');
    await expect(startBatchPrediction(params, deps, { metadataSchema: 'SME' })).rejects.toMatchObject({
      code: 'SME-E-BATCH-COMPENSATED',
    });
    expect(endpoints.calls).toEqual(['createModel ' + NAME, 'deleteModel ' + NAME]);
    expect(objects.objects.size).toBe(0);
  });
});

describe('pollBatchPrediction', () => {
  it('reports InProgress, then imports the .out files, records Completed and removes the S3 data and model', async () => {
    const { sql, endpoints, objects, transforms, deps } = setup();
    await startBatchPrediction(params, deps, { metadataSchema: 'SME' });
    const first = await pollBatchPrediction({ name: NAME }, deps, { metadataSchema: 'SME' });
    expect(first.status).toBe('InProgress');
    transforms.status = 'Completed';
    objects.put(PREFIX + 'input/part-001.csv', PREFIX + 'output/part-001.csv.out');
    const done = await pollBatchPrediction({ name: NAME }, deps, { metadataSchema: 'SME' });
    expect(done).toMatchObject({ status: 'Completed', importedRows: 3, cleanedUp: true });
    const imported = sql.statements.find((s) => s.startsWith('IMPORT')) ?? '';
    expect(imported).toBe(
      `IMPORT INTO "OUT"."SCORES" ("ID", "PREDICTIONS", "PROBABILITY") FROM CSV AT "AWS" FILE '${PREFIX.slice('s3://bkt/'.length)}output/part-001.csv.out' ENCODING = 'UTF-8'`,
    );
    expect(sql.statements).toContain(
      'CREATE TABLE IF NOT EXISTS "OUT"."SCORES" ("ID" DECIMAL(18,0), "PREDICTIONS" VARCHAR(3) UTF8, "PROBABILITY" DOUBLE)',
    );
    expect(objects.objects.size).toBe(0);
    expect(endpoints.calls.at(-1)).toBe('deleteModel ' + NAME);
    expect(sql.batchRow?.STATUS).toBe('Completed');
    const before = sql.statements.length;
    expect((await pollBatchPrediction({ name: NAME }, deps, { metadataSchema: 'SME' })).status).toBe('Completed');
    expect(sql.statements.slice(before).some((s) => s.startsWith('IMPORT'))).toBe(false);
  });

  it('keeps the output and says so when the import fails; a failed transform imports nothing', async () => {
    const { sql, objects, transforms, deps } = setup();
    await startBatchPrediction(params, deps, { metadataSchema: 'SME' });
    transforms.status = 'Completed';
    objects.put(PREFIX + 'output/part-001.csv.out');
    sql.failOn = /^IMPORT/;
    await expect(pollBatchPrediction({ name: NAME }, deps, { metadataSchema: 'SME' })).rejects.toMatchObject({
      code: 'SME-E-BATCH-IMPORT',
    });
    expect(objects.objects.size).toBe(1);
    transforms.status = 'Failed';
    const failed = await pollBatchPrediction({ name: NAME }, deps, { metadataSchema: 'SME' });
    expect(failed).toMatchObject({ status: 'Failed', failureReason: 'ClientError: bad row', cleanedUp: true });
    expect(objects.objects.size).toBe(0);
  });

  it('answers SME-E-BATCH-NOT-FOUND for an unknown name', async () => {
    const { deps } = setup();
    await expect(pollBatchPrediction({ name: 'nope' }, deps, { metadataSchema: 'SME' })).rejects.toMatchObject({
      code: 'SME-E-BATCH-NOT-FOUND',
    });
  });
});
