import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier } from '@sme/test-tiers';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { AwsInspector, selectedProvider, type Environment } from '../environment/index.js';
import { connect, createBucketConnection, createTrainingTable, metadataRows } from './exasol-fixtures.js';
import { jsonOf, runSme, smeInstall } from './sme-binary.js';

const provider = selectedProvider();

const SCHEMA = 'SME_IT';
const ROLE = 'arn:aws:iam::123456789012:role/SmeIntegration';

describeTier(provider.name, `sme binary against ${provider.name}: deploy → train → jobs/describe → stop`, () => {
  let env: Environment;
  let bin: string;
  let sql: ExasolSqlPort;
  const sme = (args: string[], extra: Record<string, string> = {}) => runSme(bin, env, args, extra);
  const trainArgs = (model: string, extra: string[] = []) => [
    'train',
    '--schema',
    SCHEMA,
    '--model-name',
    model,
    '--table',
    'IT_DATA.CUSTOMERS',
    '--target',
    'CHURNED',
    '--connection',
    'S3_IT',
    '--bucket',
    `s3://${env.aws.bucket}`,
    '--output-path',
    'it/out',
    '--role',
    ROLE,
    '--problem-type',
    'BinaryClassification',
    // The fixture's CUSTOMER_ID is a unique key: trained anyway, with a warning (checked below).
    '--allow-suspect-features',
    ...extra,
  ];

  beforeAll(async () => {
    bin = smeInstall().bin;
    env = await provider.start();
    sql = await connect(env);
  }, 180_000);

  afterAll(async () => {
    await sql.close();
    await env.stop();
  });

  it('deploys with the original extension’s flag names (--host --port --user --pass --schema)', async () => {
    const run = await sme([
      'deploy',
      '--host',
      env.exasol.host,
      '--port',
      String(env.exasol.port),
      '--fingerprint',
      env.exasol.fingerprint ?? '',
      '--user',
      env.exasol.user,
      '--pass',
      env.exasol.password,
      '--schema',
      SCHEMA,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`created table "${SCHEMA}"."SME_METADATA_AUTOPILOT_JOBS"`);
    expect(run.stdout).toContain(`"${SCHEMA}"."SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT"`);
    expect(run.stdout).toContain(`"${SCHEMA}"."SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS"`);
    expect(run.stdout).not.toContain(env.exasol.password);
    expect(await metadataRows(sql, SCHEMA)).toEqual([]);
  });

  it('trains with --wait and records the original extension’s 14 columns; jobs and describe show the result', async () => {
    await createTrainingTable(sql, 'IT_DATA', 'CUSTOMERS', 650);
    await createBucketConnection(sql, env, 'S3_IT');
    const before = Date.now();
    const run = await sme([
      ...trainArgs('churn', [
        '--objective',
        'F1',
        '--max-candidates',
        '2',
        '--max-runtime',
        '3600',
        '--max-runtime-per-job',
        '600',
      ]),
      '--wait',
      '--poll-interval',
      '0.5',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const jobName = run.stdout.trim();
    expect(jobName).toMatch(/^churn-\d{12}$/);
    expect(run.stderr).toContain(`${jobName} ended Completed`);
    expect(run.stderr).toContain(
      'warning: feature column "CUSTOMER_ID" has a different value in every row (a unique key) (training anyway: allow_suspect_features is true)',
    );

    const [row] = await metadataRows(sql, SCHEMA, jobName);
    expect(row).toBeDefined();
    const extension14 = [
      'DATETIME',
      'JOB_NAME',
      'AWS_CREDENTIALS_CONNECTION_NAME',
      'IAM_SAGEMAKER_ROLE',
      'S3_BUCKET_URI',
      'S3_OUTPUT_PATH',
      'TARGET_ATTRIBUTE_NAME',
      'PROBLEM_TYPE',
      'OBJECTIVE',
      'MAX_RUNTIME_FOR_AUTOML_JOB_IN_SECONDS',
      'MAX_CANDIDATES',
      'MAX_RUNTIME_PER_TRAINING_JOB_IN_SECONDS',
      'SESSION_ID',
      'SCRIPT_USER',
    ];
    expect(Object.keys(row ?? {}).slice(0, 14)).toEqual(extension14);
    expect(row).toMatchObject({
      JOB_NAME: jobName,
      AWS_CREDENTIALS_CONNECTION_NAME: 'S3_IT',
      IAM_SAGEMAKER_ROLE: ROLE,
      S3_BUCKET_URI: `s3://${env.aws.bucket}`,
      S3_OUTPUT_PATH: 'it/out',
      TARGET_ATTRIBUTE_NAME: 'CHURNED',
      PROBLEM_TYPE: 'BinaryClassification',
      OBJECTIVE: 'F1',
      MAX_RUNTIME_FOR_AUTOML_JOB_IN_SECONDS: 3600,
      MAX_CANDIDATES: 2,
      MAX_RUNTIME_PER_TRAINING_JOB_IN_SECONDS: 600,
      JOB_STATUS: 'Completed',
      BEST_METRIC_NAME: 'F1',
    });
    expect(String(row?.SESSION_ID)).toMatch(/^\d+$/);
    expect(String(row?.SCRIPT_USER).toUpperCase()).toBe(env.exasol.user.toUpperCase());
    const recorded = Date.parse(`${String(row?.DATETIME).replace(' ', 'T')}Z`);
    expect(Math.abs(recorded - before)).toBeLessThan(60_000);
    // The table went to S3 under the job's own prefix, in this start's own attempt folder (output beside it).
    const keys = await new AwsInspector(env).objectKeys(`it/out/${jobName}/`);
    const inputs = keys.filter((k) => k.includes('/input/'));
    // Split as core decides for SQL and CLI alike: NPROC() × 4 part files (the sandbox has 1 node).
    expect(inputs.length).toBe(4);
    for (const key of inputs) {
      expect(key).toMatch(new RegExp(`^it/out/${jobName}/attempt-\\d+-\\d+/input/part-\\d{3}\\.csv$`));
    }
    for (const key of keys) expect(key).toMatch(new RegExp(`^it/out/${jobName}/attempt-\\d+-\\d+/(input|output)/`));

    const jobs = jsonOf<{ jobName: string; status: string; bestMetricName?: string }[]>(
      await sme(['jobs', '--schema', SCHEMA, '--json']),
    );
    expect(jobs.find((j) => j.jobName === jobName)).toMatchObject({ status: 'Completed', bestMetricName: 'F1' });
    const table = await sme(['jobs', '--schema', SCHEMA, '--output', 'table']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^JOB\s+STATUS\s+SECONDARY\s+CREATED\s+METRIC\s+VALUE/);
    expect(table.stdout).toMatch(
      new RegExp(
        `${jobName}\\s+Completed\\s+Completed\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+F1\\s+0\\.\\d{1,4}\\s*$`,
        'm',
      ),
    );

    const described = jsonOf<{ status: string; bestMetricName: string; bestMetricValue: number; metadata: object }>(
      await sme(['describe', jobName, '--schema', SCHEMA, '--json']),
    );
    expect(described).toMatchObject({ status: 'Completed', bestMetricName: 'F1' });
    expect(described.bestMetricValue).toBeGreaterThan(0.5);
    const human = await sme(['describe', jobName, '--schema', SCHEMA, '--output', 'table']);
    expect(human.stdout).toMatch(/^bestMetricName\s+F1$/m);
    expect(human.stdout).toMatch(/^bestMetricValue\s+0\.\d{1,4}$/m);
  }, 90_000);

  it('stops a second job: sme stop, then sme status --watch ends Stopped with exit code 4', async () => {
    // 200 candidates keep the sandbox job running for well over a minute (2 job seconds each at 5 job seconds per
    // second), so a loaded machine cannot let it finish before `sme stop` reaches it.
    const started = await sme(trainArgs('second', ['--max-candidates', '200']));
    expect(started.code, started.stderr).toBe(0);
    const jobName = started.stdout.trim();
    const stopped = await sme(['stop', jobName, '--schema', SCHEMA, '--yes']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain(`${jobName}: Stopping`);
    const watched = await sme([
      'status',
      jobName,
      '--schema',
      SCHEMA,
      '--watch',
      '--poll-interval',
      '0.3',
      '--output',
      'table',
    ]);
    expect(watched.code, watched.stderr).toBe(4);
    expect(watched.stdout).toContain(`${jobName} ended Stopped`);
    const [row] = await metadataRows(sql, SCHEMA, jobName);
    expect(row).toMatchObject({ JOB_STATUS: 'Stopped' });
  }, 90_000);

  it('trains on a stratified sample (--sample-max-rows): the requested size, each class its share, the same rows twice, recorded with the cost estimate', async () => {
    interface Started {
      jobName: string;
      rowCount: number;
      s3InputUri: string;
      sample?: { rows: number; sourceRows: number; method: string };
      costEstimate: { lowUsd: number; highUsd: number; capped: boolean; text: string };
    }
    const caps = ['--max-candidates', '1', '--max-runtime', '3600', '--max-runtime-per-job', '600'];
    const start = async (model: string): Promise<Started> =>
      jsonOf<Started>(await sme([...trainArgs(model, ['--sample-max-rows', '520', ...caps]), '--json']));
    const inspector = new AwsInspector(env);
    /** The exported data lines of a start, header checked and dropped. */
    const exported = async (started: Started): Promise<string[]> => {
      const prefix = started.s3InputUri.slice(`s3://${env.aws.bucket}/`.length);
      const lines: string[] = [];
      for (const key of await inspector.objectKeys(prefix)) {
        const [header, ...rows] = (await inspector.objectText(key)).split('\n').filter((l) => l !== '');
        expect(header).toBe('CUSTOMER_ID,USAGE,TENURE,PLAN,CHURNED');
        lines.push(...rows);
      }
      return lines;
    };

    const first = await start('sampled');
    expect(first).toMatchObject({
      rowCount: 520,
      sample: { rows: 520, sourceRows: 650, method: 'STRATIFIED' },
      // 1 candidate × 600 s: 1/6 h at $0.461 (ml.m5.2xlarge) and at $2.765 (ml.m5.12xlarge).
      costEstimate: { lowUsd: 0.08, highUsd: 0.46, capped: true },
    });
    expect(first.costEstimate.text).toMatch(/^estimated cost \(an estimate, not a quote\): \$0\.08 to \$0\.46/);
    const lines = await exported(first);
    expect(lines).toHaveLength(520);
    const counts = await sql.query("SELECT COUNT(*) AS N FROM IT_DATA.CUSTOMERS WHERE CHURNED = 'yes'");
    const yesInTable = Number(counts.rows[0]?.[0]);
    const yesInSample = lines.filter((l) => l.endsWith(',yes')).length;
    // 520 of 650 rows: each class keeps 4/5 of its rows, within one row.
    expect(Math.abs(yesInSample - (yesInTable * 520) / 650)).toBeLessThan(1);

    const second = await start('sampled-again');
    expect([...(await exported(second))].sort()).toEqual([...lines].sort());
    const [row] = await metadataRows(sql, SCHEMA, first.jobName);
    expect(row).toMatchObject({
      SAMPLE_MAX_ROWS: 520,
      SAMPLE_FRACTION: null,
      SAMPLE_METHOD: 'STRATIFIED',
      SAMPLE_ROW_COUNT: 520,
      SAMPLE_SOURCE_ROW_COUNT: 650,
      COST_ESTIMATE_USD_LOW: 0.08,
      COST_ESTIMATE_USD_HIGH: 0.46,
    });

    // Half of 650 rows is under Autopilot's 500: refused before anything is exported or started.
    const jobsBefore = (await inspector.autoMLJobNames()).length;
    const refused = await sme([...trainArgs('too-small', ['--sample-fraction', '0.5', ...caps])]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('SME-E-SAMPLE-TOO-SMALL');
    expect(refused.stderr).toContain('--sample-fraction 0.5 of 650 rows with a target gives a sample of 325 rows');
    expect((await inspector.autoMLJobNames()).length).toBe(jobsBefore);
    expect(await inspector.objectKeys('it/out/too-small-')).toEqual([]);
  }, 60_000);
});
