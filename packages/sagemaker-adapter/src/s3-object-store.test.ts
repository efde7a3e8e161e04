import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from './s3-object-store.js';
import { AwsClients } from './sagemaker-clients.js';
import { resolveSageMakerOptions } from './sagemaker-config.js';

// Parsing S3 URIs is core's (packages/core/src/aws/s3-uri.ts, tested there); the store refuses what core refuses.
describe('S3ObjectStore refuses URIs that are not S3 object URIs', () => {
  const store = new S3ObjectStore(
    new AwsClients(
      resolveSageMakerOptions({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    ),
    'us-east-1',
  );
  it.each([
    ['https://my-bucket.s3.amazonaws.com/x', 's3://'],
    ['s3://My-Bucket/x', 'lower-case letters'],
  ])('%s', async (uri, why) => {
    await expect(store.list(uri)).rejects.toMatchObject({
      code: 'SME-E-S3-URI',
      message: expect.stringContaining(why) as unknown,
      details: { key: 'prefixUri' },
    });
  });
  it('an upload to a folder', async () => {
    await expect(store.upload('s3://bucket/folder/', 'x')).rejects.toMatchObject({ code: 'SME-E-S3-URI-INVALID' });
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
      'us-east-1',
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
