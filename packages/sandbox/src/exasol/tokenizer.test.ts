import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, DEFAULT_CSV } from './csv-format.js';
import { parseS3Address } from './export-csv.js';
import { bindParams } from './scripts.js';
import { identifierName, quoteIdent, quoteString, significant, stringValue, tokenize } from './tokenizer.js';

const sqlChars = fc.string({ unit: fc.constantFrom(...'ab Z_1.,()\'"-*/:?;\n\t=<>|'.split('')), maxLength: 60 });

describe('tokenizer', () => {
  it('is lossless: tokens concatenate to the input', () => {
    fc.assert(
      fc.property(sqlChars, (sql) => {
        try {
          expect(
            tokenize(sql)
              .map((t) => t.text)
              .join(''),
          ).toBe(sql);
        } catch (e) {
          expect((e as Error).name).toBe('TokenizeError');
        }
      }),
    );
  });

  it('round-trips quoted identifiers and string literals', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (name) => {
        const [ident] = significant(tokenize(quoteIdent(name)));
        const [str] = significant(tokenize(quoteString(name)));
        expect(ident && identifierName(ident)).toBe(name);
        expect(str && stringValue(str)).toBe(name);
      }),
    );
  });

  it('folds unquoted identifiers to upper case and keeps quoted ones', () => {
    const t = significant(tokenize('select "MixedCase", lower_name from s.t -- c'));
    expect(t.filter((x) => x.kind === 'word' || x.kind === 'quoted').map(identifierName)).toEqual([
      'SELECT',
      'MixedCase',
      'LOWER_NAME',
      'FROM',
      'S',
      'T',
    ]);
  });
});

describe('query/pquery parameter binding', () => {
  it('binds values as literals and identifiers as quoted names, never as SQL', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), (value, ident) => {
        const bound = bindParams('SELECT :v FROM ::t', { v: value, t: ident });
        const t = significant(tokenize(bound));
        expect(t[1] && stringValue(t[1])).toBe(value);
        expect(t[3] && identifierName(t[3])).toBe(ident);
        expect(t).toHaveLength(4);
      }),
    );
  });
});

describe('CSV fields and S3 addresses', () => {
  it('encloses fields only when needed and doubles the delimiter', () => {
    expect(csvField('plain', DEFAULT_CSV)).toBe('plain');
    expect(csvField('a,b', DEFAULT_CSV)).toBe('"a,b"');
    expect(csvField('say "hi"', DEFAULT_CSV)).toBe('"say ""hi"""');
    expect(csvField(null, DEFAULT_CSV)).toBe('');
    fc.assert(
      fc.property(fc.string(), (s) => {
        const f = csvField(s, DEFAULT_CSV);
        const unquoted = f.startsWith('"') ? f.slice(1, -1).replaceAll('""', '"') : f;
        expect(unquoted).toBe(s);
      }),
    );
  });

  it.each([
    ['https://my-bucket.s3.amazonaws.com', { bucket: 'my-bucket' }],
    ['https://my-bucket.s3.eu-west-1.amazonaws.com/', { bucket: 'my-bucket', region: 'eu-west-1' }],
    ['s3://my-bucket', { bucket: 'my-bucket' }],
    ['http://my-bucket.s3.amazonaws.com', undefined],
    ['https://minio.local:9000/my-bucket', undefined],
    ['https://my-bucket.s3.amazonaws.com/prefix', undefined],
  ])('%s → %j', (address, expected) => {
    expect(parseS3Address(address)).toEqual(expected);
  });
});
