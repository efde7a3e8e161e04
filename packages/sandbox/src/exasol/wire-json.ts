/**
 * JSON text of WebSocket API replies. Exasol writes integer DECIMAL values (scale 0, precision ≤ 18) as JSON numbers
 * with every digit, also beyond 2^53 (https://github.com/exasol/websocket-api; clients such as pyexasol and the Go
 * driver parse them losslessly). `JSON.stringify` cannot write such a number from a JS value (`JSON.rawJSON` needs Node
 * 21+), so result data is rendered here: the engine's exact digit string is spliced in unquoted.
 */
import type { ExaType, WireValue } from './exa-types.js';

/** JSON text spliced into a reply as is by {@link stringifyReply}. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** `JSON.stringify` for replies whose values may include {@link RawJson} parts (undefined members dropped). */
export function stringifyReply(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return '[' + value.map((v: unknown) => stringifyReply(v ?? null)).join(',') + ']';
  if (typeof value === 'object' && value !== null) {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) parts.push(JSON.stringify(k) + ':' + stringifyReply(v));
    }
    return '{' + parts.join(',') + '}';
  }
  // undefined inside arrays is written as null, like JSON.stringify does.
  const text = JSON.stringify(value) as string | undefined;
  return text ?? 'null';
}

/** True for the DECIMAL types Exasol sends as JSON numbers. */
export function isIntegerDecimal(t: ExaType): boolean {
  return t.type === 'DECIMAL' && t.scale === 0 && t.precision <= 18;
}

const INTEGER_TEXT = /^-?\d+$/;

/**
 * Column-major `data` of a result set or fetch answer. Cells of integer DECIMAL columns that hold the exact
 * digit string (values beyond 2^53, see `decimalWire`) become unquoted JSON numbers.
 */
export function columnMajorJson(rows: readonly (readonly WireValue[])[], types: readonly ExaType[]): RawJson {
  const columns: string[] = [];
  for (let c = 0; c < types.length; c++) {
    const values = new Array<WireValue>(rows.length);
    let exactDigits = false;
    for (let r = 0; r < rows.length; r++) {
      const v = (rows[r] as readonly WireValue[])[c] ?? null;
      values[r] = v;
      if (typeof v === 'string') exactDigits = true;
    }
    const type = types[c] as ExaType;
    if (exactDigits && isIntegerDecimal(type))
      columns.push(
        '[' +
          values.map((v) => (typeof v === 'string' && INTEGER_TEXT.test(v) ? v : JSON.stringify(v))).join(',') +
          ']',
      );
    else columns.push(JSON.stringify(values));
  }
  return new RawJson('[' + columns.join(',') + ']');
}
