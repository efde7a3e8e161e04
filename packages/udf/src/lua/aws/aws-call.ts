import { isBucketName, isRegionShape, isSageMakerName, type Clock, type Json, type SmeError } from '@sme/core';
import type { SigV4Credentials } from '../sigv4/sigv4.js';
import { amzDate, canonicalQuery, signRequest } from '../sigv4/sigv4.js';
import { uriEncode } from '../sigv4/bytes.js';
import type { Sha256Crypto } from '../sigv4/crypto.js';
import { awsCallError, awsErrorCode, awsErrorName, formatInteger, shortText } from './aws-errors.js';
import {
  HttpTransportError,
  TlsVerificationError,
  type HttpPort,
  type HttpRequest,
  type HttpResponse,
} from './http-port.js';
import {
  retryAfterSeconds,
  retryClass,
  retryDelaySeconds,
  STANDARD_RETRY_POLICY,
  type AttemptOutcome,
  type RetryPolicy,
} from './retry.js';
import { AWS_CALL_OPERATIONS, resolveEndpoint } from './aws-endpoints.js';
import {
  connectionAccessError,
  connectionCredentials,
  isConnectionAccessFailure,
  type ScriptIdentity,
} from './aws-connection.js';
import { xmlElements } from './xml-text.js';

// Split by responsibility; re-exported so that importers of this module keep working.
export { AWS_CALL_OPERATIONS, parseEndpointUrl, resolveEndpoint } from './aws-endpoints.js';
export type { AwsApi, AwsEndpoint } from './aws-endpoints.js';
export {
  accessGrantSql,
  connectionAccessError,
  connectionCredentials,
  isConnectionAccessFailure,
} from './aws-connection.js';
export type { ScriptIdentity } from './aws-connection.js';
export { xmlElements, xmlText } from './xml-text.js';

/** What the UDF was asked. */
export interface AwsCallInput {
  readonly connectionName: string;
  readonly region: string;
  readonly operation: string;
  /** The operation input as JSON object text (`InvokeEndpoint`: `{EndpointName, Body, ContentType?, Accept?}`). */
  readonly payload: string;
}

export interface AwsCallConfig {
  /** Baked in at deploy time (`--aws-endpoint-url`); AWS's regional endpoints when absent. */
  readonly awsEndpointUrl?: string;
  /** S3 endpoint override baked in at deploy time (path-style requests); virtual-host AWS S3 when absent. */
  readonly s3EndpointUrl?: string;
}

export interface AwsCallDeps {
  readonly http: HttpPort;
  readonly crypto: Sha256Crypto;
  readonly clock: Clock;
  readonly json: Json;
  /** Reads the CONNECTION (Lua: `exa.get_connection`). Throws when it does not exist or is not granted. */
  readonly getConnection: (name: string) => { readonly user: unknown; readonly password: unknown };
  /** The running script and user (Lua: `exa.meta`), for the GRANT a missing ACCESS privilege needs. */
  readonly scriptIdentity?: () => ScriptIdentity;
  /** Retries of idempotent calls (see retry.ts); one attempt only when absent. */
  readonly retry?: AwsCallRetry;
}

/** What retrying needs from the host: a pause (Lua: `socket.sleep`) and numbers in [0, 1) (a seeded PRNG). */
export interface AwsCallRetry {
  readonly sleep: (seconds: number) => void;
  readonly random: () => number;
  readonly policy?: RetryPolicy;
}

function errorMessageText(e: unknown): string {
  if (typeof e === 'string') return e;
  return e instanceof Error ? e.message : '';
}

/** A successful call: AWS's response body (JSON text; CSV text for InvokeEndpoint). */
export interface AwsCallSuccess {
  readonly httpStatus: number;
  readonly requestId: string | undefined;
  readonly body: string;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * True when JSON text is an object (`{…}`), judged by its first non-blank character: in Lua, cjson decodes
 * `{}` and `[]` to the same empty table, so the decoded value cannot tell.
 */
function isObjectText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const b = text.charCodeAt(i);
    if (b > 32) return b === 123;
  }
  return false;
}

