import { coreError, isSmeError, maskUserinfo, type SmeError } from './core-api.js';
import { exasolError } from './exasol-error-codes.js';

/** Raised by the adapter's TLS check when the server certificate is not the pinned one. */
export class TlsFingerprintMismatch extends Error {
  readonly expected: string;
  readonly actual: string;

  constructor(expected: string, actual: string) {
    super(`server certificate fingerprint ${actual} does not match the pinned ${expected}`);
    this.name = 'TlsFingerprintMismatch';
    this.expected = expected;
    this.actual = actual;
  }
}

/** What the adapter knew when the error happened; every field is safe to print. */
export interface ExasolErrorContext {
  readonly host?: string;
  readonly port?: number;
  /** `connect` covers socket, TLS, WebSocket handshake and login; `statement` everything after. */
  readonly phase?: 'connect' | 'statement';
  /** The statement that failed (redacted and shortened before it is shown). */
  readonly sql?: string;
  /** The error the socket itself reported; the driver keeps only its message, this keeps its code. */
  readonly transportError?: unknown;
}

/**
 * Exasol's error envelope: `{"status":"error","exception":{"text","sqlCode"}}`
 * (https://github.com/exasol/websocket-api).
 */
interface ExasolException {
  readonly sqlCode: string;
  readonly text: string;
}

function isExasolException(value: unknown): value is ExasolException {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false;
  const v = value as { sqlCode?: unknown; text?: unknown };
  return typeof v.sqlCode === 'string' && typeof v.text === 'string';
}

// Node/OpenSSL verification failures (https://nodejs.org/api/tls.html#x509-certificate-error-codes) and the
// errors of talking TLS to something that is not a TLS server.
const TLS_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EADDRNOTAVAIL',
  'EPIPE',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return String(error);
}

/**
 * Hides secrets in SQL text before it is shown: the literal after `IDENTIFIED BY` (CONNECTION and USER
 * passwords, AWS secret keys) becomes `***`.
 */
export function redactSql(sql: string): string {
  return maskUserinfo(sql.replace(/(IDENTIFIED\s+BY\s+)('(?:[^']|'')*'?|"(?:[^"]|"")*"?)/gi, "$1'***'"));
}

const STATEMENT_START_LENGTH = 120;

/** The first characters of a statement, whitespace collapsed and secrets redacted, for error messages. */
export function statementStart(sql: string): string {
  const flat = redactSql(sql).replace(/\s+/g, ' ').trim();
  return flat.length > STATEMENT_START_LENGTH ? `${flat.slice(0, STATEMENT_START_LENGTH - 3)}...` : flat;
}

function where(context: ExasolErrorContext): string {
  return context.host !== undefined ? `${context.host}:${context.port ?? '?'}` : 'the Exasol server';
}

function unreachable(context: ExasolErrorContext, reason: string, cause: unknown): SmeError {
  const at = where(context);
  return exasolError(
    'SME-E-EXA-UNREACHABLE',
    `cannot reach Exasol at ${at}: ${reason}`,
    { key: 'dsn', value: at },
    cause,
  );
}

function tlsFailure(context: ExasolErrorContext, cause: unknown): SmeError {
  const at = where(context);
  if (cause instanceof TlsFingerprintMismatch) {
    return exasolError(
      'SME-E-EXA-TLS',
      `TLS certificate of ${at} has fingerprint ${cause.actual}, expected ${cause.expected}`,
      {
        key: 'fingerprint',
        value: cause.actual,
        remedy: 'make sure you reach the right server; if its certificate was renewed, pin the new fingerprint',
      },
      cause,
    );
  }
  const reason = errorCode(cause) ?? errorMessage(cause);
  return exasolError(
    'SME-E-EXA-TLS',
    `TLS handshake with ${at} failed: ${reason}`,
    {
      key: 'dsn',
      value: at,
      remedy:
        'for a self-signed certificate (docker-db) pin it with host/FINGERPRINT:port or --fingerprint; for a private CA pass --ca-file',
    },
    cause,
  );
}

function badCredentials(
  context: ExasolErrorContext,
  text: string,
  sqlCode: string | undefined,
  cause: unknown,
): SmeError {
  return exasolError(
    'SME-E-EXA-AUTH',
    `Exasol at ${where(context)} refused the login: ${text}`,
    { key: 'user', ...(sqlCode !== undefined ? { sqlCode } : {}) },
    cause,
  );
}

function sqlError(context: ExasolErrorContext, sqlCode: string, text: string, cause: unknown): SmeError {
  const start = context.sql !== undefined ? statementStart(context.sql) : undefined;
  const message = `SQL error ${sqlCode}: ${redactSql(text)}${start !== undefined ? ` (statement: ${start})` : ''}`;
  return coreError('SME-E-SQL', message, { sqlCode, ...(start !== undefined ? { value: start } : {}) }, cause);
}

// A refused login is SQLSTATE class 08 ("connection exception"), 08004 = "server rejected the connection" in the
// SQL standard; the text is matched too because servers differ in the code they pick for it.
const AUTH_TEXT = /authentication failed|invalid (user|credentials|password)|wrong (user|password)|login failed/i;
const DRIVER_SQL_ERROR = /^E-EDJS-25: SQL error: code: '([^']*)', message: '([\s\S]*)'$/;

