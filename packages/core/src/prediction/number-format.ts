/**
 * Exact decimal formatting of doubles, identical in Node and Lua 5.4: the prediction UDF (Lua) and local
 * prediction (Node) must send the model byte-identical CSV. Neither runtime's shortest or `%g` formatting is used
 * (Node prints the shortest round-trip text, Lua's `%.14g` loses digits); instead each double is rounded like C's
 * `printf("%.<p>g")`: through the fixed-point formatting both runtimes compute exactly (`toFixed`) where they
 * agree, else by expanding the double's exact binary value in decimal with small-limb integer arithmetic (every
 * step exact in IEEE doubles) and rounding half-to-even.
 */
import { formatInteger, padInteger } from '../text.js';

const LIMB = 10000000;
// Written as powers so that Lua makes them floats: Lua integer products such as 2^53 * 2^32 would wrap around.
const TWO_53 = 2 ** 53;
const TWO_52 = 2 ** 52;
const TWO_32 = 2 ** 32;

/** Little-endian base-1e7 limbs of a non-negative integral double below 2^53. */
function limbsOf(value: number): number[] {
  const limbs: number[] = [];
  let n = value;
  do {
    const r = n % LIMB;
    limbs.push(r);
    n = (n - r) / LIMB;
  } while (n > 0);
  return limbs;
}

/** limbs × k in place, k ≤ 2^29 so that every partial product stays below 2^53. */
function multiplySmall(limbs: number[], k: number): void {
  let carry = 0;
  for (let i = 0; i < limbs.length; i++) {
    const p = (limbs[i] ?? 0) * k + carry;
    const r = p % LIMB;
    limbs[i] = r;
    carry = (p - r) / LIMB;
  }
  while (carry > 0) {
    const r = carry % LIMB;
    limbs.push(r);
    carry = (carry - r) / LIMB;
  }
}

function limbsToDigits(limbs: readonly number[]): string {
  const parts: string[] = [formatInteger(limbs[limbs.length - 1] ?? 0)];
  for (let i = limbs.length - 2; i >= 0; i--) {
    // Adding 10^7 and dropping the leading 1 pads to 7 digits without a loop.
    parts.push(formatInteger((limbs[i] ?? 0) + LIMB).slice(1));
  }
  return parts.join('');
}

/** A positive finite double as `digits × 10^exponent10`, exactly. */
function exactDecimal(x: number): { digits: string; exponent10: number } {
  let m = x;
  let e = 0;
  // Scaling by powers of two is exact for normal doubles; the loops bring m to an integer below 2^53.
  while (m >= TWO_53 * TWO_32) {
    m = m / TWO_32;
    e += 32;
  }
  while (m >= TWO_53) {
    m = m / 2;
    e += 1;
  }
  while (m < TWO_52 / TWO_32 && e - 32 >= -1074) {
    m = m * TWO_32;
    e -= 32;
  }
  while (m < TWO_52 && e > -1074) {
    m = m * 2;
    e -= 1;
  }
  const limbs = limbsOf(m);
  if (e >= 0) {
    let left = e;
    while (left >= 29) {
      multiplySmall(limbs, 536870912);
      left -= 29;
    }
    if (left > 0) multiplySmall(limbs, 2 ** left);
    return { digits: limbsToDigits(limbs), exponent10: 0 };
  }
  // m × 2^e = m × 5^-e × 10^e
  let left = -e;
  while (left >= 12) {
    multiplySmall(limbs, 244140625);
    left -= 12;
  }
  let five = 1;
  for (let i = 0; i < left; i++) five = five * 5;
  if (five > 1) multiplySmall(limbs, five);
  return { digits: limbsToDigits(limbs), exponent10: e };
}

