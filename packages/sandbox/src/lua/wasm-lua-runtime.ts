import { LuaFactory, decorateUserdata, type LuaEngine } from 'wasmoon';
import { LuaError, LuaHostError } from './lua-errors.js';
import { RunExchange } from './lua-protocol.js';
import type {
  LuaProfile,
  LuaRuntime,
  LuaRuntimeOptions,
  ScriptOutcome,
  ScriptRun,
  UdfOutcome,
  UdfRun,
} from './lua-runtime.js';
import { WASM_MAIN_LUA } from './lua-src/wasm-modules-lua.js';
import { WasmSockets } from './wasm-socket.js';

type EndMessage = Parameters<RunExchange['udfOutcome']>[0];

/**
 * Runs Lua 5.4 in wasmoon (WebAssembly) with Lua stand-ins for cjson, LuaSocket, LuaSec and luaossl. One
 * engine per runtime; each run is a Lua coroutine with a fresh environment, stepped synchronously: it yields
 * whenever it needs Node (SQL, import, connection, socket I/O) and is resumed with the answer, so blocking
 * socket reads are awaited in Node while Lua waits (user code itself gets no coroutines under `exasol`). Runs may nest and
 * interleave. (wasmoon's own `promise:await()` is avoided: its doString keeps threads at stack positions that
 * shift when two runs overlap, which corrupted the engine in our tests.)
 */
export class WasmLuaRuntime implements LuaRuntime {
  readonly name = 'wasm' as const;
  readonly profile: LuaProfile;
  readonly opensslPrefix: 'openssl' | '_openssl';
  readonly clockOffsetSeconds: number;
  private readonly runs = new Map<number, RunExchange>();
  /** The next string each run's coroutine receives (its request, then each reply). */
  private readonly inbox = new Map<number, string>();
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly engine: LuaEngine,
    options: LuaRuntimeOptions,
  ) {
    this.profile = options.profile ?? 'exasol';
    this.opensslPrefix = options.opensslPrefix ?? 'openssl';
    this.clockOffsetSeconds = options.clockOffsetSeconds ?? 0;
  }

  static async create(options: LuaRuntimeOptions = {}): Promise<WasmLuaRuntime> {
    let engine: LuaEngine;
    try {
      engine = await new LuaFactory().createEngine({ enableProxy: false, injectObjects: true });
    } catch (e) {
      throw new LuaHostError('SME-E-SANDBOX-LUA-WASM', `wasmoon failed to start: ${String(e)}`, {}, e);
    }
    const runtime = new WasmLuaRuntime(engine, options);
    const g = engine.global;
    g.set('__sme_null', decorateUserdata({}));
    g.set('__sme_take', (id: number) => {
      const s = runtime.inbox.get(id) ?? '';
      runtime.inbox.delete(id);
      return s;
    });
    g.set('__sme_send', (line: string) => {
      runtime.emit(line);
    });
    g.set('__sme_now', () => Date.now());
    engine.doStringSync(WASM_MAIN_LUA);
    return runtime;
  }

  async runScript(run: ScriptRun): Promise<ScriptOutcome> {
    const exchange = new RunExchange(this.nextId++, { script: run }, this);
    return exchange.scriptOutcome(await this.exec(exchange));
  }

  async runUdf(run: UdfRun): Promise<UdfOutcome> {
    const exchange = new RunExchange(this.nextId++, { udf: run }, this);
    return exchange.udfOutcome(await this.exec(exchange));
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.engine.global.close();
    }
    return Promise.resolve();
  }

  private async exec(exchange: RunExchange): Promise<EndMessage> {
    if (this.closed) throw new LuaHostError('SME-E-SANDBOX-LUA-CLOSED', 'The wasm Lua runtime is closed.');
    const id = exchange.id;
    this.runs.set(id, exchange);
    const sockets = new WasmSockets();
    try {
      let line = this.step(id, exchange.request, `return __sme_start(${id})`);
      for (;;) {
        const t = (JSON.parse(line) as { t?: unknown }).t;
        let reply: string;
        if (t === 'sock') {
          reply = await sockets.handle(line);
        } else if (t === 'sleep') {
          const seconds = (JSON.parse(line) as { seconds?: number }).seconds ?? 0;
          await new Promise((r) => setTimeout(r, seconds * 1000));
          reply = '';
        } else {
          const step = await exchange.handle(line);
          if (step === undefined) {
            throw new LuaHostError('SME-E-SANDBOX-LUA-PROTOCOL', 'The Lua host expected a reply to an emit.');
          }
          if ('end' in step) return step.end;
          reply = step.reply;
        }
        if (this.isClosed()) throw new LuaHostError('SME-E-SANDBOX-LUA-CLOSED', 'The wasm Lua runtime is closed.');
        line = this.step(id, reply, `return __sme_resume(${id})`);
      }
    } finally {
      sockets.closeAll();
      this.runs.delete(id);
      this.inbox.delete(id);
    }
  }

  /** A method, not the field: the field's narrowing would survive the awaits in exec. */
  private isClosed(): boolean {
    return this.closed;
  }

  private step(id: number, input: string, chunk: string): string {
    this.inbox.set(id, input);
    try {
      return String(this.engine.doStringSync(chunk));
    } catch (e) {
      // The host catches user errors itself; what arrives here escaped it (e.g. out of memory).
      throw new LuaError(e instanceof Error ? (e.message.split('\nstack traceback:')[0] ?? e.message) : String(e));
    }
  }

  /** Rows emitted by a UDF, routed to their run by id. */
  private emit(line: string): void {
    const id = (JSON.parse(line) as { id?: unknown }).id;
    const exchange = typeof id === 'number' ? this.runs.get(id) : undefined;
    if (exchange === undefined) throw new LuaHostError('SME-E-SANDBOX-LUA-PROTOCOL', `No run ${String(id)}.`);
    void exchange.handle(line);
  }
}
