import { describe, expect, it } from 'vitest';
import { isSmeError, SmeError } from '../errors.js';
import { FakeAutoML } from '../testing/fake-automl.js';
import { FakeEndpoints, FakeObjectStore } from '../testing/fake-endpoints.js';
import { InMemoryMetadataStores } from '../testing/in-memory-stores.js';
import { InMemoryScriptsSql } from '../testing/scripts-sql.js';
import { FixedClock, MemoryLog, nodeJson } from '../testing/node-doubles.js';
import { dropJob } from './drop-job.js';
import { deleteEndpoint } from './delete-endpoint.js';
import { deployEndpoint, type DeployEndpointInput } from './deploy-endpoint.js';
import { endpointStatus } from './endpoint-status.js';
import { listEndpoints } from './list-endpoints.js';
import { parseIdleTtl } from './endpoint-options.js';
import { reapIdleEndpoints, recordEndpointUse } from './reap-idle-endpoints.js';

const JOB = 'iris-260101000000';
const ROLE = 'arn:aws:iam::123456789012:role/SageMaker';
const BUNDLE = 'return { runPrediction = function() end }';

async function setup(options: { complete?: boolean } = {}) {
  const clock = new FixedClock(1767225600000);
  const automl = new FakeAutoML(() => clock.nowMillis());
  await automl.factory({ connectionName: 'AWS', region: 'eu-central-1' }).createJob({
    AutoMLJobName: JOB,
    AutoMLJobInputDataConfig: [],
    OutputDataConfig: { S3OutputPath: 's3://b/sme/' + JOB + '/output/' },
    AutoMLProblemTypeConfig: { TabularJobConfig: { TargetAttributeName: 'SPECIES' } },
    RoleArn: ROLE,
  });
  automl.calls.length = 0;
  if (options.complete !== false) {
    automl.update(JOB, {
      AutoMLJobStatus: 'Completed',
      AutoMLJobSecondaryStatus: 'Completed',
      BestCandidate: {
        CandidateName: 'c1',
        CandidateStatus: 'Completed',
        InferenceContainers: [
          { Image: 'img-a', ModelDataUrl: 's3://b/m/a.tar.gz', Environment: { X: '1' } },
          { Image: 'img-b' },
        ],
      },
    });
  }
  const stores = new InMemoryMetadataStores({
    jobs: [
      {
        DATETIME: '2026-01-01 00:00:00.000',
        JOB_NAME: JOB,
        AWS_CREDENTIALS_CONNECTION_NAME: 'AWS',
        AWS_REGION: 'eu-central-1',
        IAM_SAGEMAKER_ROLE: ROLE,
        TARGET_ATTRIBUTE_NAME: 'SPECIES',
        PROBLEM_TYPE: 'MulticlassClassification',
        COLUMN_NAMES: '["SEPAL_LENGTH","SPECIES","NOTE"]',
        COLUMN_TYPES: '["DOUBLE","VARCHAR(20) UTF8","VARCHAR(100) UTF8"]',
        JOB_STATUS: 'Completed',
        S3_INPUT_URI: 's3://b/sme/' + JOB + '/input/',
        S3_OUTPUT_URI: 's3://b/sme/' + JOB + '/output/',
      },
    ],
  });
  const sql = new InMemoryScriptsSql();
  const endpoints = new FakeEndpoints(() => clock.nowMillis());
  const objects = new FakeObjectStore().put(
    's3://b/sme/' + JOB + '/input/part-001.csv',
    's3://b/sme/' + JOB + '/output/model.tar.gz',
    's3://b/sme/other-job/input/part-001.csv',
  );
  const log = new MemoryLog();
  const deps = {
    sql,
    stores,
    automl: automl.factory,
    endpoints: endpoints.factory,
    objects: objects.factory,
    clock,
    json: nodeJson,
    log,
    predictionUdf: { luaBundle: BUNDLE, awsEndpointUrl: 'http://127.0.0.1:9' },
  };
  return { clock, automl, sql, stores, endpoints, objects, deps, log };
}

const INPUT: DeployEndpointInput = {
  jobName: JOB,
  endpointName: 'iris-ep',
  schemaName: 'ml',
  instanceType: 'ml.m5.large',
  instanceCount: 1,
  connectionName: 'aws',
  region: 'eu-central-1',
};
const CONTEXT = { metadataSchema: 'SME', sessionId: '123', user: 'SYS' };

