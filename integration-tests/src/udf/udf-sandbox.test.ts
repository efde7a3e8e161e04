import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { METADATA_COLUMNS, quoteLiteral } from '@sme/core';
import { ExasolDeployer, connectExasol } from '@sme/exasol-adapter';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { startExasolSandbox } from '@sme/sandbox';
import { deploymentStatements } from '@sme/udf';
import { learnableRows, sageMaker, startAwsSandbox } from './support.js';
import type { AwsSandboxHandle } from './support.js';

const BUCKET = 'sme-sandbox';
const ROLE = 'arn:aws:iam::123456789012:role/SmeSandboxRole';
const SCHEMA = 'SME';

let aws: AwsSandboxHandle;

beforeAll(async () => {
  aws = await startAwsSandbox({ clockSpeed: 50 });
});

afterAll(async () => {
  await aws.stop();
});

/** The guide's keys, with the values of this environment; `overrides` replace or (undefined) remove keys. */
function params(overrides: Record<string, unknown> = {}): string {
  const base: Record<string, unknown> = {
    model_name: 'churn',
    aws_credentials_connection_name: 'S3_CONN',
    aws_region: aws.region,
    iam_sagemaker_role: ROLE,
    s3_bucket_uri: `s3://${BUCKET}`,
    s3_output_path: 'sme/runs',
    input_schema_name: 'DATA',
    input_table_or_view_name: 'CHURN',
    target_attribute_name: 'LABEL',
    problem_type: 'BinaryClassification',
    objective: 'F1',
    max_runtime_for_automl_job_in_seconds: 3600,
    max_candidates: 2,
    max_runtime_per_training_job_in_seconds: 600,
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) Reflect.deleteProperty(base, k);
    else base[k] = v;
  }
  return JSON.stringify(base);
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

