import { describe, expect, it } from 'vitest';
import type { SqlPort, SqlRows } from '@sme/core';
import { DEPLOYED_SCRIPTS, DEPLOYED_VERSION_MARKER } from '@sme/udf';
import { formatSkew, majorMinor, runDoctorChecks, type DoctorCheck, type DoctorDeps } from './checks.js';

const NOW_SECONDS = 1_800_000_000;

type Answer = SqlRows | number | Error;

/**
 * A database that answers the doctor's statements like a healthy Exasol with sme deployed; `overrides` replace the
 * answer of the first rule whose text the statement contains. Every statement is recorded.
 */
class ScriptedDatabase implements SqlPort {
  readonly statements: string[] = [];
  readonly objects = new Set<string>();

  constructor(
    private readonly overrides: readonly (readonly [string, (sql: string) => Answer])[] = [],
    private readonly version = '8.34.0',
    private readonly clockSeconds = NOW_SECONDS,
  ) {}

  query(sql: string): Promise<SqlRows> {
    const answer = this.answer(sql);
    if (answer instanceof Error) return Promise.reject(answer);
    if (typeof answer === 'number') return Promise.reject(new Error(`not a query: ${sql}`));
    return Promise.resolve(answer);
  }

  execute(sql: string): Promise<number> {
    const answer = this.answer(sql);
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve(typeof answer === 'number' ? answer : 0);
  }

  private answer(sql: string): Answer {
    this.statements.push(sql);
    for (const [text, answer] of this.overrides) if (sql.includes(text)) return answer(sql);
    const rows = (...values: unknown[][]): SqlRows => ({
      columns: [],
      rows: values as SqlRows['rows'],
    });
    const probe = /"(SME_DOCTOR_PROBE_[A-Z]+_\d+)"/.exec(sql)?.[1];
    if (sql.startsWith('CREATE OR REPLACE LUA') && probe !== undefined) {
      this.objects.add(probe);
      return 0;
    }
    if (sql.startsWith('DROP SCRIPT') && probe !== undefined) {
      this.objects.delete(probe);
      return 0;
    }
    if (sql.includes('EXA_METADATA')) return rows([this.version]);
    if (sql.includes('CURRENT_SESSION, CURRENT_USER')) return rows(['42', 'ANALYST']);
    if (sql.includes('CURRENT_SESSION')) return rows(['42']);
    if (sql.includes('CURRENT_USER')) return rows(['ANALYST']);
    if (sql.includes('EXA_SCHEMAS')) return rows(['SME']);
    if (sql.startsWith('EXECUTE SCRIPT')) return rows(['pcall_table_error=string;load=nil;coroutine=nil;os_time=1']);
    if (sql.includes('SME_DOCTOR_PROBE_UDF_')) {
      const modules = ['ssl', 'openssl.digest', 'openssl.hmac', 'socket', 'cjson'].map((m) => `require:${m}=yes`);
      return rows([
        `pcall_table_error=string;load=nil;coroutine=nil;os_time=${String(this.clockSeconds)};${modules.join(';')}`,
      ]);
    }
    if (sql.includes('SUBSTR(SCRIPT_TEXT, 1,'))
      return rows([`CREATE LUA SCRIPT x() AS\n${DEPLOYED_VERSION_MARKER}0.1.0\n`]);
    if (sql.includes('SUBSTR(SCRIPT_TEXT, INSTR')) return rows(['local SME_CONFIG = { timeoutSeconds = 30 }\n']);
    if (sql.includes('SELECT SCRIPT_NAME FROM EXA_ALL_SCRIPTS')) return rows(...DEPLOYED_SCRIPTS.map((s) => [s.name]));
    if (sql.includes('EXA_DBA_CONNECTIONS')) return rows(['https://ml-data.s3.eu-central-1.amazonaws.com']);
    if (sql.includes('"SME_CONNECTION_ADDRESS"')) return rows(['https://ml-data.s3.eu-central-1.amazonaws.com']);
    if (sql.includes('"SME_AWS_SAGEMAKER_CALL"')) return rows(['{"ok":true,"httpStatus":200,"body":"{}"}']);
    if (sql.startsWith('EXPORT')) return 1;
    if (sql.startsWith('CREATE SCHEMA') || sql.startsWith('DROP SCHEMA')) return 0;
    throw new Error(`unexpected statement: ${sql}`);
  }
}

function deps(sql: SqlPort, extra: Partial<DoctorDeps> = {}): DoctorDeps {
  return {
    sql,
    schema: 'SME',
    cliVersion: '0.1.0',
    connection: 'S3_CONN',
    bucket: 'ml-data',
    region: 'eu-central-1',
    role: 'arn:aws:iam::123456789012:role/SageMaker',
    awsDate: () =>
      Promise.resolve({ millis: NOW_SECONDS * 1000, origin: 'https://api.sagemaker.eu-central-1.amazonaws.com' }),
    elapsedMillis: () => 0,
    ...extra,
  };
}

