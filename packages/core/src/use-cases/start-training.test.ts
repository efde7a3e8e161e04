import { describe, expect, it } from 'vitest';
import { SmeError, isSmeError } from '../errors.js';
import { FakeAutoML } from '../testing/fake-automl.js';
import { FakeObjectStore } from '../testing/fake-endpoints.js';
import { InMemoryMetadataStores } from '../testing/in-memory-stores.js';
import { InMemoryTablesSql } from '../testing/tables-sql.js';
import { StaticConnections, StaticIdentity } from '../testing/doubles.js';
import { FixedClock, MemoryLog, nodeJson } from '../testing/node-doubles.js';
import { EXAMPLE_PARAMS_JSON } from '../testing/example-params.js';
import { startTraining, type StartTrainingDeps } from './start-training.js';

const NOW = 1700000000000; // 2023-11-14 22:13:20 UTC
const JOB = 'churn-model-231114221320';
const ATTEMPT = 'attempt-1234567890123456789-1700000000000';
const BUCKET_URI = 's3://sme-training-data/';
const example = JSON.parse(EXAMPLE_PARAMS_JSON) as Record<string, unknown>;
const context = { sessionId: '1234567890123456789', user: 'ANALYST', metadataSchema: 'SME', exportFileCount: 2 };

function setup(rowCount = 1000) {
  const sql = new InMemoryTablesSql().addTable('RETAIL', 'CUSTOMER_CHURN', {
    columns: [
      { name: 'AGE', type: 'DECIMAL(3,0)' },
      { name: 'Plan', type: 'VARCHAR(20) UTF8' },
      { name: 'CHURNED', type: 'BOOLEAN' },
    ],
    rowCount,
  });
  const stores = new InMemoryMetadataStores();
  const automl = new FakeAutoML(() => NOW);
  const objects = new FakeObjectStore();
  sql.onExport = (e) => objects.put(...e.fileKeys.map((k) => BUCKET_URI + k));
  const log = new MemoryLog();
  const deps: StartTrainingDeps = {
    sql,
    stores,
    automl: automl.factory,
    objects: objects.factory,
    clock: new FixedClock(NOW),
    json: nodeJson,
    log,
    connections: new StaticConnections({ AWS_CONNECTION: 'https://sme-training-data.s3.eu-central-1.amazonaws.com/' }),
  };
  return { sql, stores, automl, objects, log, deps };
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
    const { sql, automl, deps, stores } = setup();
    const result = await startTraining(EXAMPLE_PARAMS_JSON, deps, context);
    expect(result).toEqual({
      jobName: JOB,
      jobArn: `arn:aws:sagemaker:eu-central-1:123456789012:automl-job/${JOB}`,
      status: 'InProgress',
      recovered: false,
      attemptId: ATTEMPT,
      roleArn: 'arn:aws:iam::123456789012:role/SageMakerExecution',
      s3InputUri: `s3://sme-training-data/autopilot/churn/${JOB}/${ATTEMPT}/input/`,
      s3OutputUri: `s3://sme-training-data/autopilot/churn/${JOB}/${ATTEMPT}/output/`,
      columnNames: ['AGE', 'Plan', 'CHURNED'],
      rowCount: 1000,
      warnings: [],
      costEstimate: expect.objectContaining({ capped: true }) as unknown,
    });
    expect(sql.exports).toEqual([
      expect.objectContaining({
        connection: 'AWS_CONNECTION',
        columns: ['AGE', 'Plan', 'CHURNED'],
        fileKeys: [
          `autopilot/churn/${JOB}/${ATTEMPT}/input/part-001.csv`,
          `autopilot/churn/${JOB}/${ATTEMPT}/input/part-002.csv`,
        ],
      }),
    ]);
    expect(automl.targets).toEqual([{ connectionName: 'AWS_CONNECTION', region: 'eu-central-1' }]);
    const [row] = stores.jobs.rows;
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
    const e = await failure(startTraining({ ...example, max_candidates: 0 }, deps, context));
    expect(e.code).toBe('SME-E-PARAMS');
    expect(sql.statements).toEqual([]);
    expect(automl.calls).toEqual([]);
  });

  it('asks for the ARN when the role is a bare name and nothing resolves it; resolves it when it can', async () => {
    const { sql, deps } = setup();
    const input = { ...example, iam_sagemaker_role: 'SageMakerExecution' };
    expect((await failure(startTraining(input, deps, context))).code).toBe('SME-E-ROLE-ARN-REQUIRED');
    expect(sql.statements).toEqual([]);
    const result = await startTraining(input, { ...deps, identity: new StaticIdentity('999999999999') }, context);
    expect(result.roleArn).toBe('arn:aws:iam::999999999999:role/SageMakerExecution');
  });

  it('refuses a CONNECTION that writes to another bucket, or does not exist', async () => {
    const { sql, deps } = setup();
    const other = { ...deps, connections: new StaticConnections({ AWS_CONNECTION: 'https://other.s3.amazonaws.com' }) };
    expect((await failure(startTraining(EXAMPLE_PARAMS_JSON, other, context))).code).toBe('SME-E-BUCKET-MISMATCH');
    const none = { ...deps, connections: new StaticConnections({}) };
    expect((await failure(startTraining(EXAMPLE_PARAMS_JSON, none, context))).code).toBe('SME-E-CONNECTION-NOT-FOUND');
    const secret = {
      ...deps,
      connections: new StaticConnections({ AWS_CONNECTION: 'https://KEY:SECRET@other.s3.amazonaws.com' }),
    };
    const masked = await failure(startTraining(EXAMPLE_PARAMS_JSON, secret, context));
    expect(masked.code).toBe('SME-E-CONNECTION-ADDRESS');
    expect(masked.message).toContain('https://***@other.s3.amazonaws.com');
    expect(masked.message + String(masked.details.value)).not.toContain('SECRET');
    expect(sql.statements).toEqual([]);
  });

  it('fails on a missing table, a missing target column and too few rows, before any export', async () => {
    const { sql, automl, deps } = setup(499);
    expect((await failure(startTraining({ ...example, input_table_or_view_name: 'nope' }, deps, context))).code).toBe(
      'SME-E-TABLE-NOT-FOUND',
    );
    const target = await failure(startTraining({ ...example, target_attribute_name: 'plan' }, deps, context));
    expect(target.code).toBe('SME-E-TARGET-NOT-FOUND');
    expect(target.message).toContain('Plan');
    expect((await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context))).code).toBe('SME-E-TOO-FEW-ROWS');
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
    const e = await failure(startTraining({ ...example, input_table_or_view_name: 'nulls' }, deps, context));
    expect(e.code).toBe('SME-E-TOO-FEW-ROWS');
    expect(e.message).toContain('1000 rows, 0 of them with a non-NULL "CHURNED"');
    expect(sql.statements.some((s) => s.includes('COUNT("CHURNED")'))).toBe(true);
    expect(sql.exports).toEqual([]);
    expect(automl.calls).toEqual([]);
  });

  it('refuses a table holding only the target column before counting or exporting', async () => {
    const { sql, automl, deps } = setup();
    sql.addTable('RETAIL', 'ONLY_TARGET', { columns: [{ name: 'CHURNED', type: 'BOOLEAN' }], rowCount: 1000 });
    const e = await failure(startTraining({ ...example, input_table_or_view_name: 'only_target' }, deps, context));
    expect(e.code).toBe('SME-E-NO-FEATURES');
    expect(e.message).toContain('"CHURNED"');
    expect(sql.statements.some((s) => s.includes('COUNT'))).toBe(false);
    expect(sql.exports).toEqual([]);
    expect(automl.calls).toEqual([]);
  });

  it('refuses a job name already in the metadata table (any case) and never overwrites', async () => {
    const { sql, automl, deps, stores } = setup();
    stores.jobs.rows.push({ JOB_NAME: JOB.toUpperCase(), DATETIME: 'x' });
    const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-JOB-NAME-TAKEN');
    expect(e.message).toContain('retry');
    expect(sql.exports).toEqual([]);
    expect(automl.calls).toEqual([]);
  });

  it('turns AWS AlreadyExists into SME-E-JOB-NAME-TAKEN and other createJob errors pass through', async () => {
    const { automl, deps, stores } = setup();
    automl.failOn('createJob', new SmeError('SME-E-AWS-ALREADY-EXISTS', 'AlreadyExists', 'exists'));
    expect((await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context))).code).toBe('SME-E-JOB-NAME-TAKEN');
    automl.failOn('createJob', new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down'));
    expect((await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context))).code).toBe('SME-E-AWS-THROTTLED');
    expect(stores.jobs.rows).toEqual([]);
  });

  it('fails before AWS when the export fails', async () => {
    const { sql, automl, deps } = setup();
    sql.failWhen('EXPORT', new SmeError('SME-E-SQL-EXPORT', 'SqlError', 'access denied to bucket'));
    expect((await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context))).code).toBe('SME-E-SQL-EXPORT');
    expect(automl.calls).toEqual([]);
  });

  it('stops the job when the metadata row cannot be written, and reports the cause', async () => {
    const { automl, log, deps, stores } = setup();
    const insertError = new SmeError('SME-E-SQL-INSERT', 'SqlError', 'table is read-only');
    stores.jobs.failWhen('insert', insertError);
    const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-START-COMPENSATED');
    expect(e.details.problems).toEqual([insertError]);
    expect(automl.job(JOB)?.AutoMLJobStatus).toBe('Stopping');
    expect(log.lines.join('\n')).toContain('was stopped');
  });

  it('reports both errors when the job can be neither recorded nor stopped', async () => {
    const { automl, deps, stores } = setup();
    const insertError = new SmeError('SME-E-SQL-INSERT', 'SqlError', 'table is read-only');
    const stopError = new SmeError('SME-E-AWS-ACCESS', 'AccessDenied', 'not allowed to stop');
    stores.jobs.failWhen('insert', insertError);
    automl.failOn('stopJob', stopError);
    const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-START-UNTRACKED');
    expect(e.details.problems).toEqual([insertError, stopError]);
    expect(e.message).toContain(JOB);
    expect(e.message).toContain('stop it yourself');
  });

  it('records nothing and deletes the export when the row cannot be written and the job was stopped', async () => {
    const { objects, deps, stores } = setup();
    stores.jobs.failWhen('insert', new SmeError('SME-E-SQL-INSERT', 'SqlError', 'table is read-only'));
    const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-START-COMPENSATED');
    expect(e.message).toContain('was deleted');
    expect([...objects.objects]).toEqual([]);
  });

  it('keeps the export of a job that could not be stopped (it reads it) and names the stop command', async () => {
    const { automl, objects, deps, stores } = setup();
    stores.jobs.failWhen('insert', new SmeError('SME-E-SQL-INSERT', 'SqlError', 'table is read-only'));
    automl.failOn('stopJob', new SmeError('SME-E-AWS-SERVICE', 'ServiceError', 'internal failure'));
    const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-START-UNTRACKED');
    expect(e.message).toContain(`aws sagemaker stop-auto-ml-job --region eu-central-1 --auto-ml-job-name ${JOB}`);
    expect(objects.objects.size).toBe(2);
  });

  it('counts a stop whose answer was lost as stopped, after describing the job', async () => {
    const { automl, deps, stores } = setup();
    stores.jobs.failWhen('insert', new SmeError('SME-E-SQL-INSERT', 'SqlError', 'table is read-only'));
    automl.loseReply('stopJob', new SmeError('SME-E-AWS-SERVICE', 'ServiceError', 'connection reset'));
    const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-START-COMPENSATED');
    expect(automl.job(JOB)?.AutoMLJobStatus).toBe('Stopping');
  });

  it('gives every attempt its own export folder: same name, same second, two tables, no swap', async () => {
    const { sql, automl, objects, deps, stores } = setup();
    sql.addTable('RETAIL', 'OTHER', {
      columns: [
        { name: 'INCOME', type: 'DECIMAL(9,0)' },
        { name: 'CHURNED', type: 'BOOLEAN' },
      ],
      rowCount: 700,
    });
    const [first, second] = await Promise.allSettled([
      startTraining(EXAMPLE_PARAMS_JSON, deps, { ...context, sessionId: '11' }),
      startTraining({ ...example, input_table_or_view_name: 'OTHER' }, deps, { ...context, sessionId: '12' }),
    ]);
    const results = [first, second];
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SME-E-JOB-NAME-TAKEN' });
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof startTraining>>>).value;
    const winnerExport = sql.exports.find((e) => e.fileKeys[0]?.includes(winner.attemptId));
    // The job reads the winner's own folder, which holds only the winner's table.
    expect(automl.job(JOB)?.AutoMLJobInputDataConfig?.[0]?.DataSource.S3DataSource.S3Uri).toBe(winner.s3InputUri);
    expect(winnerExport?.columns).toEqual(winner.columnNames);
    expect(sql.exports.map((e) => e.fileKeys[0])).toHaveLength(2);
    expect(new Set(sql.exports.map((e) => e.fileKeys[0])).size).toBe(2);
    // The loser's copy is gone, the winner's is intact; one metadata row.
    expect([...objects.objects].every((u) => u.startsWith(winner.s3InputUri))).toBe(true);
    expect(objects.objects.size).toBe(2);
    expect(stores.jobs.rows).toHaveLength(1);
    expect(stores.jobs.rows[0]).toMatchObject({ S3_INPUT_URI: winner.s3InputUri });
  });

  it('adopts its own job when the create was applied but its answer was lost (5xx, reset)', async () => {
    const { automl, log, deps, stores } = setup();
    automl.loseReply('createJob', new SmeError('SME-E-AWS-SERVICE', 'ServiceError', 'InternalFailure'));
    const result = await startTraining(EXAMPLE_PARAMS_JSON, deps, context);
    expect(result.recovered).toBe(true);
    expect(result.jobArn).toBe(automl.job(JOB)?.AutoMLJobArn);
    expect(stores.jobs.rows).toHaveLength(1);
    expect(automl.job(JOB)?.AutoMLJobStatus).toBe('InProgress');
    expect(log.lines.join('\n')).toContain('was lost');
  });

  it('adopts its own job when an SDK retry of a lost create answers "already exists"', async () => {
    const { automl, deps, stores } = setup();
    automl.loseReply('createJob', new SmeError('SME-E-AWS-ALREADY-EXISTS', 'AlreadyExists', 'exists'));
    const result = await startTraining(EXAMPLE_PARAMS_JSON, deps, context);
    expect(result.recovered).toBe(true);
    expect(stores.jobs.rows).toHaveLength(1);
  });

  it('never adopts a job of that name that reads another input, role or target; deletes its own export', async () => {
    for (const change of [
      { AutoMLJobInputDataConfig: [] },
      { RoleArn: 'arn:aws:iam::123456789012:role/Other' },
      { AutoMLProblemTypeConfig: { TabularJobConfig: { TargetAttributeName: 'AGE' } } },
    ]) {
      const { automl, objects, deps, stores } = setup();
      automl.loseReply('createJob', new SmeError('SME-E-AWS-SERVICE', 'ServiceError', 'InternalFailure'));
      // Between our lost create and our describe, the job turns out to differ from what we asked for.
      const describe = automl.factory;
      const changed: StartTrainingDeps['automl'] = (target) => {
        const port = describe(target);
        return {
          ...port,
          describeJob: async (name) => ({ ...(await port.describeJob(name)), ...change }),
        };
      };
      const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, { ...deps, automl: changed }, context));
      expect(e.code).toBe('SME-E-JOB-NAME-TAKEN');
      expect(e.message).toContain('was deleted');
      expect(stores.jobs.rows).toEqual([]);
      expect(automl.job(JOB)?.AutoMLJobStatus).toBe('InProgress');
      expect([...objects.objects]).toEqual([]);
    }
  });

  it('never adopts a job another start created first', async () => {
    const { automl, objects, deps, stores } = setup();
    automl.add({
      AutoMLJobName: JOB,
      AutoMLJobArn: 'arn:aws:sagemaker:eu-central-1:123456789012:automl-job/other',
      AutoMLJobStatus: 'InProgress',
      AutoMLJobSecondaryStatus: 'Starting',
      CreationTime: NOW,
    });
    const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-JOB-NAME-TAKEN');
    expect(e.message).toContain('another start');
    expect(stores.jobs.rows).toEqual([]);
    expect(automl.calls.filter((c) => c.startsWith('stopJob'))).toEqual([]);
    expect([...objects.objects]).toEqual([]);
  });

  it('deletes the export after a create that failed without creating anything, and says so', async () => {
    const { objects, deps, automl } = setup();
    automl.failOn('createJob', new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down'));
    const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-AWS-THROTTLED');
    expect(e.message).toContain(
      `this attempt's export (${BUCKET_URI}autopilot/churn/${JOB}/${ATTEMPT}/input/) was deleted`,
    );
    expect([...objects.objects]).toEqual([]);
  });

  it('deletes what a failed EXPORT may have written', async () => {
    const { sql, objects, deps } = setup();
    objects.put(`${BUCKET_URI}autopilot/churn/${JOB}/${ATTEMPT}/input/part-001.csv`);
    sql.failWhen('EXPORT', new SmeError('SME-E-SQL-EXPORT', 'SqlError', 'connection lost'));
    const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-SQL-EXPORT');
    expect([...objects.objects]).toEqual([]);
  });

  it('lists exactly what remains, and the command that removes it, when deleting the export fails too', async () => {
    const { objects, deps, automl } = setup();
    automl.failOn('createJob', new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down'));
    objects.failOn('deletePrefix', new SmeError('SME-E-AWS-ACCESS', 'AccessDenied', 'no s3:DeleteObject'));
    const prefix = `${BUCKET_URI}autopilot/churn/${JOB}/${ATTEMPT}/input/`;
    const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-AWS-THROTTLED');
    expect(e.details.remains).toEqual([prefix + 'part-001.csv', prefix + 'part-002.csv']);
    expect(e.message).toContain('2 objects remain: ' + prefix + 'part-001.csv, ' + prefix + 'part-002.csv');
    expect(e.message).toContain('aws s3 rm --recursive ' + prefix);
    objects.failOn('list', new SmeError('SME-E-AWS-ACCESS', 'AccessDenied', 'no s3:ListBucket'));
    const blind = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(blind.message).toContain('2 exported objects may remain');
  });

  it('touches neither job nor export when the outcome of a failed create cannot be found out', async () => {
    const { automl, objects, deps, stores } = setup();
    automl.loseReply('createJob', new SmeError('SME-E-AWS-SERVICE', 'ServiceError', 'InternalFailure'));
    automl.failOn('describeJob', new SmeError('SME-E-AWS-SERVICE', 'ServiceError', 'InternalFailure'));
    const e = await failure(startTraining(EXAMPLE_PARAMS_JSON, deps, context));
    expect(e.code).toBe('SME-E-START-UNCONFIRMED');
    expect(e.message).toContain(
      `aws sagemaker describe-auto-ml-job-v2 --region eu-central-1 --auto-ml-job-name ${JOB}`,
    );
    expect(e.message).toContain('aws s3 rm --recursive ');
    expect(objects.objects.size).toBe(2);
    expect(stores.jobs.rows).toEqual([]);
    expect(automl.calls.filter((c) => c.startsWith('describeJob'))).toHaveLength(3);
  });

  it('sends the create again (at most 3 times) once a describe confirmed that a throttled one created nothing', async () => {
    const { automl, deps, stores } = setup();
    let failures = 1;
    const flaky: StartTrainingDeps['automl'] = (target) => {
      const port = automl.factory(target);
      return {
        ...port,
        createJob: (request) => {
          if (failures-- > 0) return Promise.reject(new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down'));
          return port.createJob(request);
        },
      };
    };
    const result = await startTraining(EXAMPLE_PARAMS_JSON, { ...deps, automl: flaky }, context);
    expect(result.recovered).toBe(false);
    expect(stores.jobs.rows).toHaveLength(1);
    expect(automl.calls).toEqual([`describeJob ${JOB}`, `createJob ${JOB}`]);

    const again = setup();
    again.automl.failOn('createJob', new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down'));
    expect((await failure(startTraining(EXAMPLE_PARAMS_JSON, again.deps, context))).code).toBe('SME-E-AWS-THROTTLED');
    expect(again.automl.calls.filter((c) => c.startsWith('createJob'))).toHaveLength(3);
  });
});
