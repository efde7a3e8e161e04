/**
 * The closed set of error kinds. Validation kinds come from core; the others are what adapters translate
 * vendor errors into at their edge (see each adapter's `*-errors.ts`).
 */
export type SmeErrorKind =
  | 'InvalidInput'
  | 'Conflict'
  | 'Precondition'
  | 'Throttled'
  | 'NotFound'
  | 'AlreadyExists'
  | 'AccessDenied'
  | 'Validation'
  | 'ServiceError'
  | 'Unreachable'
  | 'TlsMismatch'
  | 'BadCredentials'
  | 'SqlError'
  | 'Internal';

/** Structured facts of an error; every field is safe to print (never a secret). */
export interface SmeErrorDetails {
  /** The input key or option the error is about, e.g. `model_name`. */
  readonly key?: string;
  /** The value received, already shortened and free of secrets. */
  readonly value?: string;
  /** What the user can do about it. */
  readonly remedy?: string;
  /** Vendor facts kept for support: AWS request id, Exasol sqlCode, HTTP status. */
  readonly requestId?: string;
  readonly sqlCode?: string;
  readonly httpStatus?: number;
  /** How long the service asked to wait before a retry (an HTTP Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  /** S3 URIs (objects or prefixes) left behind that the user should remove, e.g. an export whose deletion failed. */
  readonly remains?: readonly string[];
  /** Other errors this one summarises (e.g. every invalid training parameter). */
  readonly problems?: readonly SmeError[];
}

/**
 * The one error family of sme: a stable code (`SME-E-…`, listed in docs/errors.md), a message that says
 * what was wrong, the value received and what to do.
 *
 * @example
 * throw new SmeError('SME-E-PARAM-MISSING', 'InvalidInput', 'model_name is required', { key: 'model_name', remedy: '…' });
 */
export class SmeError extends Error {
  readonly code: string;
  readonly kind: SmeErrorKind;
  readonly details: SmeErrorDetails;
  override readonly cause: unknown;

  constructor(code: string, kind: SmeErrorKind, message: string, details: SmeErrorDetails = {}, cause?: unknown) {
    super(message);
    this.name = 'SmeError';
    this.code = code;
    this.kind = kind;
    this.details = details;
    this.cause = cause;
  }
}

/** True for an `SmeError`, also across package copies (checked by name and code, not by prototype). */
export function isSmeError(value: unknown): value is SmeError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { name?: unknown; code?: unknown };
  return v.name === 'SmeError' && typeof v.code === 'string';
}
