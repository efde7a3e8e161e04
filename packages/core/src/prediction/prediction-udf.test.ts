import { describe, expect, it } from 'vitest';
import { parseColumnType } from './column-types.js';
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
