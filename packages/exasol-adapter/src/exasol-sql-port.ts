import { readFile } from 'node:fs/promises';
import {
  queryText,
  type SmeError,
  type SqlColumn,
  type SqlPort,
  type SqlQuery,
  type SqlRows,
  type SqlValue,
} from './core-api.js';
import type { ConfiguredExasolOptions, ExasolEnv, ExasolOptions, ResolvedExasol } from './exasol-config.js';
import { resolveExasolOptions } from './exasol-config.js';
import type { ExasolDriverInstance, TransportState } from './exasol-driver.js';
import { createDriver, loadDriver } from './exasol-driver.js';
import type { ExasolErrorContext } from './exasol-errors.js';
import { convertExasolError, statementStart } from './exasol-errors.js';
import type { ExasolDataType } from './exasol-types.js';
import { columnTypeText, mapValue } from './exasol-types.js';
import { exasolError } from './exasol-error-codes.js';

/** One result of {@link ExasolSqlPort.executeBatch}: a row count, or the rows of a result set. */
export type ExasolBatchResult = number | SqlRows;

/**
 * Wire shapes the adapter reads (https://github.com/exasol/websocket-api); declared here so vendor types stay at the
 * edge.
 */
interface WireResultSet {
  readonly resultSetHandle?: number;
  readonly numColumns: number;
  readonly numRows: number;
  readonly columns: readonly { readonly name: string; readonly dataType: ExasolDataType }[];
  readonly data?: readonly (readonly unknown[])[];
}
interface WireResult {
  readonly resultType: 'resultSet' | 'rowCount';
  readonly rowCount?: number;
  readonly resultSet?: WireResultSet;
}
interface WireResponse<T> {
  readonly status: 'ok' | 'error';
  readonly exception?: { readonly sqlCode: string; readonly text: string } | undefined;
  readonly responseData?: T;
}
interface WireResults {
  readonly numResults: number;
  readonly results: readonly WireResult[];
}
interface WirePrepared extends WireResults {
  readonly statementHandle: number;
  readonly parameterData?: {
    readonly numColumns: number;
    readonly columns: readonly { readonly name: string; readonly dataType: ExasolDataType }[];
  };
}

/** Rows sent per executePreparedStatement; keeps each frame far below Exasol's message limit. */
const INSERT_CHUNK_ROWS = 10_000;

/**
 * `SqlPort` over the official Exasol WebSocket driver. One session per instance; statements run one at a
 * time (the protocol allows one command in flight per connection). Result sets larger than one message are
 * fetched through their handle and closed by the driver.
 *
 * @example
 * const sql = await connectExasol({ dsn: 'exa.example.com/ABCD…:8563', user: 'sys', password }, process.env);
 * try { const { rows } = await sql.query('SELECT 1'); } finally { await sql.close(); }
 */
export class ExasolSqlPort implements SqlPort {
  readonly settings: Omit<ResolvedExasol, 'password'>;
  private readonly driver: ExasolDriverInstance;
  private readonly transport: TransportState;
  private closed = false;

  private constructor(resolved: ResolvedExasol, driver: ExasolDriverInstance, transport: TransportState) {
    const { password: _password, ...settings } = resolved;
    this.settings = Object.freeze(settings);
    this.driver = driver;
    this.transport = transport;
  }

