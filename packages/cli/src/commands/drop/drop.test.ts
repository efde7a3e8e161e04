import { describe, expect, it } from 'vitest';
import type { DropJobResult } from '@sme/core';
import type { DropArgs } from './drop-args.js';
import { dropLines, dropRef } from './drop.js';

const args: DropArgs = { json: false, verbose: false, job: 'churn-250101120000', dryRun: true };

describe('dropRef', () => {
  it('passes connection and region only when given (else the row’s are used)', () => {
    expect(dropRef(args)).toEqual({ jobName: 'churn-250101120000' });
    expect(dropRef({ ...args, connection: 'C', region: 'eu-west-1' })).toEqual({
      jobName: 'churn-250101120000',
      connectionName: 'C',
      region: 'eu-west-1',
    });
  });
});

describe('dropLines', () => {
  const plan: DropJobResult['plan'] = {
    jobName: 'churn-250101120000',
    status: 'InProgress',
    stopJob: true,
    prefixes: [{ uri: 's3://b/out/churn-250101120000/', objects: ['s3://b/out/churn-250101120000/input/a.csv'] }],
    endpoints: ['churn-ep'],
  };

  it('a dry run says what would go and that nothing changed', () => {
    expect(dropLines({ plan, dropped: false, deletedObjects: 0 })).toEqual([
      'would stop job churn-250101120000 (InProgress)',
      'would delete endpoint churn-ep (with its config, model, UDF)',
      'would delete s3://b/out/churn-250101120000/ (1 objects)',
      '  s3://b/out/churn-250101120000/input/a.csv',
      'would mark the metadata row of churn-250101120000 as dropped (dry run: nothing changed)',
    ]);
  });

  it('a drop says what went', () => {
    const lines = dropLines({
      plan: { ...plan, stopJob: false, status: 'Completed' },
      dropped: true,
      deletedObjects: 1,
    });
    expect(lines[0]).toBe('job churn-250101120000: Completed (nothing to stop)');
    expect(lines.at(-1)).toBe('dropped churn-250101120000: 1 objects deleted, metadata row marked');
  });
});
