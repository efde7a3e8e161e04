import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsClients } from './sagemaker-clients.js';
import { resolveSageMakerOptions } from './sagemaker-config.js';
import { StsIdentity, isRoleArn, isRoleName, roleArnOf } from './sagemaker-identity.js';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

function identity(region: string) {
  return new StsIdentity(
    new AwsClients(resolveSageMakerOptions({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })),
    region,
  );
}

describe('roleArnOf', () => {
  it.each([
    ['aws', 'SmeRole', 'arn:aws:iam::123456789012:role/SmeRole'],
    ['aws-cn', 'SmeRole', 'arn:aws-cn:iam::123456789012:role/SmeRole'],
    [
      'aws-us-gov',
      'service-role/Sme+Role=1,x.y@z_w-v',
      'arn:aws-us-gov:iam::123456789012:role/service-role/Sme+Role=1,x.y@z_w-v',
    ],
    ['aws', 'arn:aws:iam::210987654321:role/Other', 'arn:aws:iam::210987654321:role/Other'],
    ['aws', '  SmeRole  ', 'arn:aws:iam::123456789012:role/SmeRole'],
  ] as const)('%s %s', (partition, input, arn) => {
    expect(roleArnOf(partition, '123456789012', input)).toBe(arn);
  });

  it.each([
    ['empty', ''],
    ['space inside', 'my role'],
    ['name too long', 'r'.repeat(65)],
    ['empty path segment', 'a//b'],
    ['user ARN', 'arn:aws:iam::123456789012:user/bob'],
    ['short account', 'arn:aws:iam::1234:role/x'],
    ['sts ARN', 'arn:aws:sts::123456789012:assumed-role/x/y'],
  ])('refuses %s with SME-E-AWS-ROLE-INVALID naming iam_sagemaker_role', (_name, input) => {
    expect(() => roleArnOf('aws', '123456789012', input)).toThrow(
      expect.objectContaining({
        code: 'SME-E-AWS-ROLE-INVALID',
        details: expect.objectContaining({ key: 'iam_sagemaker_role' }) as unknown,
      }),
    );
  });

  it('builds an ARN that isRoleArn accepts from every valid name (property)', () => {
    const segment = fc.stringMatching(/^[\w+=,.@-]{1,20}$/);
    const name = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
    const account = fc.stringMatching(/^\d{12}$/);
    fc.assert(
      fc.property(fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'), account, name, (p, a, n) => {
        expect(isRoleName(n)).toBe(true);
        const arn = roleArnOf(p, a, n);
        expect(arn).toBe(`arn:${p}:iam::${a}:role/${n}`);
        expect(isRoleArn(arn)).toBe(true);
        expect(roleArnOf('aws', '000000000000', arn)).toBe(arn);
      }),
    );
  });
});

describe('StsIdentity', () => {
  it('asks STS once and uses the partition of the region', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws-cn:iam::111122223333:user/u' });
    const id = identity('cn-north-1');
    expect(await id.roleArn('SmeRole')).toBe('arn:aws-cn:iam::111122223333:role/SmeRole');
    expect(await id.roleArn('Other')).toBe('arn:aws-cn:iam::111122223333:role/Other');
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it('does not call STS for an ARN or an invalid name', async () => {
    const id = identity('us-east-1');
    expect(await id.roleArn('arn:aws:iam::123456789012:role/X')).toBe('arn:aws:iam::123456789012:role/X');
    await expect(id.roleArn('bad name')).rejects.toMatchObject({ code: 'SME-E-AWS-ROLE-INVALID' });
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });

  it('translates STS failures and does not cache them', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejectsOnce(
        Object.assign(new Error('The security token included in the request is expired'), {
          name: 'ExpiredToken',
          $metadata: { httpStatusCode: 403, requestId: 'sts-1' },
        }),
      )
      .resolves({ Account: '123456789012' });
    const id = identity('us-east-1');
    await expect(id.roleArn('SmeRole')).rejects.toMatchObject({
      code: 'SME-E-AWS-CREDENTIALS',
      details: { requestId: 'sts-1', httpStatus: 403 },
    });
    expect(await id.roleArn('SmeRole')).toBe('arn:aws:iam::123456789012:role/SmeRole');
  });
});
