/**
 * Parameterised statements: SQL text whose values are `:name` placeholders and whose quoted identifiers are `::name`
 * placeholders, with the values by name — the form of Exasol's scripting API, `pquery(text, params)` (docs.exasol.com,
 * scripting "Database Interaction"; Exasol's own sagemaker-extension writes `EXPORT ::t INTO CSV AT ::c FILE :f1`). In
 * a scripting program every value must travel this way: what Exasol does with a `:` inside a string literal of a
 * statement without parameters is undocumented (Exasol's Lua rule L8, packages/sandbox/README.md), and sme's values
 * (JSON payloads, ARNs, S3 URIs, timestamps) are full of colons.
 *
 * Core's builders write complete SQL text, which the Node adapter sends as it is. The Lua SqlPort turns that text
 * into a `SqlStatement` with `parameterise` and hands `text` and `params` to `pquery`; `renderStatement` is the
 * inverse (what Exasol's binding produces), so `renderStatement(parameterise(sql)) === sql` for every statement.
 */
import { quoteIdentifier, quoteLiteral } from '../identifiers.js';
import { formatNumber } from '../text.js';

/** A value bound to a `:name` placeholder (identifiers, bound to `::name`, are strings). */
export type SqlParamValue = string | number | boolean | null;

/** SQL text with `:name` / `::name` placeholders and the values to bind to them. */
export interface SqlStatement {
  readonly text: string;
  readonly params: Readonly<Record<string, SqlParamValue>>;
}

/**
 * True for `CREATE [OR REPLACE] … SCRIPT …`: the script body after `AS` is program text (Lua), not SQL, so it is
 * neither parameterised nor scanned for literals. sme writes script bodies without any `:`.
 */
export function isCreateScript(sql: string): boolean {
  let start = 0;
  while (start < sql.length && sql.charCodeAt(start) <= 32) start++;
  if (sql.substring(start, start + 6).toUpperCase() !== 'CREATE') return false;
  let end = start;
  while (end < sql.length && sql.charAt(end) !== '(' && sql.charAt(end) !== '"') end++;
  const head = ' ' + sql.substring(start, end).toUpperCase().split('\n').join(' ') + ' ';
  return head.indexOf(' SCRIPT ') >= 0;
}

/** One lexical piece of a statement: plain SQL text, a string literal or a quoted identifier (both unescaped). */
export interface SqlPiece {
  readonly kind: 'sql' | 'literal' | 'identifier';
  readonly text: string;
}

