/**
 * One Exasol session on one DuckDB connection: classifies each statement with the tokenizer, applies
 * Exasol semantics (identifier folding, schemas, declared types, system objects, scripts, EXPORT, IMPORT) and hands
 * ordinary SQL to DuckDB.
 */
import { ResultReturnType, type DuckDBConnection } from '@duckdb/node-api';
import type { LuaMeta, LuaRuntime } from '../lua/lua-runtime.js';
import { type ClusterShape, type UdfCallRecord } from './cluster.js';
import { CsvWriterPool } from './csv-writers.js';
import { alterTable, create, drop, dropOwnedSchema, schemaExists, type DdlSession } from './ddl.js';
import { resultTypes, toWire } from './duck-values.js';
import type { ExaType, WireValue } from './exa-types.js';
import { varchar } from './exa-types.js';
import { exportCsv } from './export-csv.js';
import { importCsv } from './import-csv.js';
import { caseMismatch, catalogNamesSql, catalogNameUses, objectNotFound, resolvedPart } from './name-check.js';
import { Access } from './privileges.js';
import type { ExaColumn, ExaResult, QualifiedName, S3Target } from './result.js';
import { rowCount } from './result.js';
import { executeScript } from './scripts.js';
import { tryUdfSelect, withUdfSubqueries } from './udf-calls.js';
import {
  aliasSelectItems,
  CONTEXT_WORDS,
  referencedTables,
  toDuckSql,
  withLiteralTypes,
  type RewriteContext,
} from './sql-rewrite.js';
import { ExaSqlError, fromDuckError, noSchemaOpened } from './sql-error.js';
import type { Token } from './tokenizer.js';
import { identifierName, kw, quoteString, significant, tokenize, TokenizeError } from './tokenizer.js';
import { alterUser, createUser, dropUser, grantOrRevoke } from './users.js';

/** What a session needs from the database that owns it. */
export interface SessionHost {
  readonly databaseName: string;
  /** The session's user (CURRENT_USER). */
  readonly user: string;
  /** The sandbox's admin user (SYS): every privilege, always. */
  readonly admin: string;
  lua(): Promise<LuaRuntime>;
  s3(): S3Target | undefined;
  /** The database's clock (the real one unless the sandbox was started with a clock offset). */
  nowMillis?(): number;
  /** Declared Exasol column types of a table, by column name. */
  declaredTypes(schema: string, table: string): Promise<ReadonlyMap<string, ExaType>>;
  /** Called after DDL or ROLLBACK so cached catalog facts are reloaded. */
  invalidate(): void;
  /** The simulated cluster; one node when absent. */
  readonly cluster?: ClusterShape;
  /** Runs one UDF instance within the database's bound (all sessions share it); runs it at once when absent. */
  udfInstance?<T>(fn: () => Promise<T>): Promise<T>;
  recordUdfCall?(record: UdfCallRecord): void;
  /** The database's EXPORT writer threads; a one-thread pool of the process when absent. */
  csvWriters?(): CsvWriterPool;
}

let fallbackWriters: CsvWriterPool | undefined;

/** DuckDB's keywords (and the context words above): never names of catalog objects in a statement. */
let keywordSet: Promise<ReadonlySet<string>> | undefined;

export class ExaSession implements DdlSession, RewriteContext {
  currentSchema: string | null = null;
  autocommit = true;
  private inTx = false;
  private closed = false;
  readonly access: Access;

  constructor(
    readonly sessionId: string,
    private readonly conn: DuckDBConnection,
    private readonly host: SessionHost,
  ) {
    this.access = new Access(this, host.admin);
  }

  get user(): string {
    return this.host.user;
  }

  lua(): Promise<LuaRuntime> {
    return this.host.lua();
  }

  s3(): S3Target | undefined {
    return this.host.s3();
  }

  get cluster(): ClusterShape {
    return this.host.cluster ?? { nodes: 1, instancesPerNode: 1 };
  }

  udfInstance<T>(fn: () => Promise<T>): Promise<T> {
    return this.host.udfInstance ? this.host.udfInstance(fn) : fn();
  }

  recordUdfCall(record: UdfCallRecord): void {
    this.host.recordUdfCall?.(record);
  }

  csvWriters(): CsvWriterPool {
    if (this.host.csvWriters) return this.host.csvWriters();
    fallbackWriters ??= new CsvWriterPool(1);
    return fallbackWriters;
  }

  meta(scriptSchema: string, scriptName: string, instance?: { readonly node: number; readonly vm: number }): LuaMeta {
    return {
      database_name: this.host.databaseName,
      database_version: '8.34.0',
      script_schema: scriptSchema,
      script_name: scriptName,
      session_id: this.sessionId,
      statement_id: '1',
      current_user: this.host.user,
      current_schema: this.currentSchema,
      node_count: this.cluster.nodes,
      node_id: instance?.node ?? 0,
      vm_id: instance?.vm ?? 0,
    };
  }

