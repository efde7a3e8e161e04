import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSmeError } from '../errors.js';
import { CORE_ERROR_CODES } from '../error-codes.js';
import { bucketArb } from '../testing/arbitraries.js';
import { AWS_ERROR_CODES } from './aws-error-codes.js';
import { awsError, awsErrorCode, awsErrorName, knownAwsErrorCode, shortText } from './aws-errors.js';
import { isRoleArn, isRoleName, isRolePathName, roleArnFor } from './iam-roles.js';
import { isRegionName, isRegionShape, partitionOfRegion } from './regions.js';
import { isBucketName } from './s3-names.js';
import { formatS3Uri, parseS3ObjectUri, splitS3Uri } from './s3-uri.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e: unknown) {
    return isSmeError(e) ? e.code : 'not an SmeError';
  }
  return undefined;
}

describe('S3 URIs', () => {
  it.each([
    ['s3://b-1/exports/job-1/', { bucket: 'b-1', key: 'exports/job-1/' }],
    ['s3://my.bucket', { bucket: 'my.bucket', key: '' }],
    ['s3://bkt/a b/ä.csv', { bucket: 'bkt', key: 'a b/ä.csv' }],
  ])('parses %s', (uri, expected) => {
    expect(parseS3ObjectUri(uri)).toEqual(expected);
    expect(splitS3Uri(uri)).toEqual(expected);
  });

  it.each([
    ['http://b/k', 'it must be s3://'],
    ['s3://', 'it must be s3://'],
    ['s3://My_Bucket/k', 'lower-case letters'],
    ['s3://ab/k', '3 to 63 characters'],
    [`s3://bkt/${'k'.repeat(1025)}`, 'longer than 1024'],
  ])('refuses %s with SME-E-S3-URI, naming the option', (uri, reason) => {
    expect(codeOf(() => parseS3ObjectUri(uri, 'prefixUri'))).toBe('SME-E-S3-URI');
    try {
      parseS3ObjectUri(uri, 'prefixUri');
    } catch (e: unknown) {
      expect(isSmeError(e) && e.details.key).toBe('prefixUri');
      expect((e as Error).message).toContain(reason);
    }
  });

  it('formatS3Uri is the inverse of parseS3ObjectUri (property)', () => {
    fc.assert(
      fc.property(bucketArb, fc.string({ maxLength: 40 }), (bucket, key) => {
        expect(parseS3ObjectUri(formatS3Uri({ bucket, key }))).toEqual({ bucket, key });
        expect(isBucketName(bucket)).toBe(true);
      }),
    );
  });

  it('either parses to a valid bucket or throws SME-E-S3-URI, for any text (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ maxLength: 200 }).map((k) => `s3://${k}`),
        ),
        (text) => {
          try {
            expect(isBucketName(parseS3ObjectUri(text).bucket)).toBe(true);
          } catch (e: unknown) {
            expect(e).toMatchObject({ code: 'SME-E-S3-URI', kind: 'InvalidInput' });
          }
        },
      ),
    );
  });

  it.each(['s3://a..b/x', 's3://-ab/x', 's3://xn--ab/x'])('refuses the bucket of %s', (uri) => {
    expect(codeOf(() => parseS3ObjectUri(uri))).toBe('SME-E-S3-URI');
  });

  it('splitS3Uri judges nothing but the scheme and a bucket', () => {
    expect(splitS3Uri('s3://Not_A_Bucket/x')).toEqual({ bucket: 'Not_A_Bucket', key: 'x' });
    expect(splitS3Uri('s3:///x')).toBeUndefined();
    expect(splitS3Uri('S3://b/x')).toBeUndefined();
  });
});