  /**
   * Opens a session: TCP, TLS as configured, WebSocket handshake, RSA password login.
   *
   * @throws SmeError `SME-E-EXA-UNREACHABLE`, `SME-E-EXA-TLS`, `SME-E-EXA-AUTH`, `SME-E-EXA-OPTION-INVALID` (unreadable CA file).
   */
  static async connect(resolved: ResolvedExasol): Promise<ExasolSqlPort> {
    const caPem = resolved.tls.mode === 'ca-file' ? await readCaFile(resolved.tls.caFile) : undefined;
    const transport: TransportState = { lastError: undefined, opened: false };
    const driver = createDriver(resolved, caPem, transport);
    const context: ExasolErrorContext = { host: resolved.host, port: resolved.port, phase: 'connect' };
    let timer: NodeJS.Timeout | undefined;
    // The handshake timeout covers TCP/TLS/HTTP; this one also covers a server that accepts and never answers the login.
    const loginTimeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`no answer within ${resolved.connectTimeoutMs} ms`));
      }, resolved.connectTimeoutMs * 2);
    });
    try {
      await Promise.race([driver.connect(), loginTimeout]);
    } catch (error) {
      await driver.close().catch(() => undefined);
      throw convertExasolError(error, { ...context, transportError: transport.lastError });
    } finally {
      clearTimeout(timer);
    }
    return new ExasolSqlPort(resolved, driver, transport);
  }

  /** Runs a statement that returns a result set; values mapped as described on `SqlValue`. */
  async query(query: string | SqlQuery): Promise<SqlRows> {
    const sql = queryText(query);
    const result = await this.runSingle(sql);
    if (result.resultType !== 'resultSet' || result.resultSet === undefined) {
      throw wrongResultKind(sql, 'a row count', 'execute()');
    }
    return toRows(result.resultSet, sql);
  }

  /** Runs a statement that returns a row count; DDL answers 0. */
  async execute(sql: string): Promise<number> {
    const result = await this.runSingle(sql);
    if (result.resultType !== 'rowCount') throw wrongResultKind(sql, 'a result set', 'query()');
    return result.rowCount ?? 0;
  }

  /**
   * Runs several statements in one round trip (`executeBatch`). Exasol stops at the first failing statement
   * and rolls nothing back that autocommit already committed; the error names the statement.
   */
  async executeBatch(sqls: readonly string[]): Promise<readonly ExasolBatchResult[]> {
    if (sqls.length === 0) return [];
    const all = sqls.join(';\n');
    const response = await this.call(all, () => this.driver.executeBatch([...sqls]));
    const results = (this.check(response, all) as WireResults).results;
    return results.map((result, index) =>
      result.resultType === 'resultSet' && result.resultSet !== undefined
        ? toRows(result.resultSet, sqls[index] ?? '')
        : (result.rowCount ?? 0),
    );
  }

  /**
   * Inserts rows with one prepared `INSERT`, sent in column-major chunks (createPreparedStatement /
   * executePreparedStatement). `table` and `columns` are SQL text (already quoted where needed, e.g.
   * `"SME"."JOBS"`); values follow `SqlValue` (exact decimals as strings). Returns the number of rows inserted.
   */
  async insertRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    if (columns.length === 0) {
      throw exasolError('SME-E-EXA-INSERT-SHAPE', `insertRows into ${table} needs at least one column`, {
        key: 'columns',
        value: '[]',
        remedy: 'name the columns to insert into',
      });
    }
    rows.forEach((row, index) => {
      if (row.length !== columns.length) {
        throw exasolError(
          'SME-E-EXA-INSERT-SHAPE',
          `row ${index} has ${row.length} values for ${columns.length} columns of ${table}`,
          { key: 'rows', value: `row ${index}` },
        );
      }
    });
    if (rows.length === 0) return 0;
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    // The driver's prepare() expects parameterData and does not check errors (@exasol/exasol-driver-ts 0.8.0): the
    // commands are sent directly.
    const driverModule = loadDriver();
    const created = this.check(
      await this.call(sql, () => this.driver.sendCommand(new driverModule.CreatePreparedStatementCommand(sql))),
      sql,
    ) as WirePrepared;
    const handle = created.statementHandle;
    try {
      const parameterColumns = created.parameterData?.columns ?? (await this.columnTypes(table, columns));
      let inserted = 0;
      for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
        const chunk = rows.slice(start, start + INSERT_CHUNK_ROWS);
        const data = columns.map((_column, c) => chunk.map((row) => row[c] ?? null));
        const command = new driverModule.ExecutePreparedStatementCommand({
          statementHandle: handle,
          numColumns: columns.length,
          numRows: chunk.length,
          columns: parameterColumns.map((column) => ({ name: column.name, dataType: { ...column.dataType } })),
          data,
        });
        const result = this.check(await this.call(sql, () => this.driver.sendCommand(command)), sql) as WireResults;
        inserted += result.results[0]?.rowCount ?? chunk.length;
      }
      return inserted;
    } finally {
      await this.driver.sendCommand(new driverModule.ClosePreparedStatementCommand(handle)).catch(() => undefined);
    }
  }

  /** Ends the session (disconnect, then close the socket). Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.driver.close().catch(() => undefined);
  }

  /** For a server that omits parameterData: the column types of the insert target, from an empty SELECT. */
  private async columnTypes(
    table: string,
    columns: readonly string[],
  ): Promise<readonly { readonly name: string; readonly dataType: ExasolDataType }[]> {
    const sql = `SELECT ${columns.join(', ')} FROM ${table} WHERE FALSE`;
    const result = await this.runSingle(sql);
    return result.resultSet?.columns ?? [];
  }

  private async runSingle(sql: string): Promise<WireResult> {
    const response = await this.call(sql, () => this.driver.query(sql, undefined, undefined, 'raw'));
    const result = (this.check(response, sql) as WireResults).results[0];
    if (result === undefined) throw protocolError(sql, 'the server answered with no result');
    return result;
  }

  private async call(sql: string, run: () => Promise<unknown>): Promise<WireResponse<unknown>> {
    if (this.closed) {
      throw exasolError('SME-E-EXA-CLOSED', 'the Exasol session is already closed');
    }
    try {
      return (await run()) as WireResponse<unknown>;
    } catch (error) {
      throw convertExasolError(error, this.context(sql));
    }
  }

  private check(response: WireResponse<unknown>, sql: string): unknown {
    if (response.status !== 'ok') {
      throw convertExasolError(
        response.exception ?? { sqlCode: '00000', text: 'error without details' },
        this.context(sql),
      );
    }
    if (response.responseData === undefined) throw protocolError(sql, 'the server answered without responseData');
    return response.responseData;
  }

  private context(sql: string): ExasolErrorContext {
    return {
      host: this.settings.host,
      port: this.settings.port,
      phase: 'statement',
      sql,
      transportError: this.transport.lastError,
    };
  }
}

