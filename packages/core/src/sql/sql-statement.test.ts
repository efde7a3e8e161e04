import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteIdentifier, quoteLiteral } from '../identifiers.js';
import { isCreateScript, literalsWithColon, parameterise, renderStatement, sqlPieces } from './sql-statement.js';
import { exportToS3Sql, insertJobSql, updateJobSql } from './statements.js';

describe('parameterised statements (L8: every value through the params table)', () => {
  it('moves literals to :vN, and quoted identifiers to ::iN when asked or when they hold a colon', () => {
    expect(parameterise(`SELECT "S"."a:b"('a:b') AS "X" FROM DUAL`)).toEqual({
      text: 'SELECT "S".::i1(:v1) AS "X" FROM DUAL',
      params: { i1: 'a:b', v1: 'a:b' },
    });
    expect(parameterise(`SELECT "S"."F"('a:b', 'it''s') AS "X" FROM DUAL -- 'c:d'`, 'all')).toEqual({
      text: "SELECT ::i1.::i2(:v1, :v2) AS ::i3 FROM DUAL -- 'c:d'",
      params: { i1: 'S', i2: 'F', v1: 'a:b', v2: "it's", i3: 'X' },
    });
  });

  it('leaves CREATE … SCRIPT statements alone (their body is Lua)', () => {
    const sql = 'CREATE OR REPLACE LUA SET SCRIPT "ML"."e"("A" DOUBLE) EMITS ("A" DOUBLE) AS\nlocal x = \'y\'\n';
    expect(isCreateScript(sql)).toBe(true);
    expect(parameterise(sql)).toEqual({ text: sql, params: {} });
    expect(isCreateScript('CREATE TABLE "S"."SCRIPT" (A INT)')).toBe(false);
  });

  it('renders back to the very statement, for core’s builders and for any literals and identifiers', () => {
    const built = [
      exportToS3Sql({
        schema: 'S',
        table: 'T',
        columns: ['A', 'B'],
        connection: 'AWS',
        fileKeys: ['p/j:1/part-001.csv'],
      }),
      insertJobSql('SME', {
        JOB_NAME: { kind: 'text', value: 'j-1' },
        DATETIME: { kind: 'timestamp', value: '2026-01-01 10:11:12.000' },
        MAX_CANDIDATES: { kind: 'integer', value: 5 },
        OBJECTIVE: { kind: 'null' },
      }),
      updateJobSql('SME', 'j-1', { JOB_ARN: { kind: 'text', value: 'arn:aws:sagemaker:eu-west-1:1:automl-job/j-1' } }),
    ];
    for (const sql of built) {
      const statement = parameterise(sql);
      expect(literalsWithColon(statement.text)).toEqual([]);
      expect(renderStatement(statement)).toBe(sql);
    }
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 12 })), { maxLength: 8 }), (items) => {
        const sql =
          'SELECT ' + items.map(([lit, v]) => (lit ? quoteLiteral(v) : quoteIdentifier(v))).join(', ') + ' FROM DUAL';
        for (const binding of ['all', 'colon'] as const) {
          const statement = parameterise(sql, binding);
          expect(sqlPieces(statement.text).filter((p) => p.kind === 'literal')).toEqual([]);
          expect(renderStatement(statement)).toBe(sql);
        }
      }),
    );
  });

  it('binds values as Exasol does: text quoted, numbers, booleans and NULL bare, identifiers quoted', () => {
    expect(
      renderStatement({
        text: 'EXPORT ::t INTO CSV AT ::c FILE :f1 WHERE :n = :b OR :z IS NULL',
        params: { t: 'T', c: 'AWS', f1: "x'y", n: 1.5, b: true, z: null },
      }),
    ).toBe(`EXPORT "T" INTO CSV AT "AWS" FILE 'x''y' WHERE 1.5 = TRUE OR NULL IS NULL`);
  });

  it('finds string literals with a colon (the statements a scripting program must not send as text)', () => {
    expect(literalsWithColon(`SELECT 'a:b', 'c', "d:e" FROM DUAL`)).toEqual(['a:b']);
    expect(literalsWithColon('SELECT :v1 FROM DUAL')).toEqual([]);
  });
});
