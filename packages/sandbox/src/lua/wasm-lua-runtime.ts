import { LuaFactory, decorateUserdata, type LuaEngine } from 'wasmoon';
import { LuaError, LuaHostError } from './lua-errors.js';
import { RunExchange } from './lua-protocol.js';
import type { LuaRuntime, ScriptOutcome, ScriptRun, UdfOutcome, UdfRun } from './lua-runtime.js';
import { WASM_MAIN_LUA } from './lua-src/wasm-modules-lua.js';
import { luaHttpRequest } from './wasm-http.js';

/**
 * Runs Lua 5.4 in wasmoon (WebAssembly) with Lua stand-ins for cjson, LuaSocket, LuaSec and luaossl. One
 * engine per runtime; each run is a `doString` (its own Lua thread, so `promise:await()` can suspend it while
 * Node answers a query) with a fresh environment. Runs may nest and interleave.
 */
export class WasmLuaRuntime implements LuaRuntime {
  readonly name = 'wasm' as const;
  private readonly runs = new Map<number, RunExchange>();
  private nextId = 1;
  private closed = false;

  private constructor(private readonly engine: LuaEngine) {}

  static async create(): Promise<WasmLuaRuntime> {
    let engine: LuaEngine;
    try {
      engine = await new LuaFactory().createEngine({ enableProxy: false, injectObjects: true });
    } catch (e) {
      throw new LuaHostError('SME-E-SANDBOX-LUA-WASM', `wasmoon failed to start: ${String(e)}`, {}, e);
    }
    const runtime = new WasmLuaRuntime(engine);
    const g = engine.global;
    g.set('__sme_null', decorateUserdata({}));
    g.set('__sme_take', (id: number) => runtime.runs.get(id)?.request ?? '');
    g.set('__sme_call', (line: string) => runtime.call(line));
    g.set('__sme_send', (line: string) => {
      void runtime.call(line);
    });
    g.set('__sme_http', (json: string) => luaHttpRequest(json));
    g.set('__sme_now', () => Date.now());
    g.set('__sme_sleep', (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000)));
    await engine.doString(WASM_MAIN_LUA);
    return runtime;
  }

  async runScript(run: ScriptRun): Promise<ScriptOutcome> {
    const exchange = new RunExchange(this.nextId++, { script: run });
    return exchange.scriptOutcome(await this.exec(exchange));
  }

  async runUdf(run: UdfRun): Promise<UdfOutcome> {
    const exchange = new RunExchange(this.nextId++, { udf: run });
    return exchange.udfOutcome(await this.exec(exchange));
  }

  close(): Promise<void> {
    this.closed = true;
    this.engine.global.close();
    return Promise.resolve();
  }

  private async exec(exchange: RunExchange): Promise<Parameters<RunExchange['udfOutcome']>[0]> {
    if (this.closed) throw new LuaHostError('SME-E-SANDBOX-LUA-CLOSED', 'The wasm Lua runtime is closed.');
    this.runs.set(exchange.id, exchange);
    try {
      let last: unknown;
      try {
        last = await this.engine.doString(`return __sme_host.handle(__sme_take(${exchange.id}))`);
      } catch (e) {
        // The host catches user errors itself; what arrives here escaped it (e.g. out of memory).
        throw new LuaError(e instanceof Error ? (e.message.split('\nstack traceback:')[0] ?? e.message) : String(e));
      }
      const step = await exchange.handle(String(last));
      if (step === undefined || !('end' in step)) {
        throw new LuaHostError('SME-E-SANDBOX-LUA-PROTOCOL', 'The Lua host returned no outcome.');
      }
      return step.end;
    } finally {
      this.runs.delete(exchange.id);
    }
  }

  /** A message from Lua during a run: routed to its run by id. */
  private async call(line: string): Promise<string> {
    const id = (JSON.parse(line) as { id?: unknown }).id;
    const exchange = typeof id === 'number' ? this.runs.get(id) : undefined;
    if (exchange === undefined) throw new LuaHostError('SME-E-SANDBOX-LUA-PROTOCOL', `No run ${String(id)}.`);
    const step = await exchange.handle(line);
    return step !== undefined && 'reply' in step ? step.reply : '';
  }
}
