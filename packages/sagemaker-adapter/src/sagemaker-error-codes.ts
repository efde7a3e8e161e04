import type { SmeErrorKind } from './core-api.js';

/** One entry of the catalog: the kind, what the code means and what the user can do. ERRORS.md mirrors it. */
export interface SageMakerErrorCodeInfo {
  readonly kind: SmeErrorKind;
  readonly meaning: string;
  readonly remedy: string;
}

/**
 * Every error code @sme/sagemaker-adapter raises. A test keeps this catalog, ERRORS.md and the codes used in
 * the sources identical, so codes stay stable and documented.
 */
export const SAGEMAKER_ERROR_CODES = {
  'SME-E-AWS-REGION-MISSING': {
    kind: 'InvalidInput',
    meaning: 'No AWS region was given as an option, in AWS_REGION / AWS_DEFAULT_REGION, or in the profile.',
    remedy: 'Pass --region, set AWS_REGION, or add "region = …" to the profile in ~/.aws/config.',
  },
  'SME-E-AWS-REGION-INVALID': {
    kind: 'InvalidInput',
    meaning: 'The region (option, env var or profile; the message says which) is not a region code.',
    remedy: 'Use a region code in lower case such as eu-central-1.',
  },
  'SME-E-AWS-ENDPOINT-INVALID': {
    kind: 'InvalidInput',
    meaning:
      'An endpoint override (option or AWS_ENDPOINT_URL*) is not an absolute http(s) URL, or carries credentials, a query or a fragment.',
    remedy: 'Give scheme, host, port and optionally a path, e.g. http://127.0.0.1:5000.',
  },
  'SME-E-AWS-OPTION-INVALID': {
    kind: 'InvalidInput',
    meaning:
      'A retry or S3 option is out of range: maxAttempts / AWS_MAX_ATTEMPTS / max_attempts (1–20), retryBaseDelayMs, retryMaxDelayMs, s3ForcePathStyle.',
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
    meaning: 'Not an s3://bucket/key URI with a valid bucket name, or a folder where an object key is needed.',
    remedy: 'Write s3://bucket/path/ with a lower-case bucket name of 3–63 characters (a-z, 0-9, ".", "-").',
  },
  'SME-E-S3-PREFIX-EMPTY': {
    kind: 'InvalidInput',
    meaning: 'deletePrefix was asked to delete a whole bucket (no key prefix).',
    remedy: 'Name the folder to delete, e.g. s3://bucket/exports/job-1/.',
  },
  'SME-E-S3-DELETE-FAILED': {
    kind: 'ServiceError',
    meaning: 'S3 did not delete some objects of a prefix (other than for lack of permission); the first is named.',
    remedy: 'Check object lock and legal holds on the bucket, then delete again.',
  },
  'SME-E-AWS-THROTTLED': {
    kind: 'Throttled',
    meaning: 'AWS throttled the request (ThrottlingException, SlowDown, HTTP 429…) after every retry.',
    remedy: 'Retry later, raise maxAttempts / AWS_MAX_ATTEMPTS, or ask AWS for a higher quota.',
  },
  'SME-E-AWS-NOT-FOUND': {
    kind: 'NotFound',
    meaning:
      'The job, endpoint, model, bucket or key does not exist (ResourceNotFound, NoSuchBucket, ValidationException "Could not find…").',
    remedy: 'Check the name, the region and the account it was created in.',
  },
  'SME-E-AWS-ALREADY-EXISTS': {
    kind: 'AlreadyExists',
    meaning: 'The name is taken (ResourceInUse, ValidationException "already exists", BucketAlreadyExists).',
    remedy: 'Choose another name; AutoML job names are unique per account and region, case-insensitively.',
  },
  'SME-E-AWS-ACCESS-DENIED': {
    kind: 'AccessDenied',
    meaning: 'The caller lacks a permission (AccessDenied, AccessDeniedException, or S3 refused to delete an object).',
    remedy:
      'Grant the calling identity the permission named in the AWS message (`aws sts get-caller-identity` shows who calls).',
  },
  'SME-E-AWS-CREDENTIALS': {
    kind: 'AccessDenied',
    meaning:
      'AWS rejected the credentials: unknown key, bad signature, expired token (UnrecognizedClientException, InvalidSignatureException, ExpiredToken…).',
    remedy: 'Renew or correct the credentials (SSO: aws sso login --profile NAME); check the clock of this machine.',
  },
  'SME-E-AWS-NO-CREDENTIALS': {
    kind: 'AccessDenied',
    meaning: 'The default credential chain found no credentials (or an SSO token could not be loaded).',
    remedy: 'Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run `aws configure`, or pass --profile (SSO: aws sso login).',
  },
  'SME-E-AWS-VALIDATION': {
    kind: 'Validation',
    meaning: 'AWS rejected a value of the request (ValidationException and similar); the AWS message names it.',
    remedy: 'Correct the value named in the AWS message.',
  },
  'SME-E-AWS-LIMIT-EXCEEDED': {
    kind: 'Precondition',
    meaning: 'An account quota is exhausted (ResourceLimitExceeded), e.g. concurrent AutoML jobs or endpoints.',
    remedy: 'Stop or delete resources you no longer need, or request a quota increase.',
  },
  'SME-E-AWS-SERVICE': {
    kind: 'ServiceError',
    meaning: 'AWS (or an emulator) answered with a 5xx or an unreadable answer, after every retry.',
    remedy: 'Retry later; if it persists, report the request id to AWS support.',
  },
  'SME-E-AWS-UNREACHABLE': {
    kind: 'Unreachable',
    meaning: 'The endpoint could not be reached (connection refused, unknown host, timeout); the message names it.',
    remedy: 'Check network, proxy and endpoint overrides (--aws-endpoint-url, AWS_ENDPOINT_URL*), and the region.',
  },
  'SME-E-AWS-NOT-AWS': {
    kind: 'Unreachable',
    meaning:
      'An AWS endpoint answered with something that is not that service’s answer (an HTML page, a stand-in without the service).',
    remedy:
      'Check the endpoint overrides (--aws-endpoint-url, AWS_ENDPOINT_URL*); for STS, a role given as a full ARN needs no STS.',
  },
  'SME-E-AWS-CLOSED': {
    kind: 'Precondition',
    meaning: 'A call was made after close() of the adapters.',
    remedy: 'Create new adapters with createSageMakerAdapters().',
  },
} as const satisfies Readonly<Record<string, SageMakerErrorCodeInfo>>;

export type SageMakerErrorCode = keyof typeof SAGEMAKER_ERROR_CODES;
