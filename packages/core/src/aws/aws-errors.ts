import { SmeError } from '../errors.js';
import { formatInteger, lowerAscii } from '../text.js';
import { AWS_ERROR_CODES, type AwsErrorCode } from './aws-error-codes.js';

/**
 * AWS error names (the error code of an answer, as the SDKs name their exceptions) by meaning. The one table
 * both front doors use: the SDK adapter (CLI) and the AWS-call UDF (SQL) only extract the name and look it up.
 */
const BY_NAME = new Map<string, AwsErrorCode>([
  ['ThrottlingException', 'SME-E-AWS-THROTTLED'],
  ['Throttling', 'SME-E-AWS-THROTTLED'],
  ['TooManyRequestsException', 'SME-E-AWS-THROTTLED'],
  ['RequestLimitExceeded', 'SME-E-AWS-THROTTLED'],
  ['SlowDown', 'SME-E-AWS-THROTTLED'],
  ['ProvisionedThroughputExceededException', 'SME-E-AWS-THROTTLED'],
  ['RequestThrottled', 'SME-E-AWS-THROTTLED'],
  ['RequestThrottledException', 'SME-E-AWS-THROTTLED'],
  ['ResourceNotFound', 'SME-E-AWS-NOT-FOUND'],
  ['ResourceNotFoundException', 'SME-E-AWS-NOT-FOUND'],
  ['NoSuchBucket', 'SME-E-AWS-NOT-FOUND'],
  ['NoSuchKey', 'SME-E-AWS-NOT-FOUND'],
  ['NotFound', 'SME-E-AWS-NOT-FOUND'],
  ['ResourceInUse', 'SME-E-AWS-ALREADY-EXISTS'],
  ['ConflictException', 'SME-E-AWS-ALREADY-EXISTS'],
  ['BucketAlreadyExists', 'SME-E-AWS-ALREADY-EXISTS'],
  ['BucketAlreadyOwnedByYou', 'SME-E-AWS-ALREADY-EXISTS'],
  ['AccessDenied', 'SME-E-AWS-ACCESS-DENIED'],
  ['AccessDeniedException', 'SME-E-AWS-ACCESS-DENIED'],
  ['AllAccessDisabled', 'SME-E-AWS-ACCESS-DENIED'],
  ['UnrecognizedClientException', 'SME-E-AWS-CREDENTIALS'],
  ['InvalidSignatureException', 'SME-E-AWS-CREDENTIALS'],
  ['SignatureDoesNotMatch', 'SME-E-AWS-CREDENTIALS'],
  ['IncompleteSignature', 'SME-E-AWS-CREDENTIALS'],
  ['InvalidClientTokenId', 'SME-E-AWS-CREDENTIALS'],
  ['InvalidAccessKeyId', 'SME-E-AWS-CREDENTIALS'],
  ['InvalidToken', 'SME-E-AWS-CREDENTIALS'],
  ['ExpiredToken', 'SME-E-AWS-CREDENTIALS'],
  ['ExpiredTokenException', 'SME-E-AWS-CREDENTIALS'],
  ['RequestExpired', 'SME-E-AWS-CREDENTIALS'],
  ['MissingAuthenticationToken', 'SME-E-AWS-CREDENTIALS'],
  ['CredentialsProviderError', 'SME-E-AWS-NO-CREDENTIALS'],
  ['TokenProviderError', 'SME-E-AWS-NO-CREDENTIALS'],
  ['ValidationException', 'SME-E-AWS-VALIDATION'],
  ['ValidationError', 'SME-E-AWS-VALIDATION'],
  ['InvalidParameterValue', 'SME-E-AWS-VALIDATION'],
  ['InvalidBucketName', 'SME-E-AWS-VALIDATION'],
  ['InvalidRequest', 'SME-E-AWS-VALIDATION'],
  ['InvalidArgument', 'SME-E-AWS-VALIDATION'],
  ['SerializationException', 'SME-E-AWS-VALIDATION'],
  ['ResourceLimitExceeded', 'SME-E-AWS-LIMIT-EXCEEDED'],
  ['ServiceUnavailable', 'SME-E-AWS-SERVICE'],
  ['InternalFailure', 'SME-E-AWS-SERVICE'],
  ['InternalError', 'SME-E-AWS-SERVICE'],
  ['InternalServerError', 'SME-E-AWS-SERVICE'],
  ['ServiceUnavailableException', 'SME-E-AWS-SERVICE'],
  ['ModelError', 'SME-E-AWS-SERVICE'],
]);

/**
 * `__type` may be `Name`, `namespace#Name` or `Name:http://…` (AWS JSON protocol,
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html#operation-error-serialization).
 *
 * @example
 * awsErrorName('com.amazonaws.sagemaker#ResourceNotFound'); // 'ResourceNotFound'
 */
export function awsErrorName(type: string): string {
  let name = type;
  let hash = -1;
  for (let i = 0; i < name.length; i++) if (name.charAt(i) === '#') hash = i;
  if (hash >= 0) name = name.substring(hash + 1);
  const colon = name.indexOf(':');
  if (colon >= 0) name = name.substring(0, colon);
  return name;
}

/** What an AWS error answer says, as an adapter extracts it. */
export interface AwsErrorAnswer {
  /** The AWS error name (`ThrottlingException`, S3's `Code`), `''` when there is none. */
  readonly name: string;
  readonly message: string;
  /** HTTP status, when an answer arrived. */
  readonly httpStatus?: number;
  /** The SDK marked the error as the server's fault (`$fault: 'server'`). */
  readonly serverFault?: boolean;
}

