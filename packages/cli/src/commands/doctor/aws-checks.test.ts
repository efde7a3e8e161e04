import { describe, expect, it } from 'vitest';
import { formatSkew } from './aws-checks.js';
import { runDoctorChecks } from './checks.js';
import { NOW_SECONDS, ScriptedDatabase, byName, deps } from './testing/scripted-database.js';

describe('the AWS checks', () => {
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
  it('words a clock difference', () => {
    expect(formatSkew(600)).toBe('10 min 0 s ahead of');
    expect(formatSkew(-5)).toBe('5 s behind');
    expect(formatSkew(0)).toBe('in step with');
  });
});
