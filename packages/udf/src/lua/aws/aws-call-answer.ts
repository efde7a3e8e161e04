/**
 * The AWS-call UDF's answer: `callAws` run and its outcome written as one JSON envelope, the CONNECTION's secrets
 * redacted (`decodeAwsCallEnvelope` in aws-call-envelope.ts reads it on the scripting side).
 */
import { isSmeError } from '@sme/core';
import { callAws, type AwsCallConfig, type AwsCallDeps, type AwsCallInput } from './aws-call.js';
import { trimAscii } from './aws-connection.js';
import { awsCallError, shortText } from './aws-errors.js';

/** Replaces every occurrence of each secret (plain text, not patterns) by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    const parts: string[] = [];
    let from = 0;
    let at = out.indexOf(secret, from);
    while (at >= 0) {
      parts.push(out.substring(from, at), '***');
      from = at + secret.length;
      at = out.indexOf(secret, from);
    }
    parts.push(out.substring(from));
    out = parts.join('');
  }
  return out;
}

/** The UDF's answer: one JSON object text, so that the caller gets coded errors without parsing messages. */
export type AwsCallEnvelope =
  | { readonly ok: true; readonly httpStatus: number; readonly requestId?: string; readonly body: string }
  | {
      readonly ok: false;
      readonly code: string;
      readonly kind: string;
      readonly message: string;
      readonly remedy?: string;
      readonly key?: string;
      readonly value?: string;
      readonly requestId?: string;
      readonly httpStatus?: number;
    };

/** Runs `callAws` and always answers an envelope; secrets of the CONNECTION are redacted from it. */
export function awsCallEnvelope(deps: AwsCallDeps, input: AwsCallInput, config: AwsCallConfig): string {
  const secrets: string[] = [];
  const recordingDeps: AwsCallDeps = {
    ...deps,
    getConnection: (name) => {
      const c = deps.getConnection(name);
      if (typeof c.password === 'string') {
        secrets.push(c.password);
        for (const part of c.password.split(';')) {
          const t = trimAscii(part);
          secrets.push(t.substring(0, 14) === 'session_token=' ? t.substring(14) : t);
        }
      }
      return c;
    },
  };
  let envelope: AwsCallEnvelope;
  try {
    const r = callAws(recordingDeps, input, config);
    envelope = {
      ok: true,
      httpStatus: r.httpStatus,
      ...(r.requestId === undefined ? {} : { requestId: r.requestId }),
      body: r.body,
    };
  } catch (e) {
    const error = isSmeError(e)
      ? e
      : awsCallError('SME-E-AWS-UDF-INTERNAL', {
          subject: 'SageMaker ' + shortText(input.operation, 64),
          detail: shortText(e instanceof Error ? e.message : 'error', 300),
        });
    envelope = {
      ok: false,
      code: error.code,
      kind: error.kind,
      message: error.message,
      ...(error.details.remedy === undefined ? {} : { remedy: error.details.remedy }),
      ...(error.details.key === undefined ? {} : { key: error.details.key }),
      ...(error.details.value === undefined ? {} : { value: error.details.value }),
      ...(error.details.requestId === undefined ? {} : { requestId: error.details.requestId }),
      ...(error.details.httpStatus === undefined ? {} : { httpStatus: error.details.httpStatus }),
    };
  }
  // Longest first, so a token inside the IDENTIFIED BY text is not left half-replaced.
  secrets.sort((a, b) => b.length - a.length);
  return redact(deps.json.encode(envelope), secrets);
}