async function errorOf(p: Promise<unknown>): Promise<SmeError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isSmeError(e)) throw new Error('expected an SmeError, got ' + String(e));
  return e;
}

describe('deployEndpoint', () => {
  it('creates model (with probability output), config and endpoint, records the row and creates the UDF, without waiting', async () => {
    const { deps, endpoints, sql, stores } = await setup();
    const result = await deployEndpoint(INPUT, deps, CONTEXT);
    expect(result).toMatchObject({ status: 'Creating', modelName: 'iris-ep', predictionUdf: '"ML"."iris-ep"' });
    expect(endpoints.calls).toEqual(['createModel iris-ep', 'createEndpointConfig iris-ep', 'createEndpoint iris-ep']);
    const model = endpoints.models.get('iris-ep');
    expect(model?.role).toBe(ROLE);
    expect(model?.containers.map((c) => c.Environment)).toEqual([
      { X: '1', SAGEMAKER_INFERENCE_OUTPUT: 'predicted_label,probability' },
      { SAGEMAKER_INFERENCE_OUTPUT: 'predicted_label,probability' },
    ]);
    expect(endpoints.configs.get('iris-ep')).toMatchObject({ instanceType: 'ml.m5.large', count: 1 });
    expect(stores.endpoints.rows[0]).toMatchObject({
      ENDPOINT_NAME: 'iris-ep',
      JOB_NAME: JOB,
      STATUS: 'Creating',
      UDF_SCHEMA: 'ML',
      AWS_CREDENTIALS_CONNECTION_NAME: 'AWS',
      INSTANCE_COUNT: 1,
      SESSION_ID: 123,
    });
    const udf = sql.scripts.get('ML.iris-ep') ?? '';
    expect(udf).toContain(
      'CREATE OR REPLACE LUA SET SCRIPT "ML"."iris-ep"("SEPAL_LENGTH" DOUBLE, "NOTE" VARCHAR(100) UTF8) ' +
        'EMITS ("SEPAL_LENGTH" DOUBLE, "NOTE" VARCHAR(100) UTF8, "PREDICTIONS" VARCHAR(20) UTF8, "PROBABILITY" DOUBLE) AS\n',
    );
    expect(udf).toContain(BUNDLE);
    // Colons travel as \058 so that the SQL text has no `:name` for a scripting program's query() to bind.
    expect(udf).toContain('awsEndpointUrl = "http\\058//127.0.0.1\\0589"');
    expect(udf).not.toContain(':');
    expect(endpoints.endpoints.get('iris-ep')?.status).toBe('Creating');
  });

  it.each([
    [{ endpointName: 'bad_name' }, 'SME-E-ENDPOINT-NAME'],
    [{ endpointName: 'x'.repeat(64) }, 'SME-E-ENDPOINT-NAME'],
    [{ endpointName: '-a' }, 'SME-E-ENDPOINT-NAME'],
    [{ instanceType: 'm5.large' }, 'SME-E-ENDPOINT-INSTANCE-TYPE'],
    [{ instanceType: 'ml.M5.large' }, 'SME-E-ENDPOINT-INSTANCE-TYPE'],
    [{ instanceCount: 0 }, 'SME-E-ENDPOINT-INSTANCE-COUNT'],
    [{ instanceCount: 1.5 }, 'SME-E-ENDPOINT-INSTANCE-COUNT'],
    [{ schemaName: 'a;b' }, 'SME-E-PARAM-IDENTIFIER'],
    [{ region: 'EU' }, 'SME-E-PARAM-REGION'],
    [{ jobName: 'nope' }, 'SME-E-JOB-NOT-FOUND'],
    [{ keyColumns: ['ID DATE'] }, 'SME-E-ENDPOINT-KEY-COLUMNS'],
    [{ keyColumns: ['NOTE'] }, 'SME-E-ENDPOINT-KEY-COLUMNS'],
  ])('refuses %o with %s and creates nothing', async (change, code) => {
    const { deps, endpoints, stores } = await setup();
    const e = await errorOf(deployEndpoint({ ...INPUT, ...change }, deps, CONTEXT));
    expect(e.code).toBe(code);
    expect(e.details.remedy).toBeTruthy();
    expect(endpoints.calls).toEqual([]);
    expect(stores.endpoints.rows).toEqual([]);
  });

  it('declares key columns first in the UDF and records them in the endpoints row', async () => {
    const { deps, sql, stores } = await setup();
    const result = await deployEndpoint({ ...INPUT, keyColumns: ['id decimal(18,0)', 'REGION'] }, deps, CONTEXT);
    expect(result.keys).toEqual([
      { name: 'ID', type: 'DECIMAL(18,0)' },
      { name: 'REGION', type: 'VARCHAR(2000000) UTF8' },
    ]);
    expect(sql.scripts.get('ML.iris-ep')).toContain(
      '"ML"."iris-ep"("ID" DECIMAL(18,0), "REGION" VARCHAR(2000000) UTF8, "SEPAL_LENGTH" DOUBLE, "NOTE" VARCHAR(100) UTF8) ' +
        'EMITS ("ID" DECIMAL(18,0), "REGION" VARCHAR(2000000) UTF8, "SEPAL_LENGTH" DOUBLE,',
    );
    expect(stores.endpoints.rows[0]).toMatchObject({
      KEY_COLUMNS: '["ID","REGION"]',
      KEY_TYPES: '["DECIMAL(18,0)","VARCHAR(2000000) UTF8"]',
    });
  });

  it('refuses a dropped job with SME-E-ENDPOINT-JOB-DROPPED and creates nothing, though AWS says Completed', async () => {
    const { deps, endpoints, stores } = await setup();
    await dropJob({ jobName: JOB }, {}, deps, CONTEXT);
    endpoints.calls.length = 0;
    const e = await errorOf(deployEndpoint(INPUT, deps, CONTEXT));
    expect(e.code).toBe('SME-E-ENDPOINT-JOB-DROPPED');
    expect(e.message).toContain('was dropped');
    expect(e.details.remedy).toBeTruthy();
    expect(endpoints.calls).toEqual([]);
    expect(stores.endpoints.rows).toEqual([]);
  });

  it('refuses a job that has not completed', async () => {
    const { deps, endpoints } = await setup({ complete: false });
    expect((await errorOf(deployEndpoint(INPUT, deps, CONTEXT))).code).toBe('SME-E-ENDPOINT-JOB-NOT-READY');
    expect(endpoints.calls).toEqual([]);
  });

  it('deletes what it created when creating the UDF fails, and reports both', async () => {
    const { deps, endpoints, sql, stores } = await setup();
    sql.failWhen('LUA SET SCRIPT', new SmeError('SME-E-SQL-TEST', 'SqlError', 'insufficient privileges'));
    const e = await errorOf(deployEndpoint(INPUT, deps, CONTEXT));
    expect(e.code).toBe('SME-E-DEPLOY-COMPENSATED');
    expect(e.message).toContain('insufficient privileges');
    expect(endpoints.models.size + endpoints.configs.size + endpoints.endpoints.size).toBe(0);
    expect(stores.endpoints.rows[0]).toMatchObject({ STATUS: 'DeployFailed' });
    expect(stores.endpoints.rows[0]?.DELETED_AT).toBeTruthy();
  });

  it('says SME-E-DEPLOY-UNTRACKED, naming what is left, when cleaning up fails too', async () => {
    const { deps, endpoints } = await setup();
    endpoints.failOn('createEndpoint', new SmeError('SME-E-AWS-LIMIT-EXCEEDED', 'Validation', 'limit'));
    endpoints.failOn('deleteEndpointConfig', new SmeError('SME-E-AWS-SERVICE', 'ServiceError', 'down'));
    const e = await errorOf(deployEndpoint(INPUT, deps, CONTEXT));
    expect(e.code).toBe('SME-E-DEPLOY-UNTRACKED');
    expect(e.message).toContain('endpoint config iris-ep');
    expect(e.details.problems?.map((p) => p.code)).toEqual(['SME-E-AWS-LIMIT-EXCEEDED', 'SME-E-AWS-SERVICE']);
    expect(endpoints.models.size).toBe(0);
  });
});

