import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEC18, type ExaType, decimalWire } from './exa-types.js';
import { columnMajorJson, RawJson, stringifyReply } from './wire-json.js';

const jsonValue = fc.jsonValue().filter((v) => !Object.is(v, -0));

describe('stringifyReply', () => {
  it('writes the same text as JSON.stringify for plain JSON values', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(stringifyReply(v)).toBe(JSON.stringify(v));
      }),
    );
  });

  it('splices RawJson parts in unquoted and drops undefined members', () => {
    expect(stringifyReply({ a: new RawJson('[1,2]'), b: undefined, c: ['x', new RawJson('3')] })).toBe(
      '{"a":[1,2],"c":["x",3]}',
    );
  });
});

describe('columnMajorJson', () => {
  it('sends every DECIMAL(18,0) value with all its digits as a JSON number', () => {
    const big = fc.bigInt({ min: -(10n ** 18n) + 1n, max: 10n ** 18n - 1n });
    fc.assert(
      fc.property(fc.array(fc.option(big, { nil: null }), { minLength: 1, maxLength: 20 }), (values) => {
        const rows = values.map((v) => [v === null ? null : decimalWire(v.toString(), { precision: 18, scale: 0 })]);
        const text = columnMajorJson(rows, [DEC18]).text;
        expect(text).not.toContain('"');
        expect(text.match(/-?\d+|null/g)).toEqual(values.map((v) => (v === null ? 'null' : v.toString())));
        expect(JSON.parse(text)).toHaveLength(1);
      }),
    );
  });

  it('keeps strings of other types quoted and writes columns in column-major order', () => {
    const types: ExaType[] = [
      { type: 'DECIMAL', precision: 20, scale: 0 },
      { type: 'VARCHAR', size: 5, characterSet: 'UTF8' },
    ];
    const rows = [
      ['12345678901234567890', '42'],
      [null, 'a"b'],
    ];
    expect(columnMajorJson(rows, types).text).toBe('[["12345678901234567890",null],["42","a\\"b"]]');
  });
});
