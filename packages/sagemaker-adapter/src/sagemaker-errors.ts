import { SmeError, isSmeError } from './core-api.js';
import type { SmeErrorKind } from './core-api.js';

/** What a call was about, so that a translated error can say it. Names only, never secrets. */
export interface AwsCallContext {
  /** Service as users know it: `SageMaker`, `SageMaker runtime`, `S3`, `STS`. */
  readonly service?: string;
  /** API operation, e.g. `DescribeAutoMLJobV2`. */
  readonly operation?: string;
  /** The resource the call names (job, endpoint, `s3://…` URI). */
  readonly resource?: string;
  /** Endpoint the call went to (for unreachable-host errors). */
  readonly endpoint?: string;
  /** Region the call went to. */
  readonly region?: string;
  /** Profile in use, for credential remedies. */
  readonly profile?: string;
}

interface AwsErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: {
    readonly httpStatusCode?: unknown;
    readonly requestId?: unknown;
    readonly extendedRequestId?: unknown;
  };
  readonly cause?: unknown;
  /** The raw HTTP response the SDK keeps (hidden) when it could not deserialise it. */
  readonly $response?: unknown;
}

interface Rule {
  readonly code: string;
  readonly kind: SmeErrorKind;
  readonly what: string;
  readonly remedy: (ctx: AwsCallContext) => string;
}

const THROTTLED: Rule = {
  code: 'SME-E-AWS-THROTTLED',
  kind: 'Throttled',
  what: 'AWS throttled the request',
  remedy: () =>
    'Retry later, raise maxAttempts (AWS_MAX_ATTEMPTS), or ask AWS for a higher request quota; retries already used jittered backoff.',
};
const NOT_FOUND: Rule = {
  code: 'SME-E-AWS-NOT-FOUND',
  kind: 'NotFound',
  what: 'not found',
  remedy: (ctx) =>
    `Check the name, and that it was created in this region${ctx.region === undefined ? '' : ` (${ctx.region})`} and account.`,
};
const ALREADY_EXISTS: Rule = {
  code: 'SME-E-AWS-ALREADY-EXISTS',
  kind: 'AlreadyExists',
  what: 'already exists',
  remedy: () => 'Choose another name (AutoML job names are unique per account and region, case-insensitively).',
};
const ACCESS_DENIED: Rule = {
  code: 'SME-E-AWS-ACCESS-DENIED',
  kind: 'AccessDenied',
  what: 'access denied',
  remedy: () =>
    'Grant the calling identity the permission named in the AWS message (see `aws sts get-caller-identity` for who is calling).',
};
const CREDENTIALS: Rule = {
  code: 'SME-E-AWS-CREDENTIALS',
  kind: 'AccessDenied',
  what: 'AWS rejected the credentials',
  remedy: (ctx) =>
    ctx.profile === undefined
      ? 'Renew or correct the credentials (for temporary credentials also AWS_SESSION_TOKEN); check the clock of this machine.'
      : `Renew the credentials of profile ${ctx.profile} (for SSO: aws sso login --profile ${ctx.profile}); check the clock of this machine.`,
};
const NO_CREDENTIALS: Rule = {
  code: 'SME-E-AWS-NO-CREDENTIALS',
  kind: 'AccessDenied',
  what: 'no usable AWS credentials found',
  remedy: (ctx) =>
    ctx.profile === undefined
      ? 'Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run `aws configure`, or pass --profile.'
      : `Check profile ${ctx.profile} (for SSO: aws sso login --profile ${ctx.profile}).`,
};
const VALIDATION: Rule = {
  code: 'SME-E-AWS-VALIDATION',
  kind: 'Validation',
  what: 'AWS rejected the request',
  remedy: () => 'Correct the value named in the AWS message.',
};
const LIMIT: Rule = {
  code: 'SME-E-AWS-LIMIT-EXCEEDED',
  kind: 'Precondition',
  what: 'an AWS account quota is exhausted',
  remedy: () => 'Stop or delete resources you no longer need (jobs, endpoints), or request a quota increase from AWS.',
};
const SERVICE: Rule = {
  code: 'SME-E-AWS-SERVICE',
  kind: 'ServiceError',
  what: 'AWS answered with a server error',
  remedy: () => 'Retry later; if it persists, report the request id to AWS support.',
};
const UNREACHABLE: Rule = {
  code: 'SME-E-AWS-UNREACHABLE',
  kind: 'Unreachable',
  what: 'could not reach the AWS endpoint',
  remedy: () =>
    'Check the network, proxy and the endpoint override (--aws-endpoint-url, AWS_ENDPOINT_URL*), and that the region exists.',
};

