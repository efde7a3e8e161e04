import { isAsciiAlnum, isAsciiLetter } from './text.js';

/** Longest Exasol identifier (EXA_ALL_… report `maxIdentifierLength` 128). */
export const MAX_IDENTIFIER_LENGTH = 128;

/** An Exasol identifier resolved to the name the database stores. */
export interface ExasolIdentifier {
  /** The stored name: upper-cased when written unquoted, exact when written in double quotes. */
  readonly name: string;
  /** Whether the user wrote it in double quotes. */
  readonly quoted: boolean;
}

export type IdentifierResult =
  { readonly ok: true; readonly identifier: ExasolIdentifier } | { readonly ok: false; readonly reason: string };

function isRegularTail(code: number): boolean {
  return isAsciiAlnum(code) || code === 95;
}

function isQuotedChar(code: number): boolean {
  // Printable ASCII except the double quote: what is inside can then never end the quoted name early.
  return code >= 32 && code <= 126 && code !== 34;
}

/**
 * Reads an identifier as Exasol would: `sales` → `SALES`, `"Sales"` → `Sales`. Only ASCII names are
 * accepted; anything else (spaces, dots, quotes, semicolons outside quotes) is refused, so a name can
 * never smuggle SQL into a statement. Output is always re-quoted with {@link quoteIdentifier}.
 *
 * @example
 * parseExasolIdentifier('my_table'); // { ok: true, identifier: { name: 'MY_TABLE', quoted: false } }
 */
export function parseExasolIdentifier(raw: string): IdentifierResult {
  if (raw.length === 0) return { ok: false, reason: 'it is empty' };
  if (raw.startsWith('"')) {
    if (raw.length < 3 || !raw.endsWith('"')) {
      return { ok: false, reason: 'a quoted name needs a closing double quote and at least one character' };
    }
    const inner = raw.slice(1, raw.length - 1);
    for (let i = 0; i < inner.length; i++) {
      if (!isQuotedChar(inner.charCodeAt(i))) {
        return { ok: false, reason: 'a quoted name may hold printable ASCII characters except the double quote' };
      }
    }
    if (inner.length > MAX_IDENTIFIER_LENGTH) {
      return { ok: false, reason: 'it is longer than 128 characters' };
    }
    return { ok: true, identifier: { name: inner, quoted: true } };
  }
  if (!isAsciiLetter(raw.charCodeAt(0))) {
    return { ok: false, reason: 'an unquoted name must start with a letter' };
  }
  for (let i = 1; i < raw.length; i++) {
    if (!isRegularTail(raw.charCodeAt(i))) {
      return {
        ok: false,
        reason: 'an unquoted name may hold only letters, digits and underscores (quote other names: "My-Name")',
      };
    }
  }
  if (raw.length > MAX_IDENTIFIER_LENGTH) {
    return { ok: false, reason: 'it is longer than 128 characters' };
  }
  return { ok: true, identifier: { name: raw.toUpperCase(), quoted: false } };
}

/**
 * A stored name as a delimited SQL identifier: wrapped in `"`, inner `"` doubled. Safe for any text.
 *
 * @example
 * quoteIdentifier('My "x"'); // '"My ""x"""'
 */
export function quoteIdentifier(name: string): string {
  return '"' + name.split('"').join('""') + '"';
}

/** `schema.table` with both parts quoted. */
export function qualifiedName(schema: string, table: string): string {
  return quoteIdentifier(schema) + '.' + quoteIdentifier(table);
}

/**
 * A string as an SQL literal: wrapped in `'`, inner `'` doubled. Safe for any text.
 *
 * @example
 * quoteLiteral("it's"); // "'it''s'"
 */
export function quoteLiteral(value: string): string {
  return "'" + value.split("'").join("''") + "'";
}
