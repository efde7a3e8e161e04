/**
 * The embedded database behind the Exasol-compatible server.
 *
 * Why DuckDB (`@duckdb/node-api`): it is a real SQL engine that starts in milliseconds in-process, has
 * DECIMAL(p,s) up to 38 digits, TIMESTAMP with microseconds, schemas, views, transactions with MVCC per
 * connection (one connection per Exasol session) and an optional single-file store for `dataDir`.
 * PGlite needed ~6 s to start on this project's 2-core machines, and SQLite lacks DECIMAL and schemas.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { LuaRuntime } from '../lua/lua-runtime.js';
import { CATALOG_TABLES, HIDDEN_SCHEMAS, systemViewsSql } from './catalog-sql.js';
import { clusterShape, Slots, type ClusterShape, type UdfCallRecord } from './cluster.js';
import { CsvWriterPool, MAX_CSV_WRITERS } from './csv-writers.js';
import type { ExaType } from './exa-types.js';
import { EXASOL_FUNCTION_MACROS } from './exasol-functions.js';
import type { S3Target } from './result.js';
import { ExaSession } from './session.js';
import { ExaSqlError } from './sql-error.js';
import { quoteString } from './tokenizer.js';

export interface ExaDatabaseOptions {
  /** Directory for a persistent store; in memory when absent. */
  readonly dataDir?: string;
  readonly user: string;
  /** The admin user's password (login); without it the admin cannot log in over the protocol. */
  readonly password?: string;
  /** Creates the Lua runtime on first use (scripts, UDFs). */
  readonly lua: () => Promise<LuaRuntime>;
  readonly s3?: S3Target;
  /** Seconds the database's clock is ahead of the real one (negative: behind): CURRENT_TIMESTAMP, Lua `os.time()`. */
  readonly clockOffsetSeconds?: number;
  /** Simulated nodes: `NPROC()`, `IPROC()`, UDF instances per node (default 1; see cluster.ts). */
  readonly nodes?: number;
  /** UDF instances one node runs at once (default 4). */
  readonly udfInstancesPerNode?: number;
}

/** UDF calls the database remembers for `udfCalls()`. */
const UDF_CALLS_KEPT = 50;

