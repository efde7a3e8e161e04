/**
 * How the session turns Exasol SQL into DuckDB SQL: context words (CURRENT_USER, NPROC(), IPROC(), ROWNUM, NOW …)
 * become values or expressions, system objects move to the SYS schema, unaliased select items get Exasol's column
 * names, and literal types refine a query's result types.
 */
import { isSystemObject } from './catalog-sql.js';
import { iprocSql, ROWNUM_SQL, type ClusterShape } from './cluster.js';
import { compatibleOverride, selectListTypes } from './literal-types.js';
import type { ExaResult, QualifiedName } from './result.js';
import type { Token } from './tokenizer.js';
import { identifierName, kw, quoteIdent, quoteString, significant, splitTopLevel } from './tokenizer.js';

/** What the rewrite reads of the session. */
export interface RewriteContext {
  readonly sessionId: string;
  readonly user: string;
  readonly currentSchema: string | null;
  readonly cluster: ClusterShape;
  /** The database's clock. */
  nowMillis(): number;
}

/** Exasol functions without parentheses (or DuckDB spelling) that the session answers itself. */
export const CONTEXT_WORDS = new Set([
  'CURRENT_SESSION',
  'CURRENT_USER',
  'USER',
  'CURRENT_SCHEMA',
  'SYSTIMESTAMP',
  'CURRENT_TIMESTAMP',
  'LOCALTIMESTAMP',
  'NOW',
  'SYSDATE',
  'CURRENT_DATE',
  'NPROC',
  'IPROC',
  'ROWNUM',
]);

/** Words that end an expression rather than name an alias (used to decide whether a select item has one). */
const NON_ALIAS_WORDS = new Set(['END', 'NULL', 'TRUE', 'FALSE', 'AND', 'OR', 'NOT', 'IS', 'DISTINCT']);

/** Tables and views a query names (for declared VARCHAR/CHAR sizes in its result metadata). */
export function referencedTables(currentSchema: string | null, t: readonly Token[]): QualifiedName[] {
  const out: QualifiedName[] = [];
  for (let i = 0; i < t.length; i++) {
    const tok = t[i];
    if (!tok || (tok.kind !== 'word' && tok.kind !== 'quoted') || t[i - 1]?.text === '.') continue;
    if (t[i + 1]?.text === '(') continue;
    const next = t[i + 2];
    if (t[i + 1]?.text === '.' && next && (next.kind === 'word' || next.kind === 'quoted')) {
      out.push({ schema: identifierName(tok), name: identifierName(next) });
      i += 2;
    } else if (currentSchema !== null && tok.kind === 'quoted') {
      out.push({ schema: currentSchema, name: identifierName(tok) });
    } else if (currentSchema !== null && tok.kind === 'word' && !RESERVED_HINT.has(kw(tok))) {
      out.push({ schema: currentSchema, name: identifierName(tok) });
    }
  }
  return out;
}

/** Rewrites Exasol tokens (all, whitespace included) into DuckDB SQL. */
export function toDuckSql(r: RewriteContext, tokens: readonly Token[]): string {
  let out = '';
  const sigIdx: Token[] = significant(tokens);
  const prevOf = new Map<Token, Token | undefined>();
  const nextOf = new Map<Token, Token | undefined>();
  sigIdx.forEach((tok, i) => {
    prevOf.set(tok, sigIdx[i - 1]);
    nextOf.set(tok, sigIdx[i + 1]);
  });
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as Token;
    if (tok.kind !== 'word') {
      out += tok.text;
      continue;
    }
    const upper = tok.text.toUpperCase();
    const prev = prevOf.get(tok);
    const next = nextOf.get(tok);
    const qualified = prev?.text === '.';
    if (!qualified && CONTEXT_WORDS.has(upper)) {
      const replaced = contextValue(r, upper, next);
      if (replaced !== undefined) {
        out += replaced.sql;
        if (replaced.skipParens && next?.text === '(') {
          // drop the `()` that follows NPROC / NOW / SYSDATE
          while (i < tokens.length && tokens[i]?.text !== ')') i++;
        }
        continue;
      }
    }
    if (!qualified && next?.text !== '.' && isSystemObject(upper)) {
      out += `"SYS".${quoteIdent(upper)}`;
      continue;
    }
    if ((upper === 'UTF8' || upper === 'ASCII') && prev?.text === ')') continue;
    out += upper;
  }
  return out;
}