const NOT_AWS: Rule = {
  code: 'SME-E-AWS-NOT-AWS',
  kind: 'Unreachable',
  what: 'the endpoint answered, but not as this AWS service does (its answer is not AWS XML or JSON)',
  remedy: (ctx) =>
    'Check the endpoint override of ' +
    (ctx.service ?? 'the service') +
    ' (--aws-endpoint-url, AWS_ENDPOINT_URL_' +
    (ctx.service === undefined ? '<SERVICE>' : ctx.service.toUpperCase().replace(/\W+/g, '_')) +
    ', AWS_ENDPOINT_URL): it points at something that is not that service, e.g. a stand-in without it, or a proxy.' +
    (ctx.service === 'STS'
      ? ' STS is only asked to turn a role name into an ARN: give the role as a full ARN (arn:aws:iam::ACCOUNT:role/NAME) to need no STS.'
      : ''),
};

/** Error names as the SDKs report them (the AWS error code), by meaning. */
const BY_NAME: Readonly<Record<string, Rule>> = {
  ThrottlingException: THROTTLED,
  Throttling: THROTTLED,
  TooManyRequestsException: THROTTLED,
  RequestLimitExceeded: THROTTLED,
  SlowDown: THROTTLED,
  ProvisionedThroughputExceededException: THROTTLED,
  RequestThrottled: THROTTLED,
  RequestThrottledException: THROTTLED,
  ResourceNotFound: NOT_FOUND,
  ResourceNotFoundException: NOT_FOUND,
  NoSuchBucket: NOT_FOUND,
  NoSuchKey: NOT_FOUND,
  NotFound: NOT_FOUND,
  ResourceInUse: ALREADY_EXISTS,
  ConflictException: ALREADY_EXISTS,
  BucketAlreadyExists: ALREADY_EXISTS,
  BucketAlreadyOwnedByYou: ALREADY_EXISTS,
  AccessDenied: ACCESS_DENIED,
  AccessDeniedException: ACCESS_DENIED,
  AllAccessDisabled: ACCESS_DENIED,
  UnrecognizedClientException: CREDENTIALS,
  InvalidSignatureException: CREDENTIALS,
  SignatureDoesNotMatch: CREDENTIALS,
  IncompleteSignature: CREDENTIALS,
  InvalidClientTokenId: CREDENTIALS,
  InvalidAccessKeyId: CREDENTIALS,
  InvalidToken: CREDENTIALS,
  ExpiredToken: CREDENTIALS,
  ExpiredTokenException: CREDENTIALS,
  RequestExpired: CREDENTIALS,
  MissingAuthenticationToken: CREDENTIALS,
  CredentialsProviderError: NO_CREDENTIALS,
  TokenProviderError: NO_CREDENTIALS,
  ValidationException: VALIDATION,
  ValidationError: VALIDATION,
  InvalidParameterValue: VALIDATION,
  InvalidBucketName: VALIDATION,
  InvalidRequest: VALIDATION,
  InvalidArgument: VALIDATION,
  ResourceLimitExceeded: LIMIT,
  ServiceUnavailable: SERVICE,
  InternalFailure: SERVICE,
  InternalError: SERVICE,
  InternalServerError: SERVICE,
  ServiceUnavailableException: SERVICE,
};

