import { coreError } from './error-codes.js';
import { bucketNameProblem } from './aws/s3-names.js';
import { parseS3Uri, type S3Location } from './aws/s3-uri.js';
import {
  describeValue,
  isAsciiDigit,
  isAsciiLower,
  allChars,
  formatInteger,
  maskUserinfo,
  padInteger,
} from './text.js';

// Moved to the AWS vocabulary; re-exported for callers of this module.
export { parseS3Uri, type S3Location } from './aws/s3-uri.js';

/** Where one training job keeps its files. URIs end with `/`; keys are relative to the bucket. */
export interface JobS3Layout {
  readonly bucket: string;
  /** `s3://<bucket>/<prefix>/<output_path>/<job_name>/` */
  readonly jobPrefixUri: string;
  /**
   * The folder of this start attempt: `…/<job_name>/<attempt_id>/` (or the job prefix when no attempt id is
   * given). Concurrent starts of the same job name never share it, so no attempt can overwrite another's export.
   */
  readonly attemptPrefixUri: string;
  /** `…/input/` under the attempt: the exported CSV files, and nothing else, so Autopilot reads only this attempt's data. */
  readonly inputPrefixUri: string;
  /** `…/output/` under the attempt: Autopilot's artifacts. */
  readonly outputPrefixUri: string;
  /** Key of the input prefix inside the bucket, ending with `/` (for EXPORT … FILE). */
  readonly inputKeyPrefix: string;
}

/**
 * The S3 layout of a job: a prefix of its own under the user's bucket and output path, and inside it a folder
 * per start attempt (`attemptId`, see {@link attemptIdFor}).
 *
 * @example
 * jobS3Layout({ bucket: 'b', prefix: '', outputPath: 'sme', jobName: 'churn-231114221320', attemptId: 'attempt-7-1700000000000' }).inputPrefixUri;
 * // 's3://b/sme/churn-231114221320/attempt-7-1700000000000/input/'
 */
export function jobS3Layout(options: {
  readonly bucket: string;
  readonly prefix: string;
  readonly outputPath: string;
  readonly jobName: string;
  readonly attemptId?: string;
}): JobS3Layout {
  const parts: string[] = [];
  if (options.prefix.length > 0) parts.push(options.prefix);
  if (options.outputPath.length > 0) parts.push(options.outputPath);
  parts.push(options.jobName);
  const jobKey = parts.join('/') + '/';
  const attemptKey = options.attemptId === undefined ? jobKey : jobKey + options.attemptId + '/';
  const root = 's3://' + options.bucket + '/';
  return {
    bucket: options.bucket,
    jobPrefixUri: root + jobKey,
    attemptPrefixUri: root + attemptKey,
    inputPrefixUri: root + attemptKey + 'input/',
    outputPrefixUri: root + attemptKey + 'output/',
    inputKeyPrefix: attemptKey + 'input/',
  };
}

/**
 * The id of one start attempt: `attempt-<session id>-<epoch milliseconds>`. Exasol session ids are unique among
 * live sessions and one session runs one statement at a time, so two attempts that run at the same time never
 * get the same id (works in Lua: no random numbers needed).
 *
 * @example
 * attemptIdFor('7', 1700000000000); // 'attempt-7-1700000000000'
 */
export function attemptIdFor(sessionId: string, nowMillis: number): string {
  return 'attempt-' + sessionId + '-' + formatInteger(nowMillis);
}

/** Most part files one EXPORT writes (three-digit numbering). */
export const MAX_PART_FILES = 999;

/**
 * Names of `count` part files: `part-001.csv`, `part-002.csv`, ….
 *
 * @example
 * partFileNames(2); // ['part-001.csv', 'part-002.csv']
 */
export function partFileNames(count: number): string[] {
  if (typeof count !== 'number' || !(count >= 1 && count <= MAX_PART_FILES) || count % 1 !== 0) {
    throw coreError(
      'SME-E-ARGUMENT',
      'the part file count must be a whole number from 1 to 999; received ' + describeValue(count),
      {
        key: 'exportFileCount',
        value: describeValue(count),
      },
    );
  }
  const names: string[] = [];
  for (let i = 1; i <= count; i++) names.push('part-' + padInteger(i, 3) + '.csv');
  return names;
}

/** What an Exasol CONNECTION address says about S3. */
export interface ConnectionBucket {
  readonly bucket: string;
  /** Region in the host name, when it names one. */
  readonly region?: string;
}

function isRegionChars(text: string): boolean {
  return allChars(text, (c) => isAsciiLower(c) || isAsciiDigit(c) || c === 45);
}

