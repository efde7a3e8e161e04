import { quoteIdentifier, type SmeError } from '@sme/core';
import type { SigV4Credentials } from '../sigv4/sigv4.js';
import { awsCallError, shortText } from './aws-errors.js';

/**
 * Credentials from an Exasol CONNECTION: USER is the access key id; IDENTIFIED BY is the secret access key,
 * optionally followed by `;session_token=<token>` for temporary credentials. The `;name=value` form is
 * Exasol's own for S3 connections (e.g. `;sse_type=…`), so the same CONNECTION also works for EXPORT;
 * other parameters are ignored here. A secret key never contains `;`.
 */
export function connectionCredentials(connectionName: string, user: unknown, password: unknown): SigV4Credentials {
  const subject = 'connection ' + connectionName;
  const keyId = typeof user === 'string' ? trimAscii(user) : '';
  if (keyId.length === 0) {
    throw awsCallError('SME-E-AWS-CONNECTION', { subject, detail: 'USER (the access key id) is empty', key: 'USER' });
  }
  const secretText = typeof password === 'string' ? password : '';
  const parts = secretText.split(';');
  const secret = trimAscii(parts[0] ?? '');
  if (secret.length === 0) {
    throw awsCallError('SME-E-AWS-CONNECTION', {
      subject,
      detail: 'IDENTIFIED BY (the secret access key) is empty',
      key: 'IDENTIFIED BY',
    });
  }
  let sessionToken: string | undefined;
  for (let i = 1; i < parts.length; i++) {
    const part = trimAscii(parts[i] ?? '');
    if (part.substring(0, 14) === 'session_token=') sessionToken = part.substring(14);
  }
  if (sessionToken === '') {
    throw awsCallError('SME-E-AWS-CONNECTION', {
      subject,
      detail: 'session_token= is given but empty',
      key: 'IDENTIFIED BY',
    });
  }
  return sessionToken === undefined
    ? { accessKeyId: keyId, secretAccessKey: secret }
    : { accessKeyId: keyId, secretAccessKey: secret, sessionToken };
}

/** `s` without leading and trailing ASCII blanks and control characters. */
export function trimAscii(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  return s.substring(start, end);
}

/** Which script reads the CONNECTION, and for whom. */
export interface ScriptIdentity {
  readonly schema: string;
  readonly script: string;
  readonly user: string;
}

/**
 * True when `exa.get_connection` failed for lack of the ACCESS privilege. Exasol's text reads
 * `insufficient privileges for using connection <c> in script <s>` (docs.exasol.com "Hide Access Keys and
 * Passwords"; community "Connections and UDFs"); a missing CONNECTION reads `connection <c> does not exist`.
 */
export function isConnectionAccessFailure(errorText: string): boolean {
  return errorText.toLowerCase().indexOf('insufficient privileges') >= 0;
}

/** `GRANT ACCESS ON CONNECTION "<c>" FOR SCRIPT "<schema>"."<script>" TO "<user>"`. */
export function accessGrantSql(connectionName: string, identity: ScriptIdentity): string {
  return (
    'GRANT ACCESS ON CONNECTION ' +
    quoteIdentifier(connectionName) +
    ' FOR SCRIPT ' +
    quoteIdentifier(identity.schema) +
    '.' +
    quoteIdentifier(identity.script) +
    ' TO ' +
    quoteIdentifier(identity.user)
  );
}

/** SME-E-CONNECTION-ACCESS for a CONNECTION the running script may not read, with the exact GRANT. */
export function connectionAccessError(connectionName: string, identity: ScriptIdentity | undefined): SmeError {
  const grant =
    identity === undefined
      ? 'GRANT ACCESS ON CONNECTION ' + quoteIdentifier(connectionName) + ' FOR SCRIPT <schema>.<script> TO <user>'
      : accessGrantSql(connectionName, identity);
  return awsCallError('SME-E-CONNECTION-ACCESS', {
    subject: 'connection ' + shortText(connectionName, 128),
    key: 'aws_credentials_connection_name',
    value: shortText(connectionName, 128),
    remedy: 'Run ' + grant + " (as the CONNECTION's owner or a user with ACCESS ANY CONNECTION).",
  });
}
