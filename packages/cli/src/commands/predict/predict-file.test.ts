import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSmeError, parseCsv } from '@sme/core';
import { csvBatches, mapFileColumns, predictBatches, readCsvTable } from './predict-file.js';
import { csvText, tableLines } from '../../view.js';
import { jsonValue, predictionView } from './predict.js';

const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', '\r', ' ', '1', '.', '€') }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error: unknown) {
    return isSmeError(error) ? error.code : 'not an SmeError';
  }
  return undefined;
}

describe('readCsvTable', () => {
  it('reads a header, quoted fields with commas, quotes and newlines, and a BOM', () => {
    const table = readCsvTable('\ufeffA,B\n"x, ""y""\nz",2\n,3\n', true, 'f.csv');
    expect(table).toEqual({
      columns: ['A', 'B'],
      rows: [
        ['x, "y"\nz', '2'],
        ['', '3'],
      ],
    });
  });

  it('names columns C1… without a header', () => {
    expect(readCsvTable('1,2\n3,4\n', false, 'f.csv')).toEqual({
      columns: ['C1', 'C2'],
      rows: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
  });

  it.each([
    ['empty file', '', true],
    ['header only', 'A,B\n', true],
    ['ragged rows', 'A,B\n1,2\n3\n', true],
  ])('refuses a file with %s (SME-E-CLI-PREDICT-FILE)', (_name, text, header) => {
    expect(codeOf(() => readCsvTable(text, header, 'f.csv'))).toBe('SME-E-CLI-PREDICT-FILE');
  });
});

describe('csvBatches', () => {
  it('splits by row count', () => {
    const rows = Array.from({ length: 5 }, (_, i) => [String(i)]);
    expect(csvBatches(rows, { maxRows: 2, maxBytes: 1000 })).toEqual([
      { body: '0\n1\n', rows: 2 },
      { body: '2\n3\n', rows: 2 },
      { body: '4\n', rows: 1 },
    ]);
  });

  it('splits by body size in UTF-8 bytes and refuses a row larger than a request', () => {
    // 'é' is two bytes: each line 'éé\n' weighs 5.
    expect(csvBatches([['éé'], ['éé'], ['éé']], { maxRows: 100, maxBytes: 10 }).map((b) => b.rows)).toEqual([2, 1]);
    expect(codeOf(() => csvBatches([['x'.repeat(20)]], { maxRows: 100, maxBytes: 10 }))).toBe(
      'SME-E-PREDICT-ROW-TOO-LARGE',
    );
  });

  it('property: the bodies read back as the rows, in order, each within the limits', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 30 }),
          ),
        fc.integer({ min: 1, max: 7 }),
        (rows, maxRows) => {
          // A row of one empty field is a blank line, which CSV readers skip: such files cannot be predicted.
          fc.pre(!rows.some((r) => r.length === 1 && r[0] === ''));
          const batches = csvBatches(rows, { maxRows, maxBytes: 4096 });
          for (const b of batches) {
            expect(b.rows).toBeLessThanOrEqual(maxRows);
            expect(Buffer.byteLength(b.body)).toBeLessThanOrEqual(4096);
          }
          expect(batches.reduce((n, b) => n + b.rows, 0)).toBe(rows.length);
          expect(batches.flatMap((b) => parseCsv(b.body))).toEqual(rows);
        },
      ),
    );
  });
});

describe('predictBatches', () => {
  it('invokes once per batch in order and pairs each answer line with its row', async () => {
    const seen: string[] = [];
    const predictions = await predictBatches(
      [
        { body: 'a\nb\n', rows: 2 },
        { body: 'c\n', rows: 1 },
      ],
      (body) => {
        seen.push(body);
        return Promise.resolve(
          body
            .trim()
            .split('\n')
            .map((x) => `${x.toUpperCase()},0.5`)
            .join('\n'),
        );
      },
    );
    expect(seen).toEqual(['a\nb\n', 'c\n']);
    expect(predictions).toEqual([
      { label: 'A', probability: 0.5 },
      { label: 'B', probability: 0.5 },
      { label: 'C', probability: 0.5 },
    ]);
  });

  it('refuses an answer with another number of rows (SME-E-PREDICT-RESPONSE)', async () => {
    await expect(predictBatches([{ body: 'a\nb\n', rows: 2 }], () => Promise.resolve('x\n'))).rejects.toMatchObject({
      code: 'SME-E-PREDICT-RESPONSE',
    });
  });
});

