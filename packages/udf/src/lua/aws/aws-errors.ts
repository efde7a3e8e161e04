import {
  AWS_ERROR_CODES,
  awsError,
  catalogError,
  formatInteger,
  type AwsErrorCode,
  type SmeError,
  type SmeErrorKind,
} from '@sme/core';

// What an AWS answer means is core's AWS vocabulary, shared with the SDK adapter; re-exported for this package.
export { awsErrorCode, awsErrorName, formatInteger, shortText } from '@sme/core';

/**
 * Error codes of the AWS-call UDF itself (TLS, the CONNECTION, what it may call). What an AWS answer means
 * (`SME-E-AWS-THROTTLED`, `SME-E-AWS-NOT-FOUND`, …) and malformed regions and endpoint overrides are core's
 * `AWS_ERROR_CODES`, made by core's `awsError` as the SDK adapter does, so a failure reads the same from SQL and
 * from the CLI. docs/errors.md is generated from this catalog and the others.
 */
export const AWS_CALL_ERRORS = {
  'SME-E-AWS-TLS-UNTRUSTED': {
    kind: 'TlsMismatch',
    meaning:
      "AWS-call and prediction UDFs: the server certificate does not chain to a trusted root (AWS's roots baked into the scripts, plus `--aws-ca-file`), so nothing was sent; the message names the host and OpenSSL's reason.",
    what: 'the server certificate does not chain to a trusted root, so nothing was sent',
    remedy:
      'For AWS itself this means something in between (a TLS-inspecting proxy) presents its own certificate: let the database reach AWS directly, or deploy with `sme deploy --aws-ca-file <proxy or private CA PEM>`. For a private endpoint, deploy with its CA in --aws-ca-file.',
  },
  'SME-E-AWS-TLS-NAME-MISMATCH': {
    kind: 'TlsMismatch',
    meaning:
      "AWS-call and prediction UDFs: the server certificate is valid but issued for another host name (RFC 6125 rules), so nothing was sent; the message names the host and the certificate's names.",
    what: 'the server certificate is for another host name, so nothing was sent',
    remedy:
      'Check the endpoint host (--aws-endpoint-url, --s3-endpoint-url given at deploy time, the region): use the name the certificate is issued for.',
  },
  'SME-E-AWS-TLS-EXPIRED': {
    kind: 'TlsMismatch',
    meaning:
      "AWS-call and prediction UDFs: a certificate of the server's chain is expired or not yet valid by the database clock, so nothing was sent.",
    what: 'a certificate of the server is expired or not yet valid, so nothing was sent',
    remedy:
      'Check the database clock (it must be correct for TLS and for AWS signatures); if it is right, the endpoint must renew its certificate.',
  },
  'SME-E-AWS-OPERATION-NOT-ALLOWED': {
    kind: 'InvalidInput',
    meaning: 'AWS-call UDF: this operation may not be called through sme.',
    what: 'this operation may not be called through sme',
    remedy: 'Use one of the operations sme needs (see docs/sql-reference.md, SME_AWS_SAGEMAKER_CALL).',
  },
  'SME-E-AWS-PAYLOAD-INVALID': {
    kind: 'InvalidInput',
    meaning: 'AWS-call UDF: the request payload is not a JSON object.',
    what: 'the request payload is not a JSON object',
    remedy: 'Pass the operation input as a JSON object text.',
  },
  'SME-E-AWS-CONNECTION': {
    kind: 'BadCredentials',
    meaning: 'AWS-call UDF: the CONNECTION cannot be used for AWS.',
    what: 'the CONNECTION cannot be used for AWS',
    remedy:
      "CREATE CONNECTION <name> TO '' USER '<access key id>' IDENTIFIED BY '<secret access key>[;session_token=<token>]' and GRANT it to the user running sme.",
  },
  'SME-E-CONNECTION-ACCESS': {
    kind: 'AccessDenied',
    meaning:
      'AWS-call UDF, connection-address UDF and prediction UDFs: the script may not read the CONNECTION (Exasol needs the ACCESS privilege on it, GRANT CONNECTION is not enough).',
    what: 'the script may not read the CONNECTION (Exasol needs the ACCESS privilege on it, GRANT CONNECTION is not enough)',
    remedy:
      'Run GRANT ACCESS ON CONNECTION <connection> FOR SCRIPT <schema>.<script> TO <user>; the message names the exact statement.',
  },
  'SME-E-AWS-UDF-INTERNAL': {
    kind: 'Internal',
    internal: true,
    meaning: 'AWS-call UDF: the AWS-call UDF failed unexpectedly.',
    what: 'the AWS-call UDF failed unexpectedly',
    remedy: 'Report this message (it holds no secret) to the sme maintainers.',
  },
} as const satisfies Record<
  string,
  { kind: SmeErrorKind; meaning: string; what: string; remedy: string; internal?: boolean }
>;

export type AwsCallErrorCode = keyof typeof AWS_CALL_ERRORS | AwsErrorCode;

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

function isAwsErrorCode(code: string): code is AwsErrorCode {
  return (AWS_ERROR_CODES as Readonly<Record<string, unknown>>)[code] !== undefined;
}

/**
 * `SME-E-…: <subject>: <what> (<detail>; HTTP n; request id r). <remedy>`. Codes of what an AWS answer means
 * come from core's `awsError` (their remedy is the catalog's, never replaced).
 */
export function awsCallError(code: AwsCallErrorCode, facts: AwsErrorFacts): SmeError {
  if (isAwsErrorCode(code)) {
    return awsError(code, {
      subject: facts.subject,
      ...(facts.detail === undefined ? {} : { detail: facts.detail }),
      ...(facts.key === undefined ? {} : { key: facts.key }),
      ...(facts.value === undefined ? {} : { value: facts.value }),
      ...(facts.requestId === undefined ? {} : { requestId: facts.requestId }),
      ...(facts.httpStatus === undefined ? {} : { httpStatus: facts.httpStatus }),
      ...(facts.attempts === undefined ? {} : { attempts: facts.attempts }),
    });
  }
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
  return catalogError(AWS_CALL_ERRORS, code, message, {
    remedy,
    ...(facts.key === undefined ? {} : { key: facts.key }),
    ...(facts.value === undefined ? {} : { value: facts.value }),
    ...(facts.requestId === undefined ? {} : { requestId: facts.requestId }),
    ...(facts.httpStatus === undefined ? {} : { httpStatus: facts.httpStatus }),
  });
}
