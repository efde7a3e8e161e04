import { describe, expect, it } from 'vitest';
import { runDoctorChecks } from './checks.js';
import { ScriptedDatabase, byName, deps, notPassing } from './testing/scripted-database.js';

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
});
