/**
 * The WebSocket API v1–v3 server (https://github.com/exasol/websocket-api/blob/master/docs/WebsocketAPIV3.md): login
 * with RSA, then one command at a time per connection, JSON text frames or zlib-compressed binary frames after a login
 * with `useCompression`.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { deflateSync, inflateSync } from 'node:zlib';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { createLoginKey, createSelfSignedCertificate } from './crypto-keys.js';
import type { ExaDatabase } from './database.js';
import type { ExaType, WireValue } from './exa-types.js';
import { SANDBOX_RELEASE_VERSION } from './catalog-sql.js';
import { dataTypeJson, fromDataTypeJson, VARCHAR_MAX } from './exa-types.js';
import type { ExaResult } from './result.js';
import type { ExaSession } from './session.js';
import { ExaSqlError } from './sql-error.js';
import { columnMajorJson, stringifyReply } from './wire-json.js';
import { closingParen, identifierName, kw, quoteString, significant, tokenize, type Token } from './tokenizer.js';

/**
 * Result sets of this many rows or more are sent as a handle to fetch from (https://github.com/exasol/websocket-api).
 */
export const INLINE_ROW_LIMIT = 1000;
const MAX_PROTOCOL_VERSION = 3;

export interface ExaServerOptions {
  readonly database: ExaDatabase;
  /** Kept for callers; logins are checked by the database (admin user and CREATE USER users). */
  readonly user?: string;
  readonly password?: string;
  readonly host?: string;
  readonly port?: number;
  readonly tls?: boolean;
}

export interface ExaServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** SHA-256 fingerprint of the certificate (upper-case hex), undefined without TLS. */
  readonly fingerprint: string | undefined;
  stop(): Promise<void>;
}

