/**
 * `sme doctor` as a user runs it, against the sandbox: every check passes on a ready sandbox, and each way of
 * breaking it (sme not deployed or another version, a wrong bucket, no ACCESS on the CONNECTION, a database clock
 * 10 minutes fast, AWS endpoints whose certificate the deployed UDF does not trust) fails exactly the check it should. Nothing is left behind: no probe script, no temporary schema,
 * no probe object in the bucket — also after Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier } from '@sme/test-tiers';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { AwsInspector, smeEnv, startSandboxEnvironment, type Environment } from '../environment/index.js';
import { connect, createBucketConnection } from './exasol-fixtures.js';
import { jsonOf, runSme, smeInstall, type SmeRun } from './sme-binary.js';

const SCHEMA = 'SME_DOCTOR';
const CONNECTION = 'S3_DOCTOR';
const ROLE = 'arn:aws:iam::123456789012:role/SmeDoctor';
/** Each test runs the sme binary up to four times (a doctor run is a dozen statements and AWS calls). */
const DOCTOR_TIMEOUT = 240_000;

interface Check {
  readonly name: string;
  readonly status: 'pass' | 'warn' | 'fail' | 'unknown';
  readonly detail: string;
  readonly fix: string | null;
}

function statuses(run: SmeRun): Record<string, string> {
  const { checks } = jsonOf<{ checks: Check[] }>(run);
  return Object.fromEntries(checks.map((c) => [c.name, c.status]));
}

function checkOf(run: SmeRun, name: string): Check | undefined {
  return jsonOf<{ checks: Check[] }>(run).checks.find((c) => c.name === name);
}

/** Every check but `except` passes. */
function allPassBut(run: SmeRun, except: Record<string, string>): void {
  const seen = statuses(run);
  const expected = Object.fromEntries(Object.keys(seen).map((name) => [name, except[name] ?? 'pass']));
  expect(seen, run.stdout).toEqual(expected);
}

/** `sme deploy` into the doctor's schema, against the environment's AWS endpoints. */
function deployArgs(env: Environment): string[] {
  return [
    'deploy',
    '--schema',
    SCHEMA,
    '--aws-endpoint-url',
    env.aws.sagemakerEndpoint,
    '--s3-endpoint-url',
    env.aws.s3Endpoint,
  ];
}

/** `sme doctor --json` with the doctor's schema, CONNECTION and role. */
const DOCTOR_ARGS = ['doctor', '--schema', SCHEMA, '--connection', CONNECTION, '--role', ROLE, '--json'];

/** A sandbox started with extra `sme-sandbox` flags, with the doctor's CONNECTION created. */
async function startDoctorSandbox(args: string[]): Promise<Environment> {
  const env = await startSandboxEnvironment(args);
  const sql = await connect(env);
  await createBucketConnection(sql, env, CONNECTION);
  await sql.close();
  return env;
}