/** Splits SQL into plain text, `'…'` literals and `"…"` identifiers; comments stay plain text. */
export function sqlPieces(sql: string): SqlPiece[] {
  const pieces: SqlPiece[] = [];
  let plain = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql.charAt(i);
    if (c === '-' && sql.charAt(i + 1) === '-') {
      let end = sql.indexOf('\n', i);
      if (end < 0) end = sql.length;
      plain = plain + sql.substring(i, end);
      i = end;
    } else if (c === '/' && sql.charAt(i + 1) === '*') {
      let end = sql.indexOf('*/', i + 2);
      end = end < 0 ? sql.length : end + 2;
      plain = plain + sql.substring(i, end);
      i = end;
    } else if (c === "'" || c === '"') {
      const parts: string[] = [];
      let j = i + 1;
      let closed = false;
      while (j < sql.length) {
        const d = sql.charAt(j);
        if (d === c) {
          if (sql.charAt(j + 1) === c) {
            parts.push(c);
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        parts.push(d);
        j++;
      }
      if (!closed) {
        // Not a complete quoted token: leave it as text, the database will report it.
        plain = plain + sql.substring(i);
        break;
      }
      if (plain !== '') pieces.push({ kind: 'sql', text: plain });
      plain = '';
      pieces.push({ kind: c === "'" ? 'literal' : 'identifier', text: parts.join('') });
      i = j;
    } else {
      plain = plain + c;
      i++;
    }
  }
  if (plain !== '') pieces.push({ kind: 'sql', text: plain });
  return pieces;
}

/**
 * Which quoted identifiers become `::iN` parameters: `all`, or only those with a `:` in them (`colon`, the default).
 * Whether Exasol's `::name` inserts the name quoted is not documented, and Exasol's own sagemaker-extension binds
 * `schema.table` as one `::t` value, which only works if it is inserted unquoted; a mixed-case or hyphenated name
 * (`"churn-ep"`) would then break. A quoted identifier without `:` is safe in the text either way.
 */
export type IdentifierBinding = 'all' | 'colon';

/**
 * Moves every string literal of `sql` into a `:vN` value and quoted identifiers (see `IdentifierBinding`) into
 * `::iN` identifier parameters. A `CREATE … SCRIPT` statement is returned as it is, without parameters.
 *
 * @example
 * parameterise(`SELECT "S"."F"('a:b') AS "X" FROM DUAL`, 'all');
 * // { text: 'SELECT ::i1.::i2(:v1) AS ::i3 FROM DUAL', params: { i1: 'S', i2: 'F', v1: 'a:b', i3: 'X' } }
 */
export function parameterise(sql: string, identifiers: IdentifierBinding = 'colon'): SqlStatement {
  if (isCreateScript(sql)) return { text: sql, params: {} };
  const params: Record<string, SqlParamValue> = {};
  const out: string[] = [];
  let values = 0;
  let identifierCount = 0;
  for (const piece of sqlPieces(sql)) {
    if (piece.kind === 'sql') {
      out.push(piece.text);
    } else if (piece.kind === 'identifier' && identifiers === 'colon' && piece.text.indexOf(':') < 0) {
      out.push(quoteIdentifier(piece.text));
    } else if (piece.kind === 'literal') {
      values++;
      const name = 'v' + String(values);
      params[name] = piece.text;
      out.push(':' + name);
    } else {
      identifierCount++;
      const name = 'i' + String(identifierCount);
      params[name] = piece.text;
      out.push('::' + name);
    }
  }
  return { text: out.join(''), params };
}

function isNameChar(c: string): boolean {
  const b = c.charCodeAt(0);
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95;
}

function valueSql(value: SqlParamValue | undefined): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return formatNumber(value);
  return quoteLiteral(value ?? '');
}

/**
 * The SQL a statement means once bound, as Exasol binds it: `:name` → the value as a literal, `::name` → the value
 * as a quoted identifier. Placeholders inside literals, identifiers and comments are left alone.
 */
export function renderStatement(statement: SqlStatement): string {
  if (isCreateScript(statement.text)) return statement.text;
  const out: string[] = [];
  for (const piece of sqlPieces(statement.text)) {
    if (piece.kind === 'literal') {
      out.push(quoteLiteral(piece.text));
    } else if (piece.kind === 'identifier') {
      out.push(quoteIdentifier(piece.text));
    } else {
      const text = piece.text;
      let i = 0;
      while (i < text.length) {
        if (text.charAt(i) !== ':') {
          out.push(text.charAt(i));
          i++;
          continue;
        }
        const identifier = text.charAt(i + 1) === ':';
        let j = i + (identifier ? 2 : 1);
        while (j < text.length && isNameChar(text.charAt(j))) j++;
        const name = text.substring(i + (identifier ? 2 : 1), j);
        if (name === '') {
          out.push(text.substring(i, j));
        } else if (identifier) {
          out.push(quoteIdentifier(String(statement.params[name] ?? '')));
        } else {
          out.push(valueSql(statement.params[name]));
        }
        i = j;
      }
    }
  }
  return out.join('');
}

/**
 * The L8 rule: string literals of a statement that contain a `:` (a scripting program must not send them as text;
 * they go through the params table). For a `CREATE … SCRIPT` statement: its whole text when it holds any `:`.
 */
export function literalsWithColon(sql: string): string[] {
  if (isCreateScript(sql)) return sql.indexOf(':') >= 0 ? [sql] : [];
  const found: string[] = [];
  for (const piece of sqlPieces(sql)) {
    if (piece.kind === 'literal' && piece.text.indexOf(':') >= 0) found.push(piece.text);
  }
  return found;
}