  /** Runs one Exasol statement. Throws `ExaSqlError`. */
  async execute(sql: string): Promise<ExaResult> {
    if (this.closed) throw new ExaSqlError('session is closed', '08003');
    let all: Token[];
    try {
      all = tokenize(sql);
    } catch (e) {
      if (e instanceof TokenizeError) throw new ExaSqlError(`syntax error, ${e.message} [position ${e.position}]`);
      throw e;
    }
    // A trailing `;` is tolerated like Exasol's clients do; the statement itself never contains one.
    const sig = significant(all);
    while (sig.length > 0 && sig[sig.length - 1]?.text === ';') {
      const last = sig.pop();
      all = all.slice(0, all.indexOf(last as Token));
    }
    if (sig.length === 0) throw new ExaSqlError('syntax error, unexpected $end', '42000');
    try {
      if (!this.autocommit && !this.inTx && !isTxControl(sig)) {
        await this.conn.run('BEGIN TRANSACTION');
        this.inTx = true;
      }
      await this.checkNames(sig);
      await this.access.checkStatement(sig, (at) => this.parseName(sig, at).name);
      return await this.dispatch(sql, all, sig);
    } catch (e) {
      throw fromDuckError(e, this.sessionId);
    }
  }

  /** Refuses names DuckDB would resolve case-insensitively but Exasol would not find (see name-check.ts). */
  private async checkNames(sig: readonly Token[]): Promise<void> {
    const part = resolvedPart(sig);
    if (part.length === 0) return;
    const uses = catalogNameUses(part, await this.keywords());
    if (uses.size === 0) return;
    const found = await this.conn.runAndReadAll(catalogNamesSql([...uses.keys()]));
    const names = found.getRowsJS().flatMap((r) => (typeof r[0] === 'string' ? [r[0]] : []));
    const mismatch = caseMismatch(uses.keys(), names);
    if (mismatch) throw objectNotFound(mismatch.name, this.sessionId);
  }

  private keywords(): Promise<ReadonlySet<string>> {
    keywordSet ??= this.conn.runAndReadAll('SELECT keyword_name FROM duckdb_keywords()').then((r) => {
      const words = new Set(r.getRowsJS().flatMap((row) => (typeof row[0] === 'string' ? [row[0].toUpperCase()] : [])));
      for (const w of CONTEXT_WORDS) words.add(w);
      return words;
    });
    return keywordSet;
  }

  private async dispatch(sql: string, all: Token[], t: Token[]): Promise<ExaResult> {
    const w0 = kw(t[0]);
    const w1 = kw(t[1]);
    switch (w0) {
      case 'COMMIT':
        return this.commit();
      case 'ROLLBACK':
        return this.rollback();
      case 'OPEN':
        if (w1 === 'SCHEMA') return this.openSchema(t);
        break;
      case 'CLOSE':
        if (w1 === 'SCHEMA') {
          await this.setSchema(null);
          return rowCount(0);
        }
        break;
      case 'CREATE':
        if (w1 === 'USER') return createUser(this, t);
        return create(this, sql, all, t);
      case 'DROP':
        if (w1 === 'USER') return dropUser(this, t, this.host.admin, (s) => dropOwnedSchema(this, s));
        return drop(this, t);
      case 'ALTER':
        if (w1 === 'TABLE') return alterTable(this, all, t);
        if (w1 === 'USER') return alterUser(this, t);
        break;
      case 'GRANT':
      case 'REVOKE':
        return grantOrRevoke(this, t, w0 === 'REVOKE', this.host.admin);
      case 'EXECUTE':
        if (w1 === 'SCRIPT') return executeScript(this, t);
        break;
      case 'EXPORT':
        return exportCsv(this, sql, t);
      case 'IMPORT':
        return importCsv(this, t);
      case 'SELECT': {
        const udf = await tryUdfSelect(this, sql, t);
        if (udf) return udf;
        break;
      }
      default:
        break;
    }
    const viaUdf = await withUdfSubqueries(this, sql, all, (rewritten) => this.passThrough(rewritten, t));
    return viaUdf ?? this.passThrough(all, t);
  }

  /** Ordinary SQL: rewritten token by token and run on DuckDB; result types refined from the catalog. */
  async passThrough(all: Token[], t: Token[]): Promise<ExaResult> {
    const isQuery = ['SELECT', 'WITH', 'VALUES'].includes(kw(t[0])) || t[0]?.text === '(';
    const duckSql = this.toDuckSql(isQuery ? aliasSelectItems(all) : all);
    const result = await this.runDuck(duckSql, isQuery ? referencedTables(this.currentSchema, t) : []);
    if (!isQuery && result.kind === 'resultSet' && kw(t[0]) !== 'SHOW' && kw(t[0]) !== 'DESCRIBE') {
      return rowCount(0);
    }
    return isQuery ? withLiteralTypes(result, t) : result;
  }

  async duck(sql: string): Promise<ExaResult> {
    return this.runDuck(sql, []);
  }