/**
 * Translates anything the driver, the socket or the server threw into the `SmeError` family, keeping the
 * original as `cause`: unreachable host (`SME-E-EXA-UNREACHABLE`), TLS failure or fingerprint mismatch
 * (`SME-E-EXA-TLS`), refused login (`SME-E-EXA-AUTH`), SQL errors (`SME-E-SQL`, with the sqlCode and the
 * statement start), a connection lost mid-session (`SME-E-EXA-CONNECTION-LOST`); anything else becomes
 * `SME-E-EXA-DRIVER`. An `SmeError` passes through unchanged.
 *
 * @example
 * try { await driver.connect(); } catch (e) { throw convertExasolError(e, { host, port, phase: 'connect' }); }
 */
export function convertExasolError(error: unknown, context: ExasolErrorContext = {}): SmeError {
  if (isSmeError(error)) return error;

  if (isExasolException(error)) {
    const isAuth = context.phase === 'connect' && (error.sqlCode === '08004' || AUTH_TEXT.test(error.text));
    return isAuth
      ? badCredentials(context, error.text, error.sqlCode, error)
      : sqlError(context, error.sqlCode, error.text, error);
  }

  // The socket's own error is more precise than the driver's wrapper around its message.
  const transport = context.transportError ?? error;
  if (transport instanceof TlsFingerprintMismatch) return tlsFailure(context, transport);
  const code = errorCode(transport);
  if (code !== undefined) {
    if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'))
      return tlsFailure(context, transport);
    if (NETWORK_CODES.has(code)) {
      return context.phase === 'statement'
        ? connectionLost(context, code, transport)
        : unreachable(context, code, transport);
    }
  }
  const message = errorMessage(error);
  const transportMessage = errorMessage(transport);
  if (/Opening handshake has timed out|no answer within/i.test(transportMessage)) {
    return unreachable(context, 'no answer within the connect timeout', transport);
  }
  if (/Unexpected server response: (\d+)/.test(transportMessage)) {
    return unreachable(context, `not an Exasol WebSocket endpoint (${transportMessage})`, transport);
  }

  const driverSql = DRIVER_SQL_ERROR.exec(message);
  if (driverSql !== null) {
    return sqlError(context, driverSql[1] ?? '00000', driverSql[2] ?? message, error);
  }
  if (
    message.startsWith('E-EDJS-6:') ||
    (message.startsWith("Error sending 'login' command") && AUTH_TEXT.test(message))
  ) {
    return badCredentials(context, message, undefined, error);
  }
  // E-EDJS-2 closed, E-EDJS-16 socket error, E-EDJS-36 socket closed, E-EDJS-38 malformed response.
  if (/^E-EDJS-(2|16|36|38):/.test(message)) {
    return context.phase === 'statement'
      ? connectionLost(context, message, error)
      : unreachable(context, message, error);
  }
  return exasolError('SME-E-EXA-DRIVER', `unexpected error from the Exasol driver: ${redactSql(message)}`, {}, error);
}

function connectionLost(context: ExasolErrorContext, reason: string, cause: unknown): SmeError {
  const at = where(context);
  const start = context.sql !== undefined ? ` while running: ${statementStart(context.sql)}` : '';
  return exasolError(
    'SME-E-EXA-CONNECTION-LOST',
    `connection to Exasol at ${at} was lost (${reason})${start}`,
    { value: at },
    cause,
  );
}
