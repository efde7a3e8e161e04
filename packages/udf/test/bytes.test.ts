import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiLower, compareBytes, padDigits, toHex, uriEncode } from '../src/lua/sigv4/bytes.js';
import { amzDate, canonicalHeaderValue } from '../src/lua/sigv4/sigv4.js';
import { byteStringToUtf8, utf8ToByteString } from '../src/node/node-crypto.js';

const unicode = fc.string({ unit: 'grapheme', maxLength: 40 });
const rfc3986 = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

describe('byte-string helpers', () => {
  it('uriEncode equals RFC 3986 encoding of the UTF-8 text', () => {
    fc.assert(
      fc.property(unicode, fc.boolean(), (s, keepSlash) => {
        const expected = keepSlash ? rfc3986(s).replace(/%2F/g, '/') : rfc3986(s);
        expect(uriEncode(utf8ToByteString(s), keepSlash)).toBe(expected);
      }),
    );
  });

  it('toHex equals Buffer hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (u8) => {
        expect(toHex(Buffer.from(u8).toString('latin1'))).toBe(Buffer.from(u8).toString('hex'));
      }),
    );
  });

  it('compareBytes orders like Buffer.compare on the UTF-8 bytes', () => {
    fc.assert(
      fc.property(unicode, unicode, (a, b) => {
        const ours = Math.sign(compareBytes(utf8ToByteString(a), utf8ToByteString(b)));
        expect(ours).toBe(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      }),
    );
  });

  it('asciiLower lowers A-Z only and keeps every other byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (u8) => {
        const expected = Buffer.from(u8.map((x) => (x >= 65 && x <= 90 ? x + 32 : x))).toString('latin1');
        expect(asciiLower(Buffer.from(u8).toString('latin1'))).toBe(expected);
      }),
    );
    expect(asciiLower(utf8ToByteString('X-Amz-É'))).toBe(utf8ToByteString('x-amz-É'));
  });

  it('utf8 round trip', () => {
    fc.assert(
      fc.property(unicode, (s) => {
        expect(byteStringToUtf8(utf8ToByteString(s))).toBe(s);
      }),
    );
  });

  it('canonicalHeaderValue trims and folds spaces, tabs and line breaks', () => {
    expect(canonicalHeaderValue('  a \t\t b\r\n c  ')).toBe('a b c');
    expect(canonicalHeaderValue('')).toBe('');
    expect(canonicalHeaderValue(' \t ')).toBe('');
  });

  it('padDigits and amzDate agree with Date on every millisecond up to 2100', () => {
    expect(padDigits(7, 2)).toBe('07');
    expect(padDigits(2024, 4)).toBe('2024');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4102444800000 }), (ms) => {
        const iso = new Date(ms).toISOString();
        const expected = iso.slice(0, 19).replace(/[-:]/g, '') + 'Z';
        expect(amzDate(ms)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    expect(amzDate(Date.UTC(2000, 1, 29, 23, 59, 59))).toBe('20000229T235959Z');
  });
});
