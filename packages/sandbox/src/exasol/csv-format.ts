/**
 * CSV as Exasol's EXPORT writes it (https://docs.exasol.com/db/latest/sql/export.htm, csv_cols and file options):
 * separators, delimiters, the NULL text and DELIMIT=AUTO|ALWAYS|NEVER. The writer threads (csv-writers.ts) follow
 * the same field rule.
 */
import type { WireValue } from './exa-types.js';

export interface CsvOptions {
  readonly columnSeparator: string;
  readonly columnDelimiter: string;
  readonly rowSeparator: string;
  readonly nullText: string;
  readonly delimit: 'AUTO' | 'ALWAYS' | 'NEVER';
}

export const DEFAULT_CSV: CsvOptions = {
  columnSeparator: ',',
  columnDelimiter: '"',
  rowSeparator: '\n',
  nullText: '',
  delimit: 'AUTO',
};

/** One CSV field as Exasol writes it: DELIMIT=AUTO encloses only when needed (separator, delimiter, line break). */
export function csvField(value: WireValue, o: CsvOptions): string {
  if (value === null) return o.nullText;
  const text = typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value);
  if (o.delimit === 'NEVER' || o.columnDelimiter === '') return text;
  const needs =
    o.delimit === 'ALWAYS' ||
    text.includes(o.columnSeparator) ||
    text.includes(o.columnDelimiter) ||
    text.includes('\n') ||
    text.includes('\r');
  if (!needs) return text;
  const d = o.columnDelimiter;
  return d + text.split(d).join(d + d) + d;
}

export function csvRows(rows: readonly (readonly WireValue[])[], o: CsvOptions): string {
  let out = '';
  for (const r of rows) out += r.map((v) => csvField(v, o)).join(o.columnSeparator) + o.rowSeparator;
  return out;
}
