/**
 * The training chaos scenario, shared by the chaos test and `npm run bench`: many trainings through SQL
 * (`EXECUTE SCRIPT`) and the CLI (`sme train`, a child process), several with the same model name in the same
 * second on different tables, while the AWS sandbox injects seeded faults of every kind (throttling, 5xx, lost
 * replies, connection resets) into every AWS call (SageMaker and S3, so also the EXPORT). Afterwards, with the
 * faults off, the invariants are checked against the sandbox's own state: AutoML jobs, S3 objects, metadata rows,
 * and each job's CSV header against its table's columns.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quoteLiteral } from '@sme/core';
import { ExasolDeployer, connectExasol, type ExasolSqlPort } from '@sme/exasol-adapter';
import { startAwsSandbox, startExasolSandbox, type AwsSandbox } from '@sme/sandbox';
import { deploymentStatements } from '@sme/udf';
import { sageMaker } from '../udf/support.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SME_BIN = join(ROOT, 'packages', 'cli', 'bin', 'sme.js');

const BUCKET = 'sme-sandbox';
const ROLE = 'arn:aws:iam::123456789012:role/SmeChaos';
const SCHEMA = 'SME';
const OUTPUT_PATH = 'chaos';
const ROWS = 520;

/** The tables trained on: each has its own feature columns, so a swapped export shows in the CSV header. */
export const CHAOS_TABLES: Readonly<Record<string, readonly string[]>> = {
  T_ALPHA: ['A_ONE', 'A_TWO', 'LABEL'],
  T_BETA: ['B_ONE', 'B_TWO', 'B_THREE', 'LABEL'],
  T_GAMMA: ['G_ONE', 'LABEL'],
};

/**
 * Fault shares per request: every SageMaker operation gets every kind; S3 (the EXPORT's uploads, the cleanup's
 * list and delete) gets lower shares, since one EXPORT sends several uploads and would nearly always fail.
 */
export const CHAOS_FAULTS = {
  '*': { throttleRate: 0.15, serverErrorRate: 0.1, lostReplyRate: 0.15, resetRate: 0.08 },
  S3: { throttleRate: 0.03, serverErrorRate: 0.03, lostReplyRate: 0.03, resetRate: 0.02 },
};

export interface ChaosOptions {
  readonly seed: number;
  /** Rounds of concurrent starts; each round starts SQL and CLI trainings with one model name. */
  readonly rounds: number;
  readonly lua?: 'native' | 'wasm';
}

/** What one start told its user. */
export interface StartOutcome {
  readonly via: 'sql' | 'cli';
  readonly table: string;
  readonly modelName: string;
  readonly started: boolean;
  readonly jobName?: string;
  readonly recovered?: boolean;
  /** The SME-E code of a failure; undefined when it started or failed without a code (a violation). */
  readonly code?: string;
  readonly message?: string;
}

export interface ChaosReport {
  readonly seed: number;
  readonly outcomes: readonly StartOutcome[];
  readonly attempted: number;
  readonly started: number;
  readonly recovered: number;
  readonly refusedCleanly: number;
  readonly injectedFaults: number;
  readonly violations: readonly string[];
}

export interface ChaosEnvironment {
  readonly aws: AwsSandbox;
  readonly sql: ExasolSqlPort;
  readonly exasol: { host: string; port: number; user: string; password: string; fingerprint: string | null };
  stop(): Promise<void>;
}

function dsn(e: ChaosEnvironment['exasol']): string {
  return `${e.host}/${e.fingerprint ?? 'nocertcheck'}:${String(e.port)}`;
}