/**
 * Resolves options, the environment and configured values (see `resolveExasolOptions`) and opens a session: the adapter's one factory.
 *
 * @example const sql = await connectExasol({ dsn: 'localhost/nocertcheck:8563', user: 'sys', password: 'exasol' });
 */
export async function connectExasol(
  options: ExasolOptions | ResolvedExasol,
  env: ExasolEnv = {},
  configured: ConfiguredExasolOptions = {},
): Promise<ExasolSqlPort> {
  const resolved = isResolved(options) ? options : resolveExasolOptions(options, env, configured);
  return ExasolSqlPort.connect(resolved);
}

function isResolved(options: ExasolOptions | ResolvedExasol): options is ResolvedExasol {
  return Object.isFrozen(options) && typeof (options as { tls?: unknown }).tls === 'object';
}

async function readCaFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as { code?: string }).code ?? 'unreadable';
    throw exasolError(
      'SME-E-EXA-OPTION-INVALID',
      `cannot read the CA file (caFile: received '${path}', ${reason})`,
      {
        key: 'caFile',
        value: path,
        remedy: 'give the path of a readable PEM file with the CA certificate(s)',
      },
      error,
    );
  }
}

function toRows(resultSet: WireResultSet, sql: string): SqlRows {
  const columns: SqlColumn[] = resultSet.columns.map((column) => ({
    name: column.name,
    type: columnTypeText(column.dataType),
  }));
  const data = resultSet.data ?? [];
  const count = resultSet.numRows;
  for (let c = 0; c < resultSet.columns.length; c++) {
    const received = data[c]?.length ?? 0;
    if (received !== count) {
      throw protocolError(sql, `column ${c + 1} holds ${received} of ${count} rows`);
    }
  }
  const rows: SqlValue[][] = new Array<SqlValue[]>(count);
  for (let r = 0; r < count; r++) {
    const row = new Array<SqlValue>(resultSet.columns.length);
    for (let c = 0; c < resultSet.columns.length; c++) {
      row[c] = mapValue(data[c]?.[r], resultSet.columns[c]?.dataType ?? { type: 'UNKNOWN' });
    }
    rows[r] = row;
  }
  return { columns, rows };
}

function wrongResultKind(sql: string, got: string, use: string): SmeError {
  return exasolError('SME-E-EXA-RESULT-KIND', `the statement returned ${got}; use ${use} for it`, {
    value: statementStart(sql),
    remedy: `call ${use}`,
  });
}

function protocolError(sql: string, what: string): SmeError {
  return exasolError('SME-E-EXA-PROTOCOL', `unexpected answer from Exasol: ${what}`, { value: statementStart(sql) });
}
