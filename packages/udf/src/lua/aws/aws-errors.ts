import { SmeError, type SmeErrorKind } from '@sme/core';

/**
 * Error codes of the AWS-call UDF. The AWS ones are the same codes, kinds and meanings as the Node adapter's
 * (packages/sagemaker-adapter/src/sagemaker-errors.ts), so a failure reads the same from SQL and from the CLI.
 */
export const AWS_CALL_ERRORS = {
  'SME-E-AWS-THROTTLED': {
    kind: 'Throttled',
    what: 'AWS throttled the request',
    remedy: 'Retry later or ask AWS for a higher request quota.',
  },
  'SME-E-AWS-NOT-FOUND': {
    kind: 'NotFound',
    what: 'not found',
    remedy: 'Check the name, and that it was created in this region and account.',
  },
  'SME-E-AWS-ALREADY-EXISTS': {
    kind: 'AlreadyExists',
    what: 'already exists',
    remedy: 'Choose another name (AutoML job names are unique per account and region, case-insensitively).',
  },
  'SME-E-AWS-ACCESS-DENIED': {
    kind: 'AccessDenied',
    what: 'access denied',
    remedy: 'Grant the identity of the CONNECTION the permission named in the AWS message.',
  },
  'SME-E-AWS-CREDENTIALS': {
    kind: 'AccessDenied',
    what: 'AWS rejected the credentials',
    remedy:
      "Correct the CONNECTION: USER '<access key id>' IDENTIFIED BY '<secret access key>' (temporary credentials: IDENTIFIED BY '<secret>;session_token=<token>', renewed before it expires); check the database clock.",
  },
  'SME-E-AWS-VALIDATION': {
    kind: 'Validation',
    what: 'AWS rejected the request',
    remedy: 'Correct the value named in the AWS message.',
  },
  'SME-E-AWS-LIMIT-EXCEEDED': {
    kind: 'Precondition',
    what: 'an AWS account quota is exhausted',
    remedy: 'Stop or delete resources you no longer need (jobs, endpoints), or request a quota increase from AWS.',
  },
  'SME-E-AWS-SERVICE': {
    kind: 'ServiceError',
    what: 'AWS answered with a server error',
    remedy: 'Retry later; if it persists, report the request id to AWS support.',
  },
  'SME-E-AWS-UNREACHABLE': {
    kind: 'Unreachable',
    what: 'could not reach the AWS endpoint',
    remedy:
      'Check that the database can reach the endpoint (network, firewall, the --aws-endpoint-url given at deploy time) and that the region exists.',
  },
  'SME-E-AWS-TLS-UNTRUSTED': {
    kind: 'TlsMismatch',
    what: 'the server certificate does not chain to a trusted root, so nothing was sent',
    remedy:
      'For AWS itself this means something in between (a TLS-inspecting proxy) presents its own certificate: let the database reach AWS directly, or deploy with `sme deploy --aws-ca-file <proxy or private CA PEM>`. For a private endpoint, deploy with its CA in --aws-ca-file.',
  },
  'SME-E-AWS-TLS-NAME-MISMATCH': {
    kind: 'TlsMismatch',
    what: 'the server certificate is for another host name, so nothing was sent',
    remedy:
      'Check the endpoint host (--aws-endpoint-url, --s3-endpoint-url given at deploy time, the region): use the name the certificate is issued for.',
  },
  'SME-E-AWS-TLS-EXPIRED': {
    kind: 'TlsMismatch',
    what: 'a certificate of the server is expired or not yet valid, so nothing was sent',
    remedy:
      'Check the database clock (it must be correct for TLS and for AWS signatures); if it is right, the endpoint must renew its certificate.',
  },
  'SME-E-AWS-OPERATION-NOT-ALLOWED': {
    kind: 'InvalidInput',
    what: 'this operation may not be called through sme',
    remedy: 'Use one of the operations sme needs (see docs/sql-reference.md, SME_AWS_SAGEMAKER_CALL).',
  },
  'SME-E-AWS-REGION-INVALID': {
    kind: 'InvalidInput',
    what: 'not an AWS region code',
    remedy: "Pass a region code such as 'eu-central-1'.",
  },
  'SME-E-AWS-PAYLOAD-INVALID': {
    kind: 'InvalidInput',
    what: 'the request payload is not a JSON object',
    remedy: 'Pass the operation input as a JSON object text.',
  },
  'SME-E-AWS-CONNECTION': {
    kind: 'BadCredentials',
    what: 'the CONNECTION cannot be used for AWS',
    remedy:
      "CREATE CONNECTION <name> TO '' USER '<access key id>' IDENTIFIED BY '<secret access key>[;session_token=<token>]' and GRANT it to the user running sme.",
  },
  'SME-E-CONNECTION-ACCESS': {
    kind: 'AccessDenied',
    what: 'the script may not read the CONNECTION (Exasol needs the ACCESS privilege on it, GRANT CONNECTION is not enough)',
    remedy:
      'Run GRANT ACCESS ON CONNECTION <connection> FOR SCRIPT <schema>.<script> TO <user>; the message names the exact statement.',
  },
  'SME-E-AWS-ENDPOINT-INVALID': {
    kind: 'InvalidInput',
    what: 'the AWS endpoint override is not an http(s) URL',
    remedy: "Give --aws-endpoint-url as 'https://host[:port][/path]' or 'http://host[:port][/path]'.",
  },
  'SME-E-AWS-UDF-INTERNAL': {
    kind: 'Internal',
    what: 'the AWS-call UDF failed unexpectedly',
    remedy: 'Report this message (it holds no secret) to the sme maintainers.',
  },
} as const satisfies Record<string, { kind: SmeErrorKind; what: string; remedy: string }>;

