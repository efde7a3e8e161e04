/**
 * Exasol column types as the prediction path needs them: how a value is written into the CSV the model
 * reads, how a predicted label is typed on the way back, and whether a type text is safe to put into DDL.
 */
import { coreError } from '../error-codes.js';
import { describeValue, isAllDigits, isAsciiAlnum } from '../text.js';

export type ColumnKind = 'decimal' | 'double' | 'boolean' | 'text' | 'date' | 'timestamp' | 'other';

/** A column type text (as EXA_ALL_COLUMNS reports it) read for CSV encoding. */
export interface ColumnType {
  readonly kind: ColumnKind;
  /** Decimal places of a DECIMAL (0 for other kinds). */
  readonly scale: number;
  /** The type text, upper-cased and trimmed: what goes into a CREATE SCRIPT parameter list. */
  readonly text: string;
}

function isTypeChar(code: number): boolean {
  // Letters, digits, space, parentheses, comma: every Exasol type text, and nothing that could end a DDL list early.
  return isAsciiAlnum(code) || code === 32 || code === 40 || code === 41 || code === 44 || code === 95;
}

function decimalScale(text: string): number {
  const open = text.indexOf('(');
  const close = text.indexOf(')');
  if (open < 0 || close < open) return 0;
  const inside = text.slice(open + 1, close);
  const comma = inside.indexOf(',');
  if (comma < 0) return 0;
  const scale = inside.slice(comma + 1).trim();
  if (!isAllDigits(scale)) return 0;
  let n = 0;
  for (let i = 0; i < scale.length; i++) n = n * 10 + (scale.charCodeAt(i) - 48);
  return n;
}

/**
 * Reads a type text such as `DECIMAL(18,2)`, `VARCHAR(100) UTF8`, `DOUBLE PRECISION`, `TIMESTAMP(3) WITH LOCAL
 * TIME ZONE`. Throws `SME-E-COLUMN-TYPE` for text that is not a type (it would be unsafe in DDL).
 *
 * @example
 * parseColumnType('DECIMAL(9,2)'); // { kind: 'decimal', scale: 2, text: 'DECIMAL(9,2)' }
 */
export function parseColumnType(typeText: string): ColumnType {
  const text = typeText.trim().toUpperCase();
  let safe = text.length > 0 && text.length <= 100;
  for (let i = 0; safe && i < text.length; i++) safe = isTypeChar(text.charCodeAt(i));
  if (!safe) {
    throw coreError('SME-E-COLUMN-TYPE', 'column type ' + describeValue(typeText) + ' is not an Exasol type', {
      key: 'COLUMN_TYPES',
      value: describeValue(typeText),
    });
  }
  const word = (prefix: string): boolean =>
    text === prefix || text.startsWith(prefix + '(') || text.startsWith(prefix + ' ');
  let kind: ColumnKind = 'other';
  let scale = 0;
  if (word('DECIMAL') || word('NUMERIC') || word('NUMBER') || word('DEC')) {
    kind = 'decimal';
    scale = decimalScale(text);
  } else if (word('INTEGER') || word('INT') || word('BIGINT') || word('SMALLINT') || word('TINYINT')) {
    kind = 'decimal';
  } else if (word('DOUBLE') || word('FLOAT') || word('REAL')) {
    kind = 'double';
  } else if (word('BOOLEAN') || word('BOOL')) {
    kind = 'boolean';
  } else if (
    word('VARCHAR') ||
    word('CHAR') ||
    word('CHARACTER') ||
    word('NVARCHAR') ||
    word('NCHAR') ||
    word('CLOB')
  ) {
    kind = 'text';
  } else if (word('DATE')) {
    kind = 'date';
  } else if (word('TIMESTAMP')) {
    kind = 'timestamp';
  }
  return { kind, scale, text };
}
