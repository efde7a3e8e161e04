/**
 * Training on a sample, and the pre-flight limits, from SQL (`EXECUTE SCRIPT SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT`)
 * in both Lua runtimes: the exported CSV is read back from the sandbox S3 and compared row by row.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { quoteLiteral } from '@sme/core';
import { ExasolDeployer, connectExasol } from '@sme/exasol-adapter';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { startExasolSandbox } from '@sme/sandbox';
import { deploymentStatements } from '@sme/udf';
import { createOverRowLimitView } from '../cli/exasol-fixtures.js';
import { sageMaker, startAwsSandbox } from './support.js';
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

/** The guide's keys for DATA.STRATA (3 classes, 2700/270/30 rows, 20 rows without a target); `overrides` replace or (undefined) remove keys. */
function params(overrides: Record<string, unknown> = {}): string {
  const base: Record<string, unknown> = {
    model_name: 'strata',
    aws_credentials_connection_name: 'S3_CONN',
    aws_region: aws.region,
    iam_sagemaker_role: ROLE,
    s3_bucket_uri: `s3://${BUCKET}`,
    s3_output_path: 'sme/sampled',
    input_schema_name: 'DATA',
    input_table_or_view_name: 'STRATA',
    target_attribute_name: 'LABEL',
    problem_type: 'MulticlassClassification',
    max_runtime_for_automl_job_in_seconds: 3600,
    max_candidates: 1,
    max_runtime_per_training_job_in_seconds: 600,
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) Reflect.deleteProperty(base, k);
    else base[k] = v;
  }
  return JSON.stringify(base);
}