/** Node socket error codes that mean the endpoint could not be reached at all. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function asShape(e: unknown): AwsErrorShape | undefined {
  return typeof e === 'object' && e !== null ? e : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function networkCode(e: AwsErrorShape, depth = 0): string | undefined {
  const code = str(e.code);
  if (code !== undefined && NETWORK_CODES.has(code)) return code;
  if (e.name === 'TimeoutError') return 'TimeoutError';
  const cause = asShape(e.cause);
  return cause !== undefined && depth < 5 ? networkCode(cause, depth + 1) : undefined;
}

/** ValidationException is SageMaker's answer for many things; its message tells which. */
function refineValidation(message: string): Rule {
  const m = message.toLowerCase();
  if (m.includes('could not find') || m.includes('does not exist') || m.includes('not found')) return NOT_FOUND;
  if (m.includes('already exist')) return ALREADY_EXISTS;
  return VALIDATION;
}

function ruleFor(e: AwsErrorShape): Rule | undefined {
  const name = str(e.name) ?? '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const rule = BY_NAME[name];
  if (rule === VALIDATION) return refineValidation(str(e.message) ?? '');
  if (rule !== undefined) return rule;
  if (networkCode(e) !== undefined) return UNREACHABLE;
  if (status === 429) return THROTTLED;
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) return SERVICE;
  // Below 500, the SDK could not read the answer (an HTML error page, a stand-in without this service): the environment's
  // endpoint is wrong, not sme. The SDK says so with "Deserialization error" and keeps the raw `$response`.
  if (e.$response !== undefined || /Deserialization error/.test(str(e.message) ?? '')) return NOT_AWS;
  return undefined;
}

/** Keeps messages one line and bounded: AWS messages can carry HTML when a proxy answers. */
function shortMessage(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}

/**
 * Translates an error thrown by the AWS SDK (or its HTTP layer) into an {@link SmeError} with a stable
 * `SME-E-AWS-…` code, keeping the AWS request id, HTTP status and AWS message; returns `SmeError`s unchanged
 * and rethrows errors it does not recognise as they are.
 *
 * @example
 * try { await client.send(cmd) } catch (e) { throw convertSageMakerError(e, { operation: 'StopAutoMLJob', resource: job }) }
 */
export function convertSageMakerError(e: unknown, ctx: AwsCallContext = {}): SmeError {
  if (isSmeError(e)) return e;
  const shape = asShape(e);
  const rule = shape === undefined ? undefined : ruleFor(shape);
  if (shape === undefined || rule === undefined) throw e;

  const awsName = str(shape.name) ?? 'Error';
  const awsMessage = shortMessage(str(shape.message) ?? awsName);
  const requestId = str(shape.$metadata?.requestId);
  const httpStatus = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;
  const net = rule === UNREACHABLE ? networkCode(shape) : undefined;
  const answered = rule === NOT_AWS && ctx.endpoint !== undefined ? ` at ${ctx.endpoint}` : '';

  const call = [ctx.service, ctx.operation].filter((x) => x !== undefined).join(' ');
  const subject = ctx.resource === undefined ? '' : ` '${ctx.resource}'`;
  const where = net !== undefined && ctx.endpoint !== undefined ? ` at ${ctx.endpoint}` : answered;
  const facts = [
    `${awsName}${net !== undefined && net !== awsName ? ` ${net}` : ''}: ${awsMessage}`,
    httpStatus === undefined ? undefined : `HTTP ${httpStatus}`,
    requestId === undefined ? undefined : `request id ${requestId}`,
  ]
    .filter((x) => x !== undefined)
    .join('; ');
  const remedy = rule.remedy(ctx);
  const message = `${rule.code}: ${call === '' ? 'AWS call' : call}${subject}: ${rule.what}${where} (${facts}). ${remedy}`;
  return new SmeError(
    rule.code,
    rule.kind,
    message,
    {
      ...(ctx.operation === undefined ? {} : { key: ctx.operation }),
      ...(ctx.resource === undefined ? {} : { value: ctx.resource }),
      remedy,
      ...(requestId === undefined ? {} : { requestId }),
      ...(httpStatus === undefined ? {} : { httpStatus }),
    },
    e,
  );
}

/** Runs an SDK call and translates what it throws at this edge. */
export async function awsCall<T>(ctx: AwsCallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw convertSageMakerError(e, ctx);
  }
}
