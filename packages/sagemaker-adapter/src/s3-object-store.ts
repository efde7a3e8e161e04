import type { Readable } from 'node:stream';
import { awsError, formatS3Uri, parseS3ObjectUri } from './core-api.js';
import type { ObjectStorePort, S3Object, SmeError } from './core-api.js';
import type { AwsClients } from './sagemaker-clients.js';
import { sageMakerError } from './sagemaker-error-codes.js';
import { awsCall } from './sagemaker-errors.js';

/** A parsed `s3://bucket/key` URI (core's `S3Object`). */
export type S3Location = S3Object;

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

function folderUri(uri: string): SmeError {
  const shown = uri.length > 120 ? `${uri.slice(0, 117)}...` : uri;
  return sageMakerError('SME-E-S3-URI-INVALID', `an upload needs an object key, not a folder (uri = '${shown}')`, {
    key: 'uri',
    value: uri,
  });
}

/**
 * {@link ObjectStorePort} over `@aws-sdk/client-s3`: paginated listing, batched deletion of a prefix, and
 * multipart upload of streams with `@aws-sdk/lib-storage`, in one region.
 */
export class S3ObjectStore implements ObjectStore {
  readonly #clients: AwsClients;
  readonly #region: string;
  readonly #deleteBatch: number;
  readonly #listPage: number;

  constructor(clients: AwsClients, region: string, options: S3ObjectStoreOptions = {}) {
    this.#clients = clients;
    this.#region = region;
    this.#deleteBatch = batchSize(options.deleteBatchSize);
    this.#listPage = batchSize(options.listPageSize);
  }

  /** Every object under the prefix, as `s3://bucket/key` URIs in key order. */
  async list(prefixUri: string): Promise<readonly string[]> {
    const at = parseS3ObjectUri(prefixUri, 'prefixUri');
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
    const at = parseS3ObjectUri(prefixUri, 'prefixUri');
    if (at.key === '') {
      throw sageMakerError('SME-E-S3-PREFIX-EMPTY', `refusing to delete a whole bucket (prefixUri = '${prefixUri}')`, {
        key: 'prefixUri',
        value: prefixUri,
      });
    }
    const keys = await this.#keys(at, 'ListObjectsV2', prefixUri);
    const ctx = { ...this.#clients.context('S3', this.#region), operation: 'DeleteObjects', resource: prefixUri };
    let deleted = 0;
    for (let i = 0; i < keys.length; i += this.#deleteBatch) {
      const batch = keys.slice(i, i + this.#deleteBatch);
      const out = await awsCall(ctx, async () => {
        const [client, { DeleteObjectsCommand }] = await Promise.all([
          this.#clients.s3(this.#region),
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
        const value = formatS3Uri({ bucket: at.bucket, key: first.Key ?? '' });
        const what = `${errors.length} of ${batch.length} objects under '${prefixUri}' were not deleted, first '${value}'`;
        const answer = `${first.Code ?? 'error'}: ${first.Message ?? ''}`;
        if (first.Code === 'AccessDenied') {
          throw awsError('SME-E-AWS-ACCESS-DENIED', {
            subject: `S3 DeleteObjects '${prefixUri}'`,
            detail: answer,
            notes: [what],
            key: 'prefixUri',
            value,
          });
        }
        throw sageMakerError('SME-E-S3-DELETE-FAILED', `${what} (${answer})`, { key: 'prefixUri', value });
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
    const at = parseS3ObjectUri(uri, 'uri');
    if (at.key === '' || at.key.endsWith('/')) throw folderUri(uri);
    const ctx = { ...this.#clients.context('S3', this.#region), operation: 'Upload', resource: uri };
    await awsCall(ctx, async () => {
      const [client, { Upload }] = await Promise.all([this.#clients.s3(this.#region), import('@aws-sdk/lib-storage')]);
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
    const at = parseS3ObjectUri(uri, 'uri');
    const ctx = { ...this.#clients.context('S3', this.#region), operation: 'GetObject', resource: uri };
    return awsCall(ctx, async () => {
      const [client, { GetObjectCommand }] = await Promise.all([
        this.#clients.s3(this.#region),
        import('@aws-sdk/client-s3'),
      ]);
      const out = await client.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.key }));
      return out.Body === undefined ? '' : out.Body.transformToString('utf-8');
    });
  }

  async #keys(at: S3Location, operation: string, resource: string): Promise<string[]> {
    const ctx = { ...this.#clients.context('S3', this.#region), operation, resource };
    return awsCall(ctx, async () => {
      const [client, { ListObjectsV2Command }] = await Promise.all([
        this.#clients.s3(this.#region),
        import('@aws-sdk/client-s3'),
      ]);
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
