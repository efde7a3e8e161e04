import { isInteger, parse } from 'lossless-json';

// A JSON integer needs 16+ digits before it can exceed 2^53 - 1; most frames have no such run and skip the slow path.
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * Rewrites a JSON text so that integer literals a JavaScript number cannot hold exactly become strings, and returns
 * every other text unchanged. The driver parses frames with `JSON.parse`, and Exasol sends integer DECIMAL(≤18,0)
 * values as JSON numbers (https://github.com/exasol/websocket-api), so 9007199254740993 would otherwise arrive as
 * 9007199254740992. Decimals with a fraction and DOUBLE values are left as numbers.
 *
 * @example exactIntegersAsStrings('[9007199254740993,1]') // '["9007199254740993",1]'
 */
export function exactIntegersAsStrings(text: string): string {
  if (!LONG_DIGIT_RUN.test(text)) return text;
  const value = parse(text, null, (literal: string) =>
    isInteger(literal) && !Number.isSafeInteger(Number(literal)) ? literal : Number(literal),
  );
  return JSON.stringify(value);
}
