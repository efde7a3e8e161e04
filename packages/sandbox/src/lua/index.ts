/**
 * The sandbox's Lua runtimes: `createLuaRuntime('native' | 'wasm' | 'auto')`.
 *
 * @example
 * const lua = await createLuaRuntime();            // native lua5.4 when installed, else wasmoon
 * const out = await lua.runScript({ source: 'output("hi")', parameterNames: [], args: [], meta, host });
 * await lua.close();
 */
import { LuaHostError } from './lua-errors.js';
import type { LuaRuntime, LuaRuntimeOptions } from './lua-runtime.js';
import { NativeLuaRuntime, probeNativeLua } from './native-lua-runtime.js';
import { WasmLuaRuntime } from './wasm-lua-runtime.js';

export type {
  LuaColumn,
  LuaConnection,
  LuaMeta,
  LuaProfile,
  LuaQueryError,
  LuaQueryResult,
  LuaRuntime,
  LuaRuntimeError,
  LuaRuntimeOptions,
  LuaScriptArg,
  LuaSqlValue,
  ScriptHost,
  ScriptOutcome,
  ScriptRun,
  UdfOutcome,
  UdfRun,
} from './lua-runtime.js';
export { LuaError, LuaHostError, isLuaRuntimeError } from './lua-errors.js';

export type LuaRuntimeKind = 'native' | 'wasm' | 'auto';

const NATIVE_EXECUTABLE = 'lua5.4';
let nativeProbe: Promise<{ ok: true } | { ok: false; reason: string }> | undefined;

/** Why native Lua cannot be used here, or `undefined` when it can (`lua5.4` with every required module). */
export async function nativeLuaUnavailableReason(): Promise<string | undefined> {
  nativeProbe ??= probeNativeLua(NATIVE_EXECUTABLE);
  const probe = await nativeProbe;
  return probe.ok ? undefined : probe.reason;
}

/** True when `lua5.4` and lua-cjson, lua-socket, lua-sec, lua-luaossl are installed. */
export async function isNativeLuaAvailable(): Promise<boolean> {
  return (await nativeLuaUnavailableReason()) === undefined;
}

/**
 * Creates a Lua runtime. `auto` (default) picks native `lua5.4` when available, else wasmoon.
 * `options.profile` (default `exasol`) makes it behave like Exasol's Lua; `vanilla` is for debugging only.
 * Throws `SME-E-SANDBOX-LUA-NATIVE-MISSING` when `native` is asked for and not installed.
 */
export async function createLuaRuntime(
  kind: LuaRuntimeKind = 'auto',
  options: LuaRuntimeOptions = {},
): Promise<LuaRuntime> {
  if (kind === 'wasm') return WasmLuaRuntime.create(options);
  const reason = await nativeLuaUnavailableReason();
  if (reason === undefined) return new NativeLuaRuntime(NATIVE_EXECUTABLE, options);
  if (kind === 'auto') return WasmLuaRuntime.create(options);
  throw new LuaHostError('SME-E-SANDBOX-LUA-NATIVE-MISSING', `Native Lua is not available: ${reason}`, {
    value: NATIVE_EXECUTABLE,
    remedy: 'Install it (apt-get install lua5.4 lua-cjson lua-socket lua-sec lua-luaossl) or choose --lua wasm.',
  });
}