/** Digits rounded half-to-even to `p` significant digits; `shift` is 1 when rounding carried into a new digit. */
function roundDigits(digits: string, p: number): { digits: string; shift: number } {
  if (digits.length <= p) return { digits, shift: 0 };
  const kept = digits.slice(0, p);
  const next = digits.charCodeAt(p) - 48;
  let restNonZero = false;
  for (let i = p + 1; i < digits.length; i++) {
    if (digits.charCodeAt(i) !== 48) {
      restNonZero = true;
      break;
    }
  }
  const lastOdd = (kept.charCodeAt(p - 1) - 48) % 2 === 1;
  const up = next > 5 || (next === 5 && (restNonZero || lastOdd));
  if (!up) return { digits: kept, shift: 0 };
  const codes: number[] = [];
  for (let i = 0; i < kept.length; i++) codes.push(kept.charCodeAt(i) - 48);
  let i = codes.length - 1;
  while (i >= 0) {
    const d = (codes[i] ?? 0) + 1;
    if (d < 10) {
      codes[i] = d;
      break;
    }
    codes[i] = 0;
    i--;
  }
  let out = '';
  for (const d of codes) out = out + formatInteger(d);
  if (i < 0) return { digits: '1' + out.slice(0, p - 1), shift: 1 };
  return { digits: out, shift: 0 };
}

function stripZeros(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 48) end--;
  return text.slice(0, end);
}

/** |x| rounded to `precision` significant digits: exactly `precision` digits and the scientific exponent. */
interface Rounded {
  readonly digits: string;
  readonly exponent: number;
}

/** Rounded digits from the exact expansion (any finite double; exact ties half to even). */
function roundedFromExact(exact: { readonly digits: string; readonly exponent10: number }, precision: number): Rounded {
  const rounded = roundDigits(exact.digits, precision);
  let digits = rounded.digits;
  while (digits.length < precision) digits = digits + '0';
  return { digits, exponent: exact.digits.length - 1 + exact.exponent10 + rounded.shift };
}

/**
 * Binary fraction digits of a positive double (the k of its odd mantissa × 2^-k), counted up to `limit` + 1: its
 * exact decimal expansion has k fraction digits, the last one a 5 when k > 0. Doubling is exact.
 */
function fractionBits(x: number, limit: number): number {
  let k = 0;
  let y = x;
  while (k <= limit && y % 1 !== 0) {
    const z = y * 65536;
    if (z % 1 === 0) break;
    y = z;
    k += 16;
  }
  while (k <= limit && y % 1 !== 0) {
    y = y * 2;
    k += 1;
  }
  return k;
}

/**
 * Rounded digits through the runtime's fixed-point formatting, which both runtimes compute from the exact value (JS
 * `toFixed`, Lua `string.format('%.<f>f')` in C) and many times faster in Lua than the exact expansion here. They
 * differ only on an exact tie (JS rounds it up, C to even), so a value whose exact expansion ends right after the
 * rounding digit (k = f + 1 fraction bits, the last decimal a 5) is left to the exact path, as are values whose
 * fixed-point text would need more than 99 decimals (toFixed's range) or an exponent at or above `precision`.
 */
function roundedFromFixed(x: number, precision: number): Rounded | undefined {
  let exponent = Math.floor(Math.log(x) / Math.LN10);
  // The logarithm may be one off near powers of ten, and rounding may carry into a new digit: adjust and retry.
  for (let attempt = 0; attempt < 4; attempt++) {
    const digits = fixedDigits(x, precision - 1 - exponent);
    if (digits === undefined) return undefined;
    if (digits.length !== precision || digits === '0') {
      exponent += digits.length > precision ? 1 : -1;
      continue;
    }
    // 10^exponent exactly may also be a value just below it that rounded up: then the exponent below is x's own, and
    // its digits are the answer unless they carry as well.
    if (isPowerOfTen(digits)) {
      const lower = fixedDigits(x, precision - exponent);
      if (lower === undefined) return undefined;
      if (lower.length === precision) return { digits: lower, exponent: exponent - 1 };
    }
    return { digits, exponent };
  }
  return undefined;
}

/** The significant digits of `x.toFixed(f)` (leading zeros and the point removed); undefined where not safe. */
function fixedDigits(x: number, f: number): string | undefined {
  if (f < 0 || f > 99) return undefined;
  if (fractionBits(x, f + 1) === f + 1) return undefined;
  const text = x.toFixed(f);
  const dot = text.indexOf('.');
  const all = dot < 0 ? text : text.slice(0, dot) + text.slice(dot + 1);
  let lead = 0;
  while (lead < all.length - 1 && all.charCodeAt(lead) === 48) lead++;
  return all.slice(lead);
}