/** The sandbox (AWS with the seed's fault sequence, Exasol with the chosen Lua), deployed, with data. */
export async function startChaosEnvironment(
  seed: number,
  lua: 'native' | 'wasm' = 'native',
): Promise<ChaosEnvironment> {
  // A slow job clock: jobs stay Starting during the run, so no model training competes for the two cores.
  const aws = await startAwsSandbox({ clockSpeed: 0.02, seed, maxRunningJobs: 500 });
  const exa = await startExasolSandbox({ lua, s3Endpoint: aws.s3Endpoint, s3Region: aws.region });
  const exasol = {
    host: exa.host,
    port: exa.port,
    user: exa.user,
    password: exa.password,
    fingerprint: exa.fingerprint ?? null,
  };
  const sql = await connectExasol({ dsn: dsn(exasol), user: exa.user, password: exa.password });
  await new ExasolDeployer(sql).deploy(
    deploymentStatements({ schema: SCHEMA, awsEndpointUrl: aws.sagemakerEndpoint, s3EndpointUrl: aws.s3Endpoint }),
  );
  await sql.execute(
    `CREATE OR REPLACE CONNECTION S3_CONN TO 'https://${BUCKET}.s3.${aws.region}.amazonaws.com' USER ${quoteLiteral(aws.credentials.accessKeyId)} IDENTIFIED BY ${quoteLiteral(aws.credentials.secretAccessKey)}`,
  );
  await sql.execute('CREATE SCHEMA IF NOT EXISTS DATA');
  for (const [table, columns] of Object.entries(CHAOS_TABLES)) {
    const defs = columns.map((c) => `${c} DECIMAL(9,0)`).join(', ');
    await sql.execute(`CREATE OR REPLACE TABLE DATA.${table} (${defs})`);
    const values: string[] = [];
    for (let i = 0; i < ROWS; i++) {
      values.push(
        '(' + columns.map((c, j) => (c === 'LABEL' ? String(i % 2) : String((i * (j + 3)) % 97))).join(', ') + ')',
      );
    }
    await sql.execute(`INSERT INTO DATA.${table} VALUES ${values.join(', ')}`);
  }
  return {
    aws,
    sql,
    exasol,
    async stop() {
      await sql.close();
      await exa.stop();
      await aws.stop();
    },
  };
}

function codeOf(text: string): string | undefined {
  return /SME-E-[A-Z0-9]+(?:-[A-Z0-9]+)*/.exec(text)?.[0];
}

function params(env: ChaosEnvironment, modelName: string, table: string): string {
  return JSON.stringify({
    model_name: modelName,
    aws_credentials_connection_name: 'S3_CONN',
    aws_region: env.aws.region,
    iam_sagemaker_role: ROLE,
    s3_bucket_uri: `s3://${BUCKET}`,
    s3_output_path: OUTPUT_PATH,
    input_schema_name: 'DATA',
    input_table_or_view_name: table,
    target_attribute_name: 'LABEL',
    problem_type: 'BinaryClassification',
    max_candidates: 1,
  });
}

/** One start through SQL, in a session of its own (as concurrent users would). */
export async function startViaSql(env: ChaosEnvironment, modelName: string, table: string): Promise<StartOutcome> {
  const session = await connectExasol({ dsn: dsn(env.exasol), user: env.exasol.user, password: env.exasol.password });
  try {
    const r = await session.query(
      `EXECUTE SCRIPT ${SCHEMA}.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(${quoteLiteral(params(env, modelName, table))})`,
    );
    const row = Object.fromEntries(r.columns.map((c, i) => [c.name, r.rows[0]?.[i]]));
    return {
      via: 'sql',
      table,
      modelName,
      started: true,
      jobName: String(row.JOB_NAME),
      recovered: row.RECOVERED === true,
    };
  } catch (e: unknown) {
    const message = e instanceof Error ? e.message : String(e);
    const code = codeOf(message);
    return { via: 'sql', table, modelName, started: false, ...(code === undefined ? {} : { code }), message };
  } finally {
    await session.close().catch(() => undefined);
  }
}