describe('endpointStatus, listEndpoints, deleteEndpoint', () => {
  it('records the live status and lists running endpoints with their running time', async () => {
    const { deps, endpoints, clock, stores } = await setup();
    await deployEndpoint(INPUT, deps, CONTEXT);
    endpoints.setStatus('iris-ep', 'InService');
    clock.advance(90_000);
    const status = await endpointStatus({ endpointName: 'IRIS-EP' }, deps, CONTEXT);
    expect(status).toMatchObject({
      status: 'InService',
      recorded: true,
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    });
    expect(status.serverlessMemoryMb).toBeUndefined();
    expect(stores.endpoints.rows[0]?.STATUS).toBe('InService');
    const list = await listEndpoints(deps, CONTEXT);
    expect(list).toEqual([
      expect.objectContaining({ endpointName: 'iris-ep', status: 'InService', runningMillis: 90_000, tracked: true }),
    ]);
  });

  it('lists endpoints AWS has but sme did not record when asked', async () => {
    const { deps, endpoints } = await setup();
    const port = endpoints.factory({ connectionName: 'AWS', region: 'eu-central-1' });
    await port.createModel({ ModelName: 'm', ExecutionRoleArn: ROLE, Containers: [] });
    await port.createEndpointConfig({
      EndpointConfigName: 'c',
      ProductionVariants: [{ VariantName: 'v', ModelName: 'm', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }],
    });
    await port.createEndpoint({ EndpointName: 'forgotten', EndpointConfigName: 'c' });
    const list = await listEndpoints(deps, CONTEXT, { untrackedIn: { connectionName: 'AWS', region: 'eu-central-1' } });
    expect(list).toEqual([expect.objectContaining({ endpointName: 'forgotten', tracked: false })]);
  });

  it('deletes endpoint, config and model, drops the UDF, marks the row; a second delete is harmless', async () => {
    const { deps, endpoints, sql, stores } = await setup();
    await deployEndpoint(INPUT, deps, CONTEXT);
    const first = await deleteEndpoint({ endpointName: 'iris-ep' }, deps, CONTEXT);
    expect(first).toEqual({
      endpointName: 'iris-ep',
      deleted: { endpoint: true, endpointConfig: true, model: true },
      udfDropped: true,
      recorded: true,
    });
    expect(endpoints.endpoints.size + endpoints.configs.size + endpoints.models.size).toBe(0);
    expect(sql.scripts.size).toBe(0);
    expect(stores.endpoints.rows[0]).toMatchObject({ STATUS: 'Deleted' });
    const second = await deleteEndpoint({ endpointName: 'iris-ep' }, deps, CONTEXT);
    expect(second.deleted).toEqual({ endpoint: false, endpointConfig: false, model: false });
    expect(await listEndpoints(deps, CONTEXT)).toEqual([]);
  });

  it('passes on failures other than NotFound', async () => {
    const { deps, endpoints } = await setup();
    await deployEndpoint(INPUT, deps, CONTEXT);
    endpoints.failOn('deleteEndpoint', new SmeError('SME-E-AWS-ACCESS-DENIED', 'AccessDenied', 'no'));
    expect((await errorOf(deleteEndpoint({ endpointName: 'iris-ep' }, deps, CONTEXT))).code).toBe(
      'SME-E-AWS-ACCESS-DENIED',
    );
  });

  it('needs a connection and region for an endpoint it did not record', async () => {
    const { deps } = await setup();
    expect((await errorOf(endpointStatus({ endpointName: 'unknown' }, deps, CONTEXT))).code).toBe(
      'SME-E-ENDPOINT-NOT-FOUND',
    );
  });
});

