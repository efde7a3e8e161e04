// Test support of the doctor's checks (not built into the package): a database scripted like a healthy Exasol
// with sme deployed, and the options of a run.
import type { SqlPort, SqlRows } from '@sme/core';
import { DEPLOYED_SCRIPTS, DEPLOYED_VERSION_MARKER } from '@sme/udf';
import type { DoctorCheck, DoctorDeps } from '../checks.js';

/** The clock the scripted database and AWS agree on (epoch seconds). */
export const NOW_SECONDS = 1_800_000_000;

type Answer = SqlRows | number | Error;

/**
 * A database that answers the doctor's statements like a healthy Exasol with sme deployed; `overrides` replace the
 * answer of the first rule whose text the statement contains. Every statement is recorded.
 */
export class ScriptedDatabase implements SqlPort {
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

/** The options of a run against `sql`: every flag given, AWS's clock equal to the database's. */
export function deps(sql: SqlPort, extra: Partial<DoctorDeps> = {}): DoctorDeps {
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

/** The checks of a run by name. */
export function byName(checks: readonly DoctorCheck[]): Record<string, DoctorCheck> {
  return Object.fromEntries(checks.map((c) => [c.name, c]));
}

/** `name:status` of every check that did not pass. */
export function notPassing(checks: readonly DoctorCheck[]): string[] {
  return checks.filter((c) => c.status !== 'pass').map((c) => `${c.name}:${c.status}`);
}