function textField(obj: Record<string, unknown>, name: string): string | undefined {
  const v = obj[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Calls one allowed SageMaker operation, signed with SigV4 from the CONNECTION's credentials.
 * Throws an `SmeError` with an `SME-E-AWS-…` code on every failure; no secret is in any message.
 */
export function callAws(deps: AwsCallDeps, input: AwsCallInput, config: AwsCallConfig): AwsCallSuccess {
  const api = AWS_CALL_OPERATIONS.get(input.operation);
  const subject = (api === 's3' ? 'S3 ' : 'SageMaker ') + shortText(input.operation, 64);
  if (api === undefined) {
    throw awsCallError('SME-E-AWS-OPERATION-NOT-ALLOWED', {
      subject,
      detail: "got '" + shortText(input.operation, 64) + "'",
      key: 'operation',
      value: shortText(input.operation, 64),
    });
  }
  if (!isRegionShape(input.region)) {
    throw awsCallError('SME-E-AWS-REGION-INVALID', {
      subject,
      detail: "got '" + shortText(input.region, 64) + "'",
      key: 'aws_region',
      value: shortText(input.region, 64),
    });
  }
  let payload: unknown;
  try {
    payload = deps.json.decode(input.payload === '' ? '{}' : input.payload);
  } catch {
    payload = undefined;
  }
  if (!isJsonObject(payload) || !isObjectText(input.payload === '' ? '{}' : input.payload)) {
    throw awsCallError('SME-E-AWS-PAYLOAD-INVALID', {
      subject,
      detail: "got '" + shortText(input.payload, 80) + "'",
      key: 'payload',
      value: shortText(input.payload, 80),
    });
  }

  let connection: { readonly user: unknown; readonly password: unknown };
  try {
    connection = deps.getConnection(input.connectionName);
  } catch (e) {
    if (isConnectionAccessFailure(errorMessageText(e))) {
      throw connectionAccessError(input.connectionName, deps.scriptIdentity?.());
    }
    // The database's own text is not passed on: it is not needed and is not ours to vouch for.
    throw awsCallError('SME-E-AWS-CONNECTION', {
      subject: 'connection ' + shortText(input.connectionName, 128),
      detail: 'it does not exist or is not granted to this user',
      key: 'aws_credentials_connection_name',
      value: shortText(input.connectionName, 128),
    });
  }
  const credentials = connectionCredentials(shortText(input.connectionName, 128), connection.user, connection.password);

  if (api === 's3') return callS3(deps, input, config, payload, credentials);
  const endpoint = resolveEndpoint(api, input.region, config.awsEndpointUrl);
  let path: string;
  let body: string;
  const headers: [string, string][] = [['host', endpoint.authority]];
  if (api === 'control') {
    path = endpoint.basePath + '/';
    body = input.payload === '' ? '{}' : input.payload;
    headers.push(['content-type', 'application/x-amz-json-1.1']);
    headers.push(['x-amz-target', 'SageMaker.' + input.operation]);
  } else {
    const name = textField(payload, 'EndpointName') ?? '';
    if (!isSageMakerName(name)) {
      throw awsCallError('SME-E-AWS-PAYLOAD-INVALID', {
        subject,
        detail: "EndpointName is not an endpoint name: '" + shortText(name, 80) + "'",
        key: 'EndpointName',
        value: shortText(name, 80),
      });
    }
    path = endpoint.basePath + '/endpoints/' + name + '/invocations';
    body = textField(payload, 'Body') ?? '';
    headers.push(['content-type', textField(payload, 'ContentType') ?? 'text/csv']);
    headers.push(['accept', textField(payload, 'Accept') ?? 'text/csv']);
  }

  // Signed again for every attempt, so that a retry after a long pause carries a fresh date.
  const response = exchange(deps, input.operation, subject, endpoint.scheme + '://' + endpoint.authority, () => {
    const signed = signRequest(deps.crypto, { method: 'POST', path, headers, body }, credentials, {
      region: input.region,
      service: 'sagemaker',
      amzDate: amzDate(deps.clock.nowMillis()),
    });
    const sendHeaders: Record<string, string> = {};
    for (const [name, value] of signed.headers) sendHeaders[name] = value;
    sendHeaders['content-length'] = formatInteger(body.length);
    return { url: endpoint.scheme + '://' + endpoint.authority + path, method: 'POST', headers: sendHeaders, body };
  });
  return { httpStatus: response.status, requestId: response.headers['x-amzn-requestid'], body: response.body };
}

/**
 * Sends a request, retrying it as the operation's retry class and the policy allow (retry.ts), and answers the
 * 2xx response. Every other end is a coded error; after more than one attempt its message says how many.
 */
function exchange(
  deps: AwsCallDeps,
  operation: string,
  subject: string,
  origin: string,
  build: () => HttpRequest,
): HttpResponse {
  const retry = deps.retry;
  const policy = retry?.policy ?? STANDARD_RETRY_POLICY;
  const cls = retryClass(operation);
  let attempt = 0;
  for (;;) {
    attempt++;
    let response: HttpResponse | undefined;
    let reason = '';
    try {
      response = deps.http.send(build());
    } catch (e) {
      // A certificate that fails verification is final: the request was not sent, and a retry meets the same one.
      if (e instanceof TlsVerificationError)
        throw awsCallError(e.code, { subject: subject + ' at ' + origin, detail: e.reason });
      reason = transportReason(e);
    }
    if (response !== undefined && response.status >= 200 && response.status < 300) return response;
    let error: SmeError;
    let outcome: AttemptOutcome;
    if (response === undefined) {
      error = awsCallError('SME-E-AWS-UNREACHABLE', {
        subject: subject + ' at ' + origin,
        detail: shortText(reason, 200),
        attempts: attempt,
      });
      outcome = { kind: 'transport' };
    } else {
      error = awsResponseError(deps.json, subject, response, attempt);
      const after = retryAfterSeconds(response.headers);
      const wait = after === undefined ? {} : { retryAfterSeconds: after };
      outcome =
        error.code === 'SME-E-AWS-THROTTLED'
          ? { kind: 'throttled', ...wait }
          : response.status >= 500
            ? { kind: 'server-error', ...wait }
            : { kind: 'final' };
    }
    const delay = retry === undefined ? undefined : retryDelaySeconds(policy, cls, outcome, attempt, retry.random);
    if (retry === undefined || delay === undefined) throw error;
    if (delay > 0) retry.sleep(delay);
  }
}

/**
 * The reason of a failed exchange. Exasol's `pcall` turns a thrown table into a string (Exasol's Lua rule L1, packages/sandbox/README.md), so a
 * string error is taken as the reason too.
 */
function transportReason(e: unknown): string {
  if (e instanceof HttpTransportError) return e.reason;
  return typeof e === 'string' ? e : 'transport failure';
}

/**
 * Maps an AWS error answer (JSON 1.1 `__type`/`message`, S3's XML `Code`/`Message`, or the `x-amzn-ErrorType`
 * header) to a coded error.
 */
export function awsResponseError(json: Json, subject: string, response: HttpResponse, attempts = 1): SmeError {
  let type = response.headers['x-amzn-errortype'] ?? '';
  let message: string;
  let decoded: unknown;
  try {
    decoded = json.decode(response.body);
  } catch {
    decoded = undefined;
  }
  if (isJsonObject(decoded)) {
    type = textField(decoded, '__type') ?? textField(decoded, 'code') ?? type;
    message = textField(decoded, 'message') ?? textField(decoded, 'Message') ?? '';
  } else {
    // S3 answers errors as XML: <Error><Code>NoSuchBucket</Code><Message>…</Message></Error>.
    type = xmlElements(response.body, 'Code')[0] ?? type;
    message = xmlElements(response.body, 'Message')[0] ?? '';
  }
  const name = awsErrorName(type);
  const code = awsErrorCode(name, message, response.status);
  const requestId = response.headers['x-amzn-requestid'] ?? response.headers['x-amz-request-id'];
  const detail = (name === '' ? 'HTTP error' : name) + (message === '' ? '' : ': ' + shortText(message, 300));
  return awsCallError(code, {
    subject,
    detail,
    httpStatus: response.status,
    ...(requestId === undefined ? {} : { requestId }),
    attempts,
  });
}

/**
 * True for keys the signer's path normalisation would change (empty, `.` or `..` segments): S3 signs the path
 * as sent, so such keys cannot be addressed through this UDF and are refused rather than mis-signed.
 */
function isPlainKey(key: string): boolean {
  if (key.length === 0 || key.length > 1024) return false;
  for (const segment of key.split('/')) {
    if (segment === '.' || segment === '..') return false;
  }
  return key.indexOf('//') < 0 && key.charAt(0) !== '/';
}

/**
 * One S3 request (ListObjectsV2, GetObject or DeleteObject), SigV4-signed as service `s3`. With an override the request is
 * path-style (`<override>/<bucket>/<key>`), else virtual-host style at AWS (`<bucket>.s3.<region>.amazonaws.com`),
 * path-style for bucket names with dots, whose virtual host would not match AWS's certificate
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html).
 */
function callS3(
  deps: AwsCallDeps,
  input: AwsCallInput,
  config: AwsCallConfig,
  payload: Record<string, unknown>,
  credentials: SigV4Credentials,
): AwsCallSuccess {
  const subject = 'S3 ' + input.operation;
  const bucket = textField(payload, 'Bucket') ?? '';
  if (!isBucketName(bucket)) {
    throw awsCallError('SME-E-AWS-PAYLOAD-INVALID', {
      subject,
      detail: "Bucket is not a bucket name: '" + shortText(bucket, 80) + "'",
      key: 'Bucket',
      value: shortText(bucket, 80),
    });
  }
  let key = '';
  const query: [string, string][] = [];
  let method: string;
  if (input.operation === 'DeleteObject' || input.operation === 'GetObject') {
    method = input.operation === 'DeleteObject' ? 'DELETE' : 'GET';
    key = textField(payload, 'Key') ?? '';
    if (!isPlainKey(key)) {
      throw awsCallError('SME-E-AWS-PAYLOAD-INVALID', {
        subject,
        detail: "Key is empty, too long or has empty, '.' or '..' segments: '" + shortText(key, 80) + "'",
        key: 'Key',
        value: shortText(key, 80),
      });
    }
  } else {
    method = 'GET';
    query.push(['list-type', '2']);
    const prefix = textField(payload, 'Prefix');
    if (prefix !== undefined) query.push(['prefix', prefix]);
    const token = textField(payload, 'ContinuationToken');
    if (token !== undefined) query.push(['continuation-token', token]);
  }
  const override = config.s3EndpointUrl;
  const pathStyle = (override !== undefined && override !== '') || bucket.indexOf('.') >= 0;
  const endpoint = resolveEndpoint('s3', input.region, override);
  const authority = pathStyle ? endpoint.authority : bucket + '.' + endpoint.authority;
  // The signer encodes the path once, which is exactly S3's canonical form of a decoded key.
  const path = endpoint.basePath + (pathStyle ? '/' + bucket : '') + '/' + key;
  const queryText = canonicalQuery(query);
  const response = exchange(deps, input.operation, subject, endpoint.scheme + '://' + authority, () => {
    const signed = signRequest(
      deps.crypto,
      { method, path, query, headers: [['host', authority]], body: '' },
      credentials,
      { region: input.region, service: 's3', amzDate: amzDate(deps.clock.nowMillis()) },
    );
    const sendHeaders: Record<string, string> = {};
    for (const [name, value] of signed.headers) sendHeaders[name] = value;
    return {
      url: endpoint.scheme + '://' + authority + uriEncode(path, true) + (queryText === '' ? '' : '?' + queryText),
      method,
      headers: sendHeaders,
      body: '',
    };
  });
  return { httpStatus: response.status, requestId: response.headers['x-amz-request-id'], body: response.body };
}