// Both runtimes, each its own tier: native Lua is never replaced by wasm behind the test's back.
for (const lua of ['native', 'wasm'] as const) {
  describeTier(luaTier(lua), `in-database training against the sandbox (Lua runtime ${lua})`, () => {
    let exa: Awaited<ReturnType<typeof startExasolSandbox>>;
    let sql: ExasolSqlPort;
    /** Job names started in this block, so each check looks only at its own. */
    const started: string[] = [];

    async function jobCount(): Promise<number> {
      const r = await sageMaker(aws.sagemakerEndpoint, aws.region, aws.credentials, 'ListAutoMLJobs', {
        MaxResults: 100,
      });
      return (r.AutoMLJobSummaries as unknown[]).length;
    }

    async function metadataCount(): Promise<number> {
      const r = await sql.query(`SELECT COUNT(*) AS N FROM ${SCHEMA}.SME_METADATA_AUTOPILOT_JOBS`);
      return Number(r.rows[0]?.[0]);
    }

    async function objectCount(): Promise<number> {
      return (await aws.objects.list(BUCKET, '')).length;
    }

    async function train(json: string): Promise<Record<string, unknown>> {
      const r = await sql.query(`EXECUTE SCRIPT ${SCHEMA}.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(${quoteLiteral(json)})`);
      const row = r.rows[0] ?? [];
      const out = Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]]));
      started.push(String(out.JOB_NAME));
      return out;
    }

    async function poll(jobName: string): Promise<[string, string]> {
      const r = await sql.query(
        `EXECUTE SCRIPT ${SCHEMA}.SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS(${quoteLiteral(jobName)}, 'S3_CONN', ${quoteLiteral(aws.region)})`,
      );
      expect(r.columns.map((c) => c.name)).toEqual(['JOB_STATUS', 'JOB_SECONDARY_STATUS']);
      return [String(r.rows[0]?.[0]), String(r.rows[0]?.[1])];
    }

    async function pollUntil(jobName: string, done: (status: string) => boolean): Promise<[string, string]> {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const s = await poll(jobName);
        if (done(s[0]) || Date.now() > deadline) return s;
        await sleep(300);
      }
    }

    beforeAll(async () => {
      exa = await startExasolSandbox({ lua, s3Endpoint: aws.s3Endpoint, s3Region: aws.region });
      sql = await connectExasol({
        dsn: `${exa.host}/${exa.fingerprint ?? 'nocertcheck'}:${exa.port}`,
        user: exa.user,
        password: exa.password,
      });
      await new ExasolDeployer(sql).deploy(
        // The S3 override lets the training script delete its export after a failure (ListObjectsV2, DeleteObject).
        deploymentStatements({ schema: SCHEMA, awsEndpointUrl: aws.sagemakerEndpoint, s3EndpointUrl: aws.s3Endpoint }),
      );
      await sql.execute(
        `CREATE CONNECTION S3_CONN TO 'https://${BUCKET}.s3.${aws.region}.amazonaws.com' USER ${quoteLiteral(aws.credentials.accessKeyId)} IDENTIFIED BY ${quoteLiteral(aws.credentials.secretAccessKey)}`,
      );
      await sql.execute(
        `CREATE CONNECTION OTHER_BUCKET TO 'https://another-bucket.s3.${aws.region}.amazonaws.com' USER ${quoteLiteral(aws.credentials.accessKeyId)} IDENTIFIED BY ${quoteLiteral(aws.credentials.secretAccessKey)}`,
      );
      await sql.execute('CREATE SCHEMA DATA');
      await sql.execute('CREATE TABLE DATA.CHURN (X1 DECIMAL(9,0), X2 DECIMAL(9,0), LABEL DECIMAL(1,0))');
      await sql.execute(`INSERT INTO DATA.CHURN VALUES ${learnableRows(600)}`);
      await sql.execute('CREATE TABLE DATA.SMALL (X1 DECIMAL(9,0), X2 DECIMAL(9,0), LABEL DECIMAL(1,0))');
      await sql.execute(`INSERT INTO DATA.SMALL VALUES ${learnableRows(499)}`);
      await sql.execute('CREATE TABLE DATA.NO_LABELS (X1 DECIMAL(9,0), LABEL DECIMAL(1,0))');
      await sql.execute('INSERT INTO DATA.NO_LABELS SELECT X1, NULL FROM DATA.CHURN');
      await sql.execute('CREATE TABLE DATA.ONLY_LABEL (LABEL DECIMAL(1,0))');
      await sql.execute('INSERT INTO DATA.ONLY_LABEL SELECT LABEL FROM DATA.CHURN');
      await sql.execute('CREATE TABLE DATA."KUNDEN_Ä" (X1 DECIMAL(9,0), X2 DECIMAL(9,0), LABEL DECIMAL(1,0))');
      await sql.execute(`INSERT INTO DATA."KUNDEN_Ä" VALUES ${learnableRows(10)}`);
      // Pre-flight fixtures, each failing one rule.
      const keyed = Array.from({ length: 600 }, (_, i) => `(${String(i + 1)}, ${String(i % 101)}, ${String(i % 2)})`);
      await sql.execute('CREATE TABLE DATA.KEYED (ID DECIMAL(9,0), X1 DECIMAL(9,0), LABEL DECIMAL(1,0))');
      await sql.execute(`INSERT INTO DATA.KEYED VALUES ${keyed.join(', ')}`);
      await sql.execute('CREATE TABLE DATA.CONSTANT (X1 DECIMAL(9,0), X2 DECIMAL(9,0), LABEL DECIMAL(1,0))');
      await sql.execute('INSERT INTO DATA.CONSTANT SELECT X1, X2, 0 FROM DATA.CHURN');
      await sql.execute('CREATE TABLE DATA.LEAK (X1 DECIMAL(9,0), COPY DECIMAL(1,0), LABEL DECIMAL(1,0))');
      await sql.execute('INSERT INTO DATA.LEAK SELECT X1, LABEL, LABEL FROM DATA.CHURN');
      await sql.execute('CREATE TABLE DATA.TEXT_LABEL (X1 DECIMAL(9,0), X2 DECIMAL(9,0), LABEL VARCHAR(3))');
      await sql.execute(
        "INSERT INTO DATA.TEXT_LABEL SELECT X1, X2, CASE WHEN LABEL = 1 THEN 'yes' ELSE 'no' END FROM DATA.CHURN",
      );
      const many = Array.from({ length: 2001 }, (_, i) => `(${String(i % 101)}, ${String(i)})`);
      await sql.execute('CREATE TABLE DATA.MANY (X1 DECIMAL(9,0), LABEL DECIMAL(9,0))');
      await sql.execute(`INSERT INTO DATA.MANY VALUES ${many.join(', ')}`);
      await sql.execute(
        `CREATE CONNECTION SECRET_IN_ADDRESS TO 'https://KEYID:TOPSECRET@${BUCKET}.s3.${aws.region}.amazonaws.com'`,
      );
    });

    afterAll(async () => {
      await sql.close();
      await exa.stop();
    });

    it('trains on a 600-row table: CSV parts under the job prefix, job at SageMaker, metadata row, polled to Completed', async () => {
      const sessionRow = await sql.query('SELECT CURRENT_SESSION AS S, CURRENT_USER AS U');
      const result = await train(params());
      const jobName = String(result.JOB_NAME);
      expect(jobName).toMatch(/^churn-\d{12}$/);
      expect(result.JOB_STATUS).toBe('InProgress');
      expect(result.ROW_COUNT).toBe(600);
      // This start's own folder: attempt-<session id>-<epoch ms>, which no concurrent start shares.
      const session = String(sessionRow.rows[0]?.[0]);
      const inputUri = String(result.S3_INPUT_URI);
      expect(inputUri).toMatch(new RegExp(`^s3://${BUCKET}/sme/runs/${jobName}/attempt-${session}-\\d+/input/$`));
      expect(result.RECOVERED).toBe(false);
      const inputKey = inputUri.slice(`s3://${BUCKET}/`.length);

      const keys = await aws.objects.list(BUCKET, `sme/runs/${jobName}/`);
      expect(keys.length).toBeGreaterThanOrEqual(1);
      let dataLines = 0;
      for (const key of keys) {
        expect(key.startsWith(inputKey)).toBe(true);
        const text = (await aws.objects.get(BUCKET, key))?.toString('utf8') ?? '';
        const lines = text.split('\n').filter((l) => l !== '');
        expect(lines[0]).toBe('X1,X2,LABEL');
        dataLines += lines.length - 1;
      }
      expect(dataLines).toBe(600);

      // The sandbox SageMaker verifies SigV4 and validates against the API model: the job existing proves both.
      const d = await sageMaker(aws.sagemakerEndpoint, aws.region, aws.credentials, 'DescribeAutoMLJobV2', {
        AutoMLJobName: jobName,
      });
      expect(d.AutoMLJobName).toBe(jobName);
      expect(d.RoleArn).toBe(ROLE);

      const meta = await sql.query(
        `SELECT ${METADATA_COLUMNS.slice(0, 14)
          .map((c) => c.name)
          .join(', ')} FROM ${SCHEMA}.SME_METADATA_AUTOPILOT_JOBS WHERE JOB_NAME = ${quoteLiteral(jobName)}`,
      );
      expect(meta.rows).toHaveLength(1);
      const row = Object.fromEntries(meta.columns.map((c, i) => [c.name, meta.rows[0]?.[i]]));
      expect(row).toMatchObject({
        JOB_NAME: jobName,
        AWS_CREDENTIALS_CONNECTION_NAME: 'S3_CONN',
        IAM_SAGEMAKER_ROLE: ROLE,
        S3_BUCKET_URI: `s3://${BUCKET}`,
        S3_OUTPUT_PATH: 'sme/runs',
        TARGET_ATTRIBUTE_NAME: 'LABEL',
        PROBLEM_TYPE: 'BinaryClassification',
        OBJECTIVE: 'F1',
        MAX_RUNTIME_FOR_AUTOML_JOB_IN_SECONDS: 3600,
        MAX_CANDIDATES: 2,
        MAX_RUNTIME_PER_TRAINING_JOB_IN_SECONDS: 600,
        SESSION_ID: String(sessionRow.rows[0]?.[0]),
        SCRIPT_USER: String(sessionRow.rows[0]?.[1]),
      });
      expect(String(row.DATETIME)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

      const [status, secondary] = await pollUntil(jobName, (s) => s !== 'InProgress');
      expect(status).toBe('Completed');
      expect(secondary).toBe('Completed');
      const recorded = await sql.query(
        `SELECT JOB_STATUS, JOB_SECONDARY_STATUS, BEST_METRIC_NAME FROM ${SCHEMA}.SME_METADATA_AUTOPILOT_JOBS WHERE JOB_NAME = ${quoteLiteral(jobName)}`,
      );
      expect(recorded.rows[0]).toEqual(['Completed', 'Completed', 'F1']);

      const described = await sql.query(
        `EXECUTE SCRIPT ${SCHEMA}.SME_DESCRIBE_SAGEMAKER_AUTOPILOT_JOB(${quoteLiteral(jobName)}, NULL, NULL)`,
      );
      const kv = Object.fromEntries(described.rows.map((r) => [String(r[0]), r[1]]));
      expect(kv.JOB_STATUS).toBe('Completed');
      expect(kv.BEST_METRIC_NAME).toBe('F1');
      const metric = Number(kv.BEST_METRIC_VALUE);
      expect(metric).toBeGreaterThan(0.5);
      expect(metric).toBeLessThanOrEqual(1);
      expect(String(kv.BEST_CANDIDATE_NAME)).not.toBe('');
      expect(kv.OUTPUT_PATH).toBe(String(result.S3_OUTPUT_URI));
      expect(kv.OUTPUT_PATH).toBe(inputUri.replace(/input\/$/, 'output/'));
      expect(kv.RECORDED_IN_METADATA).toBe('true');
    });

    it('stops a second job, which then polls as Stopped', async () => {
      await sleep(1100); // job names carry the second: a new second gives a new name
      const result = await train(params({ model_name: 'churn-stop' }));
      const jobName = String(result.JOB_NAME);
      const stopped = await sql.query(
        `EXECUTE SCRIPT ${SCHEMA}.SME_STOP_SAGEMAKER_AUTOPILOT_JOB(${quoteLiteral(jobName)}, 'S3_CONN', ${quoteLiteral(aws.region)})`,
      );
      expect(stopped.rows[0]).toEqual([jobName, 'Stopping', true]);
      const [status] = await pollUntil(jobName, (s) => s === 'Stopped' || s === 'Completed' || s === 'Failed');
      expect(status).toBe('Stopped');
    });

    /** Replaces the AWS sandbox's fault rules over HTTP (packages/sandbox/README.md, fault injection). */
    async function setFaults(rules: Record<string, unknown>): Promise<Record<string, number>> {
      const r = await fetch(`${aws.sagemakerEndpoint}/_sandbox/faults`, {
        method: 'POST',
        body: JSON.stringify({ rules }),
      });
      expect(r.status).toBe(200);
      return ((await r.json()) as { injected: Record<string, number> }).injected;
    }

    it('polls through throttling: the AWS-call UDF retries DescribeAutoMLJobV2 (throttleRate 0.5)', async () => {
      const jobName = started[0] ?? '';
      expect(jobName).not.toBe('');
      const before = (await setFaults({ DescribeAutoMLJobV2: { throttleRate: 0.5 } })).DescribeAutoMLJobV2 ?? 0;
      try {
        for (let i = 0; i < 4; i++) {
          const [status] = await poll(jobName);
          expect(status).toBe('Completed');
        }
      } finally {
        const after = (await setFaults({})).DescribeAutoMLJobV2 ?? 0;
        // Some answers were throttled, and every poll still succeeded.
        expect(after).toBeGreaterThan(before);
      }
    });

    it('adopts its own job when CreateAutoMLJobV2 was carried out but its answer was lost', async () => {
      await setFaults({ CreateAutoMLJobV2: { lostReplyRate: 1 } });
      let result: Record<string, unknown>;
      try {
        result = await train(params({ model_name: 'churn-lost' }));
      } finally {
        await setFaults({});
      }
      const jobName = String(result.JOB_NAME);
      expect(result.RECOVERED).toBe(true);
      const d = await sageMaker(aws.sagemakerEndpoint, aws.region, aws.credentials, 'DescribeAutoMLJobV2', {
        AutoMLJobName: jobName,
      });
      const channels = d.AutoMLJobInputDataConfig as { DataSource: { S3DataSource: { S3Uri: string } } }[];
      expect(channels[0]?.DataSource.S3DataSource.S3Uri).toBe(result.S3_INPUT_URI);
      const rows = await sql.query(
        `SELECT JOB_ARN FROM ${SCHEMA}.SME_METADATA_AUTOPILOT_JOBS WHERE JOB_NAME = ${quoteLiteral(jobName)}`,
      );
      expect(rows.rows).toEqual([[d.AutoMLJobArn]]);
    });

    it('deletes its export and says so when every CreateAutoMLJobV2 is throttled; no job, no row', async () => {
      const jobsBefore = await jobCount();
      const rowsBefore = await metadataCount();
      await setFaults({ CreateAutoMLJobV2: { throttleRate: 1 } });
      let message = '';
      try {
        await train(params({ model_name: 'churn-throttled' }));
      } catch (e: unknown) {
        message = e instanceof Error ? e.message : String(e);
      } finally {
        await setFaults({});
      }
      expect(message).toMatch(
        /SME-E-AWS-THROTTLED: .*this attempt's export \(s3:\/\/sme-sandbox\/sme\/runs\/churn-throttled-\d{12}\/attempt-\d+-\d+\/input\/\) was deleted/,
      );
      expect((await aws.objects.list(BUCKET, 'sme/runs/churn-throttled-')).length).toBe(0);
      expect(await jobCount()).toBe(jobsBefore);
      expect(await metadataCount()).toBe(rowsBefore);
    });

    const invalid: [string, () => string, RegExp][] = [
      ['bad JSON', () => '{"model_name": "churn", ', /^SME-E-PARAMS: 1 problem .*SME-E-PARAMS-JSON: /],
      ['a JSON array', () => '[1, 2]', /^SME-E-PARAMS(-NOT-OBJECT)?: /],
      [
        'missing and invalid keys',
        () => params({ model_name: 'no_underscores!', aws_region: undefined }),
        /^SME-E-PARAMS: 2 problems(?=.*SME-E-PARAM-MODEL-NAME: model_name)(?=.*SME-E-PARAM-MISSING: aws_region)/,
      ],
      ['a missing table', () => params({ input_table_or_view_name: 'NOPE' }), /^SME-E-TABLE-NOT-FOUND: .*DATA\.NOPE/],
      [
        'a missing target column',
        () => params({ target_attribute_name: 'NOPE' }),
        /^SME-E-TARGET-NOT-FOUND: .*NOPE.*X1, X2, LABEL/,
      ],
      ['fewer than 500 rows', () => params({ input_table_or_view_name: 'SMALL' }), /^SME-E-TOO-FEW-ROWS: .*499 rows/],
      [
        'a table whose target is all NULL',
        () => params({ input_table_or_view_name: 'NO_LABELS' }),
        /^SME-E-TOO-FEW-ROWS: .*600 rows, 0 of them with a non-NULL "LABEL"/,
      ],
      [
        'a table with only the target column',
        () => params({ input_table_or_view_name: 'ONLY_LABEL' }),
        /^SME-E-NO-FEATURES: "DATA\.ONLY_LABEL" has only the target column "LABEL"/,
      ],
      [
        'a small table with a Unicode name, shown intact',
        () => params({ input_table_or_view_name: 'kunden_ä' }),
        /^SME-E-TOO-FEW-ROWS: "DATA\.KUNDEN_Ä" has 10 rows/,
      ],
      [
        'a CONNECTION with a secret in its address, masked',
        () => params({ aws_credentials_connection_name: 'SECRET_IN_ADDRESS' }),
        /^SME-E-CONNECTION-ADDRESS: (?![\s\S]*TOPSECRET)[\s\S]*https:\/\/\*\*\*@/,
      ],
      [
        'a bucket that is not the connection’s',
        () => params({ aws_credentials_connection_name: 'OTHER_BUCKET' }),
        /^SME-E-BUCKET-MISMATCH: /,
      ],
      [
        'a role name instead of an ARN',
        () => params({ iam_sagemaker_role: 'SmeSandboxRole' }),
        /^SME-E-ROLE-ARN-REQUIRED: /,
      ],
      // Pre-flight (one aggregate query before any export).
      [
        'a unique-key feature',
        () => params({ input_table_or_view_name: 'KEYED' }),
        /^SME-E-SUSPECT-FEATURES: feature column "ID" has a different value in every row/,
      ],
      [
        'a feature equal to the target',
        () => params({ input_table_or_view_name: 'LEAK' }),
        /^SME-E-SUSPECT-FEATURES: feature column "COPY" equals the target "LABEL"/,
      ],
      [
        'a one-valued target',
        () => params({ input_table_or_view_name: 'CONSTANT' }),
        /^SME-E-TARGET-CONSTANT: the target "LABEL" of "DATA\.CONSTANT" has 1 distinct value;/,
      ],
      [
        'BinaryClassification on a 101-valued target',
        () => params({ target_attribute_name: 'X1' }),
        /^SME-E-PROBLEM-TYPE-MISMATCH: problem_type BinaryClassification needs exactly 2 classes/,
      ],
      [
        'MulticlassClassification on 2 classes',
        () => params({ problem_type: 'MulticlassClassification', objective: undefined }),
        /^SME-E-PROBLEM-TYPE-MISMATCH: problem_type MulticlassClassification needs at least 3 classes/,
      ],
      [
        'Regression on a text target',
        () => params({ input_table_or_view_name: 'TEXT_LABEL', problem_type: 'Regression', objective: undefined }),
        /^SME-E-PROBLEM-TYPE-MISMATCH: problem_type Regression needs a numeric target/,
      ],
      [
        'more classes than Autopilot supports',
        () =>
          params({ input_table_or_view_name: 'MANY', problem_type: 'MulticlassClassification', objective: undefined }),
        /^SME-E-TOO-MANY-CLASSES: the target "LABEL" has 2001 distinct values/,
      ],
    ];

    it.each(invalid)('refuses %s with the coded error and creates nothing', async (_what, json, expected) => {
      const before = [await objectCount(), await jobCount(), await metadataCount()];
      const error = await sql
        .query(`EXECUTE SCRIPT ${SCHEMA}.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(${quoteLiteral(json())})`)
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(error).toBeInstanceOf(Error);
      // The adapter prefixes its own code; Exasol's text (the script's error()) follows it.
      const message = String(error?.message);
      const scriptText = message.slice(message.indexOf('SME-E-', 'SME-E-SQL'.length));
      expect(scriptText).toMatch(expected);
      expect(message).toContain('Remedy: ');
      expect([await objectCount(), await jobCount(), await metadataCount()]).toEqual(before);
    });

    it('trains on a unique-key feature with allow_suspect_features and returns the warning in WARNINGS', async () => {
      const result = await train(
        params({ model_name: 'keyed', input_table_or_view_name: 'KEYED', allow_suspect_features: true }),
      );
      expect(String(result.JOB_NAME)).toMatch(/^keyed-\d{12}$/);
      expect(result.WARNINGS).toBe('feature column "ID" has a different value in every row (a unique key)');
      const plain = await train(params({ model_name: 'plain' }));
      expect(plain.WARNINGS).toBeNull();
      // Both run to their end here, so no later test sees their artifacts appear.
      const terminal = (status: string) => ['Completed', 'Failed', 'Stopped'].includes(status);
      expect((await pollUntil(String(result.JOB_NAME), terminal))[0]).toBe('Completed');
      expect((await pollUntil(String(plain.JOB_NAME), terminal))[0]).toBe('Completed');
    });
  });
}
