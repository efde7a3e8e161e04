import { describe, expect, it } from 'vitest';
import { SmeError, type SqlPort } from '@sme/core';
import {
  DELETE_ENDPOINT_COLUMNS,
  DEPLOY_ENDPOINT_COLUMNS,
  DESCRIBE_COLUMNS,
  DROP_JOB_COLUMNS,
  ENDPOINT_STATUS_COLUMNS,
  POLL_COLUMNS,
  STOP_COLUMNS,
  TRAIN_COLUMNS,
  columnsSpec,
  errorText,
} from '../src/lua/scripting/entry-points.js';
import { connectionAccessFromSql, sqlConnections } from '../src/lua/scripting/sql-aws.js';
import { decimalTextValue } from '../src/lua/scripting/sql-values.js';

describe('columnsSpec (exit() column definitions)', () => {
  it('quotes every column name, so reserved words such as KEY and VALUE are no syntax errors (L7)', () => {
    expect(columnsSpec(DESCRIBE_COLUMNS)).toBe('"KEY" VARCHAR(128) UTF8, "VALUE" VARCHAR(2000000) UTF8');
    expect(columnsSpec(TRAIN_COLUMNS).startsWith('"JOB_NAME" VARCHAR(32) UTF8, "JOB_STATUS" VARCHAR(32) UTF8')).toBe(
      true,
    );
    const all = [
      TRAIN_COLUMNS,
      POLL_COLUMNS,
      DESCRIBE_COLUMNS,
      STOP_COLUMNS,
      DEPLOY_ENDPOINT_COLUMNS,
      ENDPOINT_STATUS_COLUMNS,
      DELETE_ENDPOINT_COLUMNS,
      DROP_JOB_COLUMNS,
    ];
    for (const columns of all) {
      for (const item of columnsSpec(columns).split(', ')) expect(item).toMatch(/^"[A-Z_0-9]+" [A-Z]/);
    }
  });
});

describe('errorText', () => {
  it('starts with the code, lists every problem and ends with the remedy, on one line', () => {
    const problem = new SmeError('SME-E-PARAM-MISSING', 'InvalidInput', 'aws_region is required');
    const e = new SmeError('SME-E-PARAMS', 'InvalidInput', '1 problem in the training parameters:\n- x', {
      problems: [problem],
      remedy: 'Fix each listed problem.',
    });
    expect(errorText(e)).toBe(
      'SME-E-PARAMS: 1 problem in the training parameters: - x; SME-E-PARAM-MISSING: aws_region is required. Remedy: Fix each listed problem.',
    );
  });

  it('does not repeat a code, remedy or sqlCode the message already holds', () => {
    const e = new SmeError('SME-E-SQL', 'SqlError', 'SME-E-SQL: [42000] no. Check it.', {
      sqlCode: '42000',
      remedy: 'Check it.',
    });
    expect(errorText(e)).toBe('SME-E-SQL: [42000] no. Check it.');
  });

  it('names the AWS request id when the message does not', () => {
    const e = new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down', { requestId: 'req-1' });
    expect(errorText(e)).toBe('SME-E-AWS-THROTTLED: slow down (AWS request id req-1)');
  });

  it('codes anything else as SME-E-UDF-INTERNAL', () => {
    expect(errorText('x.lua:3: attempt to index a nil value')).toMatch(/^SME-E-UDF-INTERNAL: x\.lua:3: attempt/);
    expect(errorText(new Error('boom'))).toMatch(/^SME-E-UDF-INTERNAL: boom\./);
  });
});

describe('connectionAccessFromSql', () => {
  it('lifts the UDF’s SME-E-CONNECTION-ACCESS out of the SQL error Exasol wraps it in', () => {
    const udfText =
      'SME-E-CONNECTION-ACCESS: connection C: the script may not read the CONNECTION. Run GRANT ACCESS ON CONNECTION "C" FOR SCRIPT "SME"."SME_CONNECTION_ADDRESS" TO "U" (as the CONNECTION\'s owner or a user with ACCESS ANY CONNECTION).';
    const wrapped = new SmeError('SME-E-SQL', 'SqlError', `SME-E-SQL: [22002] VM error: ${udfText} (Session: 1)`, {
      sqlCode: '22002',
    });
    const e = connectionAccessFromSql(wrapped) as SmeError;
    expect(e.code).toBe('SME-E-CONNECTION-ACCESS');
    expect(e.message).toBe(udfText);
    expect(e.details.remedy).toMatch(/^Run GRANT ACCESS ON CONNECTION "C" FOR SCRIPT "SME"/);
    const other = new SmeError('SME-E-SQL', 'SqlError', 'SME-E-SQL: [42000] syntax error');
    expect(connectionAccessFromSql(other)).toBe(other);
  });
});

describe('decimalTextValue (Exasol decimal results in the Lua SqlPort)', () => {
  it('gives safe whole numbers as numbers and everything else as the exact text', () => {
    expect(decimalTextValue('600')).toBe(600);
    expect(decimalTextValue('-42')).toBe(-42);
    expect(decimalTextValue('9007199254740991')).toBe(9007199254740991);
    expect(decimalTextValue('9007199254740993')).toBe('9007199254740993');
    expect(decimalTextValue('1234567890123456789')).toBe('1234567890123456789');
    expect(decimalTextValue('12.50')).toBe('12.50');
    expect(decimalTextValue('-')).toBe('-');
  });
});

describe('sqlConnections', () => {
  it('masks the user information (a secret) of the address SME_CONNECTION_ADDRESS returns', async () => {
    const sql: SqlPort = {
      query: () =>
        Promise.resolve({
          columns: [{ name: 'ADDRESS', type: '' }],
          rows: [['https://KEY:SECRET@b.s3.amazonaws.com/']],
        }),
      execute: () => Promise.resolve(0),
    };
    expect(await sqlConnections(sql, 'SME').address('C')).toBe('https://***@b.s3.amazonaws.com/');
  });
});
