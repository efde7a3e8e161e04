/**
 * Character and number helpers written with character codes and arithmetic only, so that they give the
 * same answers in Node and in Lua 5.4 (no RegExp there; Lua strings are bytes and Lua prints `4.0`).
 * Every validator in core accepts ASCII only, so byte- and UTF-16-based lengths agree on accepted input.
 */

const DIGITS = '0123456789';

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
 * Printable, bounded form of a user-supplied string for messages. Control characters and every run of
 * non-ASCII characters become one `?`: UTF-16 units and UTF-8 bytes then give the same text. URL user information
 * (a secret) is masked first, see {@link maskUserinfo}.
 */
export function printable(raw: string): string {
  const text = maskUserinfo(raw);
  let out = '';
  let inRun = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 32 && code <= 126) {
      out = out + text.charAt(i);
      inRun = false;
    } else if (code >= 128) {
      if (!inRun) out = out + '?';
      inRun = true;
    } else {
      out = out + '?';
      inRun = false;
    }
  }
  return out.length > MAX_SHOWN_CHARS ? out.slice(0, MAX_SHOWN_CHARS) + '...' : out;
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
