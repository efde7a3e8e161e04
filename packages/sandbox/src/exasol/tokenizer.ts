/**
 * A lossless tokenizer for Exasol SQL: concatenating every token's `text` gives the input back, so the
 * server can rewrite single tokens (identifier folding, system names, bindings) and leave the rest as sent.
 * Lexical rules follow Exasol's SQL reference (https://docs.exasol.com/db/latest/sql_references/basiclanguageelements.htm):
 * `--` and `/* *\/` comments, '…' strings with '' escapes, "…" identifiers with "" escapes, unquoted
 * identifiers folded to upper case.
 */

export type TokenKind =
  'word' | 'quoted' | 'string' | 'number' | 'op' | 'param' | 'named' | 'namedIdent' | 'ws' | 'comment';

export interface Token {
  readonly kind: TokenKind;
  /** Source text, exactly as written. */
  readonly text: string;
  /** Offset of the token in the input. */
  readonly start: number;
}

/** Raised for an unterminated string, identifier or comment (Exasol answers those with a syntax error). */
export class TokenizeError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'TokenizeError';
  }
}

const isWordStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c);
const isWordPart = (c: string): boolean => /[A-Za-z0-9_$#\u0080-\uffff]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const TWO_CHAR_OPS = new Set(['<=', '>=', '<>', '!=', '||', '::', '=>']);

/** Splits SQL text into tokens. `:name` / `::name` become binding tokens (used by the Lua `query` API). */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number): void => {
    tokens.push({ kind, text: sql.slice(i, end), start: i });
    i = end;
  };
  while (i < sql.length) {
    const c = sql.charAt(i);
    const next = sql.charAt(i + 1);
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql.charAt(j))) j++;
      push('ws', j);
    } else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      push('comment', nl === -1 ? sql.length : nl);
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new TokenizeError('unterminated comment', i);
      push('comment', end + 2);
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new TokenizeError(c === "'" ? 'unterminated string' : 'unterminated identifier', i);
        if (sql.charAt(j) === c) {
          if (sql.charAt(j + 1) === c) j += 2;
          else break;
        } else j++;
      }
      push(c === "'" ? 'string' : 'quoted', j + 1);
    } else if (isDigit(c) || (c === '.' && isDigit(next))) {
      let j = i;
      while (j < sql.length && isDigit(sql.charAt(j))) j++;
      if (sql.charAt(j) === '.') {
        j++;
        while (j < sql.length && isDigit(sql.charAt(j))) j++;
      }
      if (/[eE]/.test(sql.charAt(j)) && /[0-9+-]/.test(sql.charAt(j + 1))) {
        j += 2;
        while (j < sql.length && isDigit(sql.charAt(j))) j++;
      }
      push('number', j);
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < sql.length && isWordPart(sql.charAt(j))) j++;
      push('word', j);
    } else if (c === ':' && next === ':' && isWordStart(sql.charAt(i + 2))) {
      let j = i + 3;
      while (j < sql.length && isWordPart(sql.charAt(j))) j++;
      push('namedIdent', j);
    } else if (c === ':' && isWordStart(next)) {
      let j = i + 2;
      while (j < sql.length && isWordPart(sql.charAt(j))) j++;
      push('named', j);
    } else if (c === '?') {
      push('param', i + 1);
    } else if (TWO_CHAR_OPS.has(c + next)) {
      push('op', i + 2);
    } else {
      push('op', i + 1);
    }
  }
  return tokens;
}

/** Tokens that carry meaning (no whitespace, no comments). */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
}

/** Upper-cased text of a word token ('' for other kinds): how keywords are compared. */
export function kw(token: Token | undefined): string {
  return token?.kind === 'word' ? token.text.toUpperCase() : '';
}

/** The Exasol name a word or quoted token denotes: unquoted folds to upper case, quoted keeps its case. */
export function identifierName(token: Token): string {
  if (token.kind === 'quoted') return token.text.slice(1, -1).replaceAll('""', '"');
  return token.text.toUpperCase();
}

/** Quotes a name as an Exasol/DuckDB delimited identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a value as an SQL string literal. */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The value of a string literal token. */
export function stringValue(token: Token): string {
  return token.text.slice(1, -1).replaceAll("''", "'");
}

/** Splits tokens at top-level (parenthesis depth 0) occurrences of `,`. */
export function splitTopLevel(tokens: readonly Token[], separator = ','): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'op' && t.text === '(') depth++;
    if (t.kind === 'op' && t.text === ')') depth--;
    if (depth === 0 && t.kind === 'op' && t.text === separator) parts.push([]);
    else parts[parts.length - 1]?.push(t);
  }
  return parts;
}

/** Index of the `)` closing the `(` at `open` in a token list, or -1. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind !== 'op') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Source text spanned by a run of significant tokens (original spacing kept). */
export function sourceOf(sql: string, tokens: readonly Token[]): string {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (first === undefined || last === undefined) return '';
  return sql.slice(first.start, last.start + last.text.length);
}

/** Index in `all` of the token starting where `token` starts (tokens of different tokenize calls match). */
export function indexAt(all: readonly Token[], token: Token): number {
  return all.findIndex((t) => t.start === token.start);
}
