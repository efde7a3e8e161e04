/**
 * Exact name resolution on top of DuckDB. Exasol folds unquoted identifiers to upper case and matches names
 * exactly, so after `CREATE TABLE t ("Mixed" INT)` the query `SELECT mixed FROM t` fails (MIXED not found).
 * DuckDB matches every identifier case-insensitively, quoted or not, and has no setting to change that
 * (https://duckdb.org/docs/stable/sql/dialect/keywords_and_identifiers — "identifiers in DuckDB are always
 * case-insensitive"; `preserve_identifier_case` only controls how names are stored). So before a statement is
 * handed to DuckDB, every name it uses is looked up in the catalog: a name DuckDB would find only under
 * another case is refused with Exasol's "object … not found" (42000) instead.
 */
import { ExaSqlError } from './sql-error.js';
import type { Token } from './tokenizer.js';
import { identifierName, kw } from './tokenizer.js';

/** A name that only differs in case from what the catalog holds. */
export interface CaseMismatch {
  /** The Exasol name the statement used (after folding). */
  readonly name: string;
  /** The catalog names DuckDB would have taken instead. */
  readonly catalog: readonly string[];
}

/**
 * The names a statement may resolve against the catalog (schemas, tables, views, columns), by their Exasol
 * name. Left out: keywords, function names (followed by `(`), typed literals (`DATE '…'`), the words after
 * `AS`, and every alias or CTE name the statement itself defines (and its other uses), since those never
 * reach the catalog.
 */
export function catalogNameUses(sig: readonly Token[], keywords: ReadonlySet<string>): Map<string, Token> {
  const defined = new Set<string>();
  const candidates: Token[] = [];
  for (let i = 0; i < sig.length; i++) {
    const tok = sig[i] as Token;
    if (tok.kind !== 'word' && tok.kind !== 'quoted') continue;
    const prev = sig[i - 1];
    const next = sig[i + 1];
    const upper = tok.text.toUpperCase();
    if (tok.kind === 'word' && (keywords.has(upper) || next?.text === '(' || next?.kind === 'string')) continue;
    if (next?.text === '(' && tok.kind === 'quoted') continue;
    const name = identifierName(tok);
    // `x AS alias`, `CAST(x AS type)`, `WITH cte AS (…)`, `expr alias`, `table alias`, `(subquery) alias`
    const afterAs = kw(prev) === 'AS';
    const implicitAlias =
      prev !== undefined &&
      prev.text !== '.' &&
      next?.text !== '.' &&
      ((prev.kind === 'word' && !keywords.has(prev.text.toUpperCase())) ||
        prev.kind === 'quoted' ||
        prev.kind === 'number' ||
        prev.kind === 'string' ||
        prev.text === ')');
    const cteName = kw(next) === 'AS' && sig[i + 2]?.text === '(';
    if (afterAs || implicitAlias || cteName) {
      defined.add(name.toUpperCase());
      continue;
    }
    candidates.push(tok);
  }
  const uses = new Map<string, Token>();
  for (const tok of candidates) {
    const name = identifierName(tok);
    if (!defined.has(name.toUpperCase()) && !uses.has(name)) uses.set(name, tok);
  }
  return uses;
}

/** The first used name that the catalog holds only under another case. */
export function caseMismatch(used: Iterable<string>, catalogNames: readonly string[]): CaseMismatch | undefined {
  const byFolded = new Map<string, string[]>();
  for (const n of catalogNames) {
    const key = n.toLowerCase();
    byFolded.set(key, [...(byFolded.get(key) ?? []), n]);
  }
  for (const name of used) {
    const catalog = byFolded.get(name.toLowerCase());
    if (catalog !== undefined && !catalog.includes(name)) return { name, catalog };
  }
  return undefined;
}

/** Exasol's error for a name that does not resolve; names that need quotes are shown quoted. */
export function objectNotFound(name: string, sessionId: string): ExaSqlError {
  const shown = /^[A-Z_][A-Z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
  return new ExaSqlError(`object ${shown} not found (Session: ${sessionId})`, '42000');
}

/** DuckDB SQL listing the catalog names that equal one of `names` regardless of case. */
export function catalogNamesSql(names: readonly string[]): string {
  const list = names.map((n) => `'${n.toLowerCase().replaceAll("'", "''")}'`).join(', ');
  return `SELECT DISTINCT n FROM (
    SELECT schema_name AS n FROM duckdb_schemas() WHERE database_name = current_database()
    UNION ALL SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()
    UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal
    UNION ALL SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND NOT internal
  ) WHERE lower(n) IN (${list})`;
}

/** The significant tokens of a statement whose names resolve against the catalog (none for DDL that defines names). */
export function resolvedPart(sig: readonly Token[]): readonly Token[] {
  const w0 = kw(sig[0]);
  if (['SELECT', 'WITH', 'VALUES', 'INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(w0) || sig[0]?.text === '(')
    return sig;
  if (w0 === 'EXPORT') {
    const into = sig.findIndex((x) => kw(x) === 'INTO');
    return into === -1 ? sig : sig.slice(0, into);
  }
  if (w0 === 'CREATE') {
    // CREATE TABLE … AS SELECT / CREATE VIEW … AS …: only the query resolves names.
    let depth = 0;
    for (let i = 1; i < sig.length; i++) {
      const x = sig[i] as Token;
      if (x.text === '(') depth++;
      else if (x.text === ')') depth--;
      else if (depth === 0 && kw(x) === 'AS') {
        const n = sig[i + 1];
        if (kw(n) === 'SELECT' || kw(n) === 'WITH' || n?.text === '(') return sig.slice(i + 1);
      }
    }
  }
  return [];
}
