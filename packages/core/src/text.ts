/**
 * Character and number helpers written with character codes and arithmetic only, so that they give the
 * same answers in Node and in Lua 5.4 (no RegExp there; Lua strings are bytes and Lua prints `4.0`).
 * Validators accept ASCII only, except identifiers: those are read by code point ({@link codePointAt}), so a
 * Unicode name gives the same answers from UTF-16 (Node) and UTF-8 bytes (Lua).
 */

/** True in Lua, where a string is UTF-8 bytes; false in JavaScript (UTF-16 units). */
const BYTE_STRINGS = '\u00e9'.length === 2;

/** A code point read from a string: its value (-1 where the text is not valid UTF-8/UTF-16) and its units. */
export interface CodePoint {
  readonly cp: number;
  readonly size: number;
}

function unitAt(text: string, i: number): number {
  return i < text.length ? text.charCodeAt(i) : -1;
}

function continuation(text: string, i: number): number {
  const b = unitAt(text, i);
  return b >= 0x80 && b <= 0xbf ? b - 0x80 : -1;
}

/** The code point starting at unit `i` (a UTF-16 unit in Node, a byte in Lua). */
export function codePointAt(text: string, i: number): CodePoint {
  const c = unitAt(text, i);
  if (!BYTE_STRINGS) {
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = unitAt(text, i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) return { cp: 0x10000 + (c - 0xd800) * 0x400 + (low - 0xdc00), size: 2 };
      return { cp: -1, size: 1 };
    }
    return c >= 0xdc00 && c <= 0xdfff ? { cp: -1, size: 1 } : { cp: c, size: 1 };
  }
  if (c < 0x80) return { cp: c, size: 1 };
  const size = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (size === 0) return { cp: -1, size: 1 };
  let cp = size === 2 ? c - 0xc0 : size === 3 ? c - 0xe0 : c - 0xf0;
  for (let k = 1; k < size; k++) {
    const b = continuation(text, i + k);
    if (b < 0) return { cp: -1, size: 1 };
    cp = cp * 64 + b;
  }
  const min = size === 2 ? 0x80 : size === 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { cp: -1, size: 1 };
  return { cp, size };
}

/** `text` as code points (-1 for each invalid unit). */
export function codePoints(text: string): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < text.length) {
    const read = codePointAt(text, i);
    out.push(read.cp);
    i = i + read.size;
  }
  return out;
}

/** One code point below U+0800 as a string of this runtime (UTF-16 unit in Node, UTF-8 bytes in Lua). */
export function smallCodePointText(cp: number): string {
  if (!BYTE_STRINGS || cp < 0x80) return String.fromCharCode(cp);
  return String.fromCharCode(0xc0 + Math.floor(cp / 64), 0x80 + (cp % 64));
}

const DIGITS = '0123456789';

/** `text` with A–Z lowered and every other character as it is (ASCII case folding; Lua's `string.lower` may follow a locale). */
export function lowerAscii(text: string): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const b = text.charCodeAt(i);
    parts.push(b >= 65 && b <= 90 ? String.fromCharCode(b + 32) : text.charAt(i));
  }
  return parts.join('');
}

export function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isAsciiUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

export function isAsciiLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

export function isAsciiLetter(code: number): boolean {
  return isAsciiUpper(code) || isAsciiLower(code);
}

export function isAsciiAlnum(code: number): boolean {
  return isAsciiLetter(code) || isAsciiDigit(code);
}

/** True when every character of `text` satisfies `accept` (false for the empty string). */
export function allChars(text: string, accept: (code: number) => boolean): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (!accept(text.charCodeAt(i))) return false;
  }
  return true;
}

export function isAllDigits(text: string): boolean {
  return allChars(text, isAsciiDigit);
}

/** True for a finite number without fractional part (works on Lua floats such as cjson's `4.0`). */
export function isIntegral(value: number): boolean {
  return value - value === 0 && value % 1 === 0;
}

/** Decimal digits of a non-negative integral number below 2^53, without exponent or `.0`. */
export function formatInteger(value: number): string {
  let n = Math.floor(value < 0 ? -value : value);
  // Both runtimes print integral doubles below 1e21 exactly with `toFixed(0)` (Lua: `string.format('%.0f')`), and
  // that is many times faster in Lua than the digit loop below (the prediction UDF formats every CSV number with it).
  // `+ 0` turns -0 into 0, which C's printf would print as "-0".
  if (n < 1e21) return (value < 0 ? '-' : '') + (n + 0).toFixed(0);
  let out = '';
  do {
    const digit = n % 10;
    out = DIGITS.charAt(digit) + out;
    n = Math.floor(n / 10);
  } while (n > 0);
  return value < 0 ? '-' + out : out;
}

/** `value` as decimal digits, left-padded with zeros to `width`. */
export function padInteger(value: number, width: number): string {
  let out = formatInteger(value);
  while (out.length < width) out = '0' + out;
  return out;
}

