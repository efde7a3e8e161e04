import { describe, expect, it } from 'vitest';
import { isSmeError } from '@sme/core';
import { checkKeys, parseTableName, predictionSql } from './predict-table.js';

describe('parseTableName', () => {
  it.each([
    ['sales.customers', { schema: 'SALES', table: 'CUSTOMERS' }],
    ['"Ml".t', { schema: 'Ml', table: 'T' }],
    ['"My.Schema"."New Rows"', { schema: 'My.Schema', table: 'New Rows' }],
  ])('%s → %o', (text, expected) => {
    expect(parseTableName(text)).toEqual(expected);
  });

  it.each([
    ['customers', 'SME-E-CLI-TABLE'],
    ['.t', 'SME-E-CLI-TABLE'],
    ['1s.t', 'SME-E-PARAM-IDENTIFIER'],
    ['s."unterminated', 'SME-E-PARAM-IDENTIFIER'],
  ])('%s is refused with %s', (text, code) => {
    let caught: unknown;
    try {
      parseTableName(text);
    } catch (error: unknown) {
      caught = error;
    }
    expect(isSmeError(caught) ? caught.code : caught).toBe(code);
  });
});

describe('predictionSql', () => {
  const udf = { schema: 'ML', name: 'churn-ep', features: ['AGE', 'Plan "x"'] };

  it('calls the UDF over the feature columns of the table, quoted', () => {
    expect(predictionSql(udf, { schema: 'S', table: 'T' })).toBe(
      'SELECT "ML"."churn-ep"("AGE", "Plan ""x""") FROM (SELECT "AGE", "Plan ""x""" FROM "S"."T") GROUP BY IPROC(), MOD(ROWNUM, 4)',
    );
  });

  it('passes the key columns the UDF was deployed with first', () => {
    expect(predictionSql({ ...udf, keys: ['ID'] }, { schema: 'S', table: 'T' })).toBe(
      'SELECT "ML"."churn-ep"("ID", "AGE", "Plan ""x""") FROM (SELECT "ID", "AGE", "Plan ""x""" FROM "S"."T") GROUP BY IPROC(), MOD(ROWNUM, 4)',
    );
  });

  it('accepts --key only as the recorded keys, or not at all', () => {
    const code = (keys: string[] | undefined, requested: string[] | undefined) => {
      try {
        checkKeys({ ...udf, ...(keys === undefined ? {} : { keys }) }, requested, 'churn-ep');
        return undefined;
      } catch (e: unknown) {
        return (e as { code?: string }).code;
      }
    };
    expect(code(['ID'], undefined)).toBeUndefined();
    expect(code(['ID'], ['ID'])).toBeUndefined();
    expect(code(undefined, ['ID'])).toBe('SME-E-CLI-PREDICT-KEYS');
    expect(code(['ID'], ['OTHER'])).toBe('SME-E-CLI-PREDICT-KEYS');
    expect(code(['ID', 'TAG'], ['ID'])).toBe('SME-E-CLI-PREDICT-KEYS');
  });

  it('limits the rows read, not the rows emitted', () => {
    expect(predictionSql(udf, { schema: 'S', table: 'T' }, 10)).toBe(
      'SELECT "ML"."churn-ep"("AGE", "Plan ""x""") FROM (SELECT "AGE", "Plan ""x""" FROM "S"."T" LIMIT 10) GROUP BY IPROC(), MOD(ROWNUM, 4)',
    );
  });
});
