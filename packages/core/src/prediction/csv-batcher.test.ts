import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSmeError } from '../errors.js';
import { PredictionBatcher, parsePredictions, type Prediction } from './batcher.js';
import { parseColumnType } from './column-types.js';
import { csvField, encodeCsvRow, parseCsv, utf8Length } from './csv.js';

const text = parseColumnType('VARCHAR(2000) UTF8');
const dbl = parseColumnType('DOUBLE');
const dec = parseColumnType('DECIMAL(9,2)');
const bool = parseColumnType('BOOLEAN');
const nastyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc
    .array(fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é', '€', '😀', "'"), { maxLength: 12 })
    .map((a) => a.join('')),
);

describe('CSV', () => {
  it('parseCsv reads back every row encodeCsvRow writes (commas, quotes, CR/LF, non-ASCII); NULL is empty', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.option(nastyText, { nil: null }), { minLength: 2, maxLength: 4 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (rows) => {
          const width = rows[0]?.length ?? 0;
          const fixed = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? null));
          const body = fixed.map((r) => encodeCsvRow(r, fixed[0]?.map(() => text) ?? []) + '\n').join('');
          expect(parseCsv(body)).toEqual(fixed.map((r) => r.map((v) => v ?? '')));
        },
      ),
    );
  });

  it('quotes only what needs quoting', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('writes numbers, booleans and decimals by column type', () => {
    expect(encodeCsvRow([0.1, 12.5, true, null, 'x'], [dbl, dec, bool, dbl, text])).toBe('0.1,12.50,TRUE,,x');
    expect(encodeCsvRow(['3.141', 7], [dec, parseColumnType('DECIMAL(18,0)')])).toBe('3.141,7');
  });

  it('parses CRLF, a missing final line break and quoted empty fields', () => {
    expect(parseCsv('a,b\r\n"",c')).toEqual([
      ['a', 'b'],
      ['', 'c'],
    ]);
  });

  it('utf8Length is the UTF-8 byte length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
        expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
      }),
    );
  });

  it('refuses type texts that could break DDL', () => {
    expect(() => parseColumnType('VARCHAR(10)) AS x; --')).toThrow(/SME-E-COLUMN-TYPE|not an Exasol type/);
    expect(parseColumnType('decimal(18, 3)')).toMatchObject({ kind: 'decimal', scale: 3 });
    expect(parseColumnType('TIMESTAMP(3) WITH LOCAL TIME ZONE').kind).toBe('timestamp');
  });
});

describe('PredictionBatcher', () => {
  function run(rows: string[][], maxRows: number, maxBytes: number) {
    const bodies: string[] = [];
    const emitted: [readonly unknown[], Prediction][] = [];
    const batcher = new PredictionBatcher(
      { maxRows, maxBytes },
      [text, text],
      (body) => {
        bodies.push(body);
        // A model that echoes the first field, quoted when needed, with a fixed probability.
        return parseCsv(body)
          .map((r) => csvField('p:' + (r[0] ?? '')) + ',0.25')
          .join('\n');
      },
      (row, p) => emitted.push([row, p]),
    );
    for (const r of rows) batcher.add(r);
    batcher.flush();
    return { bodies, emitted, stats: batcher.stats };
  }

  it('keeps every request within the row and byte limits, and pairs answers with rows in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(nastyText, nastyText), { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 400, max: 1200 }),
        (rows, maxRows, maxBytes) => {
          const { bodies, emitted, stats } = run(rows, maxRows, maxBytes);
          for (const b of bodies) {
            expect(Buffer.byteLength(b)).toBeLessThanOrEqual(maxBytes);
            expect(parseCsv(b).length).toBeLessThanOrEqual(maxRows);
          }
          expect(emitted.map(([r]) => r)).toEqual(rows);
          expect(emitted.map(([, p]) => p)).toEqual(rows.map((r) => ({ label: 'p:' + r[0], probability: 0.25 })));
          expect(stats.rows).toBe(rows.length);
        },
      ),
    );
  });

  it('sends ceil(n / maxRows) requests when rows are small', () => {
    const rows = Array.from({ length: 1001 }, (_, i) => [String(i), 'x']);
    expect(run(rows, 100, 5_000_000).stats.requests).toBe(11);
  });

  it('fails with SME-E-PREDICT-ROW-TOO-LARGE for a row larger than a request', () => {
    const e = (() => {
      try {
        run([['x'.repeat(500), 'y']], 10, 100);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(isSmeError(e) && e.code).toBe('SME-E-PREDICT-ROW-TOO-LARGE');
  });

  it('fails with SME-E-PREDICT-RESPONSE when the endpoint answers another number of rows', () => {
    expect(() => parsePredictions('a\nb\n', 3)).toThrow(/answered 2 rows for 3/);
    expect(parsePredictions('"x,y",0.5\nz\n', 2)).toEqual([{ label: 'x,y', probability: 0.5 }, { label: 'z' }]);
  });
});
