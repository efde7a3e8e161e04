import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertEndpointSql, insertJobSql } from '@sme/core';
import { describeTier } from '@sme/test-tiers';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { createSageMakerAdapters, loadSageMakerOptions, type SageMakerAdapters } from '@sme/sagemaker-adapter';
import { AwsInspector, PROVIDERS, startSandboxEnvironment, type Environment } from '../environment/index.js';
import {
  connect,
  createBucketConnection,
  createOverColumnLimitTable,
  createTrainingTable,
  metadataRows,
} from './exasol-fixtures.js';
import { jsonOf, runSme, smeInstall, type SmeRun } from './sme-binary.js';

// Endpoints that come InService need the sandbox: this suite runs against it whatever SME_TEST_ENV selects.
const provider = PROVIDERS.sandbox;
// The packed @sme/udf carries its Lua bundles in dist/lua-bundles; sme endpoint deploy needs the prediction UDF's.
const UDF_BUNDLE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../packages/udf/dist/lua-bundles/prediction-udf.lua',
);

const SCHEMA = 'SME_EP';
const DATA = 'EP_DATA';
const ROWS = 650;
const ROLE = 'arn:aws:iam::123456789012:role/SmeIntegration';
const ENDPOINT = 'churn-cli-ep';
const FEATURES = ['CUSTOMER_ID', 'USAGE', 'TENURE', 'PLAN'];

interface Predicted {
  readonly rows: number;
  readonly predictions: Record<string, unknown>[];
}

