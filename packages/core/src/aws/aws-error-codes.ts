import type { SmeErrorKind } from '../errors.js';

/** One AWS error code: its kind, what it means, what the user can do, and the short phrase messages use. */
export interface AwsErrorCodeInfo {
  readonly kind: SmeErrorKind;
  readonly meaning: string;
  readonly remedy: string;
  /** What happened, as a message says it after the subject: `SageMaker StopAutoMLJob 'j': <what> (…)`. */
  readonly what: string;
}

/**
 * The codes an AWS answer (or the lack of one) is translated into, the same from SQL (the AWS-call UDF) and from
 * the CLI (the SDK adapter): one kind, one meaning and one remedy per code, so a failure reads the same from both
 * front doors. Part of `CORE_ERROR_CODES`, listed under AWS in docs/errors.md.
 */
export const AWS_ERROR_CODES = {
  'SME-E-AWS-THROTTLED': {
    kind: 'Throttled',
    meaning:
      'AWS throttled the request (ThrottlingException, SlowDown, HTTP 429…); operations that are safe to repeat were retried, on every attempt.',
    remedy: 'Retry later or ask AWS for a higher request quota (the CLI also takes a higher AWS_MAX_ATTEMPTS).',
    what: 'AWS throttled the request',
  },
  'SME-E-AWS-NOT-FOUND': {
    kind: 'NotFound',
    meaning:
      'The job, endpoint, model, bucket or key does not exist (ResourceNotFound, NoSuchBucket, ValidationException "Could not find…", HTTP 404).',
    remedy: 'Check the name, and that it was created in this region and account.',
    what: 'not found',
  },
  'SME-E-AWS-ALREADY-EXISTS': {
    kind: 'AlreadyExists',
    meaning: 'The name is taken (ResourceInUse, ValidationException "already exists", BucketAlreadyExists).',
    remedy: 'Choose another name (AutoML job names are unique per account and region, case-insensitively).',
    what: 'already exists',
  },
  'SME-E-AWS-ACCESS-DENIED': {
    kind: 'AccessDenied',
    meaning: 'The caller lacks a permission (AccessDenied, AccessDeniedException, or S3 refused to delete an object).',
    remedy:
      'Grant the calling identity the permission named in the AWS message: from SQL the access key of the CONNECTION, from the CLI the credentials in use (`aws sts get-caller-identity` shows who calls).',
    what: 'access denied',
  },
  'SME-E-AWS-CREDENTIALS': {
    kind: 'AccessDenied',
    meaning:
      'AWS rejected the credentials: unknown key, bad signature, expired token (UnrecognizedClientException, InvalidSignatureException, ExpiredToken…, HTTP 401/403).',
    remedy:
      "Renew or correct the credentials and check the clock: from SQL the CONNECTION (USER '<access key id>' IDENTIFIED BY '<secret access key>[;session_token=<token>]') and the database clock, from the CLI the profile (SSO: aws sso login --profile NAME) or the AWS_* variables and this machine's clock.",
    what: 'AWS rejected the credentials',
  },
  'SME-E-AWS-NO-CREDENTIALS': {
    kind: 'AccessDenied',
    meaning: 'The default credential chain found no credentials (or an SSO token could not be loaded).',
    remedy:
      'Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run `aws configure`, or pass --profile (SSO: aws sso login --profile NAME).',
    what: 'no usable AWS credentials found',
  },
  'SME-E-AWS-VALIDATION': {
    kind: 'Validation',
    meaning: 'AWS rejected a value of the request (ValidationException and similar); the AWS message names it.',
    remedy: 'Correct the value named in the AWS message.',
    what: 'AWS rejected the request',
  },
  'SME-E-AWS-LIMIT-EXCEEDED': {
    kind: 'Precondition',
    meaning: 'An account quota is exhausted (ResourceLimitExceeded), e.g. concurrent AutoML jobs or endpoints.',
    remedy: 'Stop or delete resources you no longer need (jobs, endpoints), or request a quota increase from AWS.',
    what: 'an AWS account quota is exhausted',
  },
  'SME-E-AWS-SERVICE': {
    kind: 'ServiceError',
    meaning:
      'AWS (or an emulator) answered with a 5xx or an unreadable answer; operations that are safe to repeat were retried, on every attempt.',
    remedy: 'Retry later; if it persists, report the request id to AWS support.',
    what: 'AWS answered with a server error',
  },
  'SME-E-AWS-UNREACHABLE': {
    kind: 'Unreachable',
    meaning:
      'The endpoint could not be reached (connection refused, unknown host, timeout); the message names it. Operations that are safe to repeat were retried.',
    remedy:
      'Check that the caller (the database for SQL, this machine for the CLI) can reach the endpoint (network, proxy, firewall), the endpoint override (--aws-endpoint-url, AWS_ENDPOINT_URL*, or the one given at deploy time) and that the region exists.',
    what: 'could not reach the AWS endpoint',
  },
  'SME-E-AWS-NOT-AWS': {
    kind: 'Unreachable',
    meaning:
      'An AWS endpoint answered with something that is not that service’s answer (an HTML page, a stand-in without the service).',
    remedy:
      'Check the endpoint overrides (--aws-endpoint-url, AWS_ENDPOINT_URL*): they point at something that is not that service, e.g. a stand-in without it, or a proxy. For STS (asked only to turn a role name into an ARN), a role given as a full ARN (arn:aws:iam::ACCOUNT:role/NAME) needs no STS.',
    what: 'the endpoint answered, but not as this AWS service does (its answer is not AWS XML or JSON)',
  },
  'SME-E-AWS-REGION-INVALID': {
    kind: 'InvalidInput',
    meaning:
      'The AWS region is not a region code: for the CLI an option, environment variable or profile (the message says which), from SQL the region argument.',
    remedy: 'Give a region code in lower case, such as eu-central-1.',
    what: 'not an AWS region code',
  },
  'SME-E-AWS-ENDPOINT-INVALID': {
    kind: 'InvalidInput',
    meaning:
      'An AWS endpoint override (--aws-endpoint-url, AWS_ENDPOINT_URL*, or the one given at deploy time) is not an absolute http(s) URL, or carries credentials, a query or a fragment.',
    remedy: 'Give scheme, host, optional port and path, e.g. https://host[:port][/path] or http://127.0.0.1:5000.',
    what: 'the AWS endpoint override is not an http(s) URL',
  },
} as const satisfies Readonly<Record<string, AwsErrorCodeInfo>>;

export type AwsErrorCode = keyof typeof AWS_ERROR_CODES;
