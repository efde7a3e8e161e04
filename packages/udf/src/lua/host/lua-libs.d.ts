/**
 * The slices of the Lua libraries Exasol 8.10+ ships (and Debian's lua5.4 packages offer) that sme uses.
 * APIs: luaossl (https://github.com/wahern/luaossl, doc/luaossl.pdf: openssl.digest, openssl.hmac),
 * LuaSocket (https://lunarmodules.github.io/luasocket/tcp.html: socket.tcp), LuaSec (ssl.wrap), lua-cjson.
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

/**
 * A LuaSocket TCP object (`socket.tcp()`), or a LuaSec connection (`ssl.wrap`), which has the same I/O methods.
 * Method calls (`sock:send(…)`). Failures answer `nil, message` (`timeout`, `closed`, `connection refused`, …).
 */
export interface LuaStreamSocket {
  settimeout(seconds: number): void;
  send(data: string): LuaMultiReturn<[number, undefined] | [undefined, string]>;
  /** `'*l'` a line without CR LF, `'*a'` until closed, or a byte count. */
  receive(pattern: string | number): LuaMultiReturn<[string, undefined] | [undefined, string, string | undefined]>;
  close(): void;
}

export interface LuaTcpSocket extends LuaStreamSocket {
  connect(host: string, port: number): LuaMultiReturn<[1, undefined] | [undefined, string]>;
}

/** A certificate as LuaSec hands it out (`conn:getpeerchain()`); only its PEM text is used. */
export interface LuaSecCertificate {
  pem(): string;
}

/** A LuaSec connection: `sni(host)` before `dohandshake()`. */
export interface LuaSslConnection extends LuaStreamSocket {
  sni(host: string): void;
  /** `true`, or `false`/`nil` and the reason (LuaSec answers `false, msg` when verification fails). */
  dohandshake(): LuaMultiReturn<[true, undefined] | [false | undefined, string]>;
  /** The certificates the server presented, its own first (nil before the handshake). */
  getpeerchain(): LuaSecCertificate[] | undefined;
}

/** A luaossl subject name (`cert:getSubject()`): `all()` lists its entries, e.g. `{ sn = 'CN', blob = 'example.com' }`. */
export interface OpensslX509Name {
  all(): { readonly sn?: string; readonly blob?: string }[];
}

/**
 * A luaossl certificate (`openssl.x509`, doc/luaossl.pdf §x509). `getSubjectAlt()` answers an altname object that
 * `pairs()` walks as (type, value): `DNS`, `IP`, `email`, `URI`, `DirName`; nil without that extension.
 * `getLifetime()` answers notBefore and notAfter as seconds since the epoch.
 */
export interface OpensslX509Cert {
  getSubject(): OpensslX509Name;
  getSubjectAlt(): LuaPairsIterable<string, string> | undefined;
  getLifetime(): LuaMultiReturn<[number, number]>;
}

/** `openssl.x509`: `new(pem)` parses one PEM certificate (throws when it is none). */
/** @noSelf */
export interface OpensslX509Module {
  'new'(pem: string, format: string): OpensslX509Cert;
}

/** A luaossl certificate chain (`openssl.x509.chain`): the untrusted certificates a server presented. */
export interface OpensslX509Chain {
  add(cert: OpensslX509Cert): void;
}

/** @noSelf */
export interface OpensslX509ChainModule {
  'new'(): OpensslX509Chain;
}

/**
 * A luaossl X.509 store (`openssl.x509.store`): trusted roots added as certificate objects (never a path: Exasol's
 * Lua has no file access); `verify(cert, chain)` answers `true, chain` or `false, OpenSSL's reason`.
 */
export interface OpensslX509Store {
  add(cert: OpensslX509Cert): void;
  verify(cert: OpensslX509Cert, chain: OpensslX509Chain): LuaMultiReturn<[boolean, unknown]>;
}

/** @noSelf */
export interface OpensslX509StoreModule {
  'new'(): OpensslX509Store;
}

/** `socket` (LuaSocket): `tcp()`, and `sleep(seconds)`/`gettime()` (seconds since the epoch, with a fraction). */
/** @noSelf */
export interface SocketModule {
  tcp(): LuaMultiReturn<[LuaTcpSocket, undefined] | [undefined, string]>;
  sleep(seconds: number): void;
  gettime(): number;
}

/** LuaSec's context parameters (`ssl.newcontext`), the fields sme sets. */
export interface SslParams {
  mode: string;
  protocol: string;
  verify: string | string[];
  options: string[];
}

/** `ssl` (LuaSec): only `wrap(sock, params)` is used. */
/** @noSelf */
export interface SslModule {
  wrap(sock: LuaTcpSocket, params: SslParams): LuaMultiReturn<[LuaSslConnection, undefined] | [undefined, string]>;
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
 * `pquery(sql, params)` binds `:name`/`::name` from `params` and answers `true, result` or `false, error`; `output(line)` adds a line to `WITH OUTPUT`.
 */
/** @noSelf */
export interface ExaScriptingApi {
  pquery(
    sql: string,
    params: Readonly<Record<string, unknown>>,
  ): LuaMultiReturn<[true, ExaResultTable] | [false, ExaQueryError]>;
  output(line: string): void;
}