/** One start through the CLI binary (a child process, with the SDK's own retries, as a user runs it). */
export function startViaCli(env: ChaosEnvironment, modelName: string, table: string): Promise<StartOutcome> {
  const home = mkdtempSync(join(tmpdir(), 'sme-chaos-'));
  const args = [
    SME_BIN,
    'train',
    '--json',
    '--schema',
    SCHEMA,
    '--model-name',
    modelName,
    '--table',
    `DATA.${table}`,
    '--target',
    'LABEL',
    '--connection',
    'S3_CONN',
    '--bucket',
    `s3://${BUCKET}`,
    '--output-path',
    OUTPUT_PATH,
    '--role',
    ROLE,
    '--problem-type',
    'BinaryClassification',
    '--max-candidates',
    '1',
  ];
  const childEnv = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    SME_DSN: dsn(env.exasol),
    SME_USER: env.exasol.user,
    SME_PASSWORD: env.exasol.password,
    AWS_REGION: env.aws.region,
    AWS_ACCESS_KEY_ID: env.aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: env.aws.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_SAGEMAKER: env.aws.sagemakerEndpoint,
    AWS_ENDPOINT_URL_S3: env.aws.s3Endpoint,
    AWS_MAX_ATTEMPTS: '3',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (exit) => {
      if (exit === 0) {
        try {
          const started = JSON.parse(stdout) as { jobName: string; recovered: boolean };
          resolve({
            via: 'cli',
            table,
            modelName,
            started: true,
            jobName: started.jobName,
            recovered: started.recovered,
          });
          return;
        } catch {
          resolve({ via: 'cli', table, modelName, started: false, message: `exit 0 without JSON: ${stdout}` });
          return;
        }
      }
      const message = stderr + stdout;
      const code = codeOf(message);
      resolve({ via: 'cli', table, modelName, started: false, ...(code === undefined ? {} : { code }), message });
    });
  });
}

/** The first data line of the CSV export under a prefix, split into column names. */
async function headerUnder(env: ChaosEnvironment, inputUri: string): Promise<string[] | undefined> {
  const key = inputUri.slice(`s3://${BUCKET}/`.length);
  const keys = await env.aws.objects.list(BUCKET, key);
  for (const k of keys) {
    const body = (await env.aws.objects.get(BUCKET, k))?.toString('utf8') ?? '';
    const line = body.split('\n')[0]?.replace('\r', '') ?? '';
    if (line !== '') return line.split(',').map((c) => c.replace(/^"|"$/g, ''));
  }
  return undefined;
}

/** Checks the invariants against the sandbox's state; returns one sentence per violation. */
export async function checkInvariants(env: ChaosEnvironment, outcomes: readonly StartOutcome[]): Promise<string[]> {
  const violations: string[] = [];
  const list = await sageMaker(env.aws.sagemakerEndpoint, env.aws.region, env.aws.credentials, 'ListAutoMLJobs', {
    MaxResults: 100,
  });
  const jobs = (list.AutoMLJobSummaries as { AutoMLJobName: string }[]).map((j) => j.AutoMLJobName);
  const rowsResult = await env.sql.query(
    `SELECT JOB_NAME, INPUT_TABLE_NAME, S3_INPUT_URI, COLUMN_NAMES FROM ${SCHEMA}.SME_METADATA_AUTOPILOT_JOBS`,
  );
  const rows = rowsResult.rows.map((r) => ({
    job: String(r[0]),
    table: String(r[1]),
    input: String(r[2]),
    columns: JSON.parse(String(r[3])) as string[],
  }));
  const keptInputs = new Set<string>();
  for (const job of jobs) {
    const d = await sageMaker(env.aws.sagemakerEndpoint, env.aws.region, env.aws.credentials, 'DescribeAutoMLJobV2', {
      AutoMLJobName: job,
    });
    const input = (d.AutoMLJobInputDataConfig as { DataSource: { S3DataSource: { S3Uri: string } } }[])[0]?.DataSource
      .S3DataSource.S3Uri;
    const status = String(d.AutoMLJobStatus);
    const own = rows.filter((r) => r.job.toUpperCase() === job.toUpperCase());
    if (own.length > 1) violations.push(`job ${job} has ${String(own.length)} metadata rows`);
    if (own.length === 0 && status !== 'Stopping' && status !== 'Stopped') {
      violations.push(`job ${job} (${status}) has no metadata row and was not stopped`);
    }
    const row = own[0];
    if (row === undefined) continue;
    if (input !== row.input) violations.push(`job ${job} reads ${String(input)} but its row says ${row.input}`);
    keptInputs.add(row.input);
    const expected = CHAOS_TABLES[row.table];
    const header = await headerUnder(env, row.input);
    if (expected === undefined || header === undefined || header.join(',') !== expected.join(',')) {
      violations.push(
        `job ${job} of table ${row.table} trains on columns ${String(header?.join(','))}, expected ${String(expected?.join(','))}`,
      );
    }
    if (row.columns.join(',') !== (expected ?? []).join(','))
      violations.push(`job ${job}: row columns differ from table`);
  }
  for (const row of rows) {
    if (!jobs.some((j) => j.toUpperCase() === row.job.toUpperCase()))
      violations.push(`row ${row.job} has no AutoML job`);
  }
  // No copy left behind: every exported object belongs to a recorded job, or a failure listed it as remaining.
  const told = new Set(
    outcomes
      .flatMap((o) => (o.message === undefined ? [] : [o.message]))
      .join('\n')
      .split(/[\s,;()]+/),
  );
  for (const key of await env.aws.objects.list(BUCKET, OUTPUT_PATH + '/')) {
    const uri = `s3://${BUCKET}/${key}`;
    if ([...keptInputs].some((p) => uri.startsWith(p))) continue;
    if (told.has(uri) || [...told].some((t) => t.endsWith('/') && t.startsWith('s3://') && uri.startsWith(t))) continue;
    violations.push(`${uri} was left behind without the user being told`);
  }
  const startedCount = outcomes.filter((o) => o.started).length;
  if (startedCount !== rows.length) {
    violations.push(
      `${String(startedCount)} starts reported success but there are ${String(rows.length)} metadata rows`,
    );
  }
  for (const o of outcomes) {
    if (!o.started && o.code === undefined)
      violations.push(`a ${o.via} start failed without a code: ${String(o.message)}`);
    if (o.started && !rows.some((r) => r.job === o.jobName && r.table === o.table)) {
      violations.push(
        `${o.via} start of ${o.table} reported ${String(o.jobName)} but no row records that table for it`,
      );
    }
  }
  return violations;
}

