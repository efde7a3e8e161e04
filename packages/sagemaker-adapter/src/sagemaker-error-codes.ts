import { catalogError, type ErrorCodeInfo, type SmeError, type SmeErrorDetails } from './core-api.js';

/** One entry of the catalog: the kind, what the code means and what the user can do (core's catalog entry). */
export type SageMakerErrorCodeInfo = ErrorCodeInfo;

/**
 * Every error code @sme/sagemaker-adapter raises of its own. What an AWS answer means (`SME-E-AWS-THROTTLED`,
 * `SME-E-AWS-NOT-FOUND`, …), malformed regions and endpoint overrides, and malformed S3 URIs (`SME-E-S3-URI`) are
 * core's AWS vocabulary (`AWS_ERROR_CODES`, `CORE_ERROR_CODES`). A test keeps this catalog, ERRORS.md and the
 * codes used in the sources identical; docs/errors.md is generated from the catalogs.
 */
export const SAGEMAKER_ERROR_CODES = {
  'SME-E-AWS-REGION-MISSING': {
    kind: 'InvalidInput',
    meaning:
      'A call needed the default AWS region and none was given as an option, in AWS_REGION / AWS_DEFAULT_REGION, or in the profile (calls for a recorded job or endpoint use its own region).',
    remedy: 'Pass --region, set AWS_REGION, or add "region = …" to the profile in ~/.aws/config.',
  },
  'SME-E-AWS-OPTION-INVALID': {
    kind: 'InvalidInput',
    meaning:
      'A retry or S3 option is out of range: maxAttempts / AWS_MAX_ATTEMPTS / max_attempts (1–20), retryBaseDelayMs, retryMaxDelayMs, s3ForcePathStyle, retryThrottling.',
    remedy: 'Correct the named option; the message shows the value received and the allowed range.',
  },
  'SME-E-AWS-CREDENTIALS-INVALID': {
    kind: 'InvalidInput',
    meaning:
      'Explicit credentials lack an access key id or secret, or have an empty session token (values never shown).',
    remedy:
      'Give accessKeyId and secretAccessKey (and sessionToken for temporary credentials), or use the credential chain.',
  },
  'SME-E-AWS-PROFILE-NOT-FOUND': {
    kind: 'InvalidInput',
    meaning: 'The profile named by --profile or AWS_PROFILE is in neither ~/.aws/config nor ~/.aws/credentials.',
    remedy: 'Check the name with `aws configure list-profiles`, or create it with `aws configure --profile NAME`.',
  },
  'SME-E-AWS-ROLE-INVALID': {
    kind: 'InvalidInput',
    meaning: 'iam_sagemaker_role is neither an IAM role name (optionally with a path) nor an IAM role ARN.',
    remedy: 'Give a role name such as SageMakerExecutionRole or arn:aws:iam::<account>:role/<name>.',
  },
  'SME-E-AWS-BODY-TOO-LARGE': {
    kind: 'InvalidInput',
    meaning: 'An InvokeEndpoint body exceeds 5 MiB, the limit in the API model.',
    remedy: 'Send fewer rows per call.',
  },
  'SME-E-S3-URI-INVALID': {
    kind: 'InvalidInput',
    internal: true,
    meaning: 'An upload was given a folder (no object key, or a key ending with /) where an object key is needed.',
    remedy: 'Name an object, e.g. s3://bucket/path/file.csv.',
  },
  'SME-E-S3-PREFIX-EMPTY': {
    kind: 'InvalidInput',
    internal: true,
    meaning: 'deletePrefix was asked to delete a whole bucket (no key prefix).',
    remedy: 'Name the folder to delete, e.g. s3://bucket/exports/job-1/.',
  },
  'SME-E-S3-DELETE-FAILED': {
    kind: 'ServiceError',
    meaning: 'S3 did not delete some objects of a prefix (other than for lack of permission); the first is named.',
    remedy: 'Check object lock and legal holds on the bucket, then delete again.',
  },
  'SME-E-AWS-CLOSED': {
    kind: 'Precondition',
    internal: true,
    meaning: 'A call was made after close() of the adapters.',
    remedy: 'Create new adapters with createSageMakerAdapters().',
  },
} as const satisfies Readonly<Record<string, SageMakerErrorCodeInfo>>;

export type SageMakerErrorCode = keyof typeof SAGEMAKER_ERROR_CODES;

/**
 * The error of a catalogued code: kind and remedy from {@link SAGEMAKER_ERROR_CODES}, so one code has one remedy.
 * `message` says what was wrong and the value received; it does not repeat the code or the remedy, which every
 * front door prints beside it.
 *
 * @example
 * sageMakerError('SME-E-S3-PREFIX-EMPTY', "refusing to delete a whole bucket (prefixUri = 's3://b')", { key: 'prefixUri' });
 */
export function sageMakerError(
  code: SageMakerErrorCode,
  message: string,
  details: Omit<SmeErrorDetails, 'remedy'> = {},
  cause?: unknown,
): SmeError {
  return catalogError(SAGEMAKER_ERROR_CODES, code, message, details, cause);
}
