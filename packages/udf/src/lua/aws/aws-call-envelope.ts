import { SmeError, type Json, type SmeErrorKind } from '@sme/core';
import type { AwsCallSuccess } from './aws-call.js';
import { awsCallError } from './aws-errors.js';

const KINDS: readonly string[] = [
  'InvalidInput',
  'Conflict',
  'Precondition',
  'Throttled',
  'NotFound',
  'AlreadyExists',
  'AccessDenied',
  'Validation',
  'ServiceError',
  'Unreachable',
  'TlsMismatch',
  'BadCredentials',
  'SqlError',
  'Internal',
];

function str(obj: Record<string, unknown>, name: string): string | undefined {
  const v = obj[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Reads the envelope the AWS-call UDF returned (for the Lua AutoML/endpoint adapters of the scripting
 * programs): the AWS response on success, else throws the coded `SmeError` it carries.
 */
export function decodeAwsCallEnvelope(json: Json, text: string): AwsCallSuccess {
  let value: unknown;
  try {
    value = json.decode(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null) {
    throw awsCallError('SME-E-AWS-UDF-INTERNAL', {
      subject: 'AWS-call UDF',
      detail: 'it answered no envelope',
    });
  }
  const v = value as Record<string, unknown>;
  if (v.ok === true) {
    const status = v.httpStatus;
    return {
      httpStatus: typeof status === 'number' ? status : 200,
      requestId: str(v, 'requestId'),
      body: str(v, 'body') ?? '',
    };
  }
  const code = str(v, 'code') ?? 'SME-E-AWS-UDF-INTERNAL';
  const kindText = str(v, 'kind') ?? 'Internal';
  const kind = (KINDS.includes(kindText) ? kindText : 'Internal') as SmeErrorKind;
  const remedy = str(v, 'remedy');
  const key = str(v, 'key');
  const val = str(v, 'value');
  const requestId = str(v, 'requestId');
  const httpStatus = typeof v.httpStatus === 'number' ? v.httpStatus : undefined;
  // The UDF made this error from its catalog; it is rebuilt as sent (code, kind, message, remedy), not re-made.
  throw new SmeError(code, kind, str(v, 'message') ?? code, {
    ...(remedy === undefined ? {} : { remedy }),
    ...(key === undefined ? {} : { key }),
    ...(val === undefined ? {} : { value: val }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(httpStatus === undefined ? {} : { httpStatus }),
  });
}
