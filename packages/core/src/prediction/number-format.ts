/**
 * Exact decimal formatting of doubles, identical in Node and Lua 5.4: the prediction UDF (Lua) and local
 * prediction (Node) must send the model byte-identical CSV. Neither runtime's own formatting is used (Node
 * prints the shortest round-trip text, Lua's `%.14g` loses digits); instead the double's exact binary value
 * is expanded in decimal with small-limb integer arithmetic (every step exact in IEEE doubles) and rounded
 * half-to-even like C's `printf("%.<p>g")`.
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

/**
 * `x` as C's `printf("%.<precision>g", x)` would print it (exponent with at least two digits, trailing
 * zeros removed), for finite x.
 */
export function formatSignificant(x: number, precision: number): string {
  if (x === 0) return 1 / x < 0 ? '-0' : '0';
  const negative = x < 0;
  return significantText(negative, exactDecimal(negative ? -x : x), precision);
}

/** `%.<precision>g` text of the exact expansion of |x| (computed once for all precisions tried). */
function significantText(
  negative: boolean,
  exact: { readonly digits: string; readonly exponent10: number },
  precision: number,
): string {
  const rounded = roundDigits(exact.digits, precision);
  // Scientific exponent of the rounded value.
  const exponent = exact.digits.length - 1 + exact.exponent10 + rounded.shift;
  let digits = rounded.digits;
  while (digits.length < precision) digits = digits + '0';
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
  // The exact expansion is the costly part (bignum work in Lua): once for the three precisions.
  const negative = x < 0;
  const exact = exactDecimal(negative ? -x : x);
  for (let p = 15; p < 17; p++) {
    const text = significantText(negative, exact, p);
    if (Number(text) === x) return text;
  }
  return significantText(negative, exact, 17);
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
