import {
  codePointAt,
  codePoints,
  isAsciiDigit,
  isAsciiLetter,
  isAsciiLower,
  printable,
  smallCodePointText,
} from './text.js';

/** Longest Exasol identifier (EXA_ALL_… report `maxIdentifierLength` 128). */
export const MAX_IDENTIFIER_LENGTH = 128;

/** An Exasol identifier resolved to the name the database stores. */
export interface ExasolIdentifier {
  /** The stored name: upper-cased when written unquoted, exact when written in double quotes. */
  readonly name: string;
  /** Whether the user wrote it in double quotes. */
  readonly quoted: boolean;
}

export type IdentifierResult =
  { readonly ok: true; readonly identifier: ExasolIdentifier } | { readonly ok: false; readonly reason: string };

/** Non-ASCII blocks that hold no letters: punctuation, symbols, emoji, private use, specials. */
const NON_LETTER_BLOCKS: readonly (readonly [number, number])[] = [
  [0x80, 0xa9],
  [0xab, 0xb4],
  [0xb6, 0xb9],
  [0xbb, 0xbf],
  [0xd7, 0xd7],
  [0xf7, 0xf7],
  [0x2000, 0x20ff],
  [0x2190, 0x2bff],
  [0x2e00, 0x2e7f],
  [0x3000, 0x3004],
  [0x3008, 0x3020],
  [0xd800, 0xf8ff],
  [0xfe10, 0xfe6f],
  [0xfeff, 0xfeff],
  [0xff01, 0xff20],
  [0xff3b, 0xff40],
  [0xff5b, 0xff65],
  [0xfff0, 0xffff],
  [0x1f000, 0x1faff],
  [0xf0000, 0x10ffff],
];

/** A letter of any script, approximated without Unicode tables: ASCII letters, and non-ASCII outside the blocks above. */
function isIdentifierLetter(cp: number): boolean {
  if (cp < 0x80) return isAsciiLetter(cp);
  for (const [from, to] of NON_LETTER_BLOCKS) if (cp >= from && cp <= to) return false;
  return true;
}

function isRegularTail(cp: number): boolean {
  return isIdentifierLetter(cp) || isAsciiDigit(cp) || cp === 95;
}

/**
 * The upper case of a letter of an unquoted name, as Exasol folds it: ASCII, Latin-1, Latin Extended-A, Greek and
 * Cyrillic are mapped; letters of caseless scripts stay; -1 for letters whose folding sme does not know (ß, ſ, and
 * cased scripts beyond those above), which must then be written in double quotes as stored.
 */
function upperOf(cp: number): number {
  if (cp < 0x80) return isAsciiLower(cp) ? cp - 32 : cp;
  if (cp === 0xb5) return 0x39c;
  if (cp === 0xaa || cp === 0xba || (cp >= 0xc0 && cp <= 0xde)) return cp;
  if (cp === 0xdf) return -1;
  if (cp >= 0xe0 && cp <= 0xfe) return cp - 0x20;
  if (cp === 0xff) return 0x178;
  if (cp >= 0x100 && cp <= 0x17f) {
    if (cp === 0x130 || cp === 0x138 || cp === 0x178) return cp;
    if (cp === 0x131) return 0x49;
    if (cp === 0x149 || cp === 0x17f) return -1;
    const oddIsLower = (cp >= 0x100 && cp <= 0x137) || (cp >= 0x14a && cp <= 0x177);
    return (cp % 2 === 1) === oddIsLower ? cp - 1 : cp;
  }
  if (cp >= 0x386 && cp <= 0x3ab) return cp;
  if (cp === 0x3ac) return 0x386;
  if (cp >= 0x3ad && cp <= 0x3af) return cp - 0x25;
  if (cp === 0x3c2) return 0x3a3;
  if (cp >= 0x3b1 && cp <= 0x3cb) return cp - 0x20;
  if (cp === 0x3cc) return 0x38c;
  if (cp === 0x3cd || cp === 0x3ce) return cp - 0x3f;
  if (cp >= 0x400 && cp <= 0x42f) return cp;
  if (cp >= 0x430 && cp <= 0x44f) return cp - 0x20;
  if (cp >= 0x450 && cp <= 0x45f) return cp - 0x50;
  // Caseless: combining marks, Hebrew, Arabic, Indic, Thai, Lao, kana, CJK, Hangul.
  if (cp >= 0x300 && cp <= 0x36f) return cp;
  if (cp >= 0x590 && cp <= 0x6ff) return cp;
  if (cp >= 0x900 && cp <= 0xeff) return cp;
  if (cp >= 0x3040 && cp <= 0x30ff) return cp;
  if (cp >= 0x3400 && cp <= 0x9fff) return cp;
  if (cp >= 0xac00 && cp <= 0xd7a3) return cp;
  return -1;
}

