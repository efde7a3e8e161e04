import { coreError } from '../error-codes.js';
import { describeValue } from '../text.js';
import { bucketNameProblem, keyPrefixProblem } from './s3-names.js';

/** A bucket and a key prefix (no leading or trailing slash, `''` for the bucket root). */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

/** A bucket and an object key (or key prefix) exactly as written after the bucket, `''` for none. */
export interface S3Object {
  readonly bucket: string;
  readonly key: string;
}

/** S3 object keys are at most 1024 bytes long (S3 user guide, "Naming Amazon S3 objects"). */
export const MAX_S3_KEY_LENGTH = 1024;

function uriError(key: string, uri: string, reason: string) {
  return coreError('SME-E-S3-URI', 'not an S3 URI: ' + reason + '; received ' + describeValue(uri), {
    key,
    value: describeValue(uri),
  });
}

/**
 * Splits `s3://bucket[/key]` into bucket and key without judging either; undefined when the text does not start
 * with `s3://` or names no bucket. For URIs that sme built itself or that S3 listed.
 *
 * @example
 * splitS3Uri('s3://b/exports/job-1/'); // { bucket: 'b', key: 'exports/job-1/' }
 */
export function splitS3Uri(uri: string): S3Object | undefined {
  if (!uri.startsWith('s3://')) return undefined;
  const rest = uri.slice(5);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (bucket.length === 0) return undefined;
  return { bucket, key: slash < 0 ? '' : rest.slice(slash + 1) };
}

/**
 * Parses `s3://bucket[/key]` with a valid bucket name and a key of at most 1024 characters (any characters: keys
 * that S3 lists come back as they are). Throws `SME-E-S3-URI` naming `key` (the option or argument) otherwise.
 *
 * @example
 * parseS3ObjectUri('s3://my-bucket/exports/job-1/'); // { bucket: 'my-bucket', key: 'exports/job-1/' }
 */
export function parseS3ObjectUri(uri: string, key = 'uri'): S3Object {
  const at = splitS3Uri(uri);
  if (at === undefined) throw uriError(key, uri, 'it must be s3://<bucket>[/<key>]');
  const bucketReason = bucketNameProblem(at.bucket);
  if (bucketReason !== undefined) throw uriError(key, uri, bucketReason);
  if (at.key.length > MAX_S3_KEY_LENGTH) throw uriError(key, uri, 'the object key is longer than 1024 characters');
  return at;
}

/**
 * The inverse of {@link splitS3Uri} and {@link parseS3ObjectUri}.
 *
 * @example
 * formatS3Uri({ bucket: 'b', key: 'a/x.csv' }); // 's3://b/a/x.csv'
 */
export function formatS3Uri(location: S3Object): string {
  return 's3://' + location.bucket + '/' + location.key;
}

/**
 * Parses `s3://bucket[/prefix][/]` where the prefix is made of safe key segments (what sme writes under).
 * Throws `SME-E-S3-URI` for anything else.
 *
 * @example
 * parseS3Uri('s3://my-bucket/ml/'); // { bucket: 'my-bucket', prefix: 'ml' }
 */
export function parseS3Uri(uri: string): S3Location {
  const fail = (reason: string) => uriError('uri', uri, reason);
  if (!uri.startsWith('s3://')) throw fail('it must start with s3://');
  let rest = uri.slice(5);
  if (rest.endsWith('/')) rest = rest.slice(0, rest.length - 1);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1);
  const bucketReason = bucketNameProblem(bucket);
  if (bucketReason !== undefined) throw fail(bucketReason);
  if (slash >= 0) {
    const prefixReason = keyPrefixProblem(prefix);
    if (prefixReason !== undefined) throw fail('the key prefix ' + prefixReason);
  }
  return { bucket, prefix };
}