/** The part of an S3 host after `<bucket>.`: `s3`, `s3.<region>`, `s3-<region>`, `s3.dualstack.<region>`. */
function regionOfS3Endpoint(endpoint: string): { ok: boolean; region?: string } {
  if (endpoint === 's3') return { ok: true };
  if (endpoint.startsWith('s3.dualstack.')) {
    const region = endpoint.slice('s3.dualstack.'.length);
    return isRegionChars(region) ? { ok: true, region } : { ok: false };
  }
  if (endpoint.startsWith('s3.') || endpoint.startsWith('s3-')) {
    const region = endpoint.slice(3);
    return region.length > 0 && isRegionChars(region) ? { ok: true, region } : { ok: false };
  }
  return { ok: false };
}

/**
 * The bucket an Exasol CONNECTION address points at. Accepts the virtual-hosted AWS form Exasol's native
 * EXPORT needs, `https://<bucket>.s3[.<region>].amazonaws.com[/]` (also `s3-<region>`, `.amazonaws.com.cn`),
 * and `s3://bucket`. Throws `SME-E-CONNECTION-ADDRESS` otherwise.
 *
 * @example
 * bucketOfConnectionAddress('https://my-bucket.s3.eu-central-1.amazonaws.com/'); // { bucket: 'my-bucket', region: 'eu-central-1' }
 */
export function bucketOfConnectionAddress(address: string): ConnectionBucket {
  const shown = describeValue(maskUserinfo(address));
  const fail = (reason: string) =>
    coreError('SME-E-CONNECTION-ADDRESS', 'the CONNECTION address ' + reason + '; received ' + shown, {
      key: 'aws_credentials_connection_name',
      value: shown,
    });
  if (address.startsWith('s3://')) {
    const location = parseS3UriOrUndefined(address);
    if (location === undefined || location.prefix.length > 0) throw fail('must be s3://<bucket> without a path');
    return { bucket: location.bucket };
  }
  if (!address.startsWith('https://')) throw fail('must start with https:// (or s3://)');
  let host = address.slice('https://'.length);
  if (host.endsWith('/')) host = host.slice(0, host.length - 1);
  if (host.includes('/') || host.includes(':') || host.includes('@')) {
    throw fail('must be a bucket URL without path, port or user');
  }
  let base: string | undefined;
  for (const suffix of ['.amazonaws.com', '.amazonaws.com.cn']) {
    if (host.endsWith(suffix)) base = host.slice(0, host.length - suffix.length);
  }
  if (base === undefined) throw fail('must be an AWS S3 host (….amazonaws.com)');
  // A bucket may itself contain ".s3": try every split and keep the first valid one.
  let from = 0;
  for (;;) {
    const at = base.indexOf('.s3', from);
    if (at < 0) break;
    const bucket = base.slice(0, at);
    const endpoint = regionOfS3Endpoint(base.slice(at + 1));
    if (endpoint.ok && bucketNameProblem(bucket) === undefined) {
      return endpoint.region === undefined ? { bucket } : { bucket, region: endpoint.region };
    }
    from = at + 1;
  }
  throw fail('must be https://<bucket>.s3.<region>.amazonaws.com/');
}

function parseS3UriOrUndefined(uri: string): S3Location | undefined {
  try {
    return parseS3Uri(uri);
  } catch {
    return undefined;
  }
}

/**
 * Checks that the CONNECTION exports into the bucket the training reads from. Throws `SME-E-BUCKET-MISMATCH`.
 *
 * @example
 * checkConnectionBucket('https://b.s3.amazonaws.com', 'b'); // ok, returns { bucket: 'b' }
 */
export function checkConnectionBucket(address: string, expectedBucket: string): ConnectionBucket {
  const found = bucketOfConnectionAddress(address);
  if (found.bucket !== expectedBucket) {
    throw coreError(
      'SME-E-BUCKET-MISMATCH',
      'the CONNECTION writes to bucket ' +
        describeValue(found.bucket) +
        ' but s3_bucket_uri names bucket ' +
        describeValue(expectedBucket),
      { key: 's3_bucket_uri', value: describeValue(expectedBucket) },
    );
  }
  return found;
}

/** Total part files for a node count, as the original extension did (4 per node), within the limit. */
export function exportFileCountFor(nodes: number): number {
  const n = Math.floor(nodes) * 4;
  if (!(n >= 1)) return 1;
  return n > MAX_PART_FILES ? MAX_PART_FILES : n;
}