const LARGEST_SHOWN = 1e15;

/**
 * A number as text, identical in Node and Lua: integers as digits, fractions with at most 6 decimals.
 * Numbers beyond 1e15 are only described, because their exact digits depend on float formatting.
 */
export function formatNumber(value: number): string {
  if (value !== value) return 'NaN';
  if (value - value !== 0) return value > 0 ? 'Infinity' : '-Infinity';
  const abs = value < 0 ? -value : value;
  if (abs >= LARGEST_SHOWN) return value < 0 ? 'a number below -1e15' : 'a number above 1e15';
  let whole = Math.floor(abs);
  let fraction = Math.floor((abs - whole) * 1e6 + 0.5);
  if (fraction >= 1e6) {
    whole = whole + 1;
    fraction = 0;
  }
  let text = formatInteger(whole);
  if (fraction > 0) {
    let decimals = padInteger(fraction, 6);
    while (decimals.endsWith('0')) decimals = decimals.slice(0, decimals.length - 1);
    text = text + '.' + decimals;
  }
  return value < 0 && (whole > 0 || fraction > 0) ? '-' + text : text;
}

const MAX_SHOWN_CHARS = 80;

/** Where a URL written inside a message ends: whitespace, quotes, angle brackets. */
function endsUrlToken(code: number): boolean {
  return code <= 32 || code === 34 || code === 39 || code === 60 || code === 62 || code === 96;
}

/**
 * `text` with the user information of every URL in it replaced by `***`:
 * `https://KEY:SECRET@bucket.s3.amazonaws.com/` → `https://***@bucket.s3.amazonaws.com/`. Everything from `://`
 * to the last `@` of the same word is masked (an AWS secret may hold `/`), so a secret never reaches a message.
 * Used on every CONNECTION address sme reads and on SQL error texts.
 *
 * @example
 * maskUserinfo("cannot open 'https://k:s@b.s3.amazonaws.com/x'"); // "cannot open 'https://***@b.s3.amazonaws.com/x'"
 */
export function maskUserinfo(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const scheme = text.indexOf('://', from);
    if (scheme < 0) break;
    const start = scheme + 3;
    let end = start;
    let lastAt = -1;
    while (end < text.length && !endsUrlToken(text.charCodeAt(end))) {
      if (text.charCodeAt(end) === 64) lastAt = end;
      end++;
    }
    out = out + text.slice(from, start) + (lastAt < 0 ? text.slice(start, end) : '***' + text.slice(lastAt, end));
    from = end;
  }
  return out + text.slice(from);
}

/**
 * Printable, bounded form of a user-supplied string for messages: at most 80 characters (code points), control
 * characters and invalid UTF-8/UTF-16 as `?`, other Unicode characters intact, so `Kunden_ä` shows as written in
 * Node and in Lua. URL user information (a secret) is masked first, see {@link maskUserinfo}.
 */
export function printable(raw: string): string {
  const text = maskUserinfo(raw);
  let out = '';
  let shown = 0;
  let i = 0;
  while (i < text.length) {
    if (shown === MAX_SHOWN_CHARS) return out + '...';
    const read = codePointAt(text, i);
    const cp = read.cp;
    out = out + ((cp >= 32 && cp <= 126) || cp >= 0xa0 ? text.slice(i, i + read.size) : '?');
    shown = shown + 1;
    i = i + read.size;
  }
  return out;
}

/** Is this value a JSON array with elements? (An empty Lua table is both `{}` and `[]`: treated as an object.) */
export function isNonEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && (value as unknown[]).length > 0;
}

/** A decoded JSON object (an empty array counts: Lua cannot tell `[]` from `{}`). */
export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !isNonEmptyArray(value);
}

/** A value received, as safe text for an error message: strings quoted and shortened, others described. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return '"' + printable(value) + '"';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isNonEmptyArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return 'a value of type ' + typeof value;
}

/** JSON type name of a decoded value, for "expected a string, got a number" messages. */
export function jsonTypeOf(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (isNonEmptyArray(value)) return 'an array';
  return 'an object';
}

/** Ascending sort of ASCII strings by character code, identical in both runtimes. */
export function compareAscii(a: string, b: string): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** A JSON array of strings, encoded here so that Node and Lua (cjson escapes `/`) store identical text. */
export function encodeStringArray(values: readonly string[]): string {
  const parts: string[] = [];
  for (const value of values) {
    let out = '"';
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      const ch = value.charAt(i);
      if (ch === '"' || ch === '\\') out = out + '\\' + ch;
      else if (code < 32) out = out + '\\u' + padInteger(0, 2) + hexByte(code);
      else out = out + ch;
    }
    parts.push(out + '"');
  }
  return '[' + parts.join(',') + ']';
}

function hexByte(code: number): string {
  const hex = '0123456789abcdef';
  return hex.charAt(Math.floor(code / 16)) + hex.charAt(code % 16);
}
