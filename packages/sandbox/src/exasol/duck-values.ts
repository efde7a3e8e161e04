import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBResult,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { ExaType, WireValue } from './exa-types.js';
import { decimalWire, formatDate, formatDecimal, formatTimestamp, fromDuckType, padChar } from './exa-types.js';

/** Converts one DuckDB cell to its Exasol wire encoding under the column's Exasol type. */
export function toWire(value: DuckDBValue, type: ExaType): WireValue {
  if (value === null) return null;
  if (value instanceof DuckDBDecimalValue) {
    const text = formatDecimal(value.value, value.scale);
    return type.type === 'DECIMAL' ? decimalWire(text, type) : text;
  }
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue)
    return formatTimestamp(value.micros);
  if (value instanceof DuckDBDateValue) return formatDate(value.days);
  if (typeof value === 'bigint')
    return type.type === 'DECIMAL' ? decimalWire(value.toString(), type) : value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return value;
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return type.type === 'CHAR' ? padChar(value, type.size) : value;
  return String(value);
}

/** Exasol types of a DuckDB result's columns (declared types override where the caller knows them). */
export function resultTypes(result: DuckDBResult): ExaType[] {
  return result.columnTypes().map((t) => {
    if (t.typeId === DuckDBTypeId.SQLNULL) return { type: 'VARCHAR', size: 1, characterSet: 'UTF8' } as const;
    return fromDuckType(t.toString());
  });
}
