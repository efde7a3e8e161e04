/**
 * A value as it comes out of (or goes into) Exasol. DECIMAL with scale, and integers beyond 2^53,
 * are exact decimal strings, never floats; DATE/TIMESTAMP are Exasol's text forms.
 */
export type SqlValue = string | number | boolean | null;

/** One result column: its name as Exasol reports it and its Exasol type text, e.g. `DECIMAL(18,0)`, `VARCHAR(2000) UTF8`. */
export interface SqlColumn {
  readonly name: string;
  readonly type: string;
}

/** A result set, row-major. */
export interface SqlRows {
  readonly columns: readonly SqlColumn[];
  readonly rows: readonly (readonly SqlValue[])[];
}

/**
 * A query and the names of its result columns, in order. Exasol's Lua scripting API answers rows without column
 * metadata, so a query whose rows are read by column name carries the names it selects: no port parses SQL.
 */
export interface SqlQuery {
  readonly sql: string;
  readonly columns: readonly string[];
}

/**
 * Runs SQL against Exasol. Node: the official WebSocket driver. Lua: the scripting API's `pquery(text, params)`.
 * Statements are complete SQL text: callers build them with the quoting helpers of `sql/`. The Lua adapter sends
 * them as `parameterise(sql)` (sql/sql-statement.ts): every literal and quoted identifier in the params table.
 */
export interface SqlPort {
  /**
   * Runs a statement that returns a result set. Rejects with an `SmeError` (`SME-E-SQL-…`) carrying the sqlCode.
   * A plain string's columns may come back unnamed (`C1`, `C2`, … in Lua): read such rows by position, or pass a
   * {@link SqlQuery}.
   */
  query(query: string | SqlQuery): Promise<SqlRows>;
  /** Runs a statement that returns a row count (DDL answers 0). */
  execute(sql: string): Promise<number>;
}

/**
 * The SQL text of a query, for adapters and doubles.
 *
 * @example
 * queryText({ sql: 'SELECT 1 AS "ONE"', columns: ['ONE'] }); // 'SELECT 1 AS "ONE"'
 */
export function queryText(query: string | SqlQuery): string {
  return typeof query === 'string' ? query : query.sql;
}
