import { catalogError, type ErrorCodeInfo, type SmeError, type SmeErrorDetails } from './core-api.js';

/** One entry of the catalog: the kind, what the code means and what the user can do. ERRORS.md mirrors it. */
export type ExasolErrorCodeInfo = ErrorCodeInfo;

/**
 * Every error code @sme/exasol-adapter raises. A test keeps this catalog, ERRORS.md and the codes used in
 * the sources identical, so codes stay stable and documented.
 */
export const EXASOL_ERROR_CODES = {
  'SME-E-EXA-OPTION-MISSING': {
    kind: 'InvalidInput',
    meaning:
      'A required connection setting (DSN/host, user, password) was given neither as an option nor in the environment.',
    remedy: 'Pass --dsn/--host, --user, --password, or set SME_DSN, SME_USER, SME_PASSWORD.',
  },
  'SME-E-EXA-OPTION-INVALID': {
    kind: 'InvalidInput',
    meaning: 'A connection setting is malformed: DSN, host, port, fingerprint, timeout, or an unreadable CA file.',
    remedy: 'Correct the named option or environment variable; the message shows the value received.',
  },
  'SME-E-EXA-OPTION-CONFLICT': {
    kind: 'InvalidInput',
    meaning:
      'Connection settings contradict each other (dsn and host, two ports, two fingerprints, several certificate checks, certificate options without TLS).',
    remedy: 'Give each setting once and choose one way to check the server certificate.',
  },
  'SME-E-EXA-PROMPT-NO-TTY': {
    kind: 'InvalidInput',
    meaning: 'No password was given and the input is not a terminal to ask on.',
    remedy: 'Pass --password or set SME_PASSWORD.',
  },
  'SME-E-EXA-PROMPT-CANCELLED': {
    kind: 'InvalidInput',
    meaning: 'The password prompt was cancelled with Ctrl-C or Ctrl-D.',
    remedy: 'Enter the password, or pass --password / set SME_PASSWORD.',
  },
  'SME-E-EXA-UNREACHABLE': {
    kind: 'Unreachable',
    meaning:
      'No Exasol WebSocket endpoint answered at host:port (refused, unknown host, timeout, not a WebSocket server).',
    remedy: 'Check host and port (default 8563), that the database runs, and that no firewall blocks the port.',
  },
  'SME-E-EXA-TLS': {
    kind: 'TlsMismatch',
    meaning:
      'The TLS handshake failed: the certificate is not trusted, or its fingerprint is not the pinned one (both shown).',
    remedy:
      'Pin a self-signed certificate with host/FINGERPRINT:port or --fingerprint, or pass --ca-file; on a mismatch make sure you reach the right server.',
  },
  'SME-E-EXA-AUTH': {
    kind: 'BadCredentials',
    meaning: 'Exasol refused the login (wrong user or password).',
    remedy: 'Check --user/SME_USER and --password/SME_PASSWORD.',
  },
  'SME-E-EXA-CONNECTION-LOST': {
    kind: 'ServiceError',
    meaning: 'The connection broke while a statement ran.',
    remedy: 'The statement may or may not have run: check its effect, then run again.',
  },
  'SME-E-EXA-PROTOCOL': {
    kind: 'ServiceError',
    meaning:
      'The server answered in a way the WebSocket API does not allow (missing data, rows missing from a result).',
    remedy: 'Run again; if it persists, report the server version and the statement.',
  },
  'SME-E-EXA-RESULT-KIND': {
    kind: 'InvalidInput',
    internal: true,
    meaning: 'query() got a row count or execute() got a result set.',
    remedy: 'Use query() for statements that return rows and execute() for the others.',
  },
  'SME-E-EXA-INSERT-SHAPE': {
    kind: 'InvalidInput',
    internal: true,
    meaning: 'insertRows() got no columns, or a row whose length differs from the number of columns.',
    remedy: 'Give one value per column in every row.',
  },
  'SME-E-EXA-CLOSED': {
    kind: 'Precondition',
    internal: true,
    meaning: 'A statement was sent on a session that was already closed.',
    remedy: 'Open a new session with connectExasol().',
  },
  'SME-E-EXA-DEPLOY-NO-SESSION': {
    kind: 'Internal',
    internal: true,
    meaning: 'The deployer was asked to run statements but was built without a session.',
    remedy: 'Construct ExasolDeployer with an ExasolSqlPort, or deploy with print: true.',
  },
  'SME-E-EXA-DRIVER': {
    kind: 'Internal',
    internal: true,
    meaning: 'The Exasol driver failed in a way the adapter does not recognise.',
    remedy: 'Run again with --verbose and report the stack trace.',
  },
} as const satisfies Record<string, ExasolErrorCodeInfo>;

export type ExasolErrorCode = keyof typeof EXASOL_ERROR_CODES;

/**
 * The error of an adapter code: the kind from {@link EXASOL_ERROR_CODES}, and its remedy unless `details.remedy`
 * gives a more precise one.
 *
 * @example
 * exasolError('SME-E-EXA-CLOSED', 'the Exasol session is already closed');
 */
export function exasolError(
  code: ExasolErrorCode,
  message: string,
  details: SmeErrorDetails = {},
  cause?: unknown,
): SmeError {
  return catalogError(EXASOL_ERROR_CODES, code, message, details, cause);
}