describe('predictionView', () => {
  const csvOf = (columns: string[], rows: (string | number | boolean | null)[][]): string =>
    csvText(predictionView({ columns, rows }, 'ep'));

  it('csv: NULL as an empty field, booleans as TRUE/FALSE, numbers in full', () => {
    expect(csvOf(['A', 'B', 'C', 'PROBABILITY'], [[null, true, 1.5, 0.123456789]])).toBe(
      'A,B,C,PROBABILITY\n,TRUE,1.5,0.123456789\n',
    );
  });

  it('property: the csv parses back to the text of every cell', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 20 }), (rows) => {
        const parsed = parseCsv(csvOf(['X', 'Y'], rows));
        expect(parsed).toEqual([['X', 'Y'], ...rows]);
      }),
    );
  });

  it('table: a header, PROBABILITY to 4 significant digits; json: numeric columns as numbers', () => {
    const view = predictionView(
      { columns: ['ID', 'PREDICTIONS', 'PROBABILITY'], rows: [['7', 'yes', 0.98765]], types: ['DECIMAL(9,0)'] },
      'ep',
    );
    expect(tableLines(view)).toEqual([
      expect.stringMatching(/^ID\s+PREDICTIONS\s+PROBABILITY$/),
      expect.stringMatching(/^7\s+yes\s+0\.9877$/),
    ]);
    expect(view.document).toEqual({
      endpoint: 'ep',
      rows: 1,
      predictions: [{ ID: 7, PREDICTIONS: 'yes', PROBABILITY: 0.98765 }],
    });
  });
});

describe('mapFileColumns', () => {
  const features = ['AGE', 'PLAN', 'USAGE'];

  it('finds features and keys by header name in any order, exactly or ignoring case', () => {
    expect(mapFileColumns(['plan', 'ID', 'USAGE', 'AGE'], features, ['ID'], 'f.csv')).toEqual({
      keys: [{ name: 'ID', index: 1 }],
      features: [3, 0, 2],
    });
    expect(mapFileColumns(['AGE', 'PLAN', 'USAGE'], features, [], 'f.csv').features).toEqual([0, 1, 2]);
  });

  it.each<[string, string[], string[], RegExp]>([
    ['an unknown column', ['AGE', 'PLAN', 'USAGE', 'EXTRA'], [], /EXTRA that are neither/],
    ['a missing feature', ['AGE', 'USAGE'], [], /lacks the column\(s\) PLAN/],
    ['a missing key', ['AGE', 'PLAN', 'USAGE'], ['ID'], /lacks the column\(s\) ID/],
    ['a repeated column', ['AGE', 'PLAN', 'USAGE', 'age'], [], /names age more than once/],
  ])('refuses %s with SME-E-CLI-PREDICT-FILE-COLUMNS', (_name, header, keys, message) => {
    let error: unknown;
    try {
      mapFileColumns(header, features, keys, 'f.csv');
    } catch (e: unknown) {
      error = e;
    }
    expect(isSmeError(error) && error.code).toBe('SME-E-CLI-PREDICT-FILE-COLUMNS');
    expect((error as Error).message).toMatch(message);
  });
});

describe('jsonValue', () => {
  it('writes numbers of numeric columns as JSON numbers, keeping text that a number would round', () => {
    expect(jsonValue('3.25', 'DECIMAL(9,2)')).toBe(3.25);
    expect(jsonValue('-0.50', 'DECIMAL(9,2)')).toBe(-0.5);
    expect(jsonValue('12', 'DOUBLE')).toBe(12);
    expect(jsonValue('0.45678912345678912', 'DOUBLE')).toBe(Number('0.45678912345678912'));
    expect(jsonValue('12345678901234567890', 'DECIMAL(20,0)')).toBe('12345678901234567890');
    expect(jsonValue('12', 'VARCHAR(10) UTF8')).toBe('12');
    expect(jsonValue('abc', 'DECIMAL(9,2)')).toBe('abc');
    expect(jsonValue(null, 'DECIMAL(9,2)')).toBeNull();
    expect(jsonValue('7', undefined)).toBe('7');
  });
});
