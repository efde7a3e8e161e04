import { describe, expect, it } from 'vitest';
import { runDoctorChecks } from './checks.js';
import { ScriptedDatabase, byName, deps } from './testing/scripted-database.js';

describe('the CONNECTION checks', () => {
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
});
