/**
 * Exasol data types as the WebSocket API reports them, their type text (EXA_ALL_COLUMNS.COLUMN_TYPE) and
 * how values are encoded in result sets (see
 * https://github.com/exasol/websocket-api/blob/master/docs/WebsocketAPIV3.md "Data Types").
 */
import type { Token } from './tokenizer.js';
import { kw } from './tokenizer.js';

export type ExaType =
  | { readonly type: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly type: 'DOUBLE' }
  | { readonly type: 'VARCHAR' | 'CHAR'; readonly size: number; readonly characterSet: 'UTF8' | 'ASCII' }
  | { readonly type: 'BOOLEAN' }
  | { readonly type: 'DATE' }
  | { readonly type: 'TIMESTAMP'; readonly withLocalTimeZone: boolean };

export const MAX_VARCHAR = 2_000_000;
export const DEC18: ExaType = { type: 'DECIMAL', precision: 18, scale: 0 };
export const VARCHAR_MAX: ExaType = { type: 'VARCHAR', size: MAX_VARCHAR, characterSet: 'UTF8' };
export const varchar = (size: number): ExaType => ({ type: 'VARCHAR', size, characterSet: 'UTF8' });

/** Exasol's type text, e.g. `DECIMAL(18,0)`, `VARCHAR(100) UTF8`, `TIMESTAMP`. */
export function typeText(t: ExaType): string {
  switch (t.type) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'VARCHAR':
    case 'CHAR':
      return `${t.type}(${t.size}) ${t.characterSet}`;
    case 'TIMESTAMP':
      return t.withLocalTimeZone ? 'TIMESTAMP WITH LOCAL TIME ZONE' : 'TIMESTAMP';
    default:
      return t.type;
  }
}

/** The `dataType` object of the WebSocket API. */
export function dataTypeJson(t: ExaType): Record<string, unknown> {
  switch (t.type) {
    case 'DECIMAL':
      return { type: 'DECIMAL', precision: t.precision, scale: t.scale };
    case 'VARCHAR':
    case 'CHAR':
      return { type: t.type, size: t.size, characterSet: t.characterSet };
    case 'DATE':
      return { type: 'DATE', size: 4 };
    case 'TIMESTAMP':
      return { type: 'TIMESTAMP', size: 8, withLocalTimeZone: t.withLocalTimeZone };
    default:
      return { type: t.type };
  }
}

/** Reads a `dataType` object sent by a client (prepared-statement columns). */
export function fromDataTypeJson(json: unknown): ExaType | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const j = json as Record<string, unknown>;
  const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);
  switch (j.type) {
    case 'DECIMAL':
      return { type: 'DECIMAL', precision: num(j.precision, 18), scale: num(j.scale, 0) };
    case 'DOUBLE':
    case 'BOOLEAN':
    case 'DATE':
      return { type: j.type };
    case 'VARCHAR':
    case 'CHAR':
      return {
        type: j.type,
        size: num(j.size, MAX_VARCHAR),
        characterSet: j.characterSet === 'ASCII' ? 'ASCII' : 'UTF8',
      };
    case 'TIMESTAMP':
      return { type: 'TIMESTAMP', withLocalTimeZone: j.withLocalTimeZone === true };
    default:
      return undefined;
  }
}

/** The DuckDB type that stores values of an Exasol type. */
export function duckType(t: ExaType): string {
  switch (t.type) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'VARCHAR':
    case 'CHAR':
      return 'VARCHAR';
    case 'TIMESTAMP':
      return 'TIMESTAMP';
    default:
      return t.type;
  }
}

/** Maps a DuckDB result type (its text form) to the Exasol type a real Exasol would report. */
export function fromDuckType(text: string): ExaType {
  const dec = /^DECIMAL\((\d+),(\d+)\)$/.exec(text);
  if (dec) return { type: 'DECIMAL', precision: Math.min(Number(dec[1]), 36), scale: Number(dec[2]) };
  switch (text) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'UTINYINT':
    case 'USMALLINT':
    case 'UINTEGER':
      return DEC18;
    case 'HUGEINT':
    case 'UBIGINT':
    case 'UHUGEINT':
      return { type: 'DECIMAL', precision: 36, scale: 0 };
    case 'DOUBLE':
    case 'FLOAT':
      return { type: 'DOUBLE' };
    case 'BOOLEAN':
      return { type: 'BOOLEAN' };
    case 'DATE':
      return { type: 'DATE' };
    case 'TIMESTAMP':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_NS':
      return { type: 'TIMESTAMP', withLocalTimeZone: false };
    case 'TIMESTAMP WITH TIME ZONE':
      return { type: 'TIMESTAMP', withLocalTimeZone: true };
    default:
      return VARCHAR_MAX;
  }
}

/** Thrown when a type name is not an Exasol type. */
export class TypeSyntaxError extends Error {
  override readonly name = 'TypeSyntaxError';
}

/**
 * Parses an Exasol column type from significant tokens starting at `at`; returns the type and the index
 * after it. Aliases per https://docs.exasol.com/db/latest/sql_references/data_types/datatypealiases.htm.
 */
