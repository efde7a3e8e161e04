import { describe, expect, it } from 'vitest';
import { SmeError, isSmeError } from '../errors.js';
import { FakeAutoML } from '../testing/fake-automl.js';
import { InMemorySql } from '../testing/in-memory-sql.js';
import { StaticConnections, StaticIdentity } from '../testing/doubles.js';
import { FixedClock, MemoryLog, nodeJson } from '../testing/node-doubles.js';
import { SEED_PARAMS_JSON } from '../testing/seed-example.js';
import { startTraining, type StartTrainingDeps } from './start-training.js';

const NOW = 1700000000000; // 2023-11-14 22:13:20 UTC
const JOB = 'churn-model-231114221320';
const seed = JSON.parse(SEED_PARAMS_JSON) as Record<string, unknown>;
const context = { sessionId: '1234567890123456789', user: 'ANALYST', metadataSchema: 'SME', exportFileCount: 2 };

function setup(rowCount = 1000) {
  const sql = new InMemorySql()
    .addTable('RETAIL', 'CUSTOMER_CHURN', {
      columns: [
        { name: 'AGE', type: 'DECIMAL(3,0)' },
        { name: 'Plan', type: 'VARCHAR(20) UTF8' },
        { name: 'CHURNED', type: 'BOOLEAN' },
      ],
      rowCount,
    })
    .addMetadataTable('SME');
  const automl = new FakeAutoML(() => NOW);
  const log = new MemoryLog();
  const deps: StartTrainingDeps = {
    sql,
    automl: automl.factory,
    clock: new FixedClock(NOW),
    json: nodeJson,
    log,
    connections: new StaticConnections({ AWS_CONNECTION: 'https://sme-training-data.s3.eu-central-1.amazonaws.com/' }),
  };
  return { sql, automl, log, deps };
}

