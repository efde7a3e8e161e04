import type { Readable } from 'node:stream';
import { SmeError } from './core-api.js';
import type { ObjectStorePort } from './core-api.js';
import type { AwsClients } from './sagemaker-clients.js';
import { awsCall } from './sagemaker-errors.js';

/** A parsed `s3://bucket/key` URI. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** What {@link S3ObjectStore.upload} accepts: text, bytes, or a stream (the client-streamed export mode). */
export type UploadBody = string | Uint8Array | Readable | ReadableStream<Uint8Array>;

/**
 * The object-store port plus what the CLI's client-streamed export mode and tests need.
 * (Candidates for `ObjectStorePort` in core.)
 */
export interface ObjectStore extends ObjectStorePort {
  upload(uri: string, body: UploadBody, options?: { readonly contentType?: string }): Promise<{ readonly uri: string }>;
  readText(uri: string): Promise<string>;
}

/** DeleteObjects takes at most 1000 keys per request; ListObjectsV2 returns at most 1000 per page. */
const MAX_BATCH = 1000;

/** Tuning of {@link S3ObjectStore}; smaller values exist for tests of batching and paging. */
export interface S3ObjectStoreOptions {
  /** Keys per DeleteObjects request, 1–1000 (default 1000). */
  readonly deleteBatchSize?: number;
  /** Keys per ListObjectsV2 page, 1–1000 (default 1000). */
  readonly listPageSize?: number;
}