/** One round: every table through SQL, each in its own session, and one CLI process, all with one model name at once. */
async function clashRound(env: ChaosEnvironment, model: string, round: number): Promise<StartOutcome[]> {
  const tables = Object.keys(CHAOS_TABLES);
  const rotated = tables.map((_, i) => tables[(round + i) % tables.length] ?? 'T_ALPHA');
  return Promise.all([
    ...rotated.map((table) => startViaSql(env, model, table)),
    startViaCli(env, model, rotated[0] ?? 'T_ALPHA'),
  ]);
}

/**
 * Runs the scenario: a first round without faults (same model name, same moment, every table: at least two
 * starts share a name and second, so the loser's path runs), then `rounds` rounds with every fault kind injected
 * at every AWS call (the fault sequence follows the sandbox's seed).
 */
export async function runTrainingChaos(env: ChaosEnvironment, options: ChaosOptions): Promise<ChaosReport> {
  const outcomes: StartOutcome[] = [];
  outcomes.push(...(await clashRound(env, 'clash', 0)));
  env.aws.faults.set(CHAOS_FAULTS);
  try {
    for (let round = 1; round <= options.rounds; round++) {
      outcomes.push(...(await clashRound(env, `chaos${String(round)}`, round)));
    }
  } finally {
    env.aws.faults.clear();
  }
  const violations = await checkInvariants(env, outcomes);
  const injected = Object.values(env.aws.faults.injected()).reduce((a, b) => a + b, 0);
  const started = outcomes.filter((o) => o.started).length;
  return {
    seed: options.seed,
    outcomes,
    attempted: outcomes.length,
    started,
    recovered: outcomes.filter((o) => o.recovered === true).length,
    refusedCleanly: outcomes.filter((o) => !o.started && o.code !== undefined).length,
    injectedFaults: injected,
    violations,
  };
}

/** Share of `SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS` calls that answer while `throttleRate` of SageMaker calls are throttled. */
export async function sqlPollSuccessRate(env: ChaosEnvironment, jobName: string, polls: number, throttleRate: number) {
  env.aws.faults.set({ DescribeAutoMLJobV2: { throttleRate } });
  let ok = 0;
  try {
    for (let i = 0; i < polls; i++) {
      try {
        await env.sql.query(
          `EXECUTE SCRIPT ${SCHEMA}.SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS(${quoteLiteral(jobName)}, 'S3_CONN', ${quoteLiteral(env.aws.region)})`,
        );
        ok++;
      } catch {
        // a failed poll: counted by its absence
      }
    }
  } finally {
    env.aws.faults.clear();
  }
  return ok / polls;
}
