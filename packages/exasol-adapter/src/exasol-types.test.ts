import { describe, expect, it } from 'vitest';
import type { ExasolDataType } from './exasol-types.js';
import { columnTypeText, mapValue } from './exasol-types.js';

describe('columnTypeText', () => {
  it.each<[ExasolDataType, string]>([
    [{ type: 'DECIMAL', precision: 18, scale: 0 }, 'DECIMAL(18,0)'],
    [{ type: 'DECIMAL', precision: 36, scale: 4 }, 'DECIMAL(36,4)'],
    [{ type: 'DOUBLE' }, 'DOUBLE'],
    [{ type: 'VARCHAR', size: 100, characterSet: 'UTF8' }, 'VARCHAR(100) UTF8'],
    [{ type: 'VARCHAR', size: 2000000, characterSet: 'ASCII' }, 'VARCHAR(2000000) ASCII'],
    [{ type: 'CHAR', size: 1, characterSet: 'ASCII' }, 'CHAR(1) ASCII'],
    [{ type: 'CHAR', size: 5 }, 'CHAR(5) UTF8'],
    [{ type: 'BOOLEAN' }, 'BOOLEAN'],
    [{ type: 'DATE', size: 4 }, 'DATE'],
    [{ type: 'TIMESTAMP', size: 8, withLocalTimeZone: false }, 'TIMESTAMP'],
    [{ type: 'TIMESTAMP', precision: 3, withLocalTimeZone: false }, 'TIMESTAMP'],
    [{ type: 'TIMESTAMP', precision: 9 }, 'TIMESTAMP(9)'],
    [{ type: 'TIMESTAMP', size: 8, withLocalTimeZone: true }, 'TIMESTAMP WITH LOCAL TIME ZONE'],
    [{ type: 'TIMESTAMP WITH LOCAL TIME ZONE', precision: 6 }, 'TIMESTAMP(6) WITH LOCAL TIME ZONE'],
    [{ type: 'INTERVAL YEAR TO MONTH', precision: 2 }, 'INTERVAL YEAR(2) TO MONTH'],
    [{ type: 'INTERVAL DAY TO SECOND', precision: 3, fraction: 6 }, 'INTERVAL DAY(3) TO SECOND(6)'],
    [{ type: 'HASHTYPE', size: 16 }, 'HASHTYPE(16 BYTE)'],
    [{ type: 'GEOMETRY', srid: 4326 }, 'GEOMETRY(4326)'],
    [{ type: 'GEOMETRY' }, 'GEOMETRY'],
    [{ type: 'SOMETHING NEW' }, 'SOMETHING NEW'],
  ])('%j → %s', (dataType, text) => {
    expect(columnTypeText(dataType)).toBe(text);
  });
});

describe('mapValue', () => {
  const int = { type: 'DECIMAL', precision: 18, scale: 0 };
  const scaled = { type: 'DECIMAL', precision: 10, scale: 3 };
  const wide = { type: 'DECIMAL', precision: 36, scale: 0 };

  it('keeps integers as numbers and exact decimal strings as strings', () => {
    expect(mapValue(42, int)).toBe(42);
    expect(mapValue('9007199254740993', int)).toBe('9007199254740993');
    expect(mapValue('3.141', scaled)).toBe('3.141');
    expect(mapValue('123456789012345678901234567890', wide)).toBe('123456789012345678901234567890');
  });

  it('turns a number for an exact-decimal column into exact text', () => {
    expect(mapValue(0.5, scaled)).toBe('0.5');
    expect(mapValue(12, wide)).toBe('12');
  });

  it('passes doubles, booleans, text, dates and null through', () => {
    expect(mapValue(0.1, { type: 'DOUBLE' })).toBe(0.1);
    expect(mapValue(true, { type: 'BOOLEAN' })).toBe(true);
    expect(mapValue('2022-05-31', { type: 'DATE' })).toBe('2022-05-31');
    expect(mapValue('2021-12-31 23:59:59.999000', { type: 'TIMESTAMP' })).toBe('2021-12-31 23:59:59.999000');
    expect(mapValue(null, int)).toBeNull();
    expect(mapValue(undefined, int)).toBeNull();
  });
});
