import { describe, expect, it } from 'vitest';
import { DEPLOYED_SCRIPTS, DEPLOYED_VERSION_MARKER } from '@sme/udf';
import { runDoctorChecks } from './checks.js';
import { majorMinor } from './database-checks.js';
import { ScriptedDatabase, byName, deps } from './testing/scripted-database.js';

describe('the database checks', () => {
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

  it('reads major.minor', () => {
    expect(majorMinor('8.34.0')).toEqual([8, 34]);
    expect(majorMinor('unknown')).toBeUndefined();
  });
});
