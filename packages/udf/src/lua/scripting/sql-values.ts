import type { SqlValue } from '@sme/core';

/**
 * A DECIMAL value of a query result, from its exact text (`tostring` of Exasol's `decimal`), as core's `SqlValue`
 * promises it: a whole number within ±(2^53 − 1) as a number, anything else (a scale, more digits) as the exact
 * decimal text. Text that is not a decimal number stays as it is.
 */
export function decimalTextValue(text: string): SqlValue {
  const negative = text.charAt(0) === '-';
  const digits = negative ? text.substring(1) : text;
  if (digits.length === 0 || digits.length > 16) return text;
  let n = 0;
  for (let i = 0; i < digits.length; i++) {
    const b = digits.charCodeAt(i);
    if (b < 48 || b > 57) return text;
    n = n * 10 + (b - 48);
  }
  if (n > 9007199254740991) return text;
  return negative ? -n : n;
}
