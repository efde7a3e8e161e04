/** The sandbox's CSV reading (endpoints, batch transform, training input): its direct split agrees with csv-parse. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { parseCsv } from './model.js';

const options = { relax_column_count: true, skip_empty_lines: true, bom: true };

describe('parseCsv', () => {
  it('reads text without quotes or CRs (split directly) exactly as csv-parse does', () => {
    const text = fc
      .array(fc.constantFrom('a', 'é', '1', '.', '-', ' ', ',', '\n', '\uFEFF'), { maxLength: 60 })
      .map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.boolean(), text, (bom, body) => {
        const input = (bom ? '\uFEFF' : '') + body;
        expect(parseCsv(input)).toEqual(parse(input, options));
      }),
      { numRuns: 500 },
    );
  });

  it('still reads quoted fields and CRLF through csv-parse', () => {
    expect(parseCsv('1,"a,b"\r\n2,"say ""hi"""\r\n\r\n')).toEqual([
      ['1', 'a,b'],
      ['2', 'say "hi"'],
    ]);
  });
});