function contextValue(
  r: RewriteContext,
  word: string,
  next: Token | undefined,
): { sql: string; skipParens: boolean } | undefined {
  const now = new Date(r.nowMillis()).toISOString().replace('T', ' ').replace('Z', '');
  switch (word) {
    case 'CURRENT_SESSION':
      return { sql: `CAST(${r.sessionId} AS DECIMAL(20,0))`, skipParens: false };
    case 'CURRENT_USER':
    case 'USER':
      return { sql: quoteString(r.user), skipParens: false };
    case 'CURRENT_SCHEMA':
      return {
        sql: r.currentSchema === null ? 'CAST(NULL AS VARCHAR)' : quoteString(r.currentSchema),
        skipParens: false,
      };
    case 'NPROC':
      return next?.text === '('
        ? { sql: `CAST(${String(r.cluster.nodes)} AS DECIMAL(18,0))`, skipParens: true }
        : undefined;
    case 'IPROC':
      return next?.text === '(' ? { sql: iprocSql(r.cluster.nodes), skipParens: true } : undefined;
    case 'ROWNUM':
      return next?.text === '(' ? undefined : { sql: ROWNUM_SQL, skipParens: false };
    case 'NOW':
    case 'SYSDATE':
      if (next?.text !== '(' && word === 'NOW') return undefined;
      return {
        sql: word === 'SYSDATE' ? `DATE '${now.slice(0, 10)}'` : `TIMESTAMP '${now}'`,
        skipParens: next?.text === '(',
      };
    case 'CURRENT_DATE':
      return { sql: `DATE '${now.slice(0, 10)}'`, skipParens: false };
    default:
      return { sql: `TIMESTAMP '${now}'`, skipParens: false };
  }
}

/** Words that never name a table (so `referencedTables` does not look them up). */
const RESERVED_HINT = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP',
  'BY',
  'ORDER',
  'HAVING',
  'AS',
  'AND',
  'OR',
  'NOT',
  'NULL',
  'JOIN',
  'ON',
  'LEFT',
  'RIGHT',
  'INNER',
  'OUTER',
  'FULL',
  'CROSS',
  'UNION',
  'ALL',
  'DISTINCT',
  'LIMIT',
  'OFFSET',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'IS',
  'IN',
  'LIKE',
  'BETWEEN',
  'WITH',
  'ASC',
  'DESC',
  'TRUE',
  'FALSE',
  'EXISTS',
  'CAST',
  'INTERSECT',
  'EXCEPT',
  'MINUS',
  'NULLS',
  'FIRST',
  'LAST',
  'OVER',
  'PARTITION',
  'VALUES',
]);

/** Applies Exasol's literal and context-function types to a query's columns (see literal-types.ts). */
export function withLiteralTypes(result: ExaResult, t: readonly Token[]): ExaResult {
  if (result.kind !== 'resultSet') return result;
  const types = selectListTypes(t);
  if (types?.length !== result.columns.length) return result;
  const columns = result.columns.map((c, i) => {
    const override = types[i];
    return override === undefined || !compatibleOverride(c.type, override) ? c : { name: c.name, type: override };
  });
  return columns.some((c, i) => c !== result.columns[i]) ? { ...result, columns } : result;
}

/** All tokens (whitespace included) from the first to the last of a run of significant tokens. */
export function tokensBetween(all: readonly Token[], sig: readonly Token[]): Token[] {
  const first = sig[0];
  const last = sig[sig.length - 1];
  if (!first || !last) return [];
  return all.slice(all.indexOf(first), all.indexOf(last) + 1);
}

/**
 * Exasol names an unaliased expression column by its text (`COUNT(*)`, `1+2`), DuckDB by its own rendering;
 * add the Exasol name as an alias to the outermost select list so result metadata matches.
 */
export function aliasSelectItems(all: Token[]): Token[] {
  const sig = significant(all);
  if (kw(sig[0]) !== 'SELECT') return all;
  let start = 1;
  if (kw(sig[1]) === 'DISTINCT' || kw(sig[1]) === 'ALL') start = 2;
  let depth = 0;
  let end = sig.length;
  for (let i = start; i < sig.length; i++) {
    const x = sig[i] as Token;
    if (x.text === '(') depth++;
    else if (x.text === ')') depth--;
    else if (depth === 0 && ['FROM', 'INTO', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'UNION', 'HAVING'].includes(kw(x))) {
      end = i;
      break;
    }
  }
  const items = splitTopLevel(sig.slice(start, end));
  const additions = new Map<Token, string>();
  for (const item of items) {
    const last = item[item.length - 1];
    if (!last || item.some((x) => x.text === '*' && item.length === 1)) continue;
    const prev = item[item.length - 2];
    const simpleRef =
      item.every((x) => x.kind === 'word' || x.kind === 'quoted' || x.text === '.') &&
      (item.length === 1 || item[item.length - 2]?.text === '.');
    if (simpleRef && !(item.length === 1 && last.kind === 'word' && CONTEXT_WORDS.has(kw(last)))) continue;
    if (kw(prev) === 'AS') continue;
    if (last.text.endsWith('*')) continue;
    const hasAlias =
      (last.kind === 'quoted' || (last.kind === 'word' && !NON_ALIAS_WORDS.has(kw(last)))) &&
      prev !== undefined &&
      (prev.kind === 'word' ||
        prev.kind === 'quoted' ||
        prev.kind === 'number' ||
        prev.kind === 'string' ||
        prev.text === ')');
    if (hasAlias) continue;
    const text = item
      .map((x) => (x.kind === 'word' ? x.text.toUpperCase() : x.text))
      .join('')
      .slice(0, 128);
    additions.set(last, ` AS ${quoteIdent(text)}`);
  }
  if (additions.size === 0) return all;
  const out: Token[] = [];
  for (const x of all) {
    out.push(x);
    const add = additions.get(x);
    if (add !== undefined) out.push({ kind: 'ws', text: add, start: x.start });
  }
  return out;
}
