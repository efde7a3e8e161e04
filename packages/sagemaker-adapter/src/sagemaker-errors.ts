import { awsError, isSmeError, knownAwsErrorCode, shortText } from './core-api.js';
import { retryAfterMsOf } from './sagemaker-retry.js';
import type { SmeError } from './core-api.js';

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
  /** Region the call went to; messages name it. */
  readonly region?: string;
  /** Profile in use; messages name it. */
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

/**
 * Translates an error thrown by the AWS SDK (or its HTTP layer) into an {@link SmeError} with a stable
 * `SME-E-AWS-…` code: it extracts the AWS error name, message, HTTP status and request id (or the socket error)
 * and looks them up in core's AWS error table; the error comes from core's `awsError`, the same factory the
 * AWS-call UDF uses, so a failure reads the same from SQL and from the CLI. Returns `SmeError`s unchanged and
 * rethrows errors it does not recognise as they are.
 *
 * @example
 * try { await client.send(cmd) } catch (e) { throw convertSageMakerError(e, { operation: 'StopAutoMLJob', resource: job }) }
 */
export function convertSageMakerError(e: unknown, ctx: AwsCallContext = {}): SmeError {
  if (isSmeError(e)) return e;
  const shape = asShape(e);
  if (shape === undefined) throw e;
  const awsName = str(shape.name) ?? 'Error';
  const awsMessage = shortText(str(shape.message) ?? awsName, 300);
  const requestId = str(shape.$metadata?.requestId);
  const httpStatus = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;
  const known = knownAwsErrorCode({
    name: str(shape.name) ?? '',
    message: awsMessage,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    serverFault: shape.$fault === 'server',
  });
  // A socket error is no AWS answer: the table does not know it, the name of its code does.
  const net = known === undefined ? networkCode(shape) : undefined;
  // Below 500, an answer the SDK could not read (an HTML error page, a stand-in without this service) means the
  // endpoint is wrong, not sme: the SDK says "Deserialization error" and keeps the raw `$response`.
  const notAws =
    known === undefined &&
    net === undefined &&
    (shape.$response !== undefined || /Deserialization error/.test(str(shape.message) ?? ''));
  const code = known ?? (net !== undefined ? 'SME-E-AWS-UNREACHABLE' : notAws ? 'SME-E-AWS-NOT-AWS' : undefined);
  if (code === undefined) throw e;

  const call = [ctx.service, ctx.operation].filter((x) => x !== undefined).join(' ');
  // AWS's Retry-After, for a caller that retries (core's RateLimiter waits it before the next call).
  const retryAfterMs = retryAfterMsOf(shape.$response);
  return awsError(
    code,
    {
      subject: (call === '' ? 'AWS call' : call) + (ctx.resource === undefined ? '' : ` '${ctx.resource}'`),
      ...((net !== undefined || notAws) && ctx.endpoint !== undefined ? { where: ctx.endpoint } : {}),
      detail: `${awsName}${net !== undefined && net !== awsName ? ` ${net}` : ''}: ${awsMessage}`,
      notes: [
        ...(ctx.region === undefined ? [] : [`region ${ctx.region}`]),
        ...(ctx.profile === undefined ? [] : [`profile ${ctx.profile}`]),
      ],
      ...(ctx.operation === undefined ? {} : { key: ctx.operation }),
      ...(ctx.resource === undefined ? {} : { value: ctx.resource }),
      ...(requestId === undefined ? {} : { requestId }),
      ...(httpStatus === undefined ? {} : { httpStatus }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
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