describeTier('sandbox', 'sme doctor against the sandbox', () => {
  let env: Environment;
  let bin: string;
  let sql: ExasolSqlPort;
  const doctor = (extra: string[] = [], extraEnv: Record<string, string> = {}, bucket = `s3://${env.aws.bucket}`) =>
    runSme(
      bin,
      env,
      [
        'doctor',
        '--schema',
        SCHEMA,
        '--connection',
        CONNECTION,
        '--bucket',
        bucket,
        '--role',
        ROLE,
        '--json',
        ...extra,
      ],
      extraEnv,
    );
  const deploy = () => runSme(bin, env, deployArgs(env));

  /** Probe scripts of any doctor run, and the probe objects in the bucket: both must be empty after every run. */
  async function leftovers(): Promise<{ scripts: string[]; objects: string[] }> {
    const scripts = await sql.query(
      "SELECT SCRIPT_NAME FROM EXA_ALL_SCRIPTS WHERE SCRIPT_NAME LIKE 'SME_DOCTOR_PROBE_%'",
    );
    return {
      scripts: scripts.rows.map((r) => String(r[0])),
      objects: await new AwsInspector(env).objectKeys('sme-doctor-probe/'),
    };
  }

  beforeAll(async () => {
    bin = smeInstall().bin;
    env = await startSandboxEnvironment();
    sql = await connect(env);
    await createBucketConnection(sql, env, CONNECTION);
  }, 180_000);

  afterAll(async () => {
    await sql.close();
    await env.stop();
  });

  it(
    'before deploy: fails sme-deployed with the deploy command, and drops the schema it made for its probes',
    async () => {
      const run = await doctor();
      expect(run.code, run.stderr).toBe(1);
      allPassBut(run, {
        'sme-deployed': 'fail',
        'connection-access': 'unknown',
        'https-sagemaker': 'unknown',
        'https-s3': 'unknown',
      });
      expect(checkOf(run, 'sme-deployed')?.fix).toBe(`sme deploy --schema ${SCHEMA}`);
      const schemas = await sql.query(`SELECT SCHEMA_NAME FROM EXA_SCHEMAS WHERE SCHEMA_NAME = '${SCHEMA}'`);
      expect(schemas.rows).toEqual([]);
      expect(await leftovers()).toEqual({ scripts: [], objects: [] });
    },
    DOCTOR_TIMEOUT,
  );

  it(
    'after deploy: every check passes, exit 0, one text line per check, and nothing is left behind',
    async () => {
      expect((await deploy()).code).toBe(0);
      const run = await doctor();
      expect(run.code, run.stdout).toBe(0);
      allPassBut(run, {});
      expect(checkOf(run, 'export')?.detail).toContain('deleted again');
      expect(run.stdout).not.toContain(env.aws.credentials.secretAccessKey);
      expect(await leftovers()).toEqual({ scripts: [], objects: [] });

      const text = await runSme(bin, env, [
        'doctor',
        '--schema',
        SCHEMA,
        '--connection',
        CONNECTION,
        '--role',
        ROLE,
        '--output',
        'table',
      ]);
      expect(text.code, text.stderr).toBe(0);
      const lines = text.stdout.trim().split('\n');
      expect(lines).toHaveLength(12);
      for (const line of lines) expect(line).toMatch(/^PASS {4}[a-z0-9-]+ +\S/);
      expect(text.stderr).toContain('0 failed, 0 warnings, 0 unknown, 12 passed');
    },
    DOCTOR_TIMEOUT,
  );

  it(
    'a wrong bucket fails the connection check only, with both ways to fix it',
    async () => {
      const run = await doctor([], {}, 's3://not-the-bucket');
      expect(run.code).toBe(1);
      allPassBut(run, { connection: 'fail' });
      expect(checkOf(run, 'connection')).toMatchObject({
        detail: `CONNECTION ${CONNECTION} points at bucket ${env.aws.bucket}, not at --bucket not-the-bucket`,
        fix: expect.stringContaining(`Pass --bucket s3://${env.aws.bucket}`) as string,
      });
      expect(await leftovers()).toEqual({ scripts: [], objects: [] });
    },
    DOCTOR_TIMEOUT,
  );

  it(
    'another deployed version fails sme-deployed, naming both versions; deploying again fixes it',
    async () => {
      await sql.execute(`CREATE OR REPLACE LUA SCRIPT ${SCHEMA}.SME_LIBRARY() AS\n-- sme-version: 0.0.1\nSME = {}\n`);
      const run = await doctor();
      expect(run.code).toBe(1);
      allPassBut(run, { 'sme-deployed': 'fail' });
      expect(checkOf(run, 'sme-deployed')?.detail).toMatch(/holds sme 0\.0\.1, this CLI is \d+\.\d+\.\d+/);
      expect((await deploy()).code).toBe(0);
      expect((await doctor()).code).toBe(0);
    },
    DOCTOR_TIMEOUT,
  );

  it(
    'a user without ACCESS on the CONNECTION fails connection-access with the GRANT to run',
    async () => {
      for (const statement of [
        'CREATE USER DOCTOR_ANALYST IDENTIFIED BY "analyst-pw"',
        'GRANT CREATE SESSION TO DOCTOR_ANALYST',
        `GRANT EXECUTE ON SCHEMA ${SCHEMA} TO DOCTOR_ANALYST`,
        'GRANT EXPORT TO DOCTOR_ANALYST',
        `GRANT CONNECTION ${CONNECTION} TO DOCTOR_ANALYST`,
      ])
        await sql.execute(statement);
      const analyst = { SME_USER: 'DOCTOR_ANALYST', SME_PASSWORD: 'analyst-pw' };
      const run = await doctor([], analyst);
      expect(run.code).toBe(1);
      const access = checkOf(run, 'connection-access');
      expect(access?.status).toBe('fail');
      expect(access?.fix).toContain(
        `GRANT ACCESS ON CONNECTION "${CONNECTION}" FOR SCRIPT "${SCHEMA}"."SME_AWS_SAGEMAKER_CALL" TO "DOCTOR_ANALYST"`,
      );
      // What needs the CONNECTION in a UDF cannot be judged; nothing else fails.
      expect(statuses(run)).toMatchObject({ 'https-sagemaker': 'unknown', 'https-s3': 'unknown' });
      expect(Object.entries(statuses(run)).filter(([, s]) => s === 'fail')).toEqual([['connection-access', 'fail']]);
      expect(await leftovers()).toEqual({ scripts: [], objects: [] });

      for (const udf of ['SME_AWS_SAGEMAKER_CALL', 'SME_CONNECTION_ADDRESS'])
        await sql.execute(`GRANT ACCESS ON CONNECTION ${CONNECTION} FOR SCRIPT ${SCHEMA}.${udf} TO DOCTOR_ANALYST`);
      const granted = await doctor([], analyst);
      expect(statuses(granted)).toMatchObject({
        'connection-access': 'pass',
        'https-sagemaker': 'pass',
        'https-s3': 'pass',
      });
      expect(await leftovers()).toEqual({ scripts: [], objects: [] });
    },
    DOCTOR_TIMEOUT,
  );

  it(
    'Ctrl-C while the probes exist: exit 130, the probes are removed',
    async () => {
      const home = mkdtempSync(join(tmpdir(), 'sme-home-'));
      const child = spawn(bin, ['doctor', '--schema', SCHEMA, '--connection', CONNECTION, '--role', ROLE], {
        env: smeEnv(env, home),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      // Only the catalog is polled, and Ctrl-C follows at once: the probes live until the last check has run.
      const probes = async () =>
        (await sql.query("SELECT SCRIPT_NAME FROM EXA_ALL_SCRIPTS WHERE SCRIPT_NAME LIKE 'SME_DOCTOR_PROBE_%'")).rows
          .length;
      let seen = 0;
      for (let i = 0; i < 1000 && seen === 0; i++) {
        seen = await probes();
        if (seen === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      child.kill('SIGINT');
      expect(seen).toBeGreaterThan(0);
      expect(await exited, stderr).toBe(130);
      expect(stderr).toContain('interrupted');
      expect(await leftovers()).toEqual({ scripts: [], objects: [] });
    },
    DOCTOR_TIMEOUT,
  );
});

describeTier('wasm', 'sme doctor against a sandbox running Lua in wasmoon', () => {
  let env: Environment;
  let bin: string;

  beforeAll(async () => {
    bin = smeInstall().bin;
    env = await startDoctorSandbox(['--lua', 'wasm']);
  }, 180_000);

  afterAll(async () => {
    await env.stop();
  });

  it(
    'passes every check: the probes and the AWS-call path behave as under native Lua',
    async () => {
      const deployed = await runSme(bin, env, deployArgs(env));
      expect(deployed.code).toBe(0);
      const run = await runSme(bin, env, DOCTOR_ARGS);
      expect(run.code, run.stdout).toBe(0);
      allPassBut(run, {});
      expect(checkOf(run, 'lua-udf')?.detail).toContain('pcall(error, {…}) gives a string');
    },
    DOCTOR_TIMEOUT,
  );
});

describeTier('sandbox', 'sme doctor against a sandbox whose database clock is 10 minutes fast', () => {
  let env: Environment;
  let bin: string;

  beforeAll(async () => {
    bin = smeInstall().bin;
    env = await startDoctorSandbox(['--clock-offset', '10m']);
  }, 180_000);

  afterAll(async () => {
    await env.stop();
  });

  it(
    'fails the clock check (and only it), saying how far ahead and what to do',
    async () => {
      const deployed = await runSme(bin, env, deployArgs(env));
      expect(deployed.code).toBe(0);
      const run = await runSme(bin, env, DOCTOR_ARGS);
      expect(run.code).toBe(1);
      allPassBut(run, { clock: 'fail' });
      expect(checkOf(run, 'clock')?.detail).toMatch(/is (9 min 5\d|10 min \d) s ahead of AWS's/);
      expect(checkOf(run, 'clock')?.fix).toContain('Synchronise');
    },
    DOCTOR_TIMEOUT,
  );
});

describeTier('sandbox', 'sme doctor against a sandbox serving AWS over HTTPS with its own CA (--aws-tls)', () => {
  let env: Environment;
  let bin: string;

  beforeAll(async () => {
    bin = smeInstall().bin;
    env = await startDoctorSandbox(['--aws-tls']);
  }, 180_000);

  afterAll(async () => {
    await env.stop();
  });

  it(
    'deployed without the CA: both in-database HTTPS checks fail as untrusted and name the fix; with --aws-ca-file all pass',
    async () => {
      expect(env.aws.sagemakerEndpoint).toMatch(/^https:\/\//);
      const caFile = env.aws.caFile;
      if (caFile === undefined) throw new Error('sme-sandbox --aws-tls printed no awsCaFile');

      expect((await runSme(bin, env, deployArgs(env))).code).toBe(0);
      const untrusted = await runSme(bin, env, DOCTOR_ARGS);
      expect(untrusted.code, untrusted.stdout).toBe(1);
      allPassBut(untrusted, { 'https-sagemaker': 'fail', 'https-s3': 'fail' });
      for (const name of ['https-sagemaker', 'https-s3']) {
        const found = checkOf(untrusted, name);
        expect(found?.detail).toContain('SME-E-AWS-TLS-UNTRUSTED');
        expect(found?.fix).toContain('--aws-ca-file');
      }

      expect((await runSme(bin, env, [...deployArgs(env), '--aws-ca-file', caFile])).code).toBe(0);
      const trusted = await runSme(bin, env, DOCTOR_ARGS);
      expect(trusted.code, trusted.stdout).toBe(0);
      allPassBut(trusted, {});
      expect(checkOf(trusted, 'https-sagemaker')?.detail).toContain('HTTPS from a Lua UDF to');
    },
    DOCTOR_TIMEOUT,
  );
});
