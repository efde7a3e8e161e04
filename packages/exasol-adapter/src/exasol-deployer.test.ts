import { describe, expect, it } from 'vitest';
import { SmeError } from './core-api.js';
import type { DeployTarget, DeploymentStatement } from './exasol-deployer.js';
import { ExasolDeployer, formatForSqlClient, isCreateScript } from './exasol-deployer.js';

/** Records the round trips a deployment makes; fails the statement whose text contains `failOn`. */
class RecordingTarget implements DeployTarget {
  readonly calls: (readonly string[])[] = [];
  constructor(private readonly failOn?: string) {}
  execute(sql: string): Promise<number> {
    return this.run([sql]).then(() => 0);
  }
  executeBatch(sqls: readonly string[]): Promise<readonly unknown[]> {
    return this.run(sqls).then(() => sqls.map(() => 0));
  }
  private run(sqls: readonly string[]): Promise<void> {
    this.calls.push(sqls);
    if (this.failOn !== undefined && sqls.some((s) => s.includes(this.failOn ?? ''))) {
      return Promise.reject(new SmeError('SME-E-SQL', 'SqlError', 'SQL error 42000: boom', { sqlCode: '42000' }));
    }
    return Promise.resolve();
  }
}

const script = 'CREATE OR REPLACE LUA SCRIPT SME.TRAIN(params) RETURNS TABLE AS\n  local x = 1\n  return x\n';
const udf =
  'CREATE OR REPLACE LUA SCALAR SCRIPT SME.CALL(a VARCHAR(100)) RETURNS VARCHAR(100) AS\nfunction run(ctx) return ctx.a end';
const statements: DeploymentStatement[] = [
  { sql: 'CREATE SCHEMA IF NOT EXISTS SME', description: 'schema SME' },
  { sql: 'CREATE TABLE IF NOT EXISTS SME.JOBS (JOB_NAME VARCHAR(32))', description: 'table SME.JOBS' },
  { sql: script, description: 'script SME.TRAIN' },
  { sql: udf, description: 'UDF SME.CALL' },
  { sql: 'GRANT EXECUTE ON SME.TRAIN TO PUBLIC', description: 'grant on SME.TRAIN' },
];

describe('isCreateScript', () => {
  it.each([
    [script, true],
    [udf, true],
    ['  create script s() as return 1', true],
    ['CREATE PYTHON3 SET SCRIPT s(a INT) EMITS (b INT) AS ...', true],
    ['CREATE OR REPLACE JAVA SCALAR SCRIPT s() RETURNS INT AS ...', true],
    ['CREATE TABLE scripts (a INT)', false],
    ['CREATE SCHEMA SCRIPT_SCHEMA', false],
    ['EXECUTE SCRIPT SME.TRAIN()', false],
  ])('%s → %s', (sql, expected) => {
    expect(isCreateScript(sql)).toBe(expected);
  });
});

describe('ExasolDeployer', () => {
  it('batches consecutive ordinary statements and runs each CREATE SCRIPT alone, in order', async () => {
    const target = new RecordingTarget();
    const result = await new ExasolDeployer(target).deploy(statements);
    expect(target.calls).toEqual([
      ['CREATE SCHEMA IF NOT EXISTS SME', 'CREATE TABLE IF NOT EXISTS SME.JOBS (JOB_NAME VARCHAR(32))'],
      [script],
      [udf],
      ['GRANT EXECUTE ON SME.TRAIN TO PUBLIC'],
    ]);
    expect(result).toEqual({
      mode: 'executed',
      created: ['schema SME', 'table SME.JOBS', 'script SME.TRAIN', 'UDF SME.CALL', 'grant on SME.TRAIN'],
      roundTrips: 4,
    });
  });

  it('sends a plain list of statements in one batch and describes them by their start', async () => {
    const target = new RecordingTarget();
    const result = await new ExasolDeployer(target).deploy(['CREATE SCHEMA A', 'CREATE TABLE A.T (X INT)']);
    expect(target.calls).toEqual([['CREATE SCHEMA A', 'CREATE TABLE A.T (X INT)']]);
    expect(result).toMatchObject({ created: ['CREATE SCHEMA A', 'CREATE TABLE A.T (X INT)'], roundTrips: 1 });
  });

  it('stops at the first failure and names what was being created, keeping code and sqlCode', async () => {
    const target = new RecordingTarget('SCALAR SCRIPT');
    await expect(new ExasolDeployer(target).deploy(statements)).rejects.toMatchObject({
      code: 'SME-E-SQL',
      message: expect.stringContaining('deployment stopped at UDF SME.CALL') as unknown,
      details: { sqlCode: '42000' },
    });
    expect(target.calls).toHaveLength(3);
  });

  it('names every statement of a failed batch', async () => {
    const target = new RecordingTarget('JOBS');
    await expect(new ExasolDeployer(target).deploy(statements)).rejects.toThrow('one of: schema SME; table SME.JOBS');
  });

  it('prints instead of running, with / after script bodies and ; after the rest', async () => {
    const target = new RecordingTarget();
    const result = await new ExasolDeployer(target).deploy(statements, { print: true });
    expect(target.calls).toEqual([]);
    expect(result.mode).toBe('printed');
    expect(result.mode === 'printed' ? result.text : '').toBe(formatForSqlClient(statements));
  });

  it('prints without a session; running without one is a coded error', async () => {
    await expect(new ExasolDeployer().deploy(statements, { print: true })).resolves.toMatchObject({ mode: 'printed' });
    await expect(new ExasolDeployer().deploy(statements)).rejects.toMatchObject({
      code: 'SME-E-EXA-DEPLOY-NO-SESSION',
    });
  });
});

describe('formatForSqlClient', () => {
  it('formats statements the way EXAplus reads them', () => {
    expect(
      formatForSqlClient([statements[0] as DeploymentStatement, statements[2] as DeploymentStatement, 'SELECT 1;']),
    ).toBe(
      [
        '-- schema SME',
        'CREATE SCHEMA IF NOT EXISTS SME;',
        '',
        '-- script SME.TRAIN',
        'CREATE OR REPLACE LUA SCRIPT SME.TRAIN(params) RETURNS TABLE AS',
        '  local x = 1',
        '  return x',
        '/',
        '',
        '-- SELECT 1;',
        'SELECT 1;',
        '',
      ].join('\n'),
    );
  });
});
