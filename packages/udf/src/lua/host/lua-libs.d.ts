/**
 * The slices of the Lua libraries Exasol 8.10+ ships (and Debian's lua5.4 packages offer) that sme uses.
 * APIs: luaossl (https://github.com/wahern/luaossl, doc/luaossl.pdf: openssl.digest, openssl.hmac),
 * LuaSocket (https://lunarmodules.github.io/luasocket/http.html), LuaSec (ssl.https), lua-cjson.
 */

/** A luaossl digest or HMAC context (method call: `ctx:final(data)`). */
export interface OpensslFinal {
  final(data: string): string;
}

/** `openssl.digest`: `digest.new(type):final(data)` returns the raw digest bytes. */
/** @noSelf */
export interface OpensslDigestModule {
  'new'(algorithm: string): OpensslFinal;
}

/** `openssl.hmac`: `hmac.new(key, type):final(data)` returns the raw MAC bytes. */
/** @noSelf */
export interface OpensslHmacModule {
  'new'(key: string, algorithm: string): OpensslFinal;
}

/** @noSelf */
export interface Ltn12Sources {
  string(text: string): unknown;
}

/** @noSelf */
export interface Ltn12Sinks {
  table(target: string[]): unknown;
}

/** `ltn12`: sources and sinks for socket.http. */
export interface Ltn12Module {
  source: Ltn12Sources;
  sink: Ltn12Sinks;
}

/** The request table of `socket.http.request` / `ssl.https.request` (generic form). */
export interface HttpRequestTable {
  url: string;
  method: string;
  headers: Record<string, string>;
  source: unknown;
  sink: unknown;
  redirect?: boolean;
  /** LuaSec only: TLS parameters. */
  protocol?: string;
  verify?: string | string[];
  options?: string[];
  cafile?: string;
  capath?: string;
}

/**
 * `socket.http` / `ssl.https`: `request(t)` returns `1, code, headers, statusLine` or `nil, error`.
 * `TIMEOUT` is the per-operation socket timeout in seconds.
 */
/** @noSelf */
export interface HttpModule {
  TIMEOUT: number;
  request(request: HttpRequestTable): LuaMultiReturn<[1, number, Record<string, string>, string] | [undefined, string]>;
}

/** lua-cjson. `null` is a light userdata sentinel. */
/** @noSelf */
export interface CjsonModule {
  decode(text: string): unknown;
  encode(value: unknown): string;
  null: unknown;
}

/** What `exa.get_connection(name)` returns in a Lua UDF. */
export interface ExaConnection {
  type: string;
  address: string;
  user: string;
  password: string;
}

/** The `exa` global of a Lua UDF. */
/** @noSelf */
export interface ExaGlobal {
  get_connection(name: string): ExaConnection;
  meta: Record<string, unknown>;
}

/**
 * A result table of the scripting API's `query`/`pquery`: rows of values (an array type, so TypeScriptToLua
 * indexes it 1-based and measures it with `#`), and `rows_affected` for DML/DDL.
 */
export type ExaResultTable = readonly (readonly unknown[])[] & {
  readonly rows_affected?: number;
};

/** The error table `pquery` returns when a statement fails. */
export interface ExaQueryError {
  readonly error_code?: string;
  readonly error_message?: string;
  readonly statement_text?: string;
}

/**
 * The globals of Exasol's scripting API that sme uses
 * (https://docs.exasol.com/db/latest/database_concepts/scripting/db_interaction.htm):
 * `pquery(sql)` answers `true, result` or `false, error`; `output(line)` adds a line to `WITH OUTPUT`.
 */
/** @noSelf */
export interface ExaScriptingApi {
  pquery(sql: string): LuaMultiReturn<[true, ExaResultTable] | [false, ExaQueryError]>;
  output(line: string): void;
}