export async function startExaServer(options: ExaServerOptions): Promise<ExaServer> {
  const host = options.host ?? '127.0.0.1';
  const tls = options.tls ?? true;
  const material = tls ? createSelfSignedCertificate(['localhost', host, '127.0.0.1']) : undefined;
  const loginKey = createLoginKey();
  const httpServer: Server = material
    ? createHttpsServer({ key: material.keyPem, cert: material.certPem })
    : createHttpServer();
  const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false });
  const connections = new Set<ClientConnection>();
  wss.on('connection', (socket) => {
    const c = new ClientConnection(socket, options, loginKey);
    connections.add(c);
    socket.on('close', () => {
      connections.delete(c);
      void c.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => {
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  return {
    host,
    port,
    url: `${tls ? 'wss' : 'ws'}://${host}:${port}`,
    fingerprint: material?.fingerprint,
    async stop() {
      for (const c of connections) c.terminate();
      await Promise.all([...connections].map((c) => c.end()));
      await new Promise<void>((resolve) => {
        wss.close(() => {
          resolve();
        });
      });
      await new Promise<void>((resolve) => {
        httpServer.close(() => {
          resolve();
        });
      });
    },
  };
}

interface StoredResult {
  readonly columns: readonly { name: string; type: ExaType }[];
  readonly rows: readonly (readonly WireValue[])[];
}

interface Prepared {
  readonly sqlText: string;
  readonly tokens: Token[];
  readonly paramTypes: ExaType[];
}

type Json = Record<string, unknown>;

class ClientConnection {
  private state: 'initial' | 'credentials' | 'ready' | 'closed' = 'initial';
  private session: ExaSession | undefined;
  private compression = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly results = new Map<number, StoredResult>();
  private readonly prepared = new Map<number, Prepared>();
  private nextHandle = 1;
  private protocolVersion = 1;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: ExaServerOptions,
    private readonly loginKey: ReturnType<typeof createLoginKey>,
  ) {
    socket.on('message', (data: RawData, isBinary: boolean) => {
      this.onMessage(data, isBinary);
    });
    socket.on('error', () => undefined);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    let request: Json;
    try {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const text = this.compression && isBinary ? inflateSync(buf).toString('utf8') : buf.toString('utf8');
      request = JSON.parse(text) as Json;
    } catch {
      this.reply({ status: 'error', exception: { text: 'invalid JSON request', sqlCode: '00000' } });
      return;
    }
    // abortQuery has no answer and must not wait behind the statement it aborts.
    if (request.command === 'abortQuery') {
      this.session?.interrupt();
      return;
    }
    this.queue = this.queue.then(() => this.handle(request)).catch(() => undefined);
  }

  private reply(message: Json): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const text = stringifyReply(message);
    // Uncompressed replies must be text frames; compressed ones are binary zlib frames.
    if (this.compression) this.socket.send(deflateSync(Buffer.from(text, 'utf8')), { binary: true });
    else this.socket.send(text, { binary: false });
  }

  private error(e: unknown): Json {
    if (e instanceof ExaSqlError) return { status: 'error', exception: { text: e.message, sqlCode: e.sqlCode } };
    const text = e instanceof Error ? e.message : String(e);
    return { status: 'error', exception: { text, sqlCode: '00000' } };
  }

  private async handle(request: Json): Promise<void> {
    try {
      switch (this.state) {
        case 'initial':
          this.reply(this.login(request));
          return;
        case 'credentials':
          await this.credentials(request);
          return;
        case 'ready':
          await this.command(request);
          return;
        default:
          return;
      }
    } catch (e) {
      this.reply(this.error(e));
    }
  }

  private login(request: Json): Json {
    if (request.command === 'loginToken')
      throw new ExaSqlError(
        'loginToken (OpenID) login is not supported by the sandbox: log in with user and password',
        '08004',
      );
    if (request.command !== 'login')
      throw new ExaSqlError(
        `login required: send the login command first (received ${String(request.command)})`,
        '08004',
      );
    const requested = typeof request.protocolVersion === 'number' ? request.protocolVersion : 1;
    // A server answers a higher requested version with the highest it speaks.
    this.protocolVersion = Math.max(1, Math.min(requested, MAX_PROTOCOL_VERSION));
    this.state = 'credentials';
    return {
      status: 'ok',
      responseData: {
        publicKeyPem: this.loginKey.publicKeyPem,
        publicKeyModulus: this.loginKey.modulusHex,
        publicKeyExponent: this.loginKey.exponentHex,
      },
    };
  }

  private async credentials(request: Json): Promise<void> {
    const password = typeof request.password === 'string' ? this.loginKey.decrypt(request.password) : undefined;
    const user = typeof request.username === 'string' ? request.username : '';
    const db = this.options.database;
    let name: string;
    try {
      name = await db.authenticate(user, password);
    } catch (e) {
      setTimeout(() => {
        this.socket.close();
      }, 10);
      this.state = 'closed';
      throw e;
    }
    this.session = await db.openSession(name);
    const attrs = (request.attributes ?? {}) as Json;
    try {
      await this.applyAttributes(attrs);
    } catch (e) {
      await db.closeSession(this.session);
      this.session = undefined;
      throw e;
    }
    this.state = 'ready';
    const response: Json = {
      status: 'ok',
      responseData: {
        sessionId: Number(this.session.sessionId),
        protocolVersion: this.protocolVersion,
        releaseVersion: SANDBOX_RELEASE_VERSION,
        databaseName: db.databaseName,
        productName: 'EXASolution',
        maxDataMessageSize: 4_194_304,
        maxIdentifierLength: 128,
        maxVarcharLength: 2_000_000,
        identifierQuoteString: '"',
        timeZone: 'UTC',
        timeZoneBehavior: 'INVALID SHIFT AMBIGUOUS ST',
      },
    };
    this.reply(response);
    // Compression starts with the frames after the login answer.
    if (request.useCompression === true) this.compression = true;
  }

  private attributes(): Json {
    const s = this.session;
    return {
      autocommit: s?.autocommit ?? true,
      compressionEnabled: this.compression,
      currentSchema: s?.currentSchema ?? '',
      dateFormat: 'YYYY-MM-DD',
      dateLanguage: 'ENG',
      datetimeFormat: 'YYYY-MM-DD HH24:MI:SS.FF6',
      defaultLikeEscapeCharacter: '\\',
      feedbackInterval: 1,
      numericCharacters: '.,',
      openTransaction: false,
      queryTimeout: 0,
      snapshotTransactionsEnabled: false,
      timestampUtcEnabled: false,
      timezone: 'UTC',
      timeZoneBehavior: 'INVALID SHIFT AMBIGUOUS ST',
      resultSetMaxRows: 0,
    };
  }

  private async applyAttributes(attrs: Json): Promise<void> {
    const s = this.session;
    if (!s) return;
    if (typeof attrs.autocommit === 'boolean') await s.setAutocommit(attrs.autocommit);
    if (typeof attrs.currentSchema === 'string' && attrs.currentSchema !== (s.currentSchema ?? ''))
      await s.setSchema(attrs.currentSchema === '' ? null : attrs.currentSchema);
  }

  private async command(request: Json): Promise<void> {
    const s = this.session;
    if (!s) return;
    if (typeof request.attributes === 'object' && request.attributes !== null)
      await this.applyAttributes(request.attributes as Json);
    switch (request.command) {
      case 'execute': {
        const result = await s.execute(str(request.sqlText));
        this.reply(this.ok({ numResults: 1, results: [this.wireResult(result)] }));
        return;
      }
      case 'executeBatch': {
        const texts = Array.isArray(request.sqlTexts) ? request.sqlTexts : [];
        const results: Json[] = [];
        for (const text of texts) results.push(this.wireResult(await s.execute(String(text))));
        this.reply(this.ok({ numResults: results.length, results }));
        return;
      }
      case 'fetch':
        this.reply(this.ok(this.fetch(request)));
        return;
      case 'closeResultSet': {
        const handles = Array.isArray(request.resultSetHandles) ? request.resultSetHandles : [];
        for (const h of handles) this.results.delete(Number(h));
        this.reply(this.ok());
        return;
      }
      case 'createPreparedStatement':
        this.reply(this.ok(await this.createPrepared(str(request.sqlText))));
        return;
      case 'executePreparedStatement':
        this.reply(this.ok(await this.executePrepared(request)));
        return;
      case 'closePreparedStatement':
        this.prepared.delete(Number(request.statementHandle));
        this.reply(this.ok());
        return;
      case 'getAttributes':
      case 'setAttributes':
        this.reply({ status: 'ok', attributes: this.attributes() });
        return;
      case 'disconnect':
        this.reply(this.ok());
        await this.end();
        this.socket.close();
        return undefined;
      case 'getResultSetHeader':
      default:
        throw new ExaSqlError(`unknown or unsupported command ${String(request.command)}`, '00000');
    }
  }

  private ok(responseData?: Json): Json {
    return responseData === undefined
      ? { status: 'ok', attributes: this.attributes() }
      : { status: 'ok', attributes: this.attributes(), responseData };
  }

  private wireResult(result: ExaResult): Json {
    if (result.kind === 'rowCount') return { resultType: 'rowCount', rowCount: result.rowCount };
    const columns = result.columns.map((c) => ({ name: c.name, dataType: dataTypeJson(c.type) }));
    const numRows = result.rows.length;
    const base = { numColumns: columns.length, numRows, columns };
    if (numRows < INLINE_ROW_LIMIT)
      return {
        resultType: 'resultSet',
        resultSet: {
          ...base,
          numRowsInMessage: numRows,
          ...(numRows > 0
            ? {
                data: columnMajorJson(
                  result.rows,
                  result.columns.map((c) => c.type),
                ),
              }
            : {}),
        },
      };
    const handle = this.nextHandle++;
    this.results.set(handle, result);
    return { resultType: 'resultSet', resultSet: { resultSetHandle: handle, ...base, numRowsInMessage: 0 } };
  }

  private fetch(request: Json): Json {
    const stored = this.results.get(Number(request.resultSetHandle));
    if (!stored) throw new ExaSqlError(`result set handle ${String(request.resultSetHandle)} not found`, '00000');
    const start = Math.max(0, Number(request.startPosition ?? 0));
    const budget = Math.max(1, Number(request.numBytes ?? 1_048_576));
    let bytes = 0;
    let end = start;
    while (end < stored.rows.length && (end === start || bytes < budget)) {
      bytes += JSON.stringify(stored.rows[end]).length;
      end++;
    }
    const rows = stored.rows.slice(start, end);
    return {
      numRows: rows.length,
      data: columnMajorJson(
        rows,
        stored.columns.map((c) => c.type),
      ),
    };
  }

  private async createPrepared(sqlText: string): Promise<Json> {
    const tokens = tokenize(sqlText);
    const count = tokens.filter((t) => t.kind === 'param').length;
    const paramTypes = await this.inferParamTypes(significant(tokens), count);
    const handle = this.nextHandle++;
    this.prepared.set(handle, { sqlText, tokens, paramTypes });
    return {
      statementHandle: handle,
      parameterData: {
        numColumns: count,
        columns: paramTypes.map((t, i) => ({ name: `PARAMETER${i + 1}`, dataType: dataTypeJson(t) })),
      },
      numResults: 0,
      results: [],
    };
  }

  /** Types of `?` in `INSERT INTO t [(cols)] VALUES (?, …)` come from the table; others are VARCHAR. */
  private async inferParamTypes(t: Token[], count: number): Promise<ExaType[]> {
    const fallback = Array.from({ length: count }, () => VARCHAR_MAX);
    const s = this.session;
    if (!s || kw(t[0]) !== 'INSERT' || kw(t[1]) !== 'INTO' || count === 0) return fallback;
    try {
      const { name, next } = s.parseName(t, 2);
      let cols: string[] | undefined;
      let i = next;
      if (t[i]?.text === '(') {
        const close = closingParen(t, i);
        cols = t
          .slice(i + 1, close)
          .filter((x) => x.text !== ',')
          .map(identifierName);
        i = close + 1;
      }
      const r = await s.duck(
        `SELECT "COLUMN_NAME", "COLUMN_TYPE" FROM "SYS"."EXA_ALL_COLUMNS" WHERE "COLUMN_SCHEMA" = ${quoteString(name.schema)} AND "COLUMN_TABLE" = ${quoteString(name.name)} ORDER BY "COLUMN_ORDINAL_POSITION"`,
      );
      if (r.kind !== 'resultSet' || kw(t[i]) !== 'VALUES') return fallback;
      const typeOf = new Map(r.rows.map((row) => [String(row[0]), String(row[1])]));
      const order = cols ?? r.rows.map((row) => String(row[0]));
      const close = closingParen(t, i + 1);
      const items = t.slice(i + 2, close);
      const out: ExaType[] = [];
      let col = 0;
      let depth = 0;
      for (const x of items) {
        if (x.text === '(') depth++;
        else if (x.text === ')') depth--;
        else if (x.text === ',' && depth === 0) col++;
        else if (x.kind === 'param') {
          const text = typeOf.get(order[col] ?? '');
          out.push(text === undefined ? VARCHAR_MAX : typeFromText(text));
        }
      }
      return out.length === count ? out : fallback;
    } catch {
      return fallback;
    }
  }

  private async executePrepared(request: Json): Promise<Json> {
    const s = this.session;
    const p = this.prepared.get(Number(request.statementHandle));
    if (!s || !p) throw new ExaSqlError(`statement handle ${String(request.statementHandle)} not found`, '00000');
    const data = Array.isArray(request.data) ? (request.data as unknown[][]) : [];
    const numRows = typeof request.numRows === 'number' ? request.numRows : (data[0]?.length ?? 0);
    const clientTypes = Array.isArray(request.columns)
      ? (request.columns as Json[]).map((c) => fromDataTypeJson(c.dataType))
      : [];
    const types = p.paramTypes.map((t, i) => clientTypes[i] ?? t);
    const rowValues = (r: number): unknown[] => p.paramTypes.map((_, c) => data[c]?.[r] ?? null);
    if (p.paramTypes.length === 0) return { numResults: 1, results: [this.wireResult(await s.execute(p.sqlText))] };
    const multi = multiRowInsert(p.tokens);
    if (multi && numRows > 1) {
      let total = 0;
      await s.atomic(async () => {
        for (let start = 0; start < numRows; start += 500) {
          const tuples: string[] = [];
          for (let r = start; r < Math.min(numRows, start + 500); r++)
            tuples.push(bind(multi.tuple, rowValues(r), types));
          const res = await s.execute(multi.head + tuples.join(', ') + multi.tail);
          if (res.kind === 'rowCount') total += res.rowCount;
        }
      });
      return { numResults: 1, results: [{ resultType: 'rowCount', rowCount: total }] };
    }
    let last: ExaResult = { kind: 'rowCount', rowCount: 0 };
    let total = 0;
    for (let r = 0; r < Math.max(numRows, 1); r++) {
      last = await s.execute(bind(p.tokens, rowValues(r), types));
      if (last.kind === 'rowCount') total += last.rowCount;
    }
    return {
      numResults: 1,
      results: [last.kind === 'rowCount' ? { resultType: 'rowCount', rowCount: total } : this.wireResult(last)],
    };
  }

  terminate(): void {
    this.socket.terminate();
  }

  async end(): Promise<void> {
    this.state = 'closed';
    this.results.clear();
    this.prepared.clear();
    const s = this.session;
    this.session = undefined;
    if (s) await this.options.database.closeSession(s);
  }
}

function typeFromText(text: string): ExaType {
  const m = /^DECIMAL\((\d+),(\d+)\)$/.exec(text);
  if (m) return { type: 'DECIMAL', precision: Number(m[1]), scale: Number(m[2]) };
  const v = /^(VARCHAR|CHAR)\((\d+)\) (UTF8|ASCII)$/.exec(text);
  if (v) return { type: v[1] as 'VARCHAR' | 'CHAR', size: Number(v[2]), characterSet: v[3] as 'UTF8' | 'ASCII' };
  if (text === 'DOUBLE' || text === 'BOOLEAN' || text === 'DATE') return { type: text };
  if (text.startsWith('TIMESTAMP')) return { type: 'TIMESTAMP', withLocalTimeZone: text.includes('LOCAL') };
  return VARCHAR_MAX;
}

/** An SQL literal for a bound parameter value. */
function literal(v: unknown, type: ExaType | undefined): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  if (typeof v === 'bigint') return v.toString();
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (type?.type === 'DECIMAL' && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return text;
  return quoteString(text);
}

function bind(tokens: readonly Token[], values: readonly unknown[], types: readonly (ExaType | undefined)[]): string {
  let k = 0;
  return tokens
    .map((t) => {
      if (t.kind !== 'param') return t.text;
      const out = literal(values[k], types[k]);
      k++;
      return out;
    })
    .join('');
}

/** `INSERT … VALUES (…?…)` with exactly one tuple: split so many rows go in one statement. */
function multiRowInsert(tokens: Token[]): { head: string; tuple: Token[]; tail: string } | undefined {
  const sig = significant(tokens);
  if (kw(sig[0]) !== 'INSERT') return undefined;
  const v = sig.findIndex((t) => kw(t) === 'VALUES');
  if (v < 0 || sig[v + 1]?.text !== '(') return undefined;
  const close = closingParen(sig, v + 1);
  if (close !== sig.length - 1) return undefined;
  const open = sig[v + 1] as Token;
  const end = sig[close] as Token;
  const from = tokens.indexOf(open);
  const to = tokens.indexOf(end);
  return {
    head: tokens
      .slice(0, from)
      .map((t) => t.text)
      .join(''),
    tuple: tokens.slice(from, to + 1),
    tail: tokens
      .slice(to + 1)
      .map((t) => t.text)
      .join(''),
  };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