export type AwsCallErrorCode = keyof typeof AWS_CALL_ERRORS;

/** Facts that go into a message and into `details` (never a secret). */
export interface AwsErrorFacts {
  /** What the call was about, e.g. `SageMaker CreateAutoMLJobV2` or `connection AWS_CONN`. */
  readonly subject: string;
  /** AWS error type and message, or the value received. */
  readonly detail?: string;
  readonly key?: string;
  readonly value?: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  /** Attempts made (retries of idempotent calls); the message names them when more than one. */
  readonly attempts?: number;
  /** Replaces the catalog's remedy with a concrete one (e.g. the exact GRANT statement). */
  readonly remedy?: string;
}

/** Keeps text one line and bounded: AWS messages can carry HTML when a proxy answers. */
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

/** `SME-E-…: <subject>: <what> (<detail>; HTTP n; request id r). <remedy>` */
export function awsCallError(code: AwsCallErrorCode, facts: AwsErrorFacts): SmeError {
  const info = AWS_CALL_ERRORS[code];
  const remedy = facts.remedy ?? info.remedy;
  const extra: string[] = [];
  if (facts.detail !== undefined && facts.detail !== '') extra.push(facts.detail);
  if (facts.httpStatus !== undefined) extra.push('HTTP ' + formatInteger(facts.httpStatus));
  if (facts.requestId !== undefined) extra.push('request id ' + facts.requestId);
  if (facts.attempts !== undefined && facts.attempts > 1)
    extra.push('after ' + formatInteger(facts.attempts) + ' attempts');
  const message =
    code +
    ': ' +
    facts.subject +
    ': ' +
    info.what +
    (extra.length > 0 ? ' (' + extra.join('; ') + ')' : '') +
    '. ' +
    remedy;
  return new SmeError(code, info.kind, message, {
    remedy,
    ...(facts.key === undefined ? {} : { key: facts.key }),
    ...(facts.value === undefined ? {} : { value: facts.value }),
    ...(facts.requestId === undefined ? {} : { requestId: facts.requestId }),
    ...(facts.httpStatus === undefined ? {} : { httpStatus: facts.httpStatus }),
  });
}

/** Integer to decimal text without the `.0` Lua prints for floats. */
export function formatInteger(n: number): string {
  const negative = n < 0;
  let v = Math.floor(negative ? -n : n);
  const digits: string[] = [];
  do {
    digits.unshift('0123456789'.charAt(v % 10));
    v = Math.floor(v / 10);
  } while (v > 0);
  return (negative ? '-' : '') + digits.join('');
}

/** AWS error types by meaning (AWS's error codes as the SDKs report them; same table as the Node adapter). */
const BY_TYPE = new Map<string, AwsCallErrorCode>([
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
  ['ResourceInUse', 'SME-E-AWS-ALREADY-EXISTS'],
  ['ConflictException', 'SME-E-AWS-ALREADY-EXISTS'],
  ['AccessDenied', 'SME-E-AWS-ACCESS-DENIED'],
  ['AccessDeniedException', 'SME-E-AWS-ACCESS-DENIED'],
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
  ['ValidationException', 'SME-E-AWS-VALIDATION'],
  ['ValidationError', 'SME-E-AWS-VALIDATION'],
  ['InvalidParameterValue', 'SME-E-AWS-VALIDATION'],
  ['SerializationException', 'SME-E-AWS-VALIDATION'],
  ['ResourceLimitExceeded', 'SME-E-AWS-LIMIT-EXCEEDED'],
  ['ServiceUnavailable', 'SME-E-AWS-SERVICE'],
  ['InternalFailure', 'SME-E-AWS-SERVICE'],
  ['InternalError', 'SME-E-AWS-SERVICE'],
  ['InternalServerError', 'SME-E-AWS-SERVICE'],
  ['ServiceUnavailableException', 'SME-E-AWS-SERVICE'],
  ['ModelError', 'SME-E-AWS-SERVICE'],
]);

function lowerAscii(s: string): string {
  const parts: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    parts.push(b >= 65 && b <= 90 ? String.fromCharCode(b + 32) : s.charAt(i));
  }
  return parts.join('');
}

/**
 * `__type` may be `Name`, `namespace#Name` or `Name:http://…` (AWS JSON protocol,
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html#operation-error-serialization).
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

/** Which code an AWS error answer means. SageMaker says "not found"/"already exists" through ValidationException. */
export function awsErrorCode(name: string, message: string, httpStatus: number): AwsCallErrorCode {
  const byType = BY_TYPE.get(name);
  if (byType === 'SME-E-AWS-VALIDATION') {
    const m = lowerAscii(message);
    if (m.includes('could not find') || m.includes('does not exist') || m.includes('not found')) {
      return 'SME-E-AWS-NOT-FOUND';
    }
    if (m.includes('already exist')) return 'SME-E-AWS-ALREADY-EXISTS';
  }
  if (byType !== undefined) return byType;
  if (httpStatus === 429) return 'SME-E-AWS-THROTTLED';
  if (httpStatus === 401 || httpStatus === 403) return 'SME-E-AWS-CREDENTIALS';
  if (httpStatus === 404) return 'SME-E-AWS-NOT-FOUND';
  if (httpStatus >= 500) return 'SME-E-AWS-SERVICE';
  return 'SME-E-AWS-VALIDATION';
}
