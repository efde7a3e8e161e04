import { describe, expect, it } from 'vitest';
import { isSmeError } from '@sme/core';
import { checkDeployFlags, deployInput, recordedJob } from './deploy-input.js';
import type { EndpointDeployArgs } from './endpoint-args.js';

const base: EndpointDeployArgs = {
  json: false,
  verbose: false,
  job: 'churn-250101120000',
  endpointName: 'churn-ep',
  instanceType: 'ml.m5.large',
  instanceCount: 1,
  udfSchema: 'ml',
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error: unknown) {
    return isSmeError(error) ? error.code : 'not an SmeError';
  }
  return undefined;
}

describe('checkDeployFlags', () => {
  it('accepts good flags', () => {
    expect(
      codeOf(() => {
        checkDeployFlags({ ...base, connection: 'AWS', region: 'eu-central-1' });
      }),
    ).toBeUndefined();
  });

  it.each<[string, Partial<EndpointDeployArgs>, string]>([
    ['an endpoint name with _', { endpointName: 'churn_ep' }, 'SME-E-ENDPOINT-NAME'],
    ['an endpoint name ending in -', { endpointName: 'churn-' }, 'SME-E-ENDPOINT-NAME'],
    ['a 64-character endpoint name', { endpointName: 'e'.repeat(64) }, 'SME-E-ENDPOINT-NAME'],
    ['an instance type without ml.', { instanceType: 'm5.large' }, 'SME-E-ENDPOINT-INSTANCE-TYPE'],
    ['instance count 0', { instanceCount: 0 }, 'SME-E-ENDPOINT-INSTANCE-COUNT'],
    ['instance count 1.5', { instanceCount: 1.5 }, 'SME-E-ENDPOINT-INSTANCE-COUNT'],
    ['instance count 101', { instanceCount: 101 }, 'SME-E-ENDPOINT-INSTANCE-COUNT'],
    ['a UDF schema that is no identifier', { udfSchema: '1ml' }, 'SME-E-PARAM-IDENTIFIER'],
    ['a connection that is no identifier', { connection: 'a b' }, 'SME-E-PARAM-IDENTIFIER'],
    ['a region that is no region', { region: 'Frankfurt' }, 'SME-E-PARAM-REGION'],
    ['a key of a type a Lua UDF cannot take', { key: ['ID DATE'] }, 'SME-E-ENDPOINT-KEY-COLUMNS'],
    ['a key given twice', { key: ['ID,id'] }, 'SME-E-ENDPOINT-KEY-COLUMNS'],
    ['an idle TTL without a unit', { idleTtl: '2' }, 'SME-E-ENDPOINT-IDLE-TTL'],
    ['an idle TTL over 30 days', { idleTtl: '31d' }, 'SME-E-ENDPOINT-IDLE-TTL'],
    ['serverless memory off the 1024 steps', { serverlessMemory: 1500 }, 'SME-E-ENDPOINT-SERVERLESS'],
    [
      'serverless concurrency 201',
      { serverlessMemory: 2048, serverlessMaxConcurrency: 201 },
      'SME-E-ENDPOINT-SERVERLESS',
    ],
  ])('refuses %s', (_name, change, code) => {
    expect(
      codeOf(() => {
        checkDeployFlags({ ...base, ...change });
      }),
    ).toBe(code);
  });
});

describe('recordedJob and deployInput', () => {
  const rows = (values: (string | null)[] | undefined) => ({
    columns: [
      { name: 'JOB_NAME', type: 'VARCHAR' },
      { name: 'AWS_CREDENTIALS_CONNECTION_NAME', type: 'VARCHAR' },
      { name: 'AWS_REGION', type: 'VARCHAR' },
    ],
    rows: values === undefined ? [] : [values],
  });

  it('takes connection and region from the job row', () => {
    const job = recordedJob(rows(['churn-250101120000', 'S3_CONN', 'eu-west-1']));
    expect(deployInput(base, job)).toEqual({
      jobName: 'churn-250101120000',
      endpointName: 'churn-ep',
      schemaName: 'ml',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
      connectionName: 'S3_CONN',
      region: 'eu-west-1',
    });
  });

  it('passes --key declarations on, split at top-level commas', () => {
    const job = recordedJob(rows(['churn-250101120000', 'S3_CONN', 'eu-west-1']));
    expect(deployInput({ ...base, key: ['ID DECIMAL(18,0),REGION', 'TAG'] }, job).keyColumns).toEqual([
      'ID DECIMAL(18,0)',
      'REGION',
      'TAG',
    ]);
  });

  it('passes --idle-ttl and --serverless-memory on; serverless ignores the instance defaults', () => {
    const job = recordedJob(rows(['churn-250101120000', 'S3_CONN', 'eu-west-1']));
    const args = { ...base, instanceCount: 0, idleTtl: '2h', serverlessMemory: 2048, serverlessMaxConcurrency: 7 };
    checkDeployFlags(args);
    expect(deployInput(args, job)).toMatchObject({ idleTtl: '2h', serverless: { memoryMb: 2048, maxConcurrency: 7 } });
  });

  it('lets --connection and --region override the row', () => {
    const job = recordedJob(rows(['churn-250101120000', 'S3_CONN', 'eu-west-1']));
    expect(deployInput({ ...base, connection: 'OTHER', region: 'us-east-1' }, job)).toMatchObject({
      connectionName: 'OTHER',
      region: 'us-east-1',
    });
  });

  it('refuses a job that is not recorded, or recorded without connection and region', () => {
    expect(codeOf(() => deployInput(base, recordedJob(rows(undefined))))).toBe('SME-E-JOB-NOT-FOUND');
    expect(codeOf(() => deployInput(base, recordedJob(rows(['churn-250101120000', null, '']))))).toBe(
      'SME-E-JOB-NOT-FOUND',
    );
    expect(
      deployInput({ ...base, connection: 'C', region: 'eu-west-1' }, recordedJob(rows(['j', null, null]))),
    ).toMatchObject({
      connectionName: 'C',
      region: 'eu-west-1',
    });
  });
});