/** Endpoint rows of the metadata schema, column name → value. */
async function endpointRows(sql: ExasolSqlPort, name: string): Promise<Record<string, unknown>[]> {
  const table = await sql.query(
    `SELECT TABLE_NAME FROM EXA_ALL_TABLES WHERE TABLE_SCHEMA = '${SCHEMA}' AND TABLE_NAME = 'SME_METADATA_AUTOPILOT_ENDPOINTS'`,
  );
  if (table.rows.length === 0) return [];
  const result = await sql.query(
    `SELECT * FROM ${SCHEMA}.SME_METADATA_AUTOPILOT_ENDPOINTS WHERE ENDPOINT_NAME = '${name}'`,
  );
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

async function scriptExists(sql: ExasolSqlPort, schema: string, name: string): Promise<boolean> {
  const result = await sql.query(
    `SELECT SCRIPT_NAME FROM EXA_ALL_SCRIPTS WHERE SCRIPT_SCHEMA = '${schema}' AND SCRIPT_NAME = '${name}'`,
  );
  return result.rows.length > 0;
}

function codeOf(run: SmeRun): string | undefined {
  return jsonOf<{ error?: { code?: string } }>(run).error?.code;
}

describeTier(
  'sandbox',
  `sme binary against ${provider.name}: endpoint deploy → status --watch → predict → list → delete → drop`,
  () => {
    let env: Environment;
    let bin: string;
    let sql: ExasolSqlPort;
    let aws: SageMakerAdapters;
    let jobName = '';
    const sme = (args: string[]) => runSme(bin, env, args);
    /** `sme train` of model `churn` on `table`, followed to its end. */
    const trainArgs = (table: string): string[] => [
      'train',
      '--schema',
      SCHEMA,
      '--model-name',
      'churn',
      '--table',
      table,
      '--target',
      'CHURNED',
      '--connection',
      'S3_EP',
      '--bucket',
      `s3://${env.aws.bucket}`,
      '--output-path',
      'ep/out',
      '--role',
      ROLE,
      '--problem-type',
      'BinaryClassification',
      // CUSTOMER_ID (a unique key) stays a feature: the predictions are matched by it.
      '--allow-suspect-features',
      '--max-candidates',
      '2',
      '--wait',
      '--poll-interval',
      '0.3',
    ];
    const awsEndpoints = async (): Promise<string[]> =>
      (await aws.endpoints().listEndpoints()).map((e) => e.EndpointName).sort();

    beforeAll(async () => {
      // nx builds @sme/udf before this suite; a missing bundle is an error, not a skip.
      if (!existsSync(UDF_BUNDLE)) throw new Error(`the built @sme/udf has no ${UDF_BUNDLE} to pack: build it first`);
      bin = smeInstall().bin;
      // A new endpoint stays Creating for 20 s here (100 job seconds at the clock speed of 5), so that
      // `status --watch` sees it Creating even when starting the sme binary takes seconds on a loaded machine.
      env = await startSandboxEnvironment(['--endpoint-creating-seconds', '100']);
      sql = await connect(env);
      aws = createSageMakerAdapters(
        await loadSageMakerOptions(
          {
            region: env.aws.region,
            endpointUrl: env.aws.sagemakerEndpoint,
            s3EndpointUrl: env.aws.s3Endpoint,
            credentials: env.aws.credentials,
          },
          {},
        ),
      );
      expect((await sme(['deploy', '--schema', SCHEMA])).code).toBe(0);
      await createTrainingTable(sql, DATA, 'CUSTOMERS', ROWS);
      await createBucketConnection(sql, env, 'S3_EP');
      const trained = await sme(trainArgs(`${DATA}.CUSTOMERS`));
      expect(trained.code, trained.stderr).toBe(0);
      jobName = trained.stdout.trim();
    }, 300_000);

    afterAll(async () => {
      aws.close();
      await sql.close();
      await env.stop();
    });

    it('refuses bad input to endpoint deploy/status/delete, predict and drop with codes, creating nothing', async () => {
      const cases: [string[], string, number][] = [
        [
          ['endpoint', 'deploy', jobName, '--endpoint-name', 'bad_name!', '--udf-schema', DATA],
          'SME-E-ENDPOINT-NAME',
          2,
        ],
        [
          [
            'endpoint',
            'deploy',
            jobName,
            '--endpoint-name',
            'ok-ep',
            '--udf-schema',
            DATA,
            '--instance-type',
            'm5.large',
          ],
          'SME-E-ENDPOINT-INSTANCE-TYPE',
          2,
        ],
        [
          ['endpoint', 'deploy', jobName, '--endpoint-name', 'ok-ep', '--udf-schema', DATA, '--instance-count', '0'],
          'SME-E-ENDPOINT-INSTANCE-COUNT',
          2,
        ],
        [
          ['endpoint', 'deploy', jobName, '--endpoint-name', 'ok-ep', '--udf-schema', '1x'],
          'SME-E-PARAM-IDENTIFIER',
          2,
        ],
        [
          ['endpoint', 'deploy', 'no-such-job', '--endpoint-name', 'ok-ep', '--udf-schema', DATA],
          'SME-E-JOB-NOT-FOUND',
          2,
        ],
        [['endpoint', 'deploy', jobName, '--udf-schema', DATA], 'SME-E-CLI-USAGE', 2],
        [['endpoint', 'status', 'no-such-ep'], 'SME-E-ENDPOINT-NOT-FOUND', 2],
        [['endpoint', 'delete', 'no-such-ep', '--yes'], 'SME-E-ENDPOINT-NOT-FOUND', 2],
        [['predict', '--endpoint', ENDPOINT], 'SME-E-CLI-USAGE', 2],
        [['predict', '--endpoint', 'no-such-ep', '--table', `${DATA}.CUSTOMERS`], 'SME-E-ENDPOINT-NOT-FOUND', 2],
        [['predict', '--endpoint', ENDPOINT, '--table', 'CUSTOMERS'], 'SME-E-CLI-TABLE', 2],
        [
          ['predict', '--endpoint', ENDPOINT, '--file', join(tmpdir(), 'sme-no-such-file.csv')],
          'SME-E-CLI-PREDICT-FILE',
          2,
        ],
        [['drop', 'no-such-job'], 'SME-E-JOB-NOT-FOUND', 2],
      ];
      for (const [args, code, exit] of cases) {
        const run = await sme([...args, '--schema', SCHEMA, '--json']);
        expect({ args, code: codeOf(run), exit: run.code }).toEqual({ args, code, exit });
      }
      expect(await awsEndpoints()).toEqual([]);
      expect(await scriptExists(sql, DATA, 'ok-ep')).toBe(false);
      expect(await endpointRows(sql, 'ok-ep')).toEqual([]);
    }, 120_000);

    it('deploys an endpoint at once, and status --watch follows it to InService', async () => {
      const deployed = await sme([
        'endpoint',
        'deploy',
        jobName,
        '--endpoint-name',
        ENDPOINT,
        '--udf-schema',
        DATA,
        '--schema',
        SCHEMA,
        '--json',
      ]);
      expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
      const result = jsonOf<{ status: string; predictionUdf: string; features: { name: string }[] }>(deployed);
      expect(result.status).toBe('Creating');
      expect(result.predictionUdf).toBe(`"${DATA}"."${ENDPOINT}"`);
      expect(result.features.map((f) => f.name)).toEqual(FEATURES);
      expect(await endpointRows(sql, ENDPOINT)).toEqual([
        expect.objectContaining({
          JOB_NAME: jobName,
          STATUS: 'Creating',
          INSTANCE_TYPE: 'ml.m5.large',
          UDF_SCHEMA: DATA,
          AWS_CREDENTIALS_CONNECTION_NAME: 'S3_EP',
        }),
      ]);
      expect(await scriptExists(sql, DATA, ENDPOINT)).toBe(true);

      const watched = await sme([
        'endpoint',
        'status',
        ENDPOINT,
        '--watch',
        '--poll-interval',
        '0.3',
        '--schema',
        SCHEMA,
        '--output',
        'table',
      ]);
      expect(watched.code, watched.stderr).toBe(0);
      expect(watched.stdout).toMatch(/^ENDPOINT\s+STATUS\s+CREATED\s+RUNNING/);
      expect(watched.stdout).toMatch(
        new RegExp(`^${ENDPOINT}\\s+InService\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+\\d+:\\d\\d`, 'm'),
      );
      expect(watched.stderr).toContain(`${ENDPOINT}: Creating`);
      expect(await endpointRows(sql, ENDPOINT)).toEqual([expect.objectContaining({ STATUS: 'InService' })]);
    }, 120_000);

    /** Predictions of the prediction UDF over the whole table, by CUSTOMER_ID: what batch scoring must equal. */
    const fromUdf = new Map<string, [unknown, number]>();
    /** Predictions of the local-file path, by CUSTOMER_ID: what the UDF path must equal. */
    const fromFile = new Map<string, [unknown, string]>();
    const dir = mkdtempSync(join(tmpdir(), 'sme-predict-'));

    it('predicts a local CSV file by calling InvokeEndpoint from the CLI (no Exasol), in batches', async () => {
      const rows = await sql.query(
        `SELECT ${FEATURES.join(', ')} FROM ${DATA}.CUSTOMERS ORDER BY CUSTOMER_ID LIMIT 40`,
      );
      const field = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
      // One value with a comma, quotes and a newline, and one NULL: CSV quoting must carry them to the endpoint.
      const lines = rows.rows.map((r, i) =>
        r.map((v, j) => (j === 3 && i === 0 ? '"pro, ""x""\nline"' : j === 3 && i === 1 ? '' : field(v))).join(','),
      );
      const file = join(dir, 'customers.csv');
      writeFileSync(file, [FEATURES.join(','), ...lines].join('\n') + '\n');
      const run = await sme([
        'predict',
        '--endpoint',
        ENDPOINT,
        '--file',
        file,
        '--batch-rows',
        '16',
        '--schema',
        SCHEMA,
        '--json',
      ]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const local = jsonOf<Predicted>(run);
      expect(local.rows).toBe(40);
      expect(local.predictions[0]?.PLAN).toBe('pro, "x"\nline');
      expect(local.predictions[1]?.PLAN).toBeNull();
      for (const p of local.predictions) {
        expect(['yes', 'no']).toContain(p.PREDICTIONS);
        expect(Number(p.PROBABILITY)).toBeGreaterThanOrEqual(0);
        expect(Number(p.PROBABILITY)).toBeLessThanOrEqual(1);
      }
      local.predictions.slice(2).forEach((p) => {
        fromFile.set(String(p.CUSTOMER_ID), [p.PREDICTIONS, Number(p.PROBABILITY).toFixed(6)]);
      });
      const human = await sme(['predict', '--endpoint', ENDPOINT, '--file', file, '--schema', SCHEMA]);
      expect(human.stdout.split('\n')[0]).toBe([...FEATURES, 'PREDICTIONS', 'PROBABILITY'].join(','));
      expect(human.stderr).toContain('40 rows in 1 requests');
    }, 60_000);

    it('predicts over the table through the prediction UDF, equal to InvokeEndpoint on the same rows', async () => {
      const run = await sme([
        'predict',
        '--endpoint',
        ENDPOINT,
        '--table',
        `${DATA}.CUSTOMERS`,
        '--schema',
        SCHEMA,
        '--json',
      ]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const table = jsonOf<Predicted>(run);
      expect(table.rows).toBe(ROWS);
      expect(Object.keys(table.predictions[0] ?? {})).toEqual([...FEATURES, 'PREDICTIONS', 'PROBABILITY']);
      // The training signal (CHURNED = 'yes' exactly when USAGE + 0.5 * TENURE > 0.9) is learnable: most agree.
      const agree = table.predictions.filter(
        (p) => p.PREDICTIONS === (Number(p.USAGE) + 0.5 * Number(p.TENURE) > 0.9 ? 'yes' : 'no'),
      ).length;
      expect(agree / ROWS).toBeGreaterThan(0.8);
      expect(fromFile.size).toBe(38);
      for (const p of table.predictions) fromUdf.set(String(p.CUSTOMER_ID), [p.PREDICTIONS, Number(p.PROBABILITY)]);
      for (const p of table.predictions) {
        const expected = fromFile.get(String(p.CUSTOMER_ID));
        if (expected !== undefined) expect([p.PREDICTIONS, Number(p.PROBABILITY).toFixed(6)]).toEqual(expected);
      }

      const limited = jsonOf<Predicted>(
        await sme([
          'predict',
          '--endpoint',
          ENDPOINT,
          '--table',
          `${DATA}.CUSTOMERS`,
          '--limit',
          '7',
          '--schema',
          SCHEMA,
          '--json',
        ]),
      );
      expect(limited.rows).toBe(7);

      const out = join(dir, 'predictions.csv');
      const written = await sme([
        'predict',
        '--endpoint',
        ENDPOINT,
        '--table',
        `${DATA}.CUSTOMERS`,
        '--output-file',
        out,
        '--schema',
        SCHEMA,
      ]);
      expect(written.code, written.stderr).toBe(0);
      expect(written.stderr).toContain(`wrote ${ROWS} rows to ${out}`);
      const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
      expect(lines[0]).toBe([...FEATURES, 'PREDICTIONS', 'PROBABILITY'].join(','));
      expect(lines).toHaveLength(ROWS + 1);
    }, 120_000);

    it('batch predicts the table into another table without the endpoint, equal to the UDF row by row by key', async () => {
      const started = await sme([
        'predict',
        '--batch',
        '--job',
        jobName,
        '--table',
        `${DATA}.CUSTOMERS`,
        '--into',
        `${DATA}.BATCH_SCORES`,
        '--key',
        'customer_id',
        '--schema',
        SCHEMA,
        '--json',
      ]);
      expect(started.code, started.stdout + started.stderr).toBe(0);
      const { name, status } = jsonOf<{ name: string; status: string }>(started);
      expect(status).toBe('InProgress');
      const followed = await sme([
        'predict',
        '--batch',
        '--poll',
        name,
        '--wait',
        '--poll-interval',
        '0.3',
        '--schema',
        SCHEMA,
      ]);
      expect(followed.code, followed.stderr).toBe(0);
      expect(followed.stdout.trim()).toBe(name);
      expect(followed.stderr).toContain(`${name}: ${String(ROWS)} rows predicted into "${DATA}"."BATCH_SCORES"`);
      const scored = await sql.query(
        `SELECT CUSTOMER_ID, PREDICTIONS, PROBABILITY FROM ${DATA}.BATCH_SCORES ORDER BY CUSTOMER_ID`,
      );
      expect(scored.columns.map((c) => c.name)).toEqual(['CUSTOMER_ID', 'PREDICTIONS', 'PROBABILITY']);
      expect(scored.rows).toHaveLength(ROWS);
      expect(fromUdf.size).toBe(ROWS);
      for (const [id, prediction, probability] of scored.rows) {
        expect([prediction, probability]).toEqual(fromUdf.get(String(id)));
      }
      expect(await aws.objects().list(`s3://${env.aws.bucket}/ep/out/${jobName}/batch-predictions/`)).toEqual([]);
    }, 120_000);

    it('refuses to predict over a table without the feature columns', async () => {
      await sql.execute(`CREATE OR REPLACE TABLE ${DATA}.NARROW (CUSTOMER_ID DECIMAL(18,0), USAGE DOUBLE)`);
      const run = await sme([
        'predict',
        '--endpoint',
        ENDPOINT,
        '--table',
        `${DATA}.NARROW`,
        '--schema',
        SCHEMA,
        '--json',
      ]);
      expect({ code: codeOf(run), exit: run.code }).toEqual({ code: 'SME-E-CLI-PREDICT-COLUMNS', exit: 2 });
      expect(jsonOf<{ error: { message: string } }>(run).error.message).toContain('TENURE, PLAN');
      const missing = await sme([
        'predict',
        '--endpoint',
        ENDPOINT,
        '--table',
        `${DATA}.NOPE`,
        '--schema',
        SCHEMA,
        '--json',
      ]);
      expect({ code: codeOf(missing), exit: missing.code }).toEqual({ code: 'SME-E-TABLE-NOT-FOUND', exit: 2 });
    }, 60_000);

    it('predict --file maps columns by header name, keeps --key columns and refuses unknown or missing ones', async () => {
      const rows = await sql.query(
        `SELECT ${FEATURES.join(', ')} FROM ${DATA}.CUSTOMERS ORDER BY CUSTOMER_ID LIMIT 40 OFFSET 2`,
      );
      const field = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
      // Reordered, lower-case header and an extra key column: the same predictions as the file in training order.
      const order = [3, 1, 2, 0];
      const file = join(dir, 'reordered.csv');
      writeFileSync(
        file,
        [
          ['ACCOUNT', ...order.map((j) => (FEATURES[j] ?? '').toLowerCase())].join(','),
          ...rows.rows.map((r) => [`A${field(r[0])}`, ...order.map((j) => field(r[j]))].join(',')),
        ].join('\n') + '\n',
      );
      const run = await sme([
        'predict',
        '--endpoint',
        ENDPOINT,
        '--file',
        file,
        '--key',
        'ACCOUNT',
        '--schema',
        SCHEMA,
        '--json',
      ]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const mapped = jsonOf<Predicted>(run);
      expect(Object.keys(mapped.predictions[0] ?? {})).toEqual(['ACCOUNT', ...FEATURES, 'PREDICTIONS', 'PROBABILITY']);
      expect(mapped.rows).toBe(40);
      let compared = 0;
      for (const p of mapped.predictions) {
        expect(p.ACCOUNT).toBe(`A${String(p.CUSTOMER_ID)}`);
        // DECIMAL and DOUBLE features come back as JSON numbers.
        expect(typeof p.USAGE).toBe('number');
        const expected = fromFile.get(String(p.CUSTOMER_ID));
        if (expected !== undefined) {
          compared++;
          expect([p.PREDICTIONS, Number(p.PROBABILITY).toFixed(6)]).toEqual(expected);
        }
      }
      expect(compared).toBe(38);

      const refused = async (header: string[], keys: string[]) => {
        const bad = join(dir, 'bad.csv');
        writeFileSync(bad, header.join(',') + '\n' + header.map(() => '1').join(',') + '\n');
        const r = await sme(['predict', '--endpoint', ENDPOINT, '--file', bad, ...keys, '--schema', SCHEMA, '--json']);
        return { code: codeOf(r), exit: r.code, message: jsonOf<{ error?: { message?: string } }>(r).error?.message };
      };
      const extra = await refused([...FEATURES, 'EXTRA'], []);
      expect(extra).toMatchObject({ code: 'SME-E-CLI-PREDICT-FILE-COLUMNS', exit: 2 });
      expect(extra.message).toContain('EXTRA');
      const missing = await refused(FEATURES.slice(1), []);
      expect(missing).toMatchObject({ code: 'SME-E-CLI-PREDICT-FILE-COLUMNS', exit: 2 });
      expect(missing.message).toContain('CUSTOMER_ID');
      expect(await refused(FEATURES, ['--key', 'ACCOUNT'])).toMatchObject({ code: 'SME-E-CLI-PREDICT-FILE-COLUMNS' });
    }, 60_000);

    it('deploys with --key: the UDF takes and emits the key, predict --table passes it', async () => {
      const keyed = 'churn-cli-keys';
      await sql.execute(
        `CREATE OR REPLACE TABLE ${DATA}.KEYED AS SELECT CUSTOMER_ID * 10 + 7 AS ACCOUNT, ${FEATURES.join(', ')} FROM ${DATA}.CUSTOMERS`,
      );
      const deployed = await sme([
        'endpoint',
        'deploy',
        jobName,
        '--endpoint-name',
        keyed,
        '--udf-schema',
        DATA,
        '--key',
        'ACCOUNT DECIMAL(18,0)',
        '--schema',
        SCHEMA,
        '--json',
      ]);
      expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
      expect(jsonOf<{ keys: unknown[] }>(deployed).keys).toEqual([{ name: 'ACCOUNT', type: 'DECIMAL(18,0)' }]);
      const watched = await sme(['endpoint', 'status', keyed, '--watch', '--poll-interval', '0.3', '--schema', SCHEMA]);
      expect(watched.code, watched.stderr).toBe(0);

      const predict = (extra: string[]) =>
        sme(['predict', '--endpoint', keyed, '--table', `${DATA}.KEYED`, ...extra, '--schema', SCHEMA, '--json']);
      const run = await predict([]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const table = jsonOf<Predicted>(run);
      expect(table.rows).toBe(ROWS);
      expect(Object.keys(table.predictions[0] ?? {})).toEqual(['ACCOUNT', ...FEATURES, 'PREDICTIONS', 'PROBABILITY']);
      let compared = 0;
      for (const p of table.predictions) {
        expect(p.ACCOUNT).toBe(Number(p.CUSTOMER_ID) * 10 + 7);
        const expected = fromFile.get(String(p.CUSTOMER_ID));
        if (expected !== undefined) {
          compared++;
          expect([p.PREDICTIONS, Number(p.PROBABILITY).toFixed(6)]).toEqual(expected);
        }
      }
      expect(compared).toBe(38);
      // The UDF's parameters are fixed at deploy time: other keys are refused (the recorded ones pass anyway).
      const other = await predict(['--key', 'CUSTOMER_REF']);
      expect({ code: codeOf(other), exit: other.code }).toEqual({ code: 'SME-E-CLI-PREDICT-KEYS', exit: 2 });

      expect((await sme(['endpoint', 'delete', keyed, '--schema', SCHEMA, '--yes'])).code).toBe(0);
      expect(await awsEndpoints()).toEqual([ENDPOINT]);
    }, 120_000);

    it('promote points a stable model name at the job; models lists it; the UDF PREDICT_<NAME> predicts', async () => {
      const bad = await sme(['promote', jobName, '--as', '9lives', '--schema', SCHEMA, '--json']);
      expect({ code: codeOf(bad), exit: bad.code }).toEqual({ code: 'SME-E-PROMOTE-NAME', exit: 2 });
      expect(jsonOf<unknown[]>(await sme(['models', '--schema', SCHEMA, '--json']))).toEqual([]);

      const promoted = await sme(['promote', jobName, '--as', 'churn', '--schema', SCHEMA, '--json']);
      expect(promoted.code, promoted.stdout + promoted.stderr).toBe(0);
      expect(jsonOf<Record<string, unknown>>(promoted)).toMatchObject({
        modelName: 'churn',
        jobName,
        endpointName: ENDPOINT,
        predictionUdf: `"${DATA}"."PREDICT_CHURN"`,
        promotedBy: userInfo().username,
      });
      const models = jsonOf<Record<string, unknown>[]>(await sme(['models', '--schema', SCHEMA, '--json']));
      expect(models).toEqual([
        expect.objectContaining({
          modelName: 'churn',
          jobName,
          endpointName: ENDPOINT,
          promotedBy: userInfo().username,
          promotions: 1,
        }),
      ]);
      expect(Date.parse(String(models[0]?.promotedAt))).toBeGreaterThan(Date.now() - 600_000);
      const human = await sme(['models', '--schema', SCHEMA, '--output', 'table']);
      expect(human.stdout).toMatch(new RegExp(`^churn\\s+${jobName}\\s+${ENDPOINT}`, 'm'));

      const scored = await sql.query(`SELECT ${DATA}.PREDICT_CHURN(${FEATURES.join(', ')}) FROM ${DATA}.CUSTOMERS`);
      expect(scored.rows).toHaveLength(ROWS);
      for (const row of scored.rows) {
        const expected = fromFile.get(String(row[0]));
        if (expected !== undefined) expect([row[4], Number(row[5]).toFixed(6)]).toEqual(expected);
      }
    }, 120_000);

    it('a promoted name survives a retrain: PREDICT_CHURN keeps name and signature and calls the new job', async () => {
      const udfText = async (): Promise<string> => {
        const r = await sql.query(
          `SELECT SCRIPT_TEXT FROM EXA_ALL_SCRIPTS WHERE SCRIPT_SCHEMA = '${DATA}' AND SCRIPT_NAME = 'PREDICT_CHURN'`,
        );
        return String(r.rows[0]?.[0] ?? '');
      };
      const scoreByName = async () => {
        const r = await sql.query(`SELECT ${DATA}.PREDICT_CHURN(${FEATURES.join(', ')}) FROM ${DATA}.CUSTOMERS`);
        return { columns: r.columns.map((c) => c.name), rows: r.rows };
      };
      const before = await scoreByName();
      expect(before.columns).toEqual([...FEATURES, 'PREDICTIONS', 'PROBABILITY']);
      expect(await udfText()).toMatch(new RegExp(`endpointName = ["']${ENDPOINT}["']`));

      // The retrain: a new job of the same model on the same columns, its own endpoint.
      const retrained = await sme(trainArgs(`${DATA}.CUSTOMERS`));
      expect(retrained.code, retrained.stderr).toBe(0);
      const jobB = retrained.stdout.trim();
      expect(jobB).not.toBe(jobName);
      const endpointB = 'churn-cli-ep-b';
      const deployed = await sme([
        'endpoint',
        'deploy',
        jobB,
        '--endpoint-name',
        endpointB,
        '--udf-schema',
        DATA,
        '--schema',
        SCHEMA,
      ]);
      expect(deployed.code, deployed.stderr).toBe(0);
      const up = await sme(['endpoint', 'status', endpointB, '--watch', '--poll-interval', '0.3', '--schema', SCHEMA]);
      expect(up.code, up.stderr).toBe(0);

      const promoted = await sme(['promote', jobB, '--as', 'churn', '--schema', SCHEMA, '--json']);
      expect(promoted.code, promoted.stdout + promoted.stderr).toBe(0);
      expect(jsonOf<Record<string, unknown>>(promoted)).toMatchObject({
        modelName: 'churn',
        jobName: jobB,
        endpointName: endpointB,
        predictionUdf: `"${DATA}"."PREDICT_CHURN"`,
        previousJobName: jobName,
      });
      // Same name, same parameters and outputs; it now calls job B's endpoint.
      expect(await udfText()).toMatch(new RegExp(`endpointName = ["']${endpointB}["']`));
      const after = await scoreByName();
      expect(after.columns).toEqual(before.columns);
      expect(after.rows).toHaveLength(ROWS);
      const viaB = jsonOf<Predicted>(
        await sme(['predict', '--endpoint', endpointB, '--table', `${DATA}.CUSTOMERS`, '--schema', SCHEMA, '--json']),
      );
      const byId = new Map(
        viaB.predictions.map((p) => [String(p.CUSTOMER_ID), [p.PREDICTIONS, Number(p.PROBABILITY)]]),
      );
      for (const row of after.rows) expect([row[4], Number(row[5])]).toEqual(byId.get(String(row[0])));
      const models = jsonOf<Record<string, unknown>[]>(await sme(['models', '--schema', SCHEMA, '--json']));
      expect(models).toEqual([
        expect.objectContaining({ modelName: 'churn', jobName: jobB, endpointName: endpointB, promotions: 2 }),
      ]);

      // A retrain on other columns (job C, recorded as sme train records it, with an endpoint) is refused with its
      // code, and the name stays on job B.
      const jobC = 'churn-261231000000';
      await sql.execute(
        insertJobSql(SCHEMA, {
          JOB_NAME: { kind: 'text', value: jobC },
          TARGET_ATTRIBUTE_NAME: { kind: 'text', value: 'CHURNED' },
          PROBLEM_TYPE: { kind: 'text', value: 'BinaryClassification' },
          COLUMN_NAMES: { kind: 'text', value: '["USAGE","TENURE","CHURNED"]' },
          COLUMN_TYPES: { kind: 'text', value: '["DOUBLE","DOUBLE","VARCHAR(3) UTF8"]' },
        }),
      );
      await sql.execute(
        insertEndpointSql(SCHEMA, {
          ENDPOINT_NAME: { kind: 'text', value: 'churn-cli-ep-c' },
          JOB_NAME: { kind: 'text', value: jobC },
          UDF_SCHEMA: { kind: 'text', value: DATA },
          PROBLEM_TYPE: { kind: 'text', value: 'BinaryClassification' },
          AWS_CREDENTIALS_CONNECTION_NAME: { kind: 'text', value: 'S3_EP' },
          AWS_REGION: { kind: 'text', value: env.aws.region },
        }),
      );
      const refused = await sme(['promote', jobC, '--as', 'churn', '--schema', SCHEMA, '--json']);
      expect({ code: codeOf(refused), exit: refused.code }).toEqual({ code: 'SME-E-PROMOTE-SIGNATURE', exit: 2 });
      expect(await udfText()).toMatch(new RegExp(`endpointName = ["']${endpointB}["']`));
      expect(jsonOf<Record<string, unknown>[]>(await sme(['models', '--schema', SCHEMA, '--json']))).toEqual([
        expect.objectContaining({ jobName: jobB, promotions: 2 }),
      ]);
      await sql.execute(
        `DELETE FROM ${SCHEMA}.SME_METADATA_AUTOPILOT_ENDPOINTS WHERE ENDPOINT_NAME = 'churn-cli-ep-c'`,
      );
      await sql.execute(`DELETE FROM ${SCHEMA}.SME_METADATA_AUTOPILOT_JOBS WHERE JOB_NAME = '${jobC}'`);

      // Job B's endpoint goes (the later tests count endpoints); the name's UDF then has no endpoint to call.
      expect((await sme(['endpoint', 'delete', endpointB, '--schema', SCHEMA, '--yes'])).code).toBe(0);
      expect(await awsEndpoints()).toEqual([ENDPOINT]);
    }, 300_000);

    it('lists the running endpoint with how long it has run', async () => {
      const listed = jsonOf<{ endpointName: string; status: string; runningMillis: number; jobName: string }[]>(
        await sme(['endpoint', 'list', '--schema', SCHEMA, '--json']),
      );
      expect(listed).toEqual([
        expect.objectContaining({ endpointName: ENDPOINT, status: 'InService', jobName, tracked: true }),
      ]);
      expect(listed[0]?.runningMillis).toBeGreaterThan(0);
      const human = await sme(['endpoint', 'list', '--schema', SCHEMA, '--output', 'table']);
      expect(human.stdout).toMatch(
        new RegExp(`${ENDPOINT}\\s+InService\\s+\\d+:\\d\\d\\s+1\\s+ml\\.m5\\.large\\s+${jobName}`),
      );
    }, 60_000);

    it('deploys serverless with --idle-ttl, shown by endpoint status; predict and train reap past the deadline unless SME_NO_REAP=1', async () => {
      const idle = 'idle-cli-ep';
      const deploy = (extra: string[]) =>
        sme([
          'endpoint',
          'deploy',
          jobName,
          '--endpoint-name',
          idle,
          '--udf-schema',
          DATA,
          '--schema',
          SCHEMA,
          '--json',
          ...extra,
        ]);
      expect(codeOf(await deploy(['--idle-ttl', '2 hours']))).toBe('SME-E-ENDPOINT-IDLE-TTL');
      expect(codeOf(await deploy(['--serverless-memory', '1500']))).toBe('SME-E-ENDPOINT-SERVERLESS');
      const both = await deploy(['--serverless-memory', '2048', '--instance-type', 'ml.m5.large']);
      expect([codeOf(both), both.code]).toEqual(['SME-E-CLI-USAGE', 2]);
      expect(await awsEndpoints()).toEqual([ENDPOINT]);
      expect(await endpointRows(sql, idle)).toEqual([]);

      const deployed = await deploy(['--serverless-memory', '2048', '--idle-ttl', '2h']);
      expect(deployed.code, deployed.stderr).toBe(0);
      expect(jsonOf<{ serverless: unknown; idleDeadline: string }>(deployed)).toMatchObject({
        serverless: { memoryMb: 2048, maxConcurrency: 5 },
        // Times in JSON are ISO-8601 UTC, as in every command.
        idleDeadline: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/) as unknown,
      });
      const [row] = await endpointRows(sql, idle);
      expect([row?.SERVERLESS_MEMORY_MB, row?.IDLE_TTL_SECONDS].map(Number)).toEqual([2048, 7200]);
      const listed = await sme(['endpoint', 'list', '--schema', SCHEMA, '--output', 'table']);
      expect(listed.stdout).toMatch(new RegExp(`${idle}\\s+\\S+\\s+.*serverless 2048 MB`));
      // A second idle endpoint (on an instance), for sme train to reap below.
      const idle2 = 'idle-cli-ep2';
      const second = await sme([
        'endpoint',
        'deploy',
        jobName,
        '--endpoint-name',
        idle2,
        '--udf-schema',
        DATA,
        '--schema',
        SCHEMA,
        '--idle-ttl',
        '1h',
      ]);
      expect(second.code, second.stderr).toBe(0);
      expect(await awsEndpoints()).toEqual([ENDPOINT, idle, idle2].sort());

      // endpoint status says what it runs on, in every format.
      const status = (format: string) =>
        sme(['endpoint', 'status', idle, '--watch', '--poll-interval', '0.3', '--schema', SCHEMA, '--output', format]);
      const asJson = await status('json');
      expect(asJson.code, asJson.stderr).toBe(0);
      const document = jsonOf<Record<string, unknown>>(asJson);
      expect(document).toMatchObject({
        endpointName: idle,
        status: 'InService',
        serverlessMemoryMb: 2048,
        serverlessMaxConcurrency: 5,
        idleDeadline: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/) as unknown,
      });
      expect(document).not.toHaveProperty('instanceType');
      const [header, values] = (await status('csv')).stdout.trimEnd().split('\n');
      const record = Object.fromEntries((header ?? '').split(',').map((h, i) => [h, (values ?? '').split(',')[i]]));
      expect(record).toMatchObject({ serverlessMemoryMb: '2048', serverlessMaxConcurrency: '5', instanceType: '' });
      const table = (await status('table')).stdout;
      expect(table).toMatch(/SERVERLESS MB\s+MAX CONCURRENCY/);
      expect(table).toMatch(new RegExp(`^${idle}\\s+InService\\s.*\\s2048\\s+5\\s`, 'm'));
      const onInstance = jsonOf<Record<string, unknown>>(
        await sme(['endpoint', 'status', idle2, '--watch', '--poll-interval', '0.3', '--schema', SCHEMA, '--json']),
      );
      expect(onInstance).toMatchObject({ status: 'InService', instanceType: 'ml.m5.large', instanceCount: 1 });
      expect(onInstance).not.toHaveProperty('serverlessMemoryMb');

      // Two hours pass: the deadline is moved into the past instead.
      const expire = (name: string) =>
        sql.execute(
          `UPDATE ${SCHEMA}.SME_METADATA_AUTOPILOT_ENDPOINTS SET IDLE_DEADLINE = TIMESTAMP '2000-01-01 00:00:00.000' WHERE ENDPOINT_NAME = '${name}'`,
        );
      await expire(idle);
      const kept = await runSme(bin, env, ['jobs', '--schema', SCHEMA, '--output', 'table'], { SME_NO_REAP: '1' });
      expect(kept.code, kept.stderr).toBe(0);
      expect(kept.stderr).not.toMatch(/reaped/);
      expect(await awsEndpoints()).toEqual([ENDPOINT, idle, idle2].sort());

      // Predicting with the overdue endpoint itself: its use is recorded before the reaping, so it stays.
      const own = await sme([
        'predict',
        '--endpoint',
        idle,
        '--table',
        `${DATA}.CUSTOMERS`,
        '--limit',
        '3',
        '--schema',
        SCHEMA,
      ]);
      expect(own.code, own.stderr).toBe(0);
      expect(own.stderr).not.toMatch(/reaped/);
      expect(own.stdout.trimEnd().split('\n')).toHaveLength(4);
      const [used] = await endpointRows(sql, idle);
      expect(Date.parse(String(used?.IDLE_DEADLINE).replace(' ', 'T') + 'Z')).toBeGreaterThan(Date.now());
      await expire(idle);

      // sme predict with another endpoint reaps it, once, and predicts.
      const reaping = await sme([
        'predict',
        '--endpoint',
        ENDPOINT,
        '--table',
        `${DATA}.CUSTOMERS`,
        '--limit',
        '3',
        '--schema',
        SCHEMA,
      ]);
      expect(reaping.code, reaping.stderr).toBe(0);
      expect(reaping.stderr.match(/reaped idle endpoint/g)).toEqual(['reaped idle endpoint']);
      expect(reaping.stderr).toContain(`reaped idle endpoint ${idle}:`);
      expect(reaping.stdout.trimEnd().split('\n')).toHaveLength(4);
      expect(await awsEndpoints()).toEqual([ENDPOINT, idle2].sort());
      expect(await scriptExists(sql, DATA, idle)).toBe(false);
      const [reaped] = await endpointRows(sql, idle);
      expect(reaped).toMatchObject({ STATUS: 'Reaped' });

      // sme train reaps too, even when its own input is then refused (more columns than Autopilot takes).
      await createOverColumnLimitTable(sql, DATA, 'WIDE', 'CUSTOMERS');
      await expire(idle2);
      // (Without --json: JSON mode prints no notes on stderr.)
      const refused = await sme(trainArgs(`${DATA}.WIDE`));
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain('error SME-E-TOO-MANY-COLUMNS: ');
      expect(refused.stderr.match(/reaped idle endpoint/g)).toEqual(['reaped idle endpoint']);
      expect(refused.stderr).toContain(`reaped idle endpoint ${idle2}:`);
      expect(await awsEndpoints()).toEqual([ENDPOINT]);
      // Commands that need no AWS of their own (sme models, sme deploy) open it to reap as well.
      for (const [n, command] of [
        [3, ['models', '--schema', SCHEMA, '--output', 'table']],
        [4, ['deploy', '--schema', SCHEMA]],
      ] as const) {
        const overdue = `idle-cli-ep${String(n)}`;
        const deployed = await sme([
          'endpoint',
          'deploy',
          jobName,
          '--endpoint-name',
          overdue,
          '--udf-schema',
          DATA,
          '--schema',
          SCHEMA,
          '--idle-ttl',
          '1h',
        ]);
        expect(deployed.code, deployed.stderr).toBe(0);
        const up = await sme(['endpoint', 'status', overdue, '--watch', '--poll-interval', '0.3', '--schema', SCHEMA]);
        expect(up.code, up.stderr).toBe(0);
        await expire(overdue);
        const run = await sme([...command]);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr.match(/reaped idle endpoint/g), command[0]).toEqual(['reaped idle endpoint']);
        expect(run.stderr).toContain(`reaped idle endpoint ${overdue}:`);
        expect(await awsEndpoints()).toEqual([ENDPOINT]);
      }
      // The endpoint without a TTL stays; the next command reaps nothing.
      const again = await sme(['endpoint', 'list', '--schema', SCHEMA, '--json']);
      expect(again.stderr).not.toMatch(/reaped/);
      expect(jsonOf<{ endpointName: string }[]>(again).map((e) => e.endpointName)).toEqual([ENDPOINT]);
    }, 180_000);

    it('deletes the endpoint: endpoint, config and model gone, UDF dropped, row marked', async () => {
      const deleted = jsonOf<{ deleted: Record<string, boolean>; udfDropped: boolean; recorded: boolean }>(
        await sme(['endpoint', 'delete', ENDPOINT, '--schema', SCHEMA, '--yes', '--json']),
      );
      expect(deleted).toMatchObject({
        deleted: { endpoint: true, endpointConfig: true, model: true },
        udfDropped: true,
        recorded: true,
      });
      expect(await awsEndpoints()).toEqual([]);
      expect(await scriptExists(sql, DATA, ENDPOINT)).toBe(false);
      const [row] = await endpointRows(sql, ENDPOINT);
      expect(row).toMatchObject({ STATUS: 'Deleted' });
      expect(row?.DELETED_AT).not.toBeNull();
      expect(jsonOf<unknown[]>(await sme(['endpoint', 'list', '--schema', SCHEMA, '--json']))).toEqual([]);
    }, 60_000);

    it('drop --dry-run lists what would go and changes nothing; drop removes it and marks the row', async () => {
      const second = 'churn-cli-ep2';
      const deployed = await sme([
        'endpoint',
        'deploy',
        jobName,
        '--endpoint-name',
        second,
        '--udf-schema',
        DATA,
        '--schema',
        SCHEMA,
      ]);
      expect(deployed.code, deployed.stderr).toBe(0);
      const inspector = new AwsInspector(env);
      const prefix = `ep/out/${jobName}/`;
      const before = await inspector.objectKeys(prefix);
      expect(before.length).toBeGreaterThan(0);

      const dry = await sme(['drop', jobName, '--dry-run', '--schema', SCHEMA, '--json']);
      expect(dry.code, dry.stderr).toBe(0);
      const plan = jsonOf<{
        dropped: boolean;
        plan: { endpoints: string[]; prefixes: { uri: string; objects: string[] }[] };
      }>(dry);
      expect(plan.dropped).toBe(false);
      expect(plan.plan.endpoints).toEqual([second]);
      expect(plan.plan.prefixes.flatMap((p) => p.objects).length).toBe(before.length);
      const human = await sme(['drop', jobName, '--dry-run', '--schema', SCHEMA]);
      expect(human.stdout).toContain(`would delete endpoint ${second}`);
      expect(human.stdout).toContain('dry run: nothing changed');
      expect(await inspector.objectKeys(prefix)).toEqual(before);
      expect(await awsEndpoints()).toEqual([second]);
      expect((await metadataRows(sql, SCHEMA, jobName))[0]?.DROPPED_AT).toBeNull();

      const dropped = await sme(['drop', jobName, '--schema', SCHEMA, '--yes', '--json']);
      expect(dropped.code, dropped.stderr).toBe(0);
      expect(jsonOf<{ dropped: boolean; deletedObjects: number }>(dropped)).toMatchObject({
        dropped: true,
        deletedObjects: before.length,
      });
      expect(await inspector.objectKeys(prefix)).toEqual([]);
      expect(await awsEndpoints()).toEqual([]);
      expect(await scriptExists(sql, DATA, second)).toBe(false);
      expect((await metadataRows(sql, SCHEMA, jobName))[0]?.DROPPED_AT).not.toBeNull();
    }, 120_000);
  },
);
