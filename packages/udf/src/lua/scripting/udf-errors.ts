import { CORE_ERROR_CODES, catalogError, type SmeError, type SmeErrorDetails, type SmeErrorKind } from '@sme/core';

/** What one code means; docs/errors.md is generated from it (`npm run error-docs:write`). */
export interface UdfErrorInfo {
  readonly kind: SmeErrorKind;
  readonly meaning: string;
  readonly remedy: string;
  /** The code means a bug in sme, not something a user set up wrong. */
  readonly internal?: boolean;
}

/**
 * Codes raised by the in-database entry points and their deployment (the AWS-call UDF's own codes are in
 * `AWS_CALL_ERRORS`).
 */
export const UDF_ERRORS = {
  // One code, one meaning and one remedy, whichever package meets Exasol's error: core's catalog entry.
  'SME-E-SQL': CORE_ERROR_CODES['SME-E-SQL'],
  'SME-E-UDF-ARGUMENT': {
    kind: 'InvalidInput',
    meaning: 'A script was called with a missing (NULL) or non-text argument.',
    remedy: 'Pass every argument the script lists in docs/sql-reference.md as a string literal.',
  },
  'SME-E-AWS-RESPONSE': {
    kind: 'ServiceError',
    meaning: 'AWS (or the endpoint override) answered a successful call with a body sme cannot read.',
    remedy: 'Check that --aws-endpoint-url points at a SageMaker-compatible service; retry, and report the request id.',
  },
  'SME-E-UDF-INTERNAL': {
    kind: 'Internal',
    internal: true,
    meaning: 'An in-database script failed in a way sme does not expect (a Lua error, a use case that did not finish).',
    remedy: 'Run the statement again; if it persists, report the message and the Exasol version.',
  },
  'SME-E-UDF-SCHEMA-INVALID': {
    kind: 'InvalidInput',
    meaning: 'The deployment schema name is empty or longer than 128 characters.',
    remedy: 'Give the schema as stored, e.g. SME (quoted as needed by sme).',
  },
  'SME-E-UDF-TIMEOUT-INVALID': {
    kind: 'InvalidInput',
    meaning: 'The AWS call timeout given at deployment is not a whole number of seconds from 1 to 3600.',
    remedy: 'Give timeoutSeconds as a whole number from 1 to 3600 (default 30).',
  },
  'SME-E-UDF-CA-INVALID': {
    kind: 'InvalidInput',
    meaning:
      'The CA certificates given at deployment (--aws-ca-file) are not usable: no PEM certificate, one that cannot be parsed, is not a CA or has expired, or a private key in the text.',
    remedy: 'Give a PEM file of one or more valid CA certificates (-----BEGIN CERTIFICATE----- …) and nothing secret.',
  },
  'SME-E-UDF-BUNDLE-MISSING': {
    kind: 'Internal',
    internal: true,
    meaning: 'A Lua bundle of the deployed scripts was not built into the package.',
    remedy: 'Run `npm run build -w @sme/udf` (or reinstall the package).',
  },
} as const satisfies Readonly<Record<string, UdfErrorInfo>>;

export type UdfErrorCode = keyof typeof UDF_ERRORS;

/** An `SmeError` of a catalogued code; the message starts with the code, the remedy defaults to the catalog's. */
export function udfError(code: UdfErrorCode, message: string, details: SmeErrorDetails = {}): SmeError {
  const remedy = details.remedy ?? UDF_ERRORS[code].remedy;
  // The code leads the text Exasol shows for a failed statement: the SQL user's only handle on it.
  return catalogError(UDF_ERRORS, code, code + ': ' + message + '. ' + remedy, { ...details, remedy });
}