describe('dropJob', () => {
  it('dry run lists what would go and changes nothing', async () => {
    const { deps, objects, endpoints, automl } = await setup({ complete: false });
    const result = await dropJob({ jobName: JOB }, { dryRun: true }, deps, CONTEXT);
    expect(result.dropped).toBe(false);
    expect(result.plan).toEqual({
      jobName: JOB,
      status: 'InProgress',
      stopJob: true,
      prefixes: [
        { uri: 's3://b/sme/' + JOB + '/input/', objects: ['s3://b/sme/' + JOB + '/input/part-001.csv'] },
        { uri: 's3://b/sme/' + JOB + '/output/', objects: ['s3://b/sme/' + JOB + '/output/model.tar.gz'] },
      ],
      endpoints: [],
    });
    expect(objects.objects.size).toBe(3);
    expect(automl.calls).toEqual(['describeJob ' + JOB]);
    expect(endpoints.calls).toEqual([]);
  });

  it('stops the job, deletes its endpoints and only its own S3 objects, and marks the row', async () => {
    const { deps, objects, endpoints, automl, stores } = await setup();
    await deployEndpoint(INPUT, deps, CONTEXT);
    const result = await dropJob({ jobName: JOB }, {}, deps, CONTEXT);
    expect(result).toMatchObject({
      dropped: true,
      deletedObjects: 2,
      plan: { stopJob: false, endpoints: ['iris-ep'] },
    });
    expect([...objects.objects]).toEqual(['s3://b/sme/other-job/input/part-001.csv']);
    expect(endpoints.endpoints.size).toBe(0);
    expect(automl.calls).not.toContain('stopJob ' + JOB);
    expect(stores.jobs.rows[0]?.DROPPED_AT).toBe('2026-01-01 00:00:00.000');
  });

  it('reports every failed step together and leaves the row unmarked', async () => {
    const { deps, automl, stores } = await setup({ complete: false });
    automl.failOn('stopJob', new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down'));
    const e = await errorOf(dropJob({ jobName: JOB }, {}, deps, CONTEXT));
    expect(e.code).toBe('SME-E-DROP-INCOMPLETE');
    expect(e.message).toContain('slow down');
    expect(stores.jobs.rows[0]?.DROPPED_AT).toBeNull();
  });
});

describe('serverless endpoints and the idle time-to-live', () => {
  it('deploys with ServerlessConfig instead of instances, records it and fills requests up to 4 MB', async () => {
    const { deps, endpoints, sql, stores } = await setup();
    const result = await deployEndpoint(
      { ...INPUT, instanceType: 'ignored', instanceCount: 0, serverless: { memoryMb: 2048 } },
      deps,
      CONTEXT,
    );
    expect(result.serverless).toEqual({ memoryMb: 2048, maxConcurrency: 5 });
    expect(endpoints.configs.get('iris-ep')).toMatchObject({ serverless: { MemorySizeInMB: 2048, MaxConcurrency: 5 } });
    expect(endpoints.configs.get('iris-ep')?.instanceType).toBeUndefined();
    expect(stores.endpoints.rows[0]).toMatchObject({
      SERVERLESS_MEMORY_MB: 2048,
      SERVERLESS_MAX_CONCURRENCY: 5,
      INSTANCE_TYPE: null,
      INSTANCE_COUNT: null,
    });
    expect(sql.scripts.get('ML.iris-ep') ?? '').toContain('maxBytes = 3998976');
    const status = await endpointStatus({ endpointName: 'iris-ep' }, deps, CONTEXT);
    expect(status).toMatchObject({ serverlessMemoryMb: 2048, serverlessMaxConcurrency: 5 });
    expect([status.instanceType, status.instanceCount, status.idleDeadline]).toEqual([undefined, undefined, undefined]);
  });

  it.each([
    [{ memoryMb: 1000 }, 'serverless_memory_mb'],
    [{ memoryMb: 8192 }, 'serverless_memory_mb'],
    [{ memoryMb: 2048, maxConcurrency: 0 }, 'serverless_max_concurrency'],
    [{ memoryMb: 2048, maxConcurrency: 201 }, 'serverless_max_concurrency'],
  ])('refuses serverless %j before creating anything', async (serverless, key) => {
    const { deps, endpoints, stores } = await setup();
    const e = await errorOf(deployEndpoint({ ...INPUT, serverless }, deps, CONTEXT));
    expect([e.code, e.details.key]).toEqual(['SME-E-ENDPOINT-SERVERLESS', key]);
    expect(endpoints.calls).toEqual([]);
    expect(stores.endpoints.rows).toEqual([]);
  });

  it.each([
    ['2h', 7200],
    ['30m', 1800],
    ['1d', 86400],
    [' 90S ', 90],
    [3600, 3600],
  ])('reads the idle TTL %j as %i seconds', (text, seconds) => {
    expect(parseIdleTtl(text)).toBe(seconds);
  });

  it.each(['', 'h', '2', '2w', '-1h', '1.5h', '59s', '31d', 1.5, 30])('refuses the idle TTL %j', (text) => {
    expect(() => parseIdleTtl(text)).toThrow(expect.objectContaining({ code: 'SME-E-ENDPOINT-IDLE-TTL' }));
  });

  it('records a deadline, moves it on each recorded use and reaps the endpoint once it passed', async () => {
    const { deps, endpoints, sql, stores, clock } = await setup();
    const deployed = await deployEndpoint({ ...INPUT, idleTtl: '2h' }, deps, CONTEXT);
    expect(deployed.idleDeadline).toBe('2026-01-01 02:00:00.000');
    expect((await endpointStatus({ endpointName: 'iris-ep' }, deps, CONTEXT)).idleDeadline).toBe(
      '2026-01-01 02:00:00.000',
    );
    expect(stores.endpoints.rows[0]).toMatchObject({
      IDLE_TTL_SECONDS: 7200,
      IDLE_DEADLINE: '2026-01-01 02:00:00.000',
    });
    // A second endpoint without a TTL is never reaped.
    await deployEndpoint({ ...INPUT, endpointName: 'kept-ep' }, deps, CONTEXT);

    clock.advance(3600 * 1000);
    expect(await reapIdleEndpoints(deps, CONTEXT)).toEqual({ reaped: [], failed: [] });
    expect(await recordEndpointUse('iris-ep', deps, CONTEXT)).toBe('2026-01-01 03:00:00.000');
    expect(await recordEndpointUse('kept-ep', deps, CONTEXT)).toBeUndefined();

    clock.advance(90 * 60 * 1000);
    expect((await reapIdleEndpoints(deps, CONTEXT)).reaped).toEqual([]);
    clock.advance(31 * 60 * 1000);
    endpoints.calls.length = 0;
    const reaped = await reapIdleEndpoints(deps, CONTEXT);
    expect(reaped).toEqual({
      reaped: [{ endpointName: 'iris-ep', idleDeadline: '2026-01-01 03:00:00.000', jobName: JOB }],
      failed: [],
    });
    expect(endpoints.calls).toEqual(['deleteEndpoint iris-ep', 'deleteEndpointConfig iris-ep', 'deleteModel iris-ep']);
    expect(sql.scripts.has('ML.iris-ep')).toBe(false);
    expect(stores.endpoints.rows.find((r) => r.ENDPOINT_NAME === 'iris-ep')).toMatchObject({ STATUS: 'Reaped' });
    expect(stores.endpoints.rows.find((r) => r.ENDPOINT_NAME === 'kept-ep')?.DELETED_AT ?? null).toBeNull();
    // Reaped once: the next run finds nothing.
    expect((await reapIdleEndpoints(deps, CONTEXT)).reaped).toEqual([]);
  });

  it('reports each endpoint it could not delete, goes on with the others and keeps their rows', async () => {
    const { deps, endpoints, clock, stores } = await setup();
    await deployEndpoint({ ...INPUT, idleTtl: '1h' }, deps, CONTEXT);
    await deployEndpoint({ ...INPUT, endpointName: 'other-ep', idleTtl: '1h' }, deps, CONTEXT);
    clock.advance(2 * 3600 * 1000);
    endpoints.failOn('deleteEndpoint', new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down'));
    const result = await reapIdleEndpoints(deps, CONTEXT);
    expect(result.reaped).toEqual([]);
    expect(result.failed.map((f) => f.endpointName).sort()).toEqual(['iris-ep', 'other-ep']);
    expect(result.failed[0]?.problem).toBe('SME-E-AWS-THROTTLED: slow down');
    expect(result.failed[0]).toMatchObject({ idleDeadline: '2026-01-01 01:00:00.000', jobName: JOB });
    // Only the endpoints of another region: none.
    expect(await reapIdleEndpoints(deps, CONTEXT, { region: 'us-east-1' })).toEqual({ reaped: [], failed: [] });
    expect(stores.endpoints.rows.every((r) => r.DELETED_AT === null || r.DELETED_AT === undefined)).toBe(true);
  });
});
