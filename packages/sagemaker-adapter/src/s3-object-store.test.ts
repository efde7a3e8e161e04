import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { S3ObjectStore, formatS3Uri, isBucketName, parseS3Uri } from './s3-object-store.js';
import { AwsClients } from './sagemaker-clients.js';
import { resolveSageMakerOptions } from './sagemaker-config.js';

const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/);
const key = fc.string({ maxLength: 200 });

describe('parseS3Uri', () => {
  it('round-trips every valid bucket and key (property)', () => {
    fc.assert(
      fc.property(bucket, key, (b, k) => {
        expect(parseS3Uri(formatS3Uri({ bucket: b, key: k }))).toEqual({ bucket: b, key: k });
      }),
    );
  });
  it('either parses or throws SME-E-S3-URI-INVALID, for any text (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          key.map((k) => `s3://${k}`),
        ),
        (text) => {
          try {
            const at = parseS3Uri(text);
            expect(isBucketName(at.bucket)).toBe(true);
          } catch (e) {
            expect(e).toMatchObject({ code: 'SME-E-S3-URI-INVALID', kind: 'InvalidInput' });
          }
        },
      ),
    );
  });
  it.each([
    ['s3://my-bucket', { bucket: 'my-bucket', key: '' }],
    ['s3://my-bucket/', { bucket: 'my-bucket', key: '' }],
    ['s3://my.bucket/a/b/', { bucket: 'my.bucket', key: 'a/b/' }],
  ])('%s', (uri, expected) => {
    expect(parseS3Uri(uri)).toEqual(expected);
  });
  it.each([
    ['https://my-bucket.s3.amazonaws.com/x', 'not an s3:// URI'],
    ['s3://My-Bucket/x', "'My-Bucket' is not a valid bucket name"],
    ['s3://ab/x', "'ab' is not a valid bucket name"],
    ['s3://a..b/x', "'a..b' is not a valid bucket name"],
    ['s3://-ab/x', "'-ab' is not a valid bucket name"],
    [`s3://bucket/${'k'.repeat(1025)}`, 'longer than 1024'],
  ])('refuses %s', (uri, why) => {
    expect(() => parseS3Uri(uri, 's3_bucket_uri')).toThrow(
      expect.objectContaining({
        code: 'SME-E-S3-URI-INVALID',
        message: expect.stringContaining(why) as unknown,
        details: expect.objectContaining({ key: 's3_bucket_uri' }) as unknown,
      }),
    );
  });
});

describe('S3ObjectStore.deletePrefix when S3 keeps some objects', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());
  const store = () =>
    new S3ObjectStore(
      new AwsClients(
        resolveSageMakerOptions({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
      ),
    );

  it.each([
    ['AccessDenied', 'SME-E-AWS-ACCESS-DENIED', 'AccessDenied'],
    ['InternalError', 'SME-E-S3-DELETE-FAILED', 'ServiceError'],
  ])('reports a per-key %s as %s naming the first object', async (awsCode, code, kind) => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'p/a' }, { Key: 'p/b' }], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'p/b', Code: awsCode, Message: 'no' }] });
    await expect(store().deletePrefix('s3://bucket/p/')).rejects.toMatchObject({
      code,
      kind,
      details: { value: 's3://bucket/p/b' },
      message: expect.stringContaining('1 of 2 objects') as unknown,
    });
  });
});
