import { describe, expect, it } from 'vitest';
import { SmeError } from './core-api.js';
import type { ExasolErrorContext } from './exasol-errors.js';
import { TlsFingerprintMismatch, convertExasolError, redactSql, statementStart } from './exasol-errors.js';

function nodeError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

const at: ExasolErrorContext = { host: 'exa.example.com', port: 8563 };
const connect: ExasolErrorContext = { ...at, phase: 'connect' };
const statement: ExasolErrorContext = { ...at, phase: 'statement', sql: 'SELECT * FROM missing_table' };
const driverSocketError = new Error("E-EDJS-16: Socket error: 'connect ECONNREFUSED 127.0.0.1:8563'");

interface Row {
  readonly name: string;
  readonly error: unknown;
  readonly context: ExasolErrorContext;
  readonly code: string;
  readonly kind: string;
  readonly contains: readonly string[];
  readonly sqlCode?: string;
}

const table: readonly Row[] = [
  {
    name: 'connection refused, seen by the socket',
    error: driverSocketError,
    context: { ...connect, transportError: nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8563') },
    code: 'SME-E-EXA-UNREACHABLE',
    kind: 'Unreachable',
    contains: ['exa.example.com:8563', 'ECONNREFUSED'],
  },
  {
    name: 'unknown host',
    error: nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND nohost'),
    context: connect,
    code: 'SME-E-EXA-UNREACHABLE',
    kind: 'Unreachable',
    contains: ['ENOTFOUND'],
  },
  {
    name: 'handshake timeout',
    error: new Error('E-EDJS-16: Socket error: Opening handshake has timed out'),
    context: { ...connect, transportError: new Error('Opening handshake has timed out') },
    code: 'SME-E-EXA-UNREACHABLE',
    kind: 'Unreachable',
    contains: ['timeout'],
  },
  {
    name: 'login never answered',
    error: new Error('no answer within 100 ms'),
    context: connect,
    code: 'SME-E-EXA-UNREACHABLE',
    kind: 'Unreachable',
    contains: ['timeout'],
  },
  {
    name: 'HTTP server instead of Exasol',
    error: driverSocketError,
    context: { ...connect, transportError: new Error('Unexpected server response: 404') },
    code: 'SME-E-EXA-UNREACHABLE',
    kind: 'Unreachable',
    contains: ['not an Exasol WebSocket endpoint', '404'],
  },
  {
    name: 'driver socket error without transport details, while connecting',
    error: driverSocketError,
    context: connect,
    code: 'SME-E-EXA-UNREACHABLE',
    kind: 'Unreachable',
    contains: ['E-EDJS-16'],
  },
  {
    name: 'fingerprint mismatch',
    error: driverSocketError,
    context: { ...connect, transportError: new TlsFingerprintMismatch('AA'.repeat(32), 'BB'.repeat(32)) },
    code: 'SME-E-EXA-TLS',
    kind: 'TlsMismatch',
    contains: [`expected ${'AA'.repeat(32)}`, `fingerprint ${'BB'.repeat(32)}`],
  },
  {
    name: 'self-signed certificate with system CAs',
    error: driverSocketError,
    context: { ...connect, transportError: nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate') },
    code: 'SME-E-EXA-TLS',
    kind: 'TlsMismatch',
    contains: ['DEPTH_ZERO_SELF_SIGNED_CERT', 'exa.example.com:8563'],
  },
  {
    name: 'host name not in certificate',
    error: nodeError('ERR_TLS_CERT_ALTNAME_INVALID'),
    context: connect,
    code: 'SME-E-EXA-TLS',
    kind: 'TlsMismatch',
    contains: ['ERR_TLS_CERT_ALTNAME_INVALID'],
  },
  {
    name: 'TLS spoken to a plain server',
    error: nodeError('ERR_SSL_WRONG_VERSION_NUMBER'),
    context: connect,
    code: 'SME-E-EXA-TLS',
    kind: 'TlsMismatch',
    contains: ['ERR_SSL_WRONG_VERSION_NUMBER'],
  },
  {
    name: 'login refused with 08004',
    error: { sqlCode: '08004', text: 'Connection exception - authentication failed.' },
    context: connect,
    code: 'SME-E-EXA-AUTH',
    kind: 'BadCredentials',
    contains: ['authentication failed', 'exa.example.com:8563'],
    sqlCode: '08004',
  },
  {
    name: 'login refused, other code, auth text',
    error: { sqlCode: '28000', text: 'Invalid credentials' },
    context: connect,
    code: 'SME-E-EXA-AUTH',
    kind: 'BadCredentials',
    contains: ['Invalid credentials'],
    sqlCode: '28000',
  },
  {
    name: 'driver refuses empty credentials',
    error: new Error('E-EDJS-6: Invalid credentials.'),
    context: connect,
    code: 'SME-E-EXA-AUTH',
    kind: 'BadCredentials',
    contains: ['E-EDJS-6'],
  },
  {
    name: 'server error during login that is not about credentials (unknown schema)',
    error: { sqlCode: '42000', text: 'schema NOPE not found' },
    context: connect,
    code: 'SME-E-SQL',
    kind: 'SqlError',
    contains: ['42000', 'schema NOPE not found'],
    sqlCode: '42000',
  },
  {
    name: 'SQL error envelope',
    error: { sqlCode: '42000', text: 'object MISSING_TABLE not found [line 1, column 15]' },
    context: statement,
    code: 'SME-E-SQL',
    kind: 'SqlError',
    contains: ['42000', 'MISSING_TABLE not found', 'statement: SELECT * FROM missing_table'],
    sqlCode: '42000',
  },
  {
    name: 'SQL error as the driver formats it',
    error: new Error("E-EDJS-25: SQL error: code: '42500', message: 'insufficient privileges'"),
    context: statement,
    code: 'SME-E-SQL',
    kind: 'SqlError',
    contains: ['42500', 'insufficient privileges'],
    sqlCode: '42500',
  },
  {
    name: 'socket reset mid-session',
    error: new Error("E-EDJS-36: Socket closed: code '1006', reason ''."),
    context: { ...statement, transportError: nodeError('ECONNRESET') },
    code: 'SME-E-EXA-CONNECTION-LOST',
    kind: 'ServiceError',
    contains: ['ECONNRESET', 'SELECT * FROM missing_table'],
  },
  {
    name: 'driver reports the connection closed mid-session',
    error: new Error('E-EDJS-2: Connection was closed.'),
    context: statement,
    code: 'SME-E-EXA-CONNECTION-LOST',
    kind: 'ServiceError',
    contains: ['E-EDJS-2'],
  },
  {
    name: 'anything else',
    error: new TypeError("Cannot read properties of undefined (reading 'x')"),
    context: statement,
    code: 'SME-E-EXA-DRIVER',
    kind: 'Internal',
    contains: ['reading'],
  },
];

describe('convertExasolError', () => {
  it.each(table)('$name → $code', (row) => {
    const converted = convertExasolError(row.error, row.context);
    expect(converted).toBeInstanceOf(SmeError);
    expect(converted.code).toBe(row.code);
    expect(converted.kind).toBe(row.kind);
    for (const text of row.contains) expect(converted.message).toContain(text);
    expect(converted.details.remedy).toBeTruthy();
    expect(converted.details.sqlCode).toBe(row.sqlCode);
    expect(converted.cause).toBeDefined();
  });

  it('passes an SmeError through unchanged', () => {
    const original = new SmeError('SME-E-X', 'Internal', 'x');
    expect(convertExasolError(original, statement)).toBe(original);
  });

  it('keeps the statement start in details and redacts secrets in it', () => {
    const sql =
      "CREATE CONNECTION s3 TO 'https://b.s3.amazonaws.com' USER 'AKIAEXAMPLE' IDENTIFIED BY 'wJalr/SECRET+key'";
    const converted = convertExasolError({ sqlCode: '42000', text: 'syntax error' }, { ...statement, sql });
    expect(converted.message).not.toContain('SECRET');
    expect(converted.details.value).toContain("IDENTIFIED BY '***'");
    expect(converted.details.value?.startsWith('CREATE CONNECTION s3')).toBe(true);
  });
});

describe('SQL errors mask URL user information', () => {
  it('masks a secret in the server text and in the statement', () => {
    const sql = "EXPORT t INTO CSV AT 'https://KEY:SECRET@b.s3.amazonaws.com' FILE 'x.csv'";
    const converted = convertExasolError(
      { sqlCode: '42636', text: "cannot open 'https://KEY:SECRET@b.s3.amazonaws.com/x.csv'" },
      { sql },
    );
    expect(converted.code).toBe('SME-E-SQL');
    expect(converted.message).toContain('https://***@b.s3.amazonaws.com/x.csv');
    expect(converted.message + String(converted.details.value)).not.toContain('SECRET');
  });
});

describe('redactSql / statementStart', () => {
  it.each([
    ["... IDENTIFIED BY 'abc'", "... IDENTIFIED BY '***'"],
    ["... identified   by 'a''b' rest", "... identified   by '***' rest"],
    ['CREATE USER u IDENTIFIED BY "pw"', "CREATE USER u IDENTIFIED BY '***'"],
    ["... IDENTIFIED BY 'unterminated", "... IDENTIFIED BY '***'"],
    ['SELECT 1', 'SELECT 1'],
    [
      "CREATE CONNECTION c TO 'https://KEY:SECRET@b.s3.amazonaws.com/'",
      "CREATE CONNECTION c TO 'https://***@b.s3.amazonaws.com/'",
    ],
  ])('%s', (sql, expected) => {
    expect(redactSql(sql)).toBe(expected);
  });

  it('collapses whitespace and shortens to 120 characters', () => {
    expect(statementStart('SELECT\n   1,\n\t2')).toBe('SELECT 1, 2');
    const long = statementStart(`SELECT ${'x, '.repeat(100)}1`);
    expect(long).toHaveLength(120);
    expect(long.endsWith('...')).toBe(true);
  });
});