for (const lua of ['native', 'wasm'] as const) {
  describeTier(luaTier(lua), `training on a sample from SQL (Lua runtime ${lua})`, () => {
    let exa: Awaited<ReturnType<typeof startExasolSandbox>>;
    let sql: ExasolSqlPort;
    let hugeRows = 0;

    async function train(json: string): Promise<Record<string, unknown>> {
      const r = await sql.query(`EXECUTE SCRIPT ${SCHEMA}.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(${quoteLiteral(json)})`);
      const row = r.rows[0] ?? [];
      return Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]]));
    }

    /** The data lines of every part file of a start's export, header checked and dropped. */
    async function exported(inputUri: unknown, header: string): Promise<string[]> {
      const prefix = String(inputUri).slice(`s3://${BUCKET}/`.length);
      const lines: string[] = [];
      for (const key of await aws.objects.list(BUCKET, prefix)) {
        const text = (await aws.objects.get(BUCKET, key))?.toString('utf8') ?? '';
        const [first, ...rest] = text.split('\n').filter((l) => l !== '');
        expect(first).toBe(header);
        lines.push(...rest);
      }
      return lines;
    }

    /** Runs a start that must fail; no object under its model's prefix, no job, no row may appear. */
    async function refusal(json: string): Promise<string> {
      // Other starts' jobs still write their artifacts meanwhile: only this model's prefix is compared.
      const prefix = `sme/sampled/${(JSON.parse(json) as { model_name: string }).model_name}-`;
      const before = [(await aws.objects.list(BUCKET, prefix)).length, await jobCount(), await metadataCount()];
      const error = await sql
        .query(`EXECUTE SCRIPT ${SCHEMA}.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(${quoteLiteral(json)})`)
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(error).toBeInstanceOf(Error);
      expect([(await aws.objects.list(BUCKET, prefix)).length, await jobCount(), await metadataCount()]).toEqual(
        before,
      );
      const message = String(error?.message);
      return message.slice(message.indexOf('SME-E-', 'SME-E-SQL'.length));
    }

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

    beforeAll(async () => {
      exa = await startExasolSandbox({ lua, s3Endpoint: aws.s3Endpoint, s3Region: aws.region });
      sql = await connectExasol({
        dsn: `${exa.host}/${exa.fingerprint ?? 'nocertcheck'}:${exa.port}`,
        user: exa.user,
        password: exa.password,
      });
      await new ExasolDeployer(sql).deploy(
        deploymentStatements({ schema: SCHEMA, awsEndpointUrl: aws.sagemakerEndpoint, s3EndpointUrl: aws.s3Endpoint }),
      );
      await sql.execute(
        `CREATE CONNECTION S3_CONN TO 'https://${BUCKET}.s3.${aws.region}.amazonaws.com' USER ${quoteLiteral(aws.credentials.accessKeyId)} IDENTIFIED BY ${quoteLiteral(aws.credentials.secretAccessKey)}`,
      );
      await sql.execute('CREATE SCHEMA DATA');
      await sql.execute('CREATE TABLE DATA.STRATA (X1 DECIMAL(9,0), X2 DOUBLE, NOTE VARCHAR(10), LABEL VARCHAR(1))');
      const rows = Array.from({ length: 3020 }, (_, i) => {
        const label = i < 2700 ? "'a'" : i < 2970 ? "'b'" : i < 3000 ? "'c'" : 'NULL';
        const note = i % 11 === 0 ? 'NULL' : `'n${String(i % 7)}'`;
        return `(${String((i * 37) % 1009)}, ${String((i % 13) / 2)}, ${note}, ${label})`;
      });
      await sql.execute(`INSERT INTO DATA.STRATA VALUES ${rows.join(', ')}`);
      await sql.execute('CREATE TABLE DATA.MEASURED (X1 DECIMAL(9,0), Y DOUBLE)');
      const measured = Array.from({ length: 1000 }, (_, i) => `(${String(i % 97)}, ${String((i * 7919) % 1000)}.5)`);
      await sql.execute(`INSERT INTO DATA.MEASURED VALUES ${measured.join(', ')}`);
      const wide = Array.from({ length: 1000 }, (_, i) => `X1 AS F${String(i + 1)}`).join(', ');
      await sql.execute(`CREATE TABLE DATA.WIDE AS SELECT ${wide}, LABEL FROM DATA.STRATA`);
      hugeRows = await createOverRowLimitView(sql, 'DATA', 'HUGE');
    });

    afterAll(async () => {
      await sql.close();
      await exa.stop();
    });

    it('exports exactly sample_max_rows rows, every class in proportion, records the sample and the cost estimate', async () => {
      const result = await train(params({ sample_max_rows: 600 }));
      expect(result).toMatchObject({
        ROW_COUNT: 600,
        SAMPLE_METHOD: 'STRATIFIED',
        SAMPLE_SOURCE_ROW_COUNT: 3000,
        // 1 candidate × 600 s: 1/6 h at $0.461 (ml.m5.2xlarge) and at $2.765 (ml.m5.12xlarge).
        COST_ESTIMATE_USD_LOW: 0.08,
        COST_ESTIMATE_USD_HIGH: 0.46,
      });
      expect(String(result.COST_ESTIMATE)).toMatch(
        /^estimated cost \(an estimate, not a quote\): \$0\.08 to \$0\.46 if the job runs to its caps/,
      );
      const firstSample = await exported(result.S3_INPUT_URI, 'X1,X2,NOTE,LABEL');
      expect(firstSample).toHaveLength(600);
      const labels = firstSample.map((l) => l.slice(l.lastIndexOf(',') + 1));
      // 600 of 3000 is a fifth of each class: 540 of 2700, 54 of 270, 6 of 30; no row without a target.
      expect(['a', 'b', 'c', ''].map((y) => labels.filter((l) => l === y).length)).toEqual([540, 54, 6, 0]);
      const meta = await sql.query(
        `SELECT SAMPLE_MAX_ROWS, SAMPLE_FRACTION, SAMPLE_METHOD, SAMPLE_ROW_COUNT, SAMPLE_SOURCE_ROW_COUNT, COST_ESTIMATE_USD_LOW, COST_ESTIMATE_USD_HIGH FROM ${SCHEMA}.SME_METADATA_AUTOPILOT_JOBS WHERE JOB_NAME = ${quoteLiteral(String(result.JOB_NAME))}`,
      );
      expect(meta.rows).toEqual([[600, null, 'STRATIFIED', 600, 3000, 0.08, 0.46]]);
    });

    it('gives the same sample again for the same table (a second start), and never drops the rare class', async () => {
      const once = await train(params({ model_name: 'strata-once', sample_max_rows: 600 }));
      const again = await train(params({ model_name: 'strata-again', sample_max_rows: 600 }));
      const first = await exported(once.S3_INPUT_URI, 'X1,X2,NOTE,LABEL');
      const second = await exported(again.S3_INPUT_URI, 'X1,X2,NOTE,LABEL');
      expect(first).toHaveLength(600);
      expect([...second].sort()).toEqual([...first].sort());
      // round(0.1667 × 3000) = 500 rows, a sixth of each class: the class of 30 keeps its 5.
      const small = await train(params({ model_name: 'strata-small', sample_fraction: 0.1667 }));
      expect(small.ROW_COUNT).toBe(500);
      const labels = (await exported(small.S3_INPUT_URI, 'X1,X2,NOTE,LABEL')).map((l) => l.slice(-1));
      expect(['a', 'b', 'c'].map((y) => labels.filter((l) => l === y).length)).toEqual([450, 45, 5]);
    });

    it('samples a regression uniformly by sample_fraction', async () => {
      const result = await train(
        params({
          model_name: 'measured',
          input_table_or_view_name: 'MEASURED',
          target_attribute_name: 'Y',
          problem_type: 'Regression',
          sample_fraction: 0.55,
        }),
      );
      expect([result.ROW_COUNT, result.SAMPLE_METHOD, result.SAMPLE_SOURCE_ROW_COUNT]).toEqual([550, 'UNIFORM', 1000]);
      expect(await exported(result.S3_INPUT_URI, 'X1,Y')).toHaveLength(550);
    });

    it('refuses a view over the row limit before any export, suggesting the sample that fits, creating nothing', async () => {
      expect(hugeRows).toBe(3001000000);
      const huge = { model_name: 'huge', input_table_or_view_name: 'HUGE', target_attribute_name: 'CHURNED' };
      expect(await refusal(params({ ...huge, problem_type: 'BinaryClassification' }))).toMatch(
        /^SME-E-TOO-MANY-ROWS: "DATA\.HUGE" would send 3001000000 rows; sme sends Autopilot at most 3000000000; train on a sample: set sample_max_rows to 3000000000 or less/,
      );
    }, 120_000);

    it('refuses a sample under 500 rows and a table over the column limit, creating nothing', async () => {
      expect(await refusal(params({ model_name: 'tiny', sample_fraction: 0.1 }))).toMatch(
        /^SME-E-SAMPLE-TOO-SMALL: sample_fraction 0\.1 of 3000 rows with a target gives a sample of 300 rows/,
      );
      expect(await refusal(params({ model_name: 'wide', input_table_or_view_name: 'WIDE' }))).toMatch(
        /^SME-E-TOO-MANY-COLUMNS: "DATA\.WIDE" has 1001 columns; sme sends Autopilot at most 1000/,
      );
    });
  });
}