export function parseType(tokens: readonly Token[], at: number): { type: ExaType; next: number } {
  let i = at;
  const word = (): string => kw(tokens[i]);
  const args = (): number[] => {
    const out: number[] = [];
    if (tokens[i]?.text !== '(') return out;
    i++;
    while (i < tokens.length && tokens[i]?.text !== ')') {
      const t = tokens[i];
      if (t?.kind === 'number') out.push(Number(t.text));
      i++;
    }
    i++;
    return out;
  };
  const charset = (): 'UTF8' | 'ASCII' => {
    if (word() === 'CHARACTER' && kw(tokens[i + 1]) === 'SET') i += 2;
    const w = word();
    if (w === 'UTF8' || w === 'ASCII') {
      i++;
      return w;
    }
    return 'UTF8';
  };
  const first = word();
  i++;
  switch (first) {
    case 'DECIMAL':
    case 'DEC':
    case 'NUMERIC':
    case 'NUMBER': {
      const [p = 18, s = 0] = args();
      if (p < 1 || p > 36 || s < 0 || s > p) throw new TypeSyntaxError(`invalid precision or scale DECIMAL(${p},${s})`);
      return { type: { type: 'DECIMAL', precision: p, scale: s }, next: i };
    }
    case 'INT':
    case 'INTEGER':
      return { type: DEC18, next: i };
    case 'BIGINT':
      return { type: { type: 'DECIMAL', precision: 36, scale: 0 }, next: i };
    case 'SMALLINT':
      return { type: { type: 'DECIMAL', precision: 9, scale: 0 }, next: i };
    case 'TINYINT':
      return { type: { type: 'DECIMAL', precision: 3, scale: 0 }, next: i };
    case 'SHORTINT':
      return { type: { type: 'DECIMAL', precision: 9, scale: 0 }, next: i };
    case 'DOUBLE':
      if (word() === 'PRECISION') i++;
      return { type: { type: 'DOUBLE' }, next: i };
    case 'FLOAT':
    case 'REAL':
      args();
      return { type: { type: 'DOUBLE' }, next: i };
    case 'BOOLEAN':
    case 'BOOL':
      return { type: { type: 'BOOLEAN' }, next: i };
    case 'DATE':
      return { type: { type: 'DATE' }, next: i };
    case 'TIMESTAMP': {
      args();
      if (word() === 'WITH' && kw(tokens[i + 1]) === 'LOCAL') {
        i += 4;
        return { type: { type: 'TIMESTAMP', withLocalTimeZone: true }, next: i };
      }
      return { type: { type: 'TIMESTAMP', withLocalTimeZone: false }, next: i };
    }
    case 'CHAR':
    case 'CHARACTER':
    case 'NCHAR': {
      if (word() === 'VARYING') {
        i++;
        return varcharOf(args()[0], charset());
      }
      const [size = 1] = args();
      if (size < 1 || size > 2000) throw new TypeSyntaxError(`invalid CHAR size ${size}`);
      return { type: { type: 'CHAR', size, characterSet: charset() }, next: i };
    }
    case 'VARCHAR':
    case 'VARCHAR2':
    case 'NVARCHAR':
    case 'NVARCHAR2':
      return varcharOf(args()[0], charset());
    case 'CLOB':
    case 'LONG':
      if (word() === 'VARCHAR') i++;
      return { type: VARCHAR_MAX, next: i };
    default:
      throw new TypeSyntaxError(`unknown data type ${first || (tokens[at]?.text ?? 'end of statement')}`);
  }
  function varcharOf(size: number | undefined, cs: 'UTF8' | 'ASCII'): { type: ExaType; next: number } {
    if (size === undefined) throw new TypeSyntaxError('VARCHAR needs a size, e.g. VARCHAR(100)');
    if (size < 1 || size > MAX_VARCHAR) throw new TypeSyntaxError(`invalid VARCHAR size ${size}`);
    return { type: { type: 'VARCHAR', size, characterSet: cs }, next: i };
  }
}

/** JSON value of a result cell, from what the engine returned. */
export type WireValue = string | number | boolean | null;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Formats days since 1970-01-01 as `YYYY-MM-DD`. */
export function formatDate(days: number): string {
  const d = new Date(days * 86_400_000);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Formats microseconds since the epoch as Exasol prints a TIMESTAMP: `YYYY-MM-DD HH:MM:SS.ffffff`. */
export function formatTimestamp(micros: bigint): string {
  const ms = micros / 1000n;
  let frac = micros % 1_000_000n;
  if (frac < 0n) frac += 1_000_000n;
  const d = new Date(Number(ms - (ms % 1000n) - (micros < 0n && frac !== 0n ? 1000n : 0n)));
  const date = formatDate(Math.floor(d.getTime() / 86_400_000));
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return `${date} ${time}.${String(frac).padStart(6, '0')}`;
}

/** Formats an unscaled integer with a scale as a plain decimal string (`150n`, 2 → `1.50`). */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString();
  if (scale === 0) return (neg ? '-' : '') + digits;
  const padded = digits.padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

/**
 * Encodes a decimal value for the wire: integers of at most 18 digits as numbers, anything with a scale or more digits
 * as strings (https://github.com/exasol/websocket-api). An integer a JS number cannot hold exactly (beyond 2^53) stays
 * its digit string here; the reply writer (`columnMajorJson`) sends it as an unquoted JSON number, as Exasol does.
 */
export function decimalWire(text: string, t: { precision: number; scale: number }): WireValue {
  if (t.scale === 0 && t.precision <= 18) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  return text;
}

/** Pads a CHAR(n) value with spaces like Exasol does. */
export function padChar(value: string, size: number): string {
  return value.length >= size ? value : value + ' '.repeat(size - value.length);
}

/** The current UTC time as an SQL TIMESTAMP literal (the engine has no time-zone extension offline). */
export function nowLiteral(): string {
  return `TIMESTAMP '${new Date().toISOString().replace('T', ' ').replace('Z', '')}'`;
}
