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
import { dataTypeJson } from './exa-types.js';
import type { ExaResult } from './result.js';
import type { ExaSession } from './session.js';
import { ExaSqlError } from './sql-error.js';
import { columnMajorJson, stringifyReply } from './wire-json.js';
import { PreparedStatements } from './prepared-statements.js';

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

type Json = Record<string, unknown>;

class ClientConnection {
  private state: 'initial' | 'credentials' | 'ready' | 'closed' = 'initial';
  private session: ExaSession | undefined;
  private compression = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly results = new Map<number, StoredResult>();
  private readonly prepared = new PreparedStatements(() => this.nextHandle++);
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
        this.reply(this.ok(await this.prepared.create(s, str(request.sqlText))));
        return;
      case 'executePreparedStatement':
        this.reply(this.ok(await this.prepared.execute(s, request, (r) => this.wireResult(r))));
        return;
      case 'closePreparedStatement':
        this.prepared.close(Number(request.statementHandle));
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

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
