import { describe, expect, it } from 'vitest';
import { parseColumnType } from './column-types.js';
import { DEFAULT_KEY_TYPE, MAX_KEY_COLUMNS, parseKeyColumns, splitKeyList } from './key-columns.js';
import { predictionUdfSql, udfParameterType, udfResultType } from './prediction-udf.js';

describe('prediction UDF signature (Lua UDF types, Exasol’s Lua rule L6)', () => {
  it('declares numeric features DOUBLE, DATE/TIMESTAMP as VARCHAR, and keeps BOOLEAN and text types', () => {
    const cases: [string, string][] = [
      ['DECIMAL(18,2)', 'DOUBLE'],
      ['DECIMAL(36,0)', 'DOUBLE'],
      ['DOUBLE', 'DOUBLE'],
      ['BOOLEAN', 'BOOLEAN'],
      ['VARCHAR(20) UTF8', 'VARCHAR(20) UTF8'],
      ['CHAR(2) ASCII', 'CHAR(2) ASCII'],
      ['DATE', 'VARCHAR(50) UTF8'],
      ['TIMESTAMP(3)', 'VARCHAR(50) UTF8'],
    ];
    for (const [type, declared] of cases) expect(udfParameterType(parseColumnType(type))).toBe(declared);
    expect(udfResultType(parseColumnType('DECIMAL(9,0)'))).toBe('DECIMAL(9,0)');
    expect(udfResultType(parseColumnType('DATE'))).toBe('VARCHAR(2000000) UTF8');
  });

  it('has no DATE, TIMESTAMP or DECIMAL parameter; a DECIMAL target stays the PREDICTIONS type', () => {
    const sql = predictionUdfSql(
      {
        schema: 'ML',
        endpointName: 'e',
        features: [
          { name: 'AMOUNT', type: 'DECIMAL(18,2)' },
          { name: 'SEEN', type: 'DATE' },
          { name: 'AT', type: 'TIMESTAMP' },
          { name: 'OK', type: 'BOOLEAN' },
        ],
        target: { name: 'CLASS', type: 'DECIMAL(3,0)' },
        problemType: 'MulticlassClassification',
        connectionName: 'AWS',
        region: 'eu-west-1',
      },
      'return {}',
    );
    const head = sql.slice(0, sql.indexOf(' AS\n'));
    expect(head).toBe(
      'CREATE OR REPLACE LUA SET SCRIPT "ML"."e"("AMOUNT" DOUBLE, "SEEN" VARCHAR(50) UTF8, "AT" VARCHAR(50) UTF8, "OK" BOOLEAN) ' +
        'EMITS ("AMOUNT" DOUBLE, "SEEN" VARCHAR(50) UTF8, "AT" VARCHAR(50) UTF8, "OK" BOOLEAN, "PREDICTIONS" DECIMAL(3,0), "PROBABILITY" DOUBLE)',
    );
    // The bundle still formats CSV by the training column's own type.
    expect(sql).toContain('featureTypes = {"DECIMAL(18,2)", "DATE", "TIMESTAMP", "BOOLEAN"}');
  });
});

describe('key columns of the prediction UDF', () => {
  const spec = {
    schema: 'ML',
    endpointName: 'e',
    features: [{ name: 'AMOUNT', type: 'DECIMAL(18,2)' }],
    target: { name: 'CLASS', type: 'BOOLEAN' },
    problemType: 'BinaryClassification' as const,
    connectionName: 'AWS',
    region: 'eu-west-1',
  };
  const head = (sql: string) => sql.slice(0, sql.indexOf(' AS\n'));

  it('reads NAME or NAME TYPE, SQL name rules, and keeps DECIMAL keys exact', () => {
    expect(
      parseKeyColumns(['id decimal(18,0)', ' REGION ', '"Mixed Case" VARCHAR(20) UTF8', 'W DOUBLE PRECISION']),
    ).toEqual([
      { name: 'ID', type: 'DECIMAL(18,0)' },
      { name: 'REGION', type: DEFAULT_KEY_TYPE },
      { name: 'Mixed Case', type: 'VARCHAR(20) UTF8' },
      { name: 'W', type: 'DOUBLE' },
    ]);
    expect(splitKeyList('ID DECIMAL(18,0),REGION, "A,B" CHAR(2)')).toEqual([
      'ID DECIMAL(18,0)',
      'REGION',
      '"A,B" CHAR(2)',
    ]);
    expect(splitKeyList(' , ')).toEqual([]);
  });

  it('refuses what cannot be a key, each with SME-E-ENDPOINT-KEY-COLUMNS', () => {
    const cases: string[][] = [
      ['1D'],
      ['ID DATE'],
      ['ID TIMESTAMP'],
      ['ID; DROP'],
      ['ID', 'id'],
      Array.from({ length: MAX_KEY_COLUMNS + 1 }, (_, i) => `K${String(i)}`),
    ];
    for (const keys of cases) {
      let code: unknown;
      try {
        parseKeyColumns(keys);
      } catch (e: unknown) {
        code = (e as { code?: unknown }).code;
      }
      expect(code, keys.join(',')).toMatch(/^SME-E-(ENDPOINT-KEY-COLUMNS|COLUMN-TYPE)$/);
    }
    expect(() => parseKeyColumns(['ID DATE'])).toThrow(expect.objectContaining({ code: 'SME-E-ENDPOINT-KEY-COLUMNS' }));
  });

  it('puts keys first in the parameters and the emitted columns, and names them in the config', () => {
    const sql = predictionUdfSql({ ...spec, keys: parseKeyColumns(['ID DECIMAL(18,0)', 'TAG']) }, 'return {}');
    expect(head(sql)).toBe(
      'CREATE OR REPLACE LUA SET SCRIPT "ML"."e"("ID" DECIMAL(18,0), "TAG" VARCHAR(2000000) UTF8, "AMOUNT" DOUBLE) ' +
        'EMITS ("ID" DECIMAL(18,0), "TAG" VARCHAR(2000000) UTF8, "AMOUNT" DOUBLE, "PREDICTIONS" BOOLEAN, "PROBABILITY" DOUBLE)',
    );
    expect(sql).toContain('keyNames = {"ID", "TAG"}');
    // Without keys the text is what it was before keys existed.
    expect(predictionUdfSql(spec, 'return {}')).not.toContain('keyNames');
    expect(head(predictionUdfSql({ ...spec, udfName: 'PREDICT_CHURN' }, 'return {}'))).toContain(
      '"ML"."PREDICT_CHURN"(',
    );
  });

  it('refuses a key named like a feature or an output column', () => {
    for (const name of ['AMOUNT', 'PREDICTIONS', 'PROBABILITY']) {
      expect(() => predictionUdfSql({ ...spec, keys: [{ name, type: 'DOUBLE' }] }, 'return {}'), name).toThrow(
        expect.objectContaining({ code: 'SME-E-ENDPOINT-KEY-COLUMNS' }),
      );
    }
  });
});
