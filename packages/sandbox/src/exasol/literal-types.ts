/**
 * Result types Exasol gives select-list items that DuckDB types differently: a string literal is `CHAR(n)`
 * (space-padded, https://github.com/exasol/websocket-api) and an integer literal `DECIMAL(p,0)` with p its digit count
 * (`SELECT 1` → DECIMAL(1,0)), where DuckDB says VARCHAR / INTEGER; CURRENT_USER and CURRENT_SCHEMA are `VARCHAR(128)`
 * (identifier length, https://docs.exasol.com/db/latest/sql_references/basiclanguageelements.htm). CHAR literals are
 * ASCII when every character is, as Exasol's metadata shows for `SELECT 'abc'` [unverified against a running server];
 * otherwise UTF8.
 */
import type { ExaType } from './exa-types.js';
import type { Token } from './tokenizer.js';
import { kw, splitTopLevel, stringValue } from './tokenizer.js';

const LIST_END = new Set(['FROM', 'INTO', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'HAVING', 'QUALIFY', 'CONNECT']);
const SET_OPERATORS = new Set(['UNION', 'MINUS', 'EXCEPT', 'INTERSECT']);
const MAX_CHAR = 2000;
const MAX_DECIMAL_DIGITS = 36;
const IDENTIFIER_TYPE: ExaType = { type: 'VARCHAR', size: 128, characterSet: 'UTF8' };

/**
 * Exasol's type for each item of the outermost select list where it differs from DuckDB's (`undefined`
 * where the engine's type stands), or `undefined` for queries whose items cannot be mapped to columns
 * one-to-one (`*`, set operators).
 */
export function selectListTypes(sig: readonly Token[]): (ExaType | undefined)[] | undefined {
  if (kw(sig[0]) !== 'SELECT') return undefined;
  const start = kw(sig[1]) === 'DISTINCT' || kw(sig[1]) === 'ALL' ? 2 : 1;
  let depth = 0;
  let end = sig.length;
  for (let i = start; i < sig.length; i++) {
    const x = sig[i] as Token;
    if (x.text === '(') depth++;
    else if (x.text === ')') depth--;
    else if (depth === 0 && SET_OPERATORS.has(kw(x))) return undefined;
    else if (depth === 0 && end === sig.length && LIST_END.has(kw(x))) end = i;
  }
  const items = splitTopLevel(sig.slice(start, end));
  if (items.some((item) => item.some((x) => x.text === '*') && item.length <= 3 && item.at(-1)?.text === '*'))
    return undefined;
  return items.map((item) => itemType(withoutAlias(item)));
}

function withoutAlias(item: Token[]): Token[] {
  const n = item.length;
  if (n >= 3 && kw(item[n - 2]) === 'AS') return item.slice(0, -2);
  const last = item[n - 1];
  const prev = item[n - 2];
  const isLiteral = prev?.kind === 'string' || prev?.kind === 'number';
  if (n >= 2 && isLiteral && (last?.kind === 'word' || last?.kind === 'quoted')) return item.slice(0, -1);
  return item;
}

function itemType(item: Token[]): ExaType | undefined {
  const [a, b] = item;
  if (!a) return undefined;
  if (item.length === 1 && a.kind === 'string') {
    const value = stringValue(a);
    // Exasol sizes count characters (code points), not UTF-16 units.
    const size = Array.from(value).length;
    // '' is NULL in Exasol; longer literals than CHAR allows are VARCHAR.
    if (size === 0) return undefined;
    // eslint-disable-next-line no-control-regex -- the ASCII range is the point of the check
    const characterSet = /^[\x00-\x7f]*$/.test(value) ? 'ASCII' : 'UTF8';
    return size <= MAX_CHAR ? { type: 'CHAR', size, characterSet } : { type: 'VARCHAR', size, characterSet };
  }
  const num = item.length === 1 ? a : (a.text === '-' || a.text === '+') && item.length === 2 ? b : undefined;
  if (num?.kind === 'number' && /^\d+$/.test(num.text)) {
    const digits = num.text.replace(/^0+(?=\d)/, '').length;
    return digits <= MAX_DECIMAL_DIGITS ? { type: 'DECIMAL', precision: digits, scale: 0 } : undefined;
  }
  if (item.length === 1 && a.kind === 'word') {
    const w = kw(a);
    if (w === 'CURRENT_USER' || w === 'USER' || w === 'CURRENT_SCHEMA') return IDENTIFIER_TYPE;
  }
  return undefined;
}

/** True when `override` may replace the engine's `actual` type without changing how values are encoded. */
export function compatibleOverride(actual: ExaType, override: ExaType): boolean {
  if (override.type === 'CHAR' || override.type === 'VARCHAR') return actual.type === 'VARCHAR';
  if (override.type === 'DECIMAL') return actual.type === 'DECIMAL' && actual.scale === 0;
  return false;
}
