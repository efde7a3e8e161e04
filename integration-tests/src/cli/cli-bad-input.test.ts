import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier } from '@sme/test-tiers';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { AwsInspector, selectedProvider, type Environment } from '../environment/index.js';
import {
  connect,
  createBucketConnection,
  createOverColumnLimitTable,
  createOverRowLimitView,
  createTrainingTable,
  metadataRows,
} from './exasol-fixtures.js';
import { jsonOf, runSme, smeInstall } from './sme-binary.js';

const provider = selectedProvider();

const SCHEMA = 'SME_BAD';
const OUTPUT = 'bad/out';

describeTier(provider.name, `sme binary against ${provider.name}: bad input creates nothing`, () => {
  let env: Environment;
  let bin: string;
  let sql: ExasolSqlPort;
  let aws: AwsInspector;
  let jobsBefore: string[];
  const sme = (args: string[], extra: Record<string, string> = {}) => runSme(bin, env, args, extra);

  const good: Record<string, string> = {
    '--model-name': 'bad',
    '--table': 'BAD_DATA.CUSTOMERS',
    '--target': 'CHURNED',
    '--connection': 'S3_BAD',
    '--bucket': 's3://placeholder',
    '--output-path': OUTPUT,
    '--role': 'arn:aws:iam::123456789012:role/SmeIntegration',
    '--problem-type': 'BinaryClassification',
  };
  const train = (changes: Readonly<Record<string, string>>): string[] => {
    const flags = { ...good, '--bucket': `s3://${env.aws.bucket}`, ...changes };
    return ['train', '--schema', SCHEMA, ...Object.entries(flags).flat()];
  };

  beforeAll(async () => {
    bin = smeInstall().bin;
    env = await provider.start();
    sql = await connect(env);
    aws = new AwsInspector(env);
    expect((await sme(['deploy', '--schema', SCHEMA])).code).toBe(0);
    await createTrainingTable(sql, 'BAD_DATA', 'CUSTOMERS', 600);
    await createTrainingTable(sql, 'BAD_DATA', 'SMALL', 100);
    await createBucketConnection(sql, env, 'S3_BAD');
    // Pre-flight fixtures (no CUSTOMER_ID): a one-valued target, a 2001-class target, a copy of the target.
    const base = Array.from({ length: 600 }, (_, i) => [(i % 50) / 50, ['basic', 'plus', 'pro'][i % 3] ?? 'basic']);
    await sql.execute('CREATE OR REPLACE TABLE BAD_DATA.NO_KEY (USAGE DOUBLE, PLAN VARCHAR(10), CHURNED VARCHAR(3))');
    await sql.insertRows(
      'BAD_DATA.NO_KEY',
      ['USAGE', 'PLAN', 'CHURNED'],
      base.map((r, i) => [...r, i % 4 === 0 ? 'yes' : 'no']),
    );
    await sql.execute('CREATE OR REPLACE TABLE BAD_DATA.CONSTANT (USAGE DOUBLE, PLAN VARCHAR(10), CHURNED VARCHAR(3))');
    await sql.insertRows(
      'BAD_DATA.CONSTANT',
      ['USAGE', 'PLAN', 'CHURNED'],
      base.map((r) => [...r, 'no']),
    );
    await sql.execute('CREATE OR REPLACE TABLE BAD_DATA.LEAK (USAGE DOUBLE, COPY VARCHAR(3), CHURNED VARCHAR(3))');
    await sql.insertRows(
      'BAD_DATA.LEAK',
      ['USAGE', 'COPY', 'CHURNED'],
      base.map((r, i) => [r[0] ?? 0, i % 4 === 0 ? 'yes' : 'no', i % 4 === 0 ? 'yes' : 'no']),
    );
    await sql.execute('CREATE OR REPLACE TABLE BAD_DATA.MANY (USAGE DOUBLE, CLASS VARCHAR(10))');
    await sql.insertRows(
      'BAD_DATA.MANY',
      ['USAGE', 'CLASS'],
      Array.from({ length: 2001 }, (_, i) => [(i % 50) / 50, `c${String(i)}`]),
    );
    // Autopilot's column limit: 1001 columns, the target included.
    await createOverColumnLimitTable(sql, 'BAD_DATA', 'WIDE', 'NO_KEY');
    await sql.execute(
      `CREATE OR REPLACE CONNECTION S3_OTHER TO 'https://another-bucket.s3.${env.aws.region}.amazonaws.com' USER 'a' IDENTIFIED BY 'b'`,
    );
    jobsBefore = await aws.autoMLJobNames();
  }, 180_000);

  afterAll(async () => {
    await sql.close();
    await env.stop();
  });

  const paramsFile = join(tmpdir(), `sme-bad-params-${process.pid}.json`);
  writeFileSync(paramsFile, '{"model_name": "x",');

  // [what, args, exit code, error code]
  const cases: [string, () => string[], number, string][] = [
    ['train: every parameter missing', () => ['train', '--schema', SCHEMA], 2, 'SME-E-PARAMS'],
    ['train: bad model name', () => train({ '--model-name': 'no_underscores!' }), 2, 'SME-E-PARAMS'],
    ['train: objective of another problem type', () => train({ '--objective': 'MSE' }), 2, 'SME-E-PARAMS'],
    ['train: table without schema', () => train({ '--table': 'CUSTOMERS' }), 2, 'SME-E-CLI-TABLE'],
    ['train: table that does not exist', () => train({ '--table': 'BAD_DATA.NOPE' }), 2, 'SME-E-TABLE-NOT-FOUND'],
    ['train: target that does not exist', () => train({ '--target': 'NOPE' }), 2, 'SME-E-TARGET-NOT-FOUND'],
    ['train: fewer than 500 rows', () => train({ '--table': 'BAD_DATA.SMALL' }), 2, 'SME-E-TOO-FEW-ROWS'],
    ['train: connection to another bucket', () => train({ '--connection': 'S3_OTHER' }), 2, 'SME-E-BUCKET-MISMATCH'],
    ['train: connection that does not exist', () => train({ '--connection': 'NOPE' }), 2, 'SME-E-CONNECTION-NOT-FOUND'],
    // Pre-flight: refused before any export, with the code of each rule.
    ['train: a unique key among the features', () => train({}), 2, 'SME-E-SUSPECT-FEATURES'],
    ['train: a copy of the target', () => train({ '--table': 'BAD_DATA.LEAK' }), 2, 'SME-E-SUSPECT-FEATURES'],
    ['train: a one-valued target', () => train({ '--table': 'BAD_DATA.CONSTANT' }), 2, 'SME-E-TARGET-CONSTANT'],
    [
      'train: BinaryClassification on 3 classes',
      () => train({ '--table': 'BAD_DATA.NO_KEY', '--target': 'PLAN' }),
      2,
      'SME-E-PROBLEM-TYPE-MISMATCH',
    ],
    [
      'train: MulticlassClassification on 2 classes',
      () => train({ '--table': 'BAD_DATA.NO_KEY', '--problem-type': 'MulticlassClassification' }),
      2,
      'SME-E-PROBLEM-TYPE-MISMATCH',
    ],
    [
      'train: Regression on a text target',
      () => train({ '--table': 'BAD_DATA.NO_KEY', '--problem-type': 'Regression' }),
      2,
      'SME-E-PROBLEM-TYPE-MISMATCH',
    ],
    [
      'train: more classes than Autopilot supports',
      () => train({ '--table': 'BAD_DATA.MANY', '--target': 'CLASS', '--problem-type': 'MulticlassClassification' }),
      2,
      'SME-E-TOO-MANY-CLASSES',
    ],
    [
      'train: more columns than Autopilot takes',
      () => train({ '--table': 'BAD_DATA.WIDE' }),
      2,
      'SME-E-TOO-MANY-COLUMNS',
    ],
    ['train: --params not JSON', () => ['train', '--params', paramsFile], 2, 'SME-E-CLI-PARAMS-FILE'],
    ['train: unknown flag', () => train({ '--max-candidate': '3' }), 2, 'SME-E-CLI-USAGE'],
    ['train: bad problem type', () => train({ '--problem-type': 'Clustering' }), 2, 'SME-E-CLI-USAGE'],
    ['deploy: bad schema name', () => ['deploy', '--schema', 'two words'], 2, 'SME-E-CLI-SCHEMA'],
    [
      'deploy: endpoint that is no URL',
      () => ['deploy', '--schema', 'SME_NEVER', '--aws-endpoint-url', 'ftp:x'],
      2,
      'SME-E-AWS-ENDPOINT-INVALID',
    ],
    ['status: job not recorded', () => ['status', 'nope-1', '--schema', SCHEMA], 2, 'SME-E-JOB-NOT-FOUND'],
    ['status: poll interval 0', () => ['status', 'x', '--watch', '--poll-interval', '0'], 2, 'SME-E-CLI-USAGE'],
    ['describe: job not recorded', () => ['describe', 'nope-1', '--schema', SCHEMA], 2, 'SME-E-JOB-NOT-FOUND'],
    ['stop: job not recorded', () => ['stop', 'nope-1', '--schema', SCHEMA], 2, 'SME-E-JOB-NOT-FOUND'],
    ['stop: no job named', () => ['stop'], 2, 'SME-E-CLI-USAGE'],
    ['jobs: unknown status filter', () => ['jobs', '--status', 'Done'], 2, 'SME-E-CLI-USAGE'],
    ['jobs: concurrency 0', () => ['jobs', '--concurrency', '0'], 2, 'SME-E-CLI-USAGE'],
    ['jobs: schema without the table', () => ['jobs', '--schema', 'SME_MISSING'], 6, 'SME-E-SQL'],
  ];

  it.each(cases)('%s', async (_what, args, exitCode, code) => {
    const run = await sme([...args(), '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(exitCode);
    expect(jsonOf<{ error: { code: string; message: string } }>(run).error.code).toBe(code);
    const human = await sme(args());
    expect(human.code).toBe(exitCode);
    expect(human.stderr).toContain(`error ${code}: `);
  });

  // Only where aggregates over a cross join are cheap (see createOverRowLimitView): the sandbox.
  it.runIf(provider.name === 'sandbox')(
    'train: more rows than Autopilot takes (SME-E-TOO-MANY-ROWS)',
    async () => {
      await createOverRowLimitView(sql, 'BAD_DATA', 'HUGE');
      const args = train({ '--table': 'BAD_DATA.HUGE' });
      const run = await sme([...args, '--json']);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      const { error } = jsonOf<{ error: { code: string; message: string } }>(run);
      expect(error.code).toBe('SME-E-TOO-MANY-ROWS');
      expect(error.message).toContain('would send 3001000000 rows; sme sends Autopilot at most 3000000000');
      expect(error.message).toContain('sme train --sample-max-rows 3000000000');
      const human = await sme(args);
      expect(human.code).toBe(2);
      expect(human.stderr).toContain('error SME-E-TOO-MANY-ROWS: ');
    },
    120_000,
  );

  it('rejects a wrong password with exit 5 and never prints it', async () => {
    const run = await sme(['jobs', '--schema', SCHEMA], { SME_PASSWORD: 'Wrong-Secret-987' });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('SME-E-EXA-AUTH');
    expect(run.stdout + run.stderr).not.toContain('Wrong-Secret-987');
  });

  it('left nothing behind: no S3 object, no AutoML job, no metadata row, no schema', async () => {
    expect(await aws.objectKeys(OUTPUT)).toEqual([]);
    expect(await aws.autoMLJobNames()).toEqual(jobsBefore);
    expect(await metadataRows(sql, SCHEMA)).toEqual([]);
    const schemas = await sql.query(
      "SELECT SCHEMA_NAME FROM EXA_ALL_SCHEMAS WHERE SCHEMA_NAME IN ('SME_NEVER', 'TWO')",
    );
    expect(schemas.rows).toEqual([]);
  });
});