  async duckChunks(sql: string): Promise<{ columns: ExaColumn[]; chunks: AsyncIterable<WireValue[][]> }> {
    const result = await this.conn.stream(sql);
    const types = resultTypes(result);
    const columns: ExaColumn[] = result
      .columnNames()
      .map((name, i) => ({ name, type: types[i] ?? varchar(2_000_000) }));
    async function* chunks(): AsyncGenerator<WireValue[][]> {
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) return;
        yield chunk.getColumns().map((col, i) => {
          const type = columns[i]?.type ?? varchar(2_000_000);
          return col.map((v) => toWire(v, type));
        });
      }
    }
    return { columns, chunks: chunks() };
  }

  /** Rows of a DuckDB query as JS values (catalog look-ups). */
  async duckRows(sql: string): Promise<unknown[][]> {
    return (await this.conn.runAndReadAll(sql)).getRowsJS();
  }

  private async runDuck(sql: string, tables: readonly QualifiedName[]): Promise<ExaResult> {
    const result = await this.conn.run(sql);
    if (result.returnType !== ResultReturnType.QUERY_RESULT) return rowCount(result.rowsChanged);
    const names = result.columnNames();
    const types = resultTypes(result);
    if (tables.length > 0) {
      const declared = await Promise.all(tables.map((q) => this.host.declaredTypes(q.schema, q.name)));
      names.forEach((n, i) => {
        const current = types[i];
        if (current?.type !== 'VARCHAR' || current.size !== 2_000_000) return;
        for (const d of declared) {
          const dt = d.get(n);
          if (dt && (dt.type === 'VARCHAR' || dt.type === 'CHAR')) {
            types[i] = dt;
            return;
          }
        }
      });
    }
    const columns: ExaColumn[] = names.map((name, i) => ({ name, type: types[i] ?? varchar(2_000_000) }));
    const raw = await result.getRows();
    const rows = raw.map((r) => r.map((v, i) => toWire(v, columns[i]?.type ?? varchar(2_000_000))));
    return { kind: 'resultSet', columns, rows };
  }

  toDuckSql(tokens: readonly Token[]): string {
    return toDuckSql(this, tokens);
  }

  nowMillis(): number {
    return this.host.nowMillis?.() ?? Date.now();
  }

  async run(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  invalidate(): void {
    this.host.invalidate();
  }

  declaredTypes(schema: string, table: string): Promise<ReadonlyMap<string, ExaType>> {
    return this.host.declaredTypes(schema, table);
  }

  parseName(t: readonly Token[], at: number): { name: QualifiedName; next: number } {
    const a = t[at];
    if (!a || (a.kind !== 'word' && a.kind !== 'quoted'))
      throw new ExaSqlError(`syntax error, unexpected '${a?.text ?? '$end'}', expecting identifier`);
    const b = t[at + 2];
    if (t[at + 1]?.text === '.' && b && (b.kind === 'word' || b.kind === 'quoted'))
      return { name: { schema: identifierName(a), name: identifierName(b) }, next: at + 3 };
    if (this.currentSchema === null) throw noSchemaOpened();
    return { name: { schema: this.currentSchema, name: identifierName(a) }, next: at + 1 };
  }

  async atomic<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTx) return fn();
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.conn.run('COMMIT');
      return out;
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      this.host.invalidate();
      throw e;
    }
  }

  private async commit(): Promise<ExaResult> {
    if (this.inTx) {
      this.inTx = false;
      await this.conn.run('COMMIT');
    }
    return rowCount(0);
  }

  private async rollback(): Promise<ExaResult> {
    if (this.inTx) {
      this.inTx = false;
      await this.conn.run('ROLLBACK');
      this.host.invalidate();
      if (this.currentSchema !== null && !(await schemaExists(this, this.currentSchema))) await this.setSchema(null);
    }
    return rowCount(0);
  }

  /** Switching autocommit on commits what is open, as Exasol does. */
  async setAutocommit(on: boolean): Promise<void> {
    if (on && this.inTx) await this.commit();
    this.autocommit = on;
  }

  async setSchema(name: string | null): Promise<void> {
    if (name !== null && !(await schemaExists(this, name))) throw new ExaSqlError(`schema ${name} not found`, '42000');
    this.currentSchema = name;
    await this.conn.run(`SET schema = ${quoteString(name ?? 'main')}`);
  }

  private async openSchema(t: Token[]): Promise<ExaResult> {
    const nameTok = t[2];
    if (!nameTok) throw new ExaSqlError('syntax error, unexpected $end, expecting identifier');
    await this.setSchema(identifierName(nameTok));
    return rowCount(0);
  }

  /** Cancels the statement that is running (abortQuery). */
  interrupt(): void {
    this.conn.interrupt();
  }

  /** Ends the session; an open transaction is rolled back. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.inTx) await this.rollback().catch(() => undefined);
    this.closed = true;
    this.conn.closeSync();
  }
}

function isTxControl(t: readonly Token[]): boolean {
  const w = kw(t[0]);
  return w === 'COMMIT' || w === 'ROLLBACK';
}
