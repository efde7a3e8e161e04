/**
 * The sandbox's Lua-runtime port: how the Exasol-compatible server runs Lua scripting programs
 * (`EXECUTE SCRIPT`) and Lua UDFs. Two adapters implement it with one shared test suite:
 * `native` (a real `lua5.4` process with Debian's cjson/LuaSocket/LuaSec/luaossl) and `wasm` (wasmoon,
 * offering the same modules). The server owns SQL; the runtime owns Lua.
 */

/** A value crossing the SQL/Lua boundary (Exasol NULL is `null`). */
export type LuaSqlValue = string | number | boolean | null;

export interface LuaColumn {
  readonly name: string;
  /** Exasol type text, e.g. `DECIMAL(18,0)`, `VARCHAR(100) UTF8`. */
  readonly type: string;
}

/** What the scripting API's query/pquery sees for one statement. */
export type LuaQueryResult =
  | { readonly kind: 'rowCount'; readonly rowsAffected: number }
  | {
      readonly kind: 'resultSet';
      readonly columns: readonly LuaColumn[];
      readonly rows: readonly (readonly LuaSqlValue[])[];
    };

/** An SQL error as Exasol reports it to a script (`pquery` returns it as `{error_code, error_message}`). */
export interface LuaQueryError {
  readonly sqlCode: string;
  readonly message: string;
}

/** Callbacks a scripting program uses; the server implements them against its SQL engine. */
export interface ScriptHost {
  /**
   * Runs one statement for `query`/`pquery`. `params` are the bindings of `:name` (values) and `::name`
   * (identifiers); the host does the binding. Throws a `LuaQueryError`-shaped object on SQL errors.
   */
  query(sql: string, params: Readonly<Record<string, LuaSqlValue>> | undefined): Promise<LuaQueryResult>;
  /** Source of another Lua script for `import('SCHEMA.SCRIPT', alias)`; undefined when it does not exist. */
  importScript(qualifiedName: string): Promise<string | undefined>;
}

/** `exa.meta` fields offered to scripts and UDFs. */
export interface LuaMeta {
  readonly database_name: string;
  readonly database_version: string;
  readonly script_schema: string;
  readonly script_name: string;
  readonly session_id: string;
  readonly statement_id: string;
  readonly current_user: string;
  readonly current_schema: string | null;
  readonly node_count: number;
  readonly node_id: number;
  readonly vm_id: number;
}

/** A scripting-program argument: a value, or for an `ARRAY` parameter a list of values (a Lua array). */
export type LuaScriptArg = LuaSqlValue | readonly LuaSqlValue[];

export interface ScriptRun {
  readonly source: string;
  /** Parameter names declared by `CREATE SCRIPT s(a, b)` (`ARRAY c` → name `c`, receives a Lua array). */
  readonly parameterNames: readonly string[];
  readonly args: readonly LuaScriptArg[];
  readonly meta: LuaMeta;
  readonly host: ScriptHost;
}

/** The outcome of `EXECUTE SCRIPT`: `exit(tbl, "c1 T1, …")` or `return tbl, "…"` gives a table; otherwise a row count. */
export type ScriptOutcome =
  | { readonly kind: 'rowCount'; readonly rowCount: number; readonly output: readonly string[] }
  | {
      readonly kind: 'table';
      /** Column definitions as written in the script, e.g. `JOB_NAME VARCHAR(32)`. */
      readonly columnsSpec: string;
      readonly rows: readonly (readonly LuaSqlValue[])[];
      readonly output: readonly string[];
    };

/** A connection object as `exa.get_connection` returns it. */
export interface LuaConnection {
  readonly type: 'PASSWORD';
  readonly address: string;
  readonly user: string;
  readonly password: string;
}

export interface UdfRun {
  readonly source: string;
  readonly inputType: 'SCALAR' | 'SET';
  /** `RETURNS` (one value per input row) or `EMITS` (any number of rows per call). */
  readonly outputMode: 'RETURNS' | 'EMITS';
  /** Input parameter names in order, as `ctx.<name>` and positional `ctx[i]`. */
  readonly inputNames: readonly string[];
  /**
   * Exasol types of the inputs, in order (optional). `DOUBLE` inputs reach Lua as floats (`2.0`); without
   * a type, integral numbers reach Lua as integers, like DECIMAL(p,0).
   */
  readonly inputTypes?: readonly string[];
  /** Exasol types of the outputs (RETURNS type, or EMITS columns), in order (optional). */
  readonly outputTypes?: readonly string[];
  /** Rows of input, grouped: SCALAR → one group with every row (run once per row); SET → one group per GROUP BY group. */
  readonly groups: readonly (readonly (readonly LuaSqlValue[])[])[];
  readonly meta: LuaMeta;
  /** Resolves `exa.get_connection(name)`; throws (an Exasol-like error text) when missing or not granted. */
  getConnection(name: string): Promise<LuaConnection>;
}

/** Emitted or returned rows, in order (RETURNS: one single-value row per input row). */
export interface UdfOutcome {
  readonly rows: readonly (readonly LuaSqlValue[])[];
}

/** Error raised by Lua code (`error(...)`, runtime error, syntax error): Exasol reports these with its own text. */
export interface LuaRuntimeError {
  readonly kind: 'LuaError';
  /** Lua's message, e.g. `MY_SCHEMA.MY_SCRIPT:3: boom` (position from the chunk name `SCHEMA.SCRIPT`). */
  readonly message: string;
  /** Set when the script died of a failed `query()`: that statement's SQL code (message = its error text). */
  readonly sqlCode?: string | undefined;
  /** The line Lua reported, when it reported one. */
  readonly line?: number | undefined;
}

/**
 * Which Lua the runtime imitates: `exasol` (default) enforces where Exasol's Lua differs from stock Lua 5.4
 * (README "Exasol's Lua"); `vanilla` is stock Lua with the Exasol API, for debugging only.
 */
export type LuaProfile = 'exasol' | 'vanilla';

export interface LuaRuntimeOptions {
  /** Default `exasol`. */
  readonly profile?: LuaProfile;
  /**
   * Under which names UDFs `require` luaossl: `openssl` (`openssl.digest`, …; default) or `_openssl`
   * (`_openssl.digest`, …), as some Exasol versions load it.
   */
  readonly opensslPrefix?: 'openssl' | '_openssl';
  /** Seconds Lua's `os.time()` runs ahead of the real clock (negative: behind); default 0. */
  readonly clockOffsetSeconds?: number;
  /**
   * Native runtime: `lua5.4` processes kept idle for the next run (default 2). A sandbox that runs several UDF
   * instances at once keeps as many as it runs, so that a statement does not start its processes anew.
   */
  readonly maxIdleProcesses?: number;
}

export interface LuaRuntime {
  readonly name: 'native' | 'wasm';
  readonly profile: LuaProfile;
  runScript(run: ScriptRun): Promise<ScriptOutcome>;
  runUdf(run: UdfRun): Promise<UdfOutcome>;
  close(): Promise<void>;
}