/**
 * The code of an AWS error answer by its name (SageMaker says "not found"/"already exists" through
 * ValidationException, so its message refines that), else by HTTP 429 or a server fault; undefined when neither
 * tells. An adapter that must answer with some code uses {@link awsErrorCode}.
 *
 * @example
 * knownAwsErrorCode({ name: 'ValidationException', message: 'Could not find job j' }); // 'SME-E-AWS-NOT-FOUND'
 */
export function knownAwsErrorCode(answer: AwsErrorAnswer): AwsErrorCode | undefined {
  const byName = BY_NAME.get(answer.name);
  if (byName === 'SME-E-AWS-VALIDATION') {
    const m = lowerAscii(answer.message);
    if (m.includes('could not find') || m.includes('does not exist') || m.includes('not found')) {
      return 'SME-E-AWS-NOT-FOUND';
    }
    if (m.includes('already exist')) return 'SME-E-AWS-ALREADY-EXISTS';
  }
  if (byName !== undefined) return byName;
  const status = answer.httpStatus;
  if (status === 429) return 'SME-E-AWS-THROTTLED';
  if (answer.serverFault === true || (status !== undefined && status >= 500)) return 'SME-E-AWS-SERVICE';
  return undefined;
}

/**
 * The code of an AWS error answer: {@link knownAwsErrorCode}, else by HTTP status (401/403 credentials, 404 not
 * found, any other client error a rejected request).
 *
 * @example
 * awsErrorCode('', '', 403); // 'SME-E-AWS-CREDENTIALS'
 */
export function awsErrorCode(name: string, message: string, httpStatus: number): AwsErrorCode {
  const known = knownAwsErrorCode({ name, message, httpStatus });
  if (known !== undefined) return known;
  if (httpStatus === 401 || httpStatus === 403) return 'SME-E-AWS-CREDENTIALS';
  if (httpStatus === 404) return 'SME-E-AWS-NOT-FOUND';
  return 'SME-E-AWS-VALIDATION';
}

/** Facts of one failed AWS call that go into the message and into `details` (never a secret). */
export interface AwsErrorFacts {
  /** What the call was about, e.g. `SageMaker DescribeAutoMLJobV2 'churn-…'`. */
  readonly subject: string;
  /** Where it went, for unreachable endpoints: `http://127.0.0.1:9` (the message says `… at <where>`). */
  readonly where?: string;
  /** AWS error name and message (one line, bounded), or the socket error. */
  readonly detail?: string;
  /** Further facts for the message that are no `details` field, e.g. `profile dev`. */
  readonly notes?: readonly string[];
  readonly key?: string;
  readonly value?: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  /** Attempts made (retries of idempotent calls); the message names them when more than one. */
  readonly attempts?: number;
  /** How long AWS asked to wait before a retry (its Retry-After), in milliseconds; into `details` only. */
  readonly retryAfterMs?: number;
}

/**
 * The error of a failed AWS call, with the catalog's kind and remedy (in `details.remedy`): the message is
 * `<subject>: <what>[ at <where>] (<detail>; <notes>; HTTP n; request id r; after n attempts)`. It does not repeat
 * the code or the remedy: each front door prints them once beside it (the CLI as `error <code>: …` and
 * `what to do: …`, the SQL scripts as `<code>: … Remedy: …`).
 *
 * @example
 * awsError('SME-E-AWS-THROTTLED', { subject: 'SageMaker StopAutoMLJob', httpStatus: 400 }).details.remedy;
 * // AWS_ERROR_CODES['SME-E-AWS-THROTTLED'].remedy
 */
export function awsError(code: AwsErrorCode, facts: AwsErrorFacts, cause?: unknown): SmeError {
  const info = AWS_ERROR_CODES[code];
  const remedy = info.remedy;
  const extra: string[] = [];
  if (facts.detail !== undefined && facts.detail !== '') extra.push(facts.detail);
  for (const note of facts.notes ?? []) extra.push(note);
  if (facts.httpStatus !== undefined) extra.push('HTTP ' + formatInteger(facts.httpStatus));
  if (facts.requestId !== undefined) extra.push('request id ' + facts.requestId);
  if (facts.attempts !== undefined && facts.attempts > 1) {
    extra.push('after ' + formatInteger(facts.attempts) + ' attempts');
  }
  const message =
    facts.subject +
    ': ' +
    info.what +
    (facts.where === undefined ? '' : ' at ' + facts.where) +
    (extra.length > 0 ? ' (' + extra.join('; ') + ')' : '');
  return new SmeError(
    code,
    info.kind,
    message,
    {
      remedy,
      ...(facts.key === undefined ? {} : { key: facts.key }),
      ...(facts.value === undefined ? {} : { value: facts.value }),
      ...(facts.requestId === undefined ? {} : { requestId: facts.requestId }),
      ...(facts.httpStatus === undefined ? {} : { httpStatus: facts.httpStatus }),
      ...(facts.retryAfterMs === undefined ? {} : { retryAfterMs: facts.retryAfterMs }),
    },
    cause,
  );
}

/**
 * Keeps text one line and bounded: AWS messages can carry HTML when a proxy answers. `max` counts what the host
 * counts as string length: UTF-16 units in Node, bytes in Lua.
 *
 * @example
 * shortText('a\n  b', 80); // 'a b'
 */
export function shortText(text: string, max: number): string {
  const parts: string[] = [];
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      space = true;
    } else {
      if (space && parts.length > 0) parts.push(' ');
      space = false;
      parts.push(c);
    }
  }
  const one = parts.join('');
  return one.length > max ? one.substring(0, max - 3) + '...' : one;
}
