/**
 * CSV as SageMaker's text/csv content type reads it (RFC 4180: fields with comma, quote, CR or LF are quoted,
 * quotes doubled; no header), written and read the same way in Node and Lua.
 */
import type { SqlValue } from '../ports/sql-port.js';
import type { ColumnType } from './column-types.js';
import { formatDouble, formatFixed } from './number-format.js';

/** In Lua strings are bytes; in JavaScript UTF-16 units. `é` tells which runtime this is. */
const BYTE_STRINGS = '\u00e9'.length === 2;

/**
 * Length of `text` in UTF-8 bytes (what an HTTP body weighs), computed the same way in both runtimes.
 *
 * @example
 * utf8Length('aé€'); // 6
 */
export function utf8Length(text: string): number {
  if (BYTE_STRINGS) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      // A surrogate pair is one code point of four bytes.
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * One CSV field: quoted (quotes doubled) when it holds a comma, a quote, CR or LF; otherwise as is.
 *
 * @example
 * csvField('a,"b"'); // '"a,""b"""'
 */
export function csvField(text: string): string {
  // Four searches in the runtime's own string code (Lua: `string.find`) beat a character loop in Lua several times.
  const needs = text.includes(',') || text.includes('"') || text.includes('\n') || text.includes('\r');
  return needs ? '"' + text.split('"').join('""') + '"' : text;
}

/** A value as the text the model reads for a column of this type; NULL is the empty field. */
export function csvValueText(value: SqlValue | undefined, type: ColumnType): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (type.kind === 'decimal') return formatFixed(value, type.scale);
    return formatDouble(value);
  }
  if (typeof value === 'string') return value;
  // Lua userdata such as Exasol's decimal values: their tostring is the exact number.
  return String(value);
}

/**
 * One CSV line (without line break) of a row's values in column order.
 *
 * @example
 * encodeCsvRow(['x, y', 1.5, null], [textType, doubleType, textType]); // '"x, y",1.5,'
 */
export function encodeCsvRow(values: readonly (SqlValue | undefined)[], types: readonly ColumnType[]): string {
  const fields: string[] = [];
  for (let i = 0; i < types.length; i++) {
    const type = types[i];
    if (type !== undefined) fields.push(csvField(csvValueText(values[i], type)));
  }
  return fields.join(',');
}

/**
 * Parses CSV text into records of fields (RFC 4180; LF or CRLF line ends; a final line break is optional;
 * blank lines are skipped).
 *
 * @example
 * parseCsv('a,"b,c"\n1,2\n'); // [['a', 'b,c'], ['1', '2']]
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let i = 0;
  let quotedField = false;
  const n = text.length;
  // The next comma, LF and CR at or after the last search (-2: not searched yet, -1: none left).
  let comma = -2;
  let lf = -2;
  let cr = -2;
  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && field === '' && !quotedField)) records.push(fields);
    fields = [];
    field = '';
    quotedField = false;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 && field === '' && !quotedField) {
      quotedField = true;
      i++;
      const parts: string[] = [];
      let start = i;
      for (;;) {
        const q = text.indexOf('"', start);
        if (q < 0) {
          parts.push(text.slice(start));
          i = n;
          break;
        }
        parts.push(text.slice(start, q));
        if (text.charCodeAt(q + 1) === 34) {
          parts.push('"');
          start = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = parts.join('');
    } else if (c === 44) {
      fields.push(field);
      field = '';
      quotedField = false;
      i++;
    } else if (c === 10 || c === 13) {
      endRecord();
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      // The field ends at the next comma, LF or CR: each found by the runtime's own search (Lua: `string.find`,
      // several times faster than a character loop in Lua) and searched again only once passed, so the text is
      // still read a few times at most (-1: none left).
      if (comma !== -1 && comma < i) comma = text.indexOf(',', i);
      if (lf !== -1 && lf < i) lf = text.indexOf('\n', i);
      if (cr !== -1 && cr < i) cr = text.indexOf('\r', i);
      let j = n;
      if (comma >= 0 && comma < j) j = comma;
      if (lf >= 0 && lf < j) j = lf;
      if (cr >= 0 && cr < j) j = cr;
      field = field + text.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || fields.length > 0 || quotedField) endRecord();
  return records;
}
