import type { SqlValue } from './core-api.js';

/**
 * The `dataType` object of a result column or prepared-statement parameter, as the WebSocket API sends it
 * (https://github.com/exasol/websocket-api/blob/master/docs/WebsocketAPIV5.md, "Data Types").
 */
export interface ExasolDataType {
  readonly type: string;
  readonly precision?: number;
  readonly scale?: number;
  readonly size?: number;
  readonly characterSet?: string;
  readonly withLocalTimeZone?: boolean;
  readonly fraction?: number;
  readonly srid?: number;
}

// TIMESTAMP without an explicit precision has 3 fraction digits; Exasol prints that type as plain `TIMESTAMP`.
const DEFAULT_TIMESTAMP_PRECISION = 3;

/**
 * The type text Exasol itself shows for a column (as in `EXA_ALL_COLUMNS.COLUMN_TYPE`), built from the
 * WebSocket API's dataType JSON: `DECIMAL(18,0)`, `VARCHAR(100) UTF8`, `CHAR(1) ASCII`, `DOUBLE`, `BOOLEAN`,
 * `DATE`, `TIMESTAMP`, `TIMESTAMP(6) WITH LOCAL TIME ZONE`, `INTERVAL DAY(2) TO SECOND(3)`, `HASHTYPE(16 BYTE)`.
 * Unknown types are passed through by name so that new server types never break a query.
 *
 * @example columnTypeText({ type: 'DECIMAL', precision: 18, scale: 0 }) // 'DECIMAL(18,0)'
 */
export function columnTypeText(dataType: ExasolDataType): string {
  const type = dataType.type.toUpperCase();
  switch (type) {
    case 'DECIMAL':
      return `DECIMAL(${dataType.precision ?? 18},${dataType.scale ?? 0})`;
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
      return 'DOUBLE';
    case 'VARCHAR':
    case 'CHAR':
      return `${type}(${dataType.size ?? 1}) ${(dataType.characterSet ?? 'UTF8').toUpperCase()}`;
    case 'TIMESTAMP':
    case 'TIMESTAMP WITH LOCAL TIME ZONE': {
      const local = type !== 'TIMESTAMP' || dataType.withLocalTimeZone === true;
      const precision = dataType.precision;
      const base =
        precision !== undefined && precision !== DEFAULT_TIMESTAMP_PRECISION ? `TIMESTAMP(${precision})` : 'TIMESTAMP';
      return local ? `${base} WITH LOCAL TIME ZONE` : base;
    }
    case 'INTERVAL YEAR TO MONTH':
      return `INTERVAL YEAR(${dataType.precision ?? 2}) TO MONTH`;
    case 'INTERVAL DAY TO SECOND':
      return `INTERVAL DAY(${dataType.precision ?? 2}) TO SECOND(${dataType.fraction ?? 3})`;
    case 'HASHTYPE':
      return dataType.size !== undefined ? `HASHTYPE(${dataType.size} BYTE)` : 'HASHTYPE';
    case 'GEOMETRY':
      return dataType.srid !== undefined ? `GEOMETRY(${dataType.srid})` : 'GEOMETRY';
    default:
      return type;
  }
}

/** True when Exasol's own encoding of this type is a JSON string holding a decimal number. */
function isExactDecimal(dataType: ExasolDataType): boolean {
  return dataType.type.toUpperCase() === 'DECIMAL' && ((dataType.scale ?? 0) > 0 || (dataType.precision ?? 18) > 18);
}

/**
 * Maps one wire value to a {@link SqlValue}. Exasol sends DECIMAL with scale and DECIMAL(19..36,0) as
 * strings, which are kept exact. Integers that a JSON parser could not hold exactly (beyond 2^53, e.g. in
 * DECIMAL(18,0)) arrive as strings too, because the adapter's socket rewrites them before the driver parses
 * the frame (see `exact-json.ts`). A number for an exact-decimal column (not what Exasol sends, but cheap to
 * tolerate) becomes its shortest exact text.
 */
export function mapValue(value: unknown, dataType: ExasolDataType): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    return isExactDecimal(dataType) ? String(value) : value;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  // The protocol has no other value kinds; keep something printable rather than crash on a new one.
  return JSON.stringify(value);
}
