/**
 * Byte-string helpers that behave the same in Node and in Lua 5.4.
 *
 * Lua strings are byte strings, JavaScript strings are UTF-16. To get identical results in both, every
 * string that reaches SigV4 is a `ByteString`: each code unit is one byte (0..255). In Lua every string
 * already is one; in Node, `utf8ToByteString` (packages/udf/src/node) builds it. These helpers only ever
 * look at code units, never at JavaScript's Unicode-aware methods (`toLowerCase`, `trim`, `<` on strings),
 * because those differ from Lua's byte semantics (Lua compares strings with `strcoll`, i.e. by locale).
 */

/** A string whose code units are all bytes (0..255). Lua strings are such strings by nature. */
export type ByteString = string;

const LOWER_HEX = '0123456789abcdef';
const UPPER_HEX = '0123456789ABCDEF';

/** The two hex digits of each byte value, built once: a lookup per byte is what Lua does fastest. */
const HEX_PAIRS: string[] = [];
for (let b = 0; b < 256; b++) HEX_PAIRS.push(LOWER_HEX.charAt(Math.floor(b / 16)) + LOWER_HEX.charAt(b % 16));

/** Lower-case hexadecimal of the bytes. */
export function toHex(bytes: ByteString): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i++) parts.push(HEX_PAIRS[bytes.charCodeAt(i)] ?? '');
  return parts.join('');
}

function isUnreserved(b: number): boolean {
  return (
    (b >= 65 && b <= 90) || // A-Z
    (b >= 97 && b <= 122) || // a-z
    (b >= 48 && b <= 57) || // 0-9
    b === 45 || // -
    b === 46 || // .
    b === 95 || // _
    b === 126 // ~
  );
}

/**
 * Percent-encodes every byte except RFC 3986 unreserved characters, with upper-case hex, as SigV4 requires
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html, "URI encode every byte").
 * When `keepSlash` is true, `/` stays as is (path encoding).
 */
export function uriEncode(bytes: ByteString, keepSlash: boolean): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    if (isUnreserved(b) || (keepSlash && b === 47)) {
      parts.push(bytes.charAt(i));
    } else {
      parts.push('%' + UPPER_HEX.charAt(Math.floor(b / 16)) + UPPER_HEX.charAt(b % 16));
    }
  }
  return parts.join('');
}

/** Lower-cases ASCII letters only (header names); other bytes are kept. */
export function asciiLower(bytes: ByteString): ByteString {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    parts.push(b >= 65 && b <= 90 ? String.fromCharCode(b + 32) : bytes.charAt(i));
  }
  return parts.join('');
}

/** Byte-wise comparison: negative, zero or positive, like a sort comparator. Independent of any locale. */
export function compareBytes(a: ByteString, b: ByteString): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** True when `text` starts with `prefix` (byte-wise). */
export function startsWithBytes(text: string, prefix: string): boolean {
  return text.length >= prefix.length && text.substring(0, prefix.length) === prefix;
}

/** Formats a non-negative integer with at least `width` digits, without relying on number-to-string conversion. */
export function padDigits(value: number, width: number): string {
  let n = Math.floor(value);
  // Least significant first (appending is cheap in Lua, inserting at the front is not), reversed at the end.
  const reversed: string[] = [];
  while (n > 0) {
    reversed.push(LOWER_HEX.charAt(n % 10));
    n = Math.floor(n / 10);
  }
  while (reversed.length < width) reversed.push('0');
  const digits: string[] = [];
  for (let i = reversed.length - 1; i >= 0; i--) digits.push(reversed[i] ?? '');
  return digits.join('');
}
