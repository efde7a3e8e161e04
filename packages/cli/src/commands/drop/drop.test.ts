import { describe, expect, it } from 'vitest';
import type { DropJobResult } from '@sme/core';
import type { DropArgs } from './drop-args.js';
import { dropLines, dropRef, LISTED_OBJECTS } from './drop.js';

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
      'would delete s3://b/out/churn-250101120000/ (1 object)',
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
    expect(lines.at(-1)).toBe('dropped churn-250101120000: 1 object deleted, metadata row marked');
  });

  it('names the first object keys of a large prefix and how many more; every key on request', () => {
    const keys = Array.from({ length: 12 }, (_, i) => `s3://b/out/churn-250101120000/output/k${String(i)}`);
    const result: DropJobResult = {
      plan: { ...plan, prefixes: [{ uri: 's3://b/out/churn-250101120000/', objects: keys }] },
      dropped: true,
      deletedObjects: 12,
    };
    const short = dropLines(result);
    expect(short).toContain('delete s3://b/out/churn-250101120000/ (12 objects)');
    expect(short.filter((line) => line.startsWith('  s3://'))).toEqual(
      keys.slice(0, LISTED_OBJECTS).map((k) => `  ${k}`),
    );
    expect(short).toContain(`  … and ${String(12 - LISTED_OBJECTS)} more (--dry-run lists every one)`);
    expect(dropLines(result, true).filter((line) => line.startsWith('  s3://'))).toEqual(keys.map((k) => `  ${k}`));
  });
});