const TOO_LONG = 'it is longer than 128 characters';

/**
 * Reads an identifier as Exasol would: `sales` → `SALES`, `"Sales"` → `Sales`, `kunden_ä` → `KUNDEN_Ä`. An unquoted
 * name starts with a letter of any script and goes on with letters, digits and underscores; a quoted one may hold
 * any character but NUL (`""` stands for one `"`). Anything else (spaces, dots, quotes outside quotes) is refused.
 * Characters are read as code points, so Node and Lua agree. Output is always re-quoted with {@link quoteIdentifier}.
 *
 * @example
 * parseExasolIdentifier('my_table'); // { ok: true, identifier: { name: 'MY_TABLE', quoted: false } }
 */
export function parseExasolIdentifier(raw: string): IdentifierResult {
  if (raw.length === 0) return { ok: false, reason: 'it is empty' };
  if (raw.startsWith('"')) {
    if (raw.length < 3 || !raw.endsWith('"')) {
      return { ok: false, reason: 'a quoted name needs a closing double quote and at least one character' };
    }
    const inner = raw.slice(1, raw.length - 1);
    let name = '';
    let count = 0;
    let i = 0;
    while (i < inner.length) {
      const read = codePointAt(inner, i);
      if (read.cp <= 0) return { ok: false, reason: 'a quoted name may not hold NUL or invalid UTF-8' };
      if (read.cp === 34) {
        if (inner.charCodeAt(i + 1) !== 34) {
          return { ok: false, reason: 'a double quote inside a quoted name must be doubled ("")' };
        }
        i = i + 1;
      }
      name = name + inner.slice(i, i + read.size);
      count = count + 1;
      i = i + read.size;
    }
    if (count > MAX_IDENTIFIER_LENGTH) return { ok: false, reason: TOO_LONG };
    return { ok: true, identifier: { name, quoted: true } };
  }
  const cps = codePoints(raw);
  if (!isIdentifierLetter(cps[0] ?? -1)) {
    return { ok: false, reason: 'an unquoted name must start with a letter' };
  }
  let name = '';
  for (let k = 0; k < cps.length; k++) {
    const cp = cps[k] ?? -1;
    if (k > 0 && !isRegularTail(cp)) {
      return {
        ok: false,
        reason: 'an unquoted name may hold only letters, digits and underscores (quote other names: "My-Name")',
      };
    }
    const upper = upperOf(cp);
    if (upper < 0) {
      return {
        ok: false,
        reason:
          'sme cannot upper-case ' +
          printable(codePointText(raw, k)) +
          ' as Exasol does: write the name in double quotes as stored',
      };
    }
    name = name + (upper === cp ? codePointText(raw, k) : smallCodePointText(upper));
  }
  if (cps.length > MAX_IDENTIFIER_LENGTH) return { ok: false, reason: TOO_LONG };
  return { ok: true, identifier: { name, quoted: false } };
}

/** The text of the `index`-th code point of `text`. */
function codePointText(text: string, index: number): string {
  let i = 0;
  for (let k = 0; k < index; k++) i = i + codePointAt(text, i).size;
  return text.slice(i, i + codePointAt(text, i).size);
}

/**
 * A stored name as a delimited SQL identifier: wrapped in `"`, inner `"` doubled. Safe for any text.
 *
 * @example
 * quoteIdentifier('My "x"'); // '"My ""x"""'
 */
export function quoteIdentifier(name: string): string {
  return '"' + name.split('"').join('""') + '"';
}

/** `schema.table` with both parts quoted. */
export function qualifiedName(schema: string, table: string): string {
  return quoteIdentifier(schema) + '.' + quoteIdentifier(table);
}

/**
 * A string as an SQL literal: wrapped in `'`, inner `'` doubled. Safe for any text.
 *
 * @example
 * quoteLiteral("it's"); // "'it''s'"
 */
export function quoteLiteral(value: string): string {
  return "'" + value.split("'").join("''") + "'";
}