function isPowerOfTen(digits: string): boolean {
  if (digits.charCodeAt(0) !== 49) return false;
  for (let i = 1; i < digits.length; i++) if (digits.charCodeAt(i) !== 48) return false;
  return true;
}

/** `%.<precision>g` text of rounded digits. */
function significantText(negative: boolean, rounded: Rounded, precision: number): string {
  const { digits, exponent } = rounded;
  let text: string;
  if (exponent < -4 || exponent >= precision) {
    const fraction = stripZeros(digits.slice(1));
    const absExp = exponent < 0 ? -exponent : exponent;
    text =
      digits.slice(0, 1) +
      (fraction.length > 0 ? '.' + fraction : '') +
      'e' +
      (exponent < 0 ? '-' : '+') +
      padInteger(absExp, 2);
  } else if (exponent < 0) {
    let zeros = '';
    for (let i = -1; i > exponent; i--) zeros = zeros + '0';
    text = '0.' + zeros + stripZeros(digits);
  } else {
    const whole = digits.slice(0, exponent + 1);
    const fraction = stripZeros(digits.slice(exponent + 1));
    text = fraction.length > 0 ? whole + '.' + fraction : whole;
  }
  return negative ? '-' + text : text;
}

/** Rounds |x| (positive, finite) to each precision asked, expanding it exactly at most once. */
class Rounder {
  private exact: { readonly digits: string; readonly exponent10: number } | undefined;

  constructor(private readonly magnitude: number) {}

  rounded(precision: number): Rounded {
    const fast = roundedFromFixed(this.magnitude, precision);
    if (fast !== undefined) return fast;
    this.exact ??= exactDecimal(this.magnitude);
    return roundedFromExact(this.exact, precision);
  }
}

/**
 * `x` as C's `printf("%.<precision>g", x)` would print it (exponent with at least two digits, trailing
 * zeros removed), for finite x.
 */
export function formatSignificant(x: number, precision: number): string {
  if (x === 0) return 1 / x < 0 ? '-0' : '0';
  const negative = x < 0;
  return significantText(negative, new Rounder(negative ? -x : x).rounded(precision), precision);
}

/** The exact path alone (tests compare it with the fast one). */
export function formatSignificantExact(x: number, precision: number): string {
  if (x === 0) return 1 / x < 0 ? '-0' : '0';
  const negative = x < 0;
  return significantText(negative, roundedFromExact(exactDecimal(negative ? -x : x), precision), precision);
}

/**
 * A double as the shortest of its 15-, 16- and 17-significant-digit forms that reads back as the same
 * double (17 always does). Integral values below 2^53 print as digits; NaN and ±Infinity print as ''.
 *
 * @example
 * formatDouble(0.1); // '0.1'
 * formatDouble(0.1 + 0.2); // '0.30000000000000004'
 * formatDouble(1e21); // '1e+21'
 */
export function formatDouble(x: number): string {
  if (x !== x || x - x !== 0) return '';
  if (x === 0) return '0';
  if (x % 1 === 0 && x < TWO_53 && x > -TWO_53) return formatInteger(x);
  const negative = x < 0;
  const rounder = new Rounder(negative ? -x : x);
  for (let p = 15; p < 17; p++) {
    const text = significantText(negative, rounder.rounded(p), p);
    if (Number(text) === x) return text;
  }
  return significantText(negative, rounder.rounded(17), 17);
}

/**
 * A number that came from a DECIMAL(p, scale) column (exact up to 15 digits) as fixed-point text with
 * exactly `scale` decimals, e.g. `12.30` for scale 2.
 */
export function formatFixed(x: number, scale: number): string {
  if (x !== x || x - x !== 0) return '';
  if (scale <= 0) return x % 1 === 0 && x < TWO_53 && x > -TWO_53 ? formatInteger(x) : formatDouble(x);
  const negative = x < 0;
  const factor = 10 ** scale;
  const scaled = Math.floor((negative ? -x : x) * factor + 0.5);
  if (scaled >= TWO_53) return formatDouble(x);
  const digits = padInteger(scaled, scale + 1);
  const text = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  return negative && scaled > 0 ? '-' + text : text;
}