function byName(checks: readonly DoctorCheck[]): Record<string, DoctorCheck> {
  return Object.fromEntries(checks.map((c) => [c.name, c]));
}

function notPassing(checks: readonly DoctorCheck[]): string[] {
  return checks.filter((c) => c.status !== 'pass').map((c) => `${c.name}:${c.status}`);
}

describe('runDoctorChecks', () => {
  it('passes every check on a ready database and removes both probes', async () => {
    const db = new ScriptedDatabase();
    const checks = await runDoctorChecks(deps(db));
    expect(notPassing(checks)).toEqual(['aws-credentials:unknown']);
    expect(checks.map((c) => c.name)).toEqual([
      'database-version',
      'lua-scripting',
      'lua-udf',
      'sme-deployed',
      'connection',
      'connection-access',
      'export',
      'https-sagemaker',
      'https-s3',
      'aws-credentials',
      'clock',
      'role',
    ]);
    expect(db.statements.filter((s) => s.startsWith('CREATE OR REPLACE LUA'))).toHaveLength(2);
    expect(db.objects.size).toBe(0);
    const why = byName(await runDoctorChecks(deps(new ScriptedDatabase(), { cliAwsProblem: 'no AWS region' })));
    expect(why['aws-credentials']?.detail).toBe("the CLI's AWS settings could not be loaded: no AWS region");
  });

  it('reports an HTTPS failure of the deployed AWS-call path with its code, host and remedy (injected)', async () => {
    const untrusted = JSON.stringify({
      ok: false,
      code: 'SME-E-AWS-TLS-UNTRUSTED',
      kind: 'TlsMismatch',
      message:
        'SME-E-AWS-TLS-UNTRUSTED: api.sagemaker.eu-central-1.amazonaws.com: the certificate chain is not trusted',
      remedy: 'Add the CA with sme deploy --aws-ca-file FILE.',
    });
    const db = new ScriptedDatabase([["'ListAutoMLJobs'", () => ({ columns: [], rows: [[untrusted]] })]]);
    const checks = byName(await runDoctorChecks(deps(db)));
    expect(checks['https-sagemaker']).toEqual({
      name: 'https-sagemaker',
      status: 'fail',
      detail:
        'SageMaker (eu-central-1) at https://api.sagemaker.eu-central-1.amazonaws.com from a Lua UDF: ' +
        'SME-E-AWS-TLS-UNTRUSTED: api.sagemaker.eu-central-1.amazonaws.com: the certificate chain is not trusted',
      fix: 'Add the CA with sme deploy --aws-ca-file FILE.',
    });
    expect(checks['https-s3']?.status).toBe('pass');
    expect(db.objects.size).toBe(0);
  });

  it('names the GRANT when the UDF may not read the CONNECTION, and skips what needs it', async () => {
    const refused = new Error(
      'SME-E-CONNECTION-ACCESS: connection S3_CONN: no ACCESS privilege. Run GRANT ACCESS ON CONNECTION "S3_CONN" …',
    );
    const db = new ScriptedDatabase([['"SME_CONNECTION_ADDRESS"', () => refused]]);
    const checks = byName(await runDoctorChecks(deps(db)));
    expect(checks['connection-access']?.status).toBe('fail');
    expect(checks['connection-access']?.fix).toContain(
      'GRANT ACCESS ON CONNECTION "S3_CONN" FOR SCRIPT "SME"."SME_AWS_SAGEMAKER_CALL" TO "ANALYST"',
    );
    expect(checks['https-sagemaker']?.status).toBe('unknown');
    expect(checks['https-s3']?.status).toBe('unknown');
    expect(checks.connection?.status).toBe('pass');
  });

  it('reports a check that throws as unknown and goes on; removes the probes then and when Ctrl-C aborts', async () => {
    const broken = new ScriptedDatabase([
      ['EXPORT', () => 1],
      ['SELECT CURRENT_SESSION FROM DUAL', () => new Error('gone')],
    ]);
    const checks = byName(await runDoctorChecks(deps(broken)));
    expect(checks.export).toEqual({
      name: 'export',
      status: 'unknown',
      detail: 'the check could not run: gone',
      fix: null,
    });
    expect(checks['https-sagemaker']?.status).toBe('pass');
    expect(broken.objects.size).toBe(0);
    expect(broken.statements.filter((s) => s.startsWith('DROP SCRIPT'))).toHaveLength(2);

    const controller = new AbortController();
    const db = new ScriptedDatabase([
      [
        'SME_DOCTOR_PROBE_UDF_42"(1)',
        () => {
          controller.abort();
          return { columns: [], rows: [['os_time=1']] };
        },
      ],
    ]);
    const aborted = await runDoctorChecks(deps(db, { signal: controller.signal }));
    expect(aborted.map((c) => c.name)).toEqual(['database-version', 'lua-scripting', 'lua-udf']);
    expect(db.objects.size).toBe(0);
  });

  it('drops the schema it had to create for the probes, and only that', async () => {
    const db = new ScriptedDatabase([['EXA_SCHEMAS', () => ({ columns: [], rows: [] })]]);
    await runDoctorChecks(deps(db));
    expect(db.statements).toContain('CREATE SCHEMA "SME"');
    expect(db.statements.at(-1)).toBe('DROP SCHEMA IF EXISTS "SME"');
    const existing = new ScriptedDatabase();
    await runDoctorChecks(deps(existing));
    expect(existing.statements.filter((s) => s.includes('SCHEMA "SME"'))).toEqual([]);
  });

  it.each([
    ['8.34.0', 'pass'],
    ['8.10.0', 'pass'],
    ['8.9.3', 'warn'],
    ['7.1.0', 'warn'],
    ['7.0.20', 'fail'],
    ['6.2.17', 'fail'],
  ])('judges Exasol %s as %s (in-database path 8.10+, CLI path 7.1+)', async (version, status) => {
    const checks = byName(await runDoctorChecks(deps(new ScriptedDatabase([], version))));
    expect(checks['database-version']?.status).toBe(status);
  });

  it.each([
    [0, 'pass'],
    [-59, 'pass'],
    [120, 'warn'],
    [-300, 'warn'],
    [301, 'fail'],
    [600, 'fail'],
  ])('judges a database clock %i s off AWS as %s', async (offset, status) => {
    const checks = byName(await runDoctorChecks(deps(new ScriptedDatabase([], '8.34.0', NOW_SECONDS + offset))));
    expect(checks.clock?.status).toBe(status);
    expect(checks.clock?.detail).toContain(formatSkew(offset));
  });

  it('fails sme-deployed for a missing deployment, a missing script and another version, with the deploy command', async () => {
    const none = new ScriptedDatabase([['SELECT SCRIPT_NAME FROM EXA_ALL_SCRIPTS', () => ({ columns: [], rows: [] })]]);
    const older = new ScriptedDatabase([
      ['SUBSTR(SCRIPT_TEXT, 1,', () => ({ columns: [], rows: [[`AS\n${DEPLOYED_VERSION_MARKER}0.0.9\n`]] })],
    ]);
    const partial = new ScriptedDatabase([
      [
        'SELECT SCRIPT_NAME FROM EXA_ALL_SCRIPTS',
        () => ({ columns: [], rows: DEPLOYED_SCRIPTS.slice(1).map((s) => [s.name]) }),
      ],
    ]);
    for (const [db, detail] of [
      [none, 'sme is not deployed in schema "SME"'],
      [older, 'schema "SME" holds sme 0.0.9, this CLI is 0.1.0'],
      [partial, `lacks 1 of sme's scripts (${DEPLOYED_SCRIPTS[0]?.name ?? ''})`],
    ] as const) {
      const check = byName(await runDoctorChecks(deps(db)))['sme-deployed'];
      expect(check?.status).toBe('fail');
      expect(check?.detail).toContain(detail);
      expect(check?.fix).toMatch(/^sme deploy --schema SME/);
    }
  });

  it('checks the role: an ARN passes, a malformed ARN fails, a name resolves through AWS', async () => {
    const run = async (role: string, roleArn?: (name: string) => Promise<string>) =>
      byName(
        await runDoctorChecks(
          deps(new ScriptedDatabase(), {
            role,
            ...(roleArn === undefined
              ? {}
              : {
                  cliAws: {
                    describeMissingJob: () =>
                      Promise.reject(
                        Object.assign(new Error('no'), { name: 'SmeError', code: 'X', kind: 'NotFound', details: {} }),
                      ),
                    listPrefix: () => Promise.resolve([]),
                    deletePrefix: () => Promise.resolve(0),
                    roleArn,
                  },
                }),
          }),
        ),
      ).role;
    expect((await run('arn:aws:iam::123456789012:role/R'))?.status).toBe('pass');
    expect((await run('arn:aws:iam::12:role/R'))?.status).toBe('fail');
    const resolved = await run('SageMakerRole', (name) => Promise.resolve(`arn:aws:iam::123456789012:role/${name}`));
    expect(resolved).toMatchObject({
      status: 'pass',
      detail: 'role name SageMakerRole resolves to arn:aws:iam::123456789012:role/SageMakerRole',
    });
    expect((await run('Missing', () => Promise.reject(new Error('NoSuchEntity'))))?.status).toBe('fail');
  });
});

describe('helpers', () => {
  it('reads major.minor and words a clock difference', () => {
    expect(majorMinor('8.34.0')).toEqual([8, 34]);
    expect(majorMinor('unknown')).toBeUndefined();
    expect(formatSkew(600)).toBe('10 min 0 s ahead of');
    expect(formatSkew(-5)).toBe('5 s behind');
    expect(formatSkew(0)).toBe('in step with');
  });
});