describe('regions and roles', () => {
  it.each([
    ['eu-central-1', true, true],
    ['us-gov-west-1', true, true],
    ['local', true, false],
    ['EU-central-1', false, false],
    ['eu--central-1', false, false],
    ['1eu-west-1', false, false],
  ])('%s: region name %s, AWS region code %s', (region, name, shape) => {
    expect(isRegionName(region)).toBe(name);
    expect(isRegionShape(region)).toBe(shape);
  });

  it.each([
    ['eu-central-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('%s is in partition %s', (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });

  it('role names with a path, and the ARNs built from them', () => {
    expect(isRolePathName('service-role/SageMaker')).toBe(true);
    expect(isRoleName('service-role/SageMaker')).toBe(false);
    expect(isRolePathName('a//b')).toBe(false);
    expect(isRolePathName('x'.repeat(65))).toBe(false);
    expect(roleArnFor('aws-cn', '123456789012', 'service-role/S')).toBe(
      'arn:aws-cn:iam::123456789012:role/service-role/S',
    );
    expect(isRoleArn(roleArnFor('aws', '123456789012', 'service-role/S'))).toBe(true);
    expect(isRoleArn('arn:aws:iam::12345678901:role/S')).toBe(false);
  });
});

describe('AWS error table: one row per answer', () => {
  it.each([
    ['ThrottlingException', '', 400, 'SME-E-AWS-THROTTLED'],
    ['', '', 429, 'SME-E-AWS-THROTTLED'],
    ['ResourceNotFound', '', 400, 'SME-E-AWS-NOT-FOUND'],
    ['ValidationException', 'Could not find job j', 400, 'SME-E-AWS-NOT-FOUND'],
    ['ValidationException', 'Cannot create already existing endpoint', 400, 'SME-E-AWS-ALREADY-EXISTS'],
    ['ValidationException', "Value 'x' failed", 400, 'SME-E-AWS-VALIDATION'],
    ['NoSuchBucket', '', 404, 'SME-E-AWS-NOT-FOUND'],
    ['AccessDenied', '', 403, 'SME-E-AWS-ACCESS-DENIED'],
    ['ExpiredToken', '', 400, 'SME-E-AWS-CREDENTIALS'],
    ['CredentialsProviderError', '', 0, 'SME-E-AWS-NO-CREDENTIALS'],
    ['ResourceLimitExceeded', '', 400, 'SME-E-AWS-LIMIT-EXCEEDED'],
    ['ModelError', '', 424, 'SME-E-AWS-SERVICE'],
    ['', '', 503, 'SME-E-AWS-SERVICE'],
    ['SomeNewException', '', 401, 'SME-E-AWS-CREDENTIALS'],
    ['SomeNewException', '', 404, 'SME-E-AWS-NOT-FOUND'],
    ['SomeNewException', '', 400, 'SME-E-AWS-VALIDATION'],
  ])('%s %s (HTTP %d) is %s', (name, message, status, code) => {
    expect(awsErrorCode(name, message, status)).toBe(code);
  });

  it('knows nothing of an unknown client error, but of a server fault', () => {
    expect(knownAwsErrorCode({ name: 'SomeNewException', message: '', httpStatus: 400 })).toBeUndefined();
    expect(knownAwsErrorCode({ name: 'X', message: '', serverFault: true })).toBe('SME-E-AWS-SERVICE');
  });

  it.each([
    ['ResourceNotFound', 'ResourceNotFound'],
    ['com.amazonaws.sagemaker#ResourceNotFound', 'ResourceNotFound'],
    ['ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/', 'ValidationException'],
  ])('the AWS error name of __type %s is %s', (type, name) => {
    expect(awsErrorName(type)).toBe(name);
  });
});

describe('awsError', () => {
  it('takes kind and the one remedy from the catalog, and names every fact', () => {
    const e = awsError(
      'SME-E-AWS-UNREACHABLE',
      {
        subject: "SageMaker StopAutoMLJob 'j'",
        where: 'http://127.0.0.1:9',
        detail: 'Error ECONNREFUSED',
        notes: ['profile dev'],
        requestId: 'r-1',
        httpStatus: 503,
        attempts: 3,
      },
      'cause',
    );
    const info = AWS_ERROR_CODES['SME-E-AWS-UNREACHABLE'];
    expect(e.kind).toBe(info.kind);
    expect(e.details).toEqual({ remedy: info.remedy, requestId: 'r-1', httpStatus: 503 });
    expect(e.cause).toBe('cause');
    // The code and the remedy are not repeated in the message: the front doors print them beside it.
    expect(e.message).toBe(
      "SageMaker StopAutoMLJob 'j': could not reach the AWS endpoint at http://127.0.0.1:9 " +
        '(Error ECONNREFUSED; profile dev; HTTP 503; request id r-1; after 3 attempts)',
    );
  });

  it('every AWS code is in the core catalog with the same entry', () => {
    for (const [code, info] of Object.entries(AWS_ERROR_CODES)) {
      expect(CORE_ERROR_CODES[code as keyof typeof CORE_ERROR_CODES]).toBe(info);
    }
  });

  it('shortText keeps one bounded line', () => {
    expect(shortText(' a\n\t b  ', 10)).toBe('a b');
    expect(shortText('x'.repeat(20), 10)).toBe('xxxxxxx...');
  });
});