async function failure(p: Promise<unknown>): Promise<SmeError> {
  try {
    await p;
  } catch (e: unknown) {
    if (isSmeError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('startTraining', () => {
  it('exports into the job prefix, creates the job and records the metadata row', async () => {
    const { sql, automl, deps } = setup();
    const result = await startTraining(SEED_PARAMS_JSON, deps, context);
    expect(result).toEqual({
      jobName: JOB,
      jobArn: `arn:aws:sagemaker:eu-central-1:123456789012:automl-job/${JOB}`,
      status: 'InProgress',
      roleArn: 'arn:aws:iam::123456789012:role/SageMakerExecution',
      s3InputUri: `s3://sme-training-data/autopilot/churn/${JOB}/input/`,
      s3OutputUri: `s3://sme-training-data/autopilot/churn/${JOB}/output/`,
      columnNames: ['AGE', 'Plan', 'CHURNED'],
      rowCount: 1000,
    });
    expect(sql.exports).toEqual([
      expect.objectContaining({
        connection: 'AWS_CONNECTION',
        columns: ['AGE', 'Plan', 'CHURNED'],
        fileKeys: [`autopilot/churn/${JOB}/input/part-001.csv`, `autopilot/churn/${JOB}/input/part-002.csv`],
      }),
    ]);
    expect(automl.targets).toEqual([{ connectionName: 'AWS_CONNECTION', region: 'eu-central-1' }]);
    const [row] = sql.metadata('SME');
    expect(row).toMatchObject({
      DATETIME: '2023-11-14 22:13:20.000',
      JOB_NAME: JOB,
      AWS_CREDENTIALS_CONNECTION_NAME: 'AWS_CONNECTION',
      SESSION_ID: '1234567890123456789',
      SCRIPT_USER: 'ANALYST',
      MAX_CANDIDATES: 10,
      COLUMN_NAMES: '["AGE","Plan","CHURNED"]',
      JOB_STATUS: 'InProgress',
      JOB_ARN: result.jobArn,
      S3_INPUT_URI: result.s3InputUri,
    });
  });

  it('touches nothing on invalid parameters', async () => {
    const { sql, automl, deps } = setup();
    const e = await failure(startTraining({ ...seed, max_candidates: 0 }, deps, context));
    expect(e.code).toBe('SME-E-PARAMS');
    expect(sql.statements).toEqual([]);
    expect(automl.calls).toEqual([]);
  });

  it('asks for the ARN when the role is a bare name and nothing resolves it; resolves it when it can', async () => {
    const { sql, deps } = setup();
    const input = { ...seed, iam_sagemaker_role: 'SageMakerExecution' };
    expect((await failure(startTraining(input, deps, context))).code).toBe('SME-E-ROLE-ARN-REQUIRED');
    expect(sql.statements).toEqual([]);
    const result = await startTraining(input, { ...deps, identity: new StaticIdentity('999999999999') }, context);
    expect(result.roleArn).toBe('arn:aws:iam::999999999999:role/SageMakerExecution');
  });

  it('refuses a CONNECTION that writes to another bucket, or does not exist', async () => {
    const { sql, deps } = setup();
    const other = { ...deps, connections: new StaticConnections({ AWS_CONNECTION: 'https://other.s3.amazonaws.com' }) };
    expect((await failure(startTraining(SEED_PARAMS_JSON, other, context))).code).toBe('SME-E-BUCKET-MISMATCH');
    const none = { ...deps, connections: new StaticConnections({}) };
    expect((await failure(startTraining(SEED_PARAMS_JSON, none, context))).code).toBe('SME-E-CONNECTION-NOT-FOUND');
    const secret = {
      ...deps,
      connections: new StaticConnections({ AWS_CONNECTION: 'https://KEY:SECRET@other.s3.amazonaws.com' }),
    };
    const masked = await failure(startTraining(SEED_PARAMS_JSON, secret, context));
    expect(masked.code).toBe('SME-E-CONNECTION-ADDRESS');
    expect(masked.message).toContain('https://***@other.s3.amazonaws.com');
    expect(masked.message + String(masked.details.value)).not.toContain('SECRET');
    expect(sql.statements).toEqual([]);
  });

  it('fails on a missing table, a missing target column and too few rows, before any export', async () => {
    const { sql, automl, deps } = setup(499);
    expect((await failure(startTraining({ ...seed, input_table_or_view_name: 'nope' }, deps, context))).code).toBe(
      'SME-E-TABLE-NOT-FOUND',
    );
    const target = await failure(startTraining({ ...seed, target_attribute_name: 'plan' }, deps, context));
    expect(target.code).toBe('SME-E-TARGET-NOT-FOUND');
    expect(target.message).toContain('Plan');
    expect((await failure(startTraining(SEED_PARAMS_JSON, deps, context))).code).toBe('SME-E-TOO-FEW-ROWS');
    expect(sql.exports).toEqual([]);
    expect(automl.calls).toEqual([]);
  });

  it('counts only rows with a non-NULL target, and says how many rows there are and how many have one', async () => {
    const { sql, automl, deps } = setup();
    const columns = [
      { name: 'AGE', type: 'DECIMAL(3,0)' },
      { name: 'CHURNED', type: 'BOOLEAN' },
    ];
    sql.addTable('RETAIL', 'NULLS', { columns, rowCount: 1000, targetRowCount: 0 });
    const e = await failure(startTraining({ ...seed, input_table_or_view_name: 'nulls' }, deps, context));
    expect(e.code).toBe('SME-E-TOO-FEW-ROWS');
    expect(e.message).toContain('1000 rows, 0 of them with a non-NULL "CHURNED"');
    expect(sql.statements.some((s) => s.includes('COUNT("CHURNED")'))).toBe(true);
    expect(sql.exports).toEqual([]);
    expect(automl.calls).toEqual([]);
  });

  it('refuses a table holding only the target column before counting or exporting', async () => {
    const { sql, automl, deps } = setup();
    sql.addTable('RETAIL', 'ONLY_TARGET', { columns: [{ name: 'CHURNED', type: 'BOOLEAN' }], rowCount: 1000 });
    const e = await failure(startTraining({ ...seed, input_table_or_view_name: 'only_target' }, deps, context));
    expect(e.code).toBe('SME-E-NO-FEATURES');
    expect(e.message).toContain('"CHURNED"');
    expect(sql.statements.some((s) => s.includes('COUNT'))).toBe(false);
    expect(sql.exports).toEqual([]);
    expect(automl.calls).toEqual([]);
  });

  it('refuses a job name already in the metadata table (any case) and never overwrites', async () => {
    const { sql, automl, deps } = setup();
    sql.addMetadataTable('SME', [{ JOB_NAME: JOB.toUpperCase(), DATETIME: 'x' }]);
    const e = await failure(startTraining(SEED_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-JOB-NAME-TAKEN');
    expect(e.message).toContain('retry');
    expect(sql.exports).toEqual([]);
    expect(automl.calls).toEqual([]);
  });

  it('turns AWS AlreadyExists into SME-E-JOB-NAME-TAKEN and other createJob errors pass through', async () => {
    const { sql, automl, deps } = setup();
    automl.failOn('createJob', new SmeError('SME-E-AWS-ALREADY-EXISTS', 'AlreadyExists', 'exists'));
    expect((await failure(startTraining(SEED_PARAMS_JSON, deps, context))).code).toBe('SME-E-JOB-NAME-TAKEN');
    automl.failOn('createJob', new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down'));
    expect((await failure(startTraining(SEED_PARAMS_JSON, deps, context))).code).toBe('SME-E-AWS-THROTTLED');
    expect(sql.metadata('SME')).toEqual([]);
  });

  it('fails before AWS when the export fails', async () => {
    const { sql, automl, deps } = setup();
    sql.failWhen('EXPORT', new SmeError('SME-E-SQL-EXPORT', 'SqlError', 'access denied to bucket'));
    expect((await failure(startTraining(SEED_PARAMS_JSON, deps, context))).code).toBe('SME-E-SQL-EXPORT');
    expect(automl.calls).toEqual([]);
  });

  it('stops the job when the metadata row cannot be written, and reports the cause', async () => {
    const { sql, automl, log, deps } = setup();
    const insertError = new SmeError('SME-E-SQL-INSERT', 'SqlError', 'table is read-only');
    sql.failWhen('INSERT INTO', insertError);
    const e = await failure(startTraining(SEED_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-START-COMPENSATED');
    expect(e.details.problems).toEqual([insertError]);
    expect(automl.job(JOB)?.AutoMLJobStatus).toBe('Stopping');
    expect(log.lines.join('\n')).toContain('was stopped');
  });

  it('reports both errors when the job can be neither recorded nor stopped', async () => {
    const { sql, automl, deps } = setup();
    const insertError = new SmeError('SME-E-SQL-INSERT', 'SqlError', 'table is read-only');
    const stopError = new SmeError('SME-E-AWS-ACCESS', 'AccessDenied', 'not allowed to stop');
    sql.failWhen('INSERT INTO', insertError);
    automl.failOn('stopJob', stopError);
    const e = await failure(startTraining(SEED_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-START-UNTRACKED');
    expect(e.details.problems).toEqual([insertError, stopError]);
    expect(e.message).toContain(JOB);
    expect(e.message).toContain('stop it yourself');
  });
});