function batchSize(value: number | undefined): number {
  return value === undefined ? MAX_BATCH : Math.max(1, Math.min(MAX_BATCH, Math.floor(value)));
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Bucket naming rules of S3 (general purpose buckets):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function isBucketName(name: string): boolean {
  return BUCKET_NAME.test(name) && !name.includes('..');
}

function badUri(key: string, uri: string, what: string): SmeError {
  const remedy = 'Write it as s3://bucket/path/ with a lower-case bucket name (3-63 characters: a-z, 0-9, ".", "-").';
  const shownUri = uri.length > 120 ? `${uri.slice(0, 117)}...` : uri;
  return new SmeError(
    'SME-E-S3-URI-INVALID',
    'InvalidInput',
    `SME-E-S3-URI-INVALID: ${what} (${key} = '${shownUri}'). ${remedy}`,
    {
      key,
      value: shownUri,
      remedy,
    },
  );
}

/**
 * Parses `s3://bucket[/key]`.
 *
 * @throws SmeError `SME-E-S3-URI-INVALID`
 * @example parseS3Uri('s3://my-bucket/exports/job-1/') // { bucket: 'my-bucket', key: 'exports/job-1/' }
 */
export function parseS3Uri(uri: string, key = 'uri'): S3Location {
  if (!uri.startsWith('s3://')) throw badUri(key, uri, 'not an s3:// URI');
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const objectKey = slash < 0 ? '' : rest.slice(slash + 1);
  if (!isBucketName(bucket)) throw badUri(key, uri, `'${bucket}' is not a valid bucket name`);
  if (objectKey.length > 1024) throw badUri(key, uri, 'object key longer than 1024 characters');
  return { bucket, key: objectKey };
}

/** The inverse of {@link parseS3Uri}. */
export function formatS3Uri(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}

/**
 * {@link ObjectStorePort} over `@aws-sdk/client-s3`: paginated listing, batched deletion of a prefix, and
 * multipart upload of streams with `@aws-sdk/lib-storage`.
 */
export class S3ObjectStore implements ObjectStore {
  readonly #clients: AwsClients;
  readonly #deleteBatch: number;
  readonly #listPage: number;

  constructor(clients: AwsClients, options: S3ObjectStoreOptions = {}) {
    this.#clients = clients;
    this.#deleteBatch = batchSize(options.deleteBatchSize);
    this.#listPage = batchSize(options.listPageSize);
  }

  /** Every object under the prefix, as `s3://bucket/key` URIs in key order. */
  async list(prefixUri: string): Promise<readonly string[]> {
    const at = parseS3Uri(prefixUri, 'prefixUri');
    return (await this.#keys(at, 'ListObjectsV2', prefixUri)).map((key) => formatS3Uri({ bucket: at.bucket, key }));
  }

  /**
   * Deletes every object under the prefix and returns how many were deleted. Taken literally as S3 does:
   * `s3://b/job-1` also matches `job-10/…`, so callers end prefixes with `/`. An empty prefix (a whole bucket)
   * is refused.
   *
   * @throws SmeError `SME-E-S3-PREFIX-EMPTY`, `SME-E-S3-DELETE-FAILED`, or a translated AWS error.
   */
  async deletePrefix(prefixUri: string): Promise<number> {
    const at = parseS3Uri(prefixUri, 'prefixUri');
    if (at.key === '') {
      const remedy = 'Name the folder to delete, e.g. s3://bucket/exports/job-1/.';
      throw new SmeError(
        'SME-E-S3-PREFIX-EMPTY',
        'InvalidInput',
        `SME-E-S3-PREFIX-EMPTY: refusing to delete a whole bucket (prefixUri = '${prefixUri}'). ${remedy}`,
        { key: 'prefixUri', value: prefixUri, remedy },
      );
    }
    const keys = await this.#keys(at, 'ListObjectsV2', prefixUri);
    const ctx = { ...this.#clients.context('S3'), operation: 'DeleteObjects', resource: prefixUri };
    let deleted = 0;
    for (let i = 0; i < keys.length; i += this.#deleteBatch) {
      const batch = keys.slice(i, i + this.#deleteBatch);
      const out = await awsCall(ctx, async () => {
        const [client, { DeleteObjectsCommand }] = await Promise.all([
          this.#clients.s3(),
          import('@aws-sdk/client-s3'),
        ]);
        return client.send(
          new DeleteObjectsCommand({
            Bucket: at.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
      });
      const errors = out.Errors ?? [];
      const [first] = errors;
      if (first !== undefined) {
        const denied = first.Code === 'AccessDenied';
        const code = denied ? 'SME-E-AWS-ACCESS-DENIED' : 'SME-E-S3-DELETE-FAILED';
        const remedy = 'Check s3:DeleteObject permission on the bucket and any object lock or legal hold.';
        const value = formatS3Uri({ bucket: at.bucket, key: first.Key ?? '' });
        throw new SmeError(
          code,
          denied ? 'AccessDenied' : 'ServiceError',
          `${code}: ${errors.length} of ${batch.length} objects under '${prefixUri}' were not deleted, first '${value}' (${first.Code ?? 'error'}: ${first.Message ?? ''}). ${remedy}`,
          { key: 'prefixUri', value, remedy },
        );
      }
      deleted += batch.length;
    }
    return deleted;
  }

  /** Uploads `body` to `uri`, in parts when it is large or a stream (lib-storage's managed upload). */
  async upload(
    uri: string,
    body: UploadBody,
    options: { readonly contentType?: string } = {},
  ): Promise<{ readonly uri: string }> {
    const at = parseS3Uri(uri, 'uri');
    if (at.key === '' || at.key.endsWith('/')) throw badUri('uri', uri, 'an upload needs an object key, not a folder');
    const ctx = { ...this.#clients.context('S3'), operation: 'Upload', resource: uri };
    await awsCall(ctx, async () => {
      const [client, { Upload }] = await Promise.all([this.#clients.s3(), import('@aws-sdk/lib-storage')]);
      const upload = new Upload({
        client,
        params: {
          Bucket: at.bucket,
          Key: at.key,
          Body: body,
          ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
        },
      });
      await upload.done();
    });
    return { uri: formatS3Uri(at) };
  }

  /** The object's content as UTF-8 text. */
  async readText(uri: string): Promise<string> {
    const at = parseS3Uri(uri, 'uri');
    const ctx = { ...this.#clients.context('S3'), operation: 'GetObject', resource: uri };
    return awsCall(ctx, async () => {
      const [client, { GetObjectCommand }] = await Promise.all([this.#clients.s3(), import('@aws-sdk/client-s3')]);
      const out = await client.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.key }));
      return out.Body === undefined ? '' : out.Body.transformToString('utf-8');
    });
  }

  async #keys(at: S3Location, operation: string, resource: string): Promise<string[]> {
    const ctx = { ...this.#clients.context('S3'), operation, resource };
    return awsCall(ctx, async () => {
      const [client, { ListObjectsV2Command }] = await Promise.all([this.#clients.s3(), import('@aws-sdk/client-s3')]);
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: at.bucket,
            Prefix: at.key,
            MaxKeys: this.#listPage,
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
        );
        for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return keys;
    });
  }
}
