import {
  ResourceInUse,
  ResourceLimitExceeded,
  ResourceNotFound,
  SageMakerServiceException,
} from '@aws-sdk/client-sagemaker';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { AWS_ERROR_CODES } from '@sme/core';
import { SmeError } from './core-api.js';
import { convertSageMakerError } from './sagemaker-errors.js';

const meta = (httpStatusCode: number) => ({
  httpStatusCode,
  requestId: `req-${httpStatusCode}`,
  attempts: 1,
  totalRetryDelay: 0,
});

/** An unmodelled AWS error as the SDK deserialises it (name = AWS error code). */
function service(
  name: string,
  message: string,
  status: number,
  fault: 'client' | 'server' = status >= 500 ? 'server' : 'client',
) {
  return new SageMakerServiceException({ name, $fault: fault, $metadata: meta(status), message });
}

function s3(name: string, message: string, status: number) {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: meta(status),
    message,
  });
}

function socket(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
}

const rows: readonly [string, unknown, string, string][] = [
  ['ThrottlingException', service('ThrottlingException', 'Rate exceeded', 400), 'SME-E-AWS-THROTTLED', 'Throttled'],
  ['HTTP 429 without a name', service('Unknown', 'Too Many Requests', 429), 'SME-E-AWS-THROTTLED', 'Throttled'],
  ['S3 SlowDown', s3('SlowDown', 'Please reduce your request rate.', 503), 'SME-E-AWS-THROTTLED', 'Throttled'],
  [
    'ResourceNotFound',
    new ResourceNotFound({ message: 'Could not find AutoML job with name j.', $metadata: meta(400) }),
    'SME-E-AWS-NOT-FOUND',
    'NotFound',
  ],
  [
    'ValidationException "Could not find"',
    service('ValidationException', "Could not find endpoint 'e'.", 400),
    'SME-E-AWS-NOT-FOUND',
    'NotFound',
  ],
  [
    'ValidationException "does not exist"',
    service('ValidationException', 'Model m does not exist.', 400),
    'SME-E-AWS-NOT-FOUND',
    'NotFound',
  ],
  [
    'S3 NoSuchBucket',
    s3('NoSuchBucket', 'The specified bucket does not exist', 404),
    'SME-E-AWS-NOT-FOUND',
    'NotFound',
  ],
  [
    'ResourceInUse',
    new ResourceInUse({ message: 'Auto ML Job with name j already exists.', $metadata: meta(400) }),
    'SME-E-AWS-ALREADY-EXISTS',
    'AlreadyExists',
  ],
  [
    'ValidationException "already existing"',
    service('ValidationException', 'Cannot create already existing endpoint "e".', 400),
    'SME-E-AWS-ALREADY-EXISTS',
    'AlreadyExists',
  ],
  [
    'AccessDeniedException',
    service('AccessDeniedException', 'User is not authorized to perform sagemaker:CreateAutoMLJobV2', 400),
    'SME-E-AWS-ACCESS-DENIED',
    'AccessDenied',
  ],
  ['S3 AccessDenied', s3('AccessDenied', 'Access Denied', 403), 'SME-E-AWS-ACCESS-DENIED', 'AccessDenied'],
  [
    'UnrecognizedClientException',
    service('UnrecognizedClientException', 'The security token included in the request is invalid.', 400),
    'SME-E-AWS-CREDENTIALS',
    'AccessDenied',
  ],
  [
    'InvalidSignatureException',
    service('InvalidSignatureException', 'The request signature we calculated does not match', 400),
    'SME-E-AWS-CREDENTIALS',
    'AccessDenied',
  ],
  [
    'ExpiredTokenException',
    service('ExpiredTokenException', 'The security token included in the request is expired', 400),
    'SME-E-AWS-CREDENTIALS',
    'AccessDenied',
  ],
  [
    'S3 InvalidAccessKeyId',
    s3('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist', 403),
    'SME-E-AWS-CREDENTIALS',
    'AccessDenied',
  ],
  [
    'CredentialsProviderError',
    Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
    'SME-E-AWS-NO-CREDENTIALS',
    'AccessDenied',
  ],
  [
    'ValidationException (other)',
    service(
      'ValidationException',
      "1 validation error detected: Value 'x' at 'roleArn' failed to satisfy constraint",
      400,
    ),
    'SME-E-AWS-VALIDATION',
    'Validation',
  ],
  [
    'ResourceLimitExceeded',
    new ResourceLimitExceeded({ message: 'The account-level service limit is 1 endpoints', $metadata: meta(400) }),
    'SME-E-AWS-LIMIT-EXCEEDED',
    'Precondition',
  ],
  [
    'InternalFailure 500',
    service('InternalFailure', 'An internal error occurred', 500),
    'SME-E-AWS-SERVICE',
    'ServiceError',
  ],
  ['unnamed 503', service('Unknown', 'Service Unavailable', 503), 'SME-E-AWS-SERVICE', 'ServiceError'],
  [
    'HTML 500 (deserialisation error)',
    Object.assign(new SyntaxError('Unexpected token <'), { $metadata: meta(500) }),
    'SME-E-AWS-SERVICE',
    'ServiceError',
  ],
  [
    'HTML 404 of an endpoint that is not the service (deserialisation error)',
    Object.assign(
      new Error('XML parse error: expected ">" not found.\n  Deserialization error: to see the raw response, inspect…'),
      { $metadata: meta(404), $response: { statusCode: 404 } },
    ),
    'SME-E-AWS-NOT-AWS',
    'Unreachable',
  ],
  ['ECONNREFUSED', socket('ECONNREFUSED'), 'SME-E-AWS-UNREACHABLE', 'Unreachable'],
  ['ENOTFOUND', socket('ENOTFOUND'), 'SME-E-AWS-UNREACHABLE', 'Unreachable'],
  [
    'socket error as cause',
    Object.assign(new Error('fetch failed'), { cause: socket('ETIMEDOUT') }),
    'SME-E-AWS-UNREACHABLE',
    'Unreachable',
  ],
  [
    'TimeoutError',
    Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' }),
    'SME-E-AWS-UNREACHABLE',
    'Unreachable',
  ],
];

