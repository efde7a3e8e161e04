/** The S3 location keys of the training parameters: `s3_bucket_uri` and `s3_output_path`. */
import { bucketNameProblem, keyPrefixProblem } from './aws/s3-names.js';
import { present, stringValue, type Problems } from './param-values.js';

/** AWS documents S3OutputPath as at most 512 characters. */
const MAX_OUTPUT_URI_LENGTH = 512;
const MAX_JOB_NAME_LENGTH = 32;

export interface BucketUri {
  readonly bucket: string;
  readonly prefix: string;
}

function parseBucketUri(problems: Problems, key: string, value: string): BucketUri | undefined {
  if (!value.startsWith('s3://')) {
    problems.add('SME-E-PARAM-S3-URI', key, value, 'must start with s3://');
    return undefined;
  }
  let rest = value.slice(5);
  if (rest.endsWith('/')) rest = rest.slice(0, rest.length - 1);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1);
  const bucketReason = bucketNameProblem(bucket);
  if (bucketReason !== undefined) {
    problems.add('SME-E-PARAM-S3-BUCKET', key, value, 'has an invalid bucket name: ' + bucketReason);
    return undefined;
  }
  if (slash >= 0) {
    const prefixReason = keyPrefixProblem(prefix);
    if (prefixReason !== undefined) {
      problems.add('SME-E-PARAM-S3-URI', key, value, 'has an unusable prefix after the bucket: ' + prefixReason);
      return undefined;
    }
  }
  return { bucket, prefix };
}

/**
 * `s3_bucket_uri` and `s3_output_path`, checked together: the job output URI they make (with the longest job name)
 * must fit AWS's 512 characters.
 */
export function s3LocationValues(
  problems: Problems,
  raw: Readonly<Record<string, unknown>>,
): { readonly bucketUri: BucketUri | undefined; readonly outputPath: string | undefined } {
  const bucketText = present(raw.s3_bucket_uri) ? stringValue(problems, 's3_bucket_uri', raw.s3_bucket_uri) : undefined;
  const bucketUri = bucketText === undefined ? undefined : parseBucketUri(problems, 's3_bucket_uri', bucketText);

  const pathText = present(raw.s3_output_path)
    ? stringValue(problems, 's3_output_path', raw.s3_output_path)
    : undefined;
  let outputPath: string | undefined;
  if (pathText !== undefined) {
    const trimmed = pathText.endsWith('/') ? pathText.slice(0, pathText.length - 1) : pathText;
    const reason = keyPrefixProblem(trimmed);
    if (reason !== undefined)
      problems.add('SME-E-PARAM-S3-PATH', 's3_output_path', pathText, 'is not usable: ' + reason);
    else outputPath = trimmed;
  }
  if (bucketUri !== undefined && outputPath !== undefined) {
    const longest =
      's3://'.length +
      bucketUri.bucket.length +
      1 +
      (bucketUri.prefix.length > 0 ? bucketUri.prefix.length + 1 : 0) +
      outputPath.length +
      1 +
      MAX_JOB_NAME_LENGTH +
      '/output/'.length;
    if (longest > MAX_OUTPUT_URI_LENGTH) {
      problems.add(
        'SME-E-PARAM-S3-PATH',
        's3_output_path',
        pathText,
        'makes the job output URI longer than the 512 characters AWS allows',
        'Shorten s3_output_path (or the prefix of s3_bucket_uri).',
      );
      outputPath = undefined;
    }
  }
  return { bucketUri, outputPath };
}
