import { coreError } from '../error-codes.js';
import type { SqlRows, SqlValue } from '../ports/sql-port.js';
import { isAllDigits } from '../text.js';

/** One result row as column name → value. */
export function rowRecords(result: SqlRows): Readonly<Record<string, SqlValue>>[] {
  return result.rows.map((row) => {
    const record: Record<string, SqlValue> = {};
    result.columns.forEach((column, i) => {
      record[column.name] = row[i] ?? null;
    });
    return record;
  });
}

/** The single number a COUNT(*) answers: a JSON number, or an exact decimal string for big values. */
export function countOf(result: SqlRows, what: string): number {
  return countAt(result, 0, what);
}

/** The count in column `index` of the first row (a number, or digits as text). */
export function countAt(result: SqlRows, index: number, what: string): number {
  const value = result.rows[0]?.[index];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && isAllDigits(value)) {
    let n = 0;
    for (let i = 0; i < value.length; i++) n = n * 10 + (value.charCodeAt(i) - 48);
    return n;
  }
  throw coreError('SME-E-SQL-RESULT', 'expected a row count for ' + what, { key: what });
}

/** A text column of a metadata row, undefined for NULL or absent. */
export function textOf(record: Readonly<Record<string, SqlValue>> | undefined, column: string): string | undefined {
  const value = record?.[column];
  return typeof value === 'string' ? value : undefined;
}

/** A numeric column of a metadata row (a number, or exact decimal text), undefined for NULL or absent. */
export function numberOf(record: Readonly<Record<string, SqlValue>> | undefined, column: string): number | undefined {
  const value = record?.[column];
  if (typeof value === 'number') return value;
  return typeof value === 'string' && value !== '' ? Number(value) : undefined;
}

/** When the job of a metadata row was dropped (its DROPPED_AT: artifacts deleted), else undefined. */
export function droppedAtOf(record: Readonly<Record<string, SqlValue>> | undefined): string | undefined {
  const value = record?.DROPPED_AT;
  return value === null || value === undefined ? undefined : typeof value === 'string' ? value : String(value);
}