describe('convertSageMakerError: one row per AWS error', () => {
  it.each(rows)('%s', (_name, input, code, kind) => {
    const e = convertSageMakerError(input, { service: 'SageMaker', operation: 'Op', resource: 'thing' });
    expect(e).toBeInstanceOf(SmeError);
    expect(e.code).toBe(code);
    expect(e.kind).toBe(kind);
    expect(e.cause).toBe(input);
    expect(e.message.startsWith(`SageMaker Op 'thing': `)).toBe(true);
    expect(e.message).toContain((input as Error).message.slice(0, 20));
    expect(e.details.remedy).toBe(AWS_ERROR_CODES[code as keyof typeof AWS_ERROR_CODES].remedy);
    const status = (input as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== undefined) {
      expect(e.details.httpStatus).toBe(status);
      expect(e.details.requestId).toBe(`req-${status}`);
      expect(e.message).toContain(`request id req-${status}`);
    }
  });
});

describe('convertSageMakerError: what it leaves alone', () => {
  it('returns SmeErrors unchanged', () => {
    const original = new SmeError('SME-E-X', 'InvalidInput', 'x');
    expect(convertSageMakerError(original)).toBe(original);
  });
  it.each([
    ['a programming error', new TypeError('x is not a function')],
    ['an unknown client-side AWS error', service('SomeNewException', 'new', 400)],
    ['a string', 'boom'],
  ])('rethrows %s as it is', (_name, input) => {
    expect(() => convertSageMakerError(input)).toThrow();
    try {
      convertSageMakerError(input);
    } catch (thrown) {
      expect(thrown).toBe(input);
    }
  });
  it('names the endpoint of an unreachable host, and the profile and region in the message', () => {
    expect(convertSageMakerError(socket('ECONNREFUSED'), { endpoint: 'http://127.0.0.1:9' }).message).toContain(
      'at http://127.0.0.1:9',
    );
    const e = convertSageMakerError(service('ExpiredTokenException', 'expired', 400), {
      profile: 'sso-dev',
      region: 'eu-west-1',
    });
    expect(e.message).toContain('region eu-west-1; profile sso-dev');
    // One remedy per code, the same from SQL: it says how to renew a profile without naming this one.
    expect(e.details.remedy).toBe(AWS_ERROR_CODES['SME-E-AWS-CREDENTIALS'].remedy);
    expect(e.details.remedy).toContain('aws sso login --profile NAME');
  });
  it('keeps messages on one bounded line (HTML error pages)', () => {
    const html = `<!doctype html>\n<html>${'x'.repeat(2000)}</html>`;
    const e = convertSageMakerError(service('InternalFailure', html, 500));
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeLessThan(700);
  });
});