export class ExaDatabase {
  readonly databaseName = 'EXASANDBOX';
  private nextSession = BigInt(Date.now()) * 1000n;
  private declaredCache = new Map<string, Promise<ReadonlyMap<string, ExaType>>>();
  private luaRuntime: Promise<LuaRuntime> | undefined;
  private readonly sessions = new Set<ExaSession>();
  readonly cluster: ClusterShape;
  /** Every session's UDF instances share this bound: nodes × instances per node at once. */
  private readonly udfSlots: Slots;
  private readonly calls: UdfCallRecord[] = [];
  /** EXPORT's writer threads: one per simulated node, at most MAX_CSV_WRITERS (started on first use). */
  private readonly writers: CsvWriterPool;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly options: ExaDatabaseOptions,
  ) {
    this.cluster = clusterShape(options.nodes, options.udfInstancesPerNode);
    this.udfSlots = new Slots(this.cluster.nodes * this.cluster.instancesPerNode);
    this.writers = new CsvWriterPool(Math.min(this.cluster.nodes, MAX_CSV_WRITERS));
  }

  /** The most recent UDF calls (oldest first, at most 50): which instances ran on which node. */
  udfCalls(): readonly UdfCallRecord[] {
    return [...this.calls];
  }

  static async open(options: ExaDatabaseOptions): Promise<ExaDatabase> {
    let path = ':memory:';
    if (options.dataDir !== undefined) {
      mkdirSync(options.dataDir, { recursive: true });
      path = join(options.dataDir, 'exasol-sandbox.duckdb');
    }
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    try {
      await conn.run(CATALOG_TABLES);
      await conn.run(systemViewsSql());
      await conn.run(adminBootstrapSql(exasolUserName(options.user)));
      await conn.run(EXASOL_FUNCTION_MACROS);
    } finally {
      conn.closeSync();
    }
    return new ExaDatabase(instance, options);
  }

  /**
   * The user's name as Exasol reports it (CURRENT_USER, exa.meta.current_user): a user name is an identifier,
   * so an unquoted one folds to upper case (docker-db's `sys` is `SYS`; see EXA_DBA_USERS in
   * https://docs.exasol.com/db/latest/sql_references/system_tables/metadata/exa_dba_users.htm and the identifier
   * rules in https://docs.exasol.com/db/latest/sql_references/basiclanguageelements.htm).
   */
  get user(): string {
    return exasolUserName(this.options.user);
  }

  /**
   * Checks a login (https://docs.exasol.com/db/latest/sql/create_user.htm): the admin user from the options, or
   * a user created with CREATE USER whose password matches, who also needs the system privilege CREATE SESSION
   * (or the DBA role). Returns the user name as stored; throws Exasol's login errors (08004).
   */
  async authenticate(login: string, password: string | undefined): Promise<string> {
    const failed = (): ExaSqlError =>
      // Exasol's text and code for a failed login, as asserted by exasol-driver-go's integration tests
      // (https://github.com/exasol/exasol-driver-go, itest: TestConnectWithWrongPassword).
      new ExaSqlError('Connection exception - authentication failed.', '08004');
    if (login.toUpperCase() === this.options.user.toUpperCase())
      if (password !== undefined && password === this.options.password) return this.user;
      else throw failed();
    const name = login.replace(/^"(.*)"$/, '$1').toUpperCase();
    const conn = await this.instance.connect();
    try {
      const n = quoteString(name);
      const reader = await conn.runAndReadAll(
        `SELECT "PASSWORD",
           EXISTS (SELECT 1 FROM "SYS"."_SYS_PRIVS" WHERE "GRANTEE" IN (${n}, 'PUBLIC') AND "PRIVILEGE" = 'CREATE SESSION')
           OR EXISTS (SELECT 1 FROM "SYS"."_ROLE_PRIVS" WHERE "GRANTEE" IN (${n}, 'PUBLIC') AND "GRANTED_ROLE" = 'DBA')
         FROM "SYS"."_USERS" WHERE "USER_NAME" = ${n}`,
      );
      const row = reader.getRowsJS()[0];
      if (row?.[0] === undefined || row[0] === null || row[0] !== password) throw failed();
      // Text as docker-db answers a user without CREATE SESSION (exasol/exasol-rest-api integration test
      // TestExasolUserWithoutCreateSessionPrivilege).
      if (row[1] !== true)
        throw new ExaSqlError('Connection exception - insufficient privileges: CREATE SESSION.', '08004');
      return name;
    } finally {
      conn.closeSync();
    }
  }

  async openSession(user: string = this.user): Promise<ExaSession> {
    const conn = await this.instance.connect();
    // The session's user for the EXA_ALL_/EXA_USER_ views (privilege-catalog.ts).
    await conn.run(`SET VARIABLE sme_user = ${quoteString(user)}`);
    this.nextSession += 1n;
    const session = new ExaSession(this.nextSession.toString(), conn, {
      databaseName: this.databaseName,
      user,
      admin: this.user,
      lua: () => this.lua(),
      s3: () => this.options.s3,
      nowMillis: () => Date.now() + (this.options.clockOffsetSeconds ?? 0) * 1000,
      declaredTypes: (schema, table) => this.declaredTypes(schema, table),
      invalidate: () => {
        this.declaredCache.clear();
      },
      cluster: this.cluster,
      udfInstance: (fn) => this.udfSlots.run(fn),
      recordUdfCall: (record) => {
        this.calls.push(record);
        if (this.calls.length > UDF_CALLS_KEPT) this.calls.shift();
      },
      csvWriters: () => this.writers,
    });
    this.sessions.add(session);
    return session;
  }

  async closeSession(session: ExaSession): Promise<void> {
    this.sessions.delete(session);
    await session.close();
  }

  private lua(): Promise<LuaRuntime> {
    this.luaRuntime ??= this.options.lua();
    return this.luaRuntime;
  }

  private declaredTypes(schema: string, table: string): Promise<ReadonlyMap<string, ExaType>> {
    const key = JSON.stringify([schema, table]);
    let found = this.declaredCache.get(key);
    if (!found) {
      found = this.loadDeclared(schema, table);
      this.declaredCache.set(key, found);
    }
    return found;
  }

  private async loadDeclared(schema: string, table: string): Promise<ReadonlyMap<string, ExaType>> {
    const conn = await this.instance.connect();
    try {
      const prepared = await conn.prepare(
        'SELECT "COLUMN_NAME", "TYPE_JSON" FROM "SYS"."_COLUMNS" WHERE "SCHEMA_NAME" = $1 AND "TABLE_NAME" = $2',
      );
      prepared.bind([schema, table]);
      const reader = await prepared.runAndReadAll();
      const out = new Map<string, ExaType>();
      for (const [name, json] of reader.getRowsJS())
        if (typeof name === 'string' && typeof json === 'string') out.set(name, JSON.parse(json) as ExaType);
      return out;
    } finally {
      conn.closeSync();
    }
  }

  async close(): Promise<void> {
    for (const s of [...this.sessions]) await this.closeSession(s).catch(() => undefined);
    if (this.luaRuntime) await (await this.luaRuntime).close().catch(() => undefined);
    await this.writers.close();
    this.instance.closeSync();
  }
}

/**
 * The admin user exists in EXA_DBA_USERS with the DBA role (its password stays in the server options), and
 * schemas from before owners were recorded belong to it.
 */
function adminBootstrapSql(admin: string): string {
  const a = quoteString(admin);
  const hidden = HIDDEN_SCHEMAS.map(quoteString).join(', ');
  return `INSERT INTO "SYS"."_USERS" SELECT ${a}, NULL, CURRENT_TIMESTAMP::TIMESTAMP
      WHERE NOT EXISTS (SELECT 1 FROM "SYS"."_USERS" WHERE "USER_NAME" = ${a});
    INSERT INTO "SYS"."_ROLE_PRIVS" SELECT ${a}, 'DBA', TRUE
      WHERE NOT EXISTS (SELECT 1 FROM "SYS"."_ROLE_PRIVS" WHERE "GRANTEE" = ${a} AND "GRANTED_ROLE" = 'DBA');
    INSERT INTO "SYS"."_SCHEMA_OWNERS" SELECT schema_name, ${a} FROM duckdb_schemas()
      WHERE database_name = current_database() AND schema_name NOT IN (${hidden})
        AND schema_name NOT IN (SELECT "SCHEMA_NAME" FROM "SYS"."_SCHEMA_OWNERS");`;
}

/** A login name as the database stores it: `"Name"` keeps its case, anything else folds to upper case. */
export function exasolUserName(login: string): string {
  return login.length > 1 && login.startsWith('"') && login.endsWith('"')
    ? login.slice(1, -1).replaceAll('""', '"')
    : login.toUpperCase();
}
