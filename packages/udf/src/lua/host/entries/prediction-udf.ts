/** @noSelfInFile */
/// <reference types="@typescript-to-lua/language-extensions" />
/**
 * Entry of the prediction bundle embedded in every per-endpoint prediction UDF (`<schema>."<endpoint>"`, built by
 * core's `predictionUdfSql`): adapts Exasol's UDF context to the prediction loop.
 */
import { luaSha256Crypto } from '../lua-crypto.js';
import { instanceHttpPort } from '../lua-http.js';
import { luaJson } from '../lua-json.js';
import { luaScriptIdentity } from '../lua-meta.js';
import type { ExaGlobal } from '../lua-libs.js';
import { errorText, runPredictionSet, type PredictionConfig } from '../../endpoints/prediction-run.js';

declare const exa: ExaGlobal;
/* eslint-disable @typescript-eslint/no-invalid-void-type -- `this: void` tells TypeScriptToLua to call with a dot (no self argument) */
declare const os: { time(this: void): number };
declare const table: { unpack(this: void, list: readonly unknown[], i: number, j: number): LuaMultiReturn<unknown[]> };
/** Lua's `error` with level 0: the message without a position prefix. */
declare function error(this: void, message: string, level: number): never;
/**
 * Exasol's SQL NULL in UDFs (a constant, not nil) and its DECIMAL constructor (Exasol's Lua rule L6,
 * packages/sandbox/README.md).
 */
declare const _G: Readonly<Record<string, unknown>>;
type DecimalFunction = (this: void, value: unknown, precision: number, scale: number) => unknown;

/** Exasol's Lua UDF context: inputs as `ctx[<parameter name>]`, `ctx.next()`, `ctx.emit(...)` (dot calls). */
export interface ExaSetContext {
  readonly next: (this: void) => boolean;
  readonly emit: (this: void, ...values: unknown[]) => void;
}
/* eslint-enable @typescript-eslint/no-invalid-void-type */

/**
 * Body of `run(ctx)`: predicts every row of the SET; answers the number of InvokeEndpoint requests. Failures end
 * the query with a plain-text Lua error that starts with the `SME-E-…` code (Exasol shows only the text, and a
 * UDF has no `debug` library to print error objects with).
 */
export function runPrediction(ctx: ExaSetContext, config: PredictionConfig): number {
  try {
    return predict(ctx, config);
  } catch (e) {
    return error(errorText(e), 0);
  }
}

/**
 * An argument as the prediction loop wants it: NULL (Exasol's constant) → undefined; numbers, text and booleans as
 * they are; anything else with a `__tostring` (Exasol's `decimal`) → its exact text, which CSV writes unchanged.
 */
function argumentValue(value: unknown, none: unknown): unknown {
  if (value === undefined || value === none) return undefined;
  const t = type(value);
  if (t === 'number' || t === 'string' || t === 'boolean') return value;
  return tostring(value);
}

/** Exasol's SQL NULL and `decimal(v, p, s)`, globals of a Lua UDF (udf_scripts/lua.htm). */
declare const NULL: unknown;
declare const decimal: DecimalFunction | undefined;

function predict(ctx: ExaSetContext, config: PredictionConfig): number {
  const record = ctx as unknown as Record<string, unknown>;
  const none = NULL;
  const makeDecimal = decimal;
  return runPredictionSet(
    {
      value: (name) => argumentValue(record[name], none),
      // Keys go back out as they came in (an Exasol decimal stays a decimal for its DECIMAL output column).
      raw: (name) => (record[name] === none ? undefined : record[name]),
      next: () => ctx.next(),
      // An explicit count: NULLs are nil until here, and a table with nils has no reliable length. Exasol wants its
      // NULL constant for SQL NULL.
      emit: (values, n) => {
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out[i] = values[i] ?? none;
        ctx.emit(...table.unpack(out, 1, n));
      },
      ...(makeDecimal === undefined ? {} : { decimal: (v, p, s) => makeDecimal(v, p, s) }),
    },
    config,
    {
      http: instanceHttpPort(config, {
        timeoutSeconds: config.timeoutSeconds ?? 60,
        ...(config.extraRootsPem === undefined ? {} : { extraRootsPem: config.extraRootsPem }),
      }),
      crypto: luaSha256Crypto(),
      clock: { nowMillis: () => os.time() * 1000 },
      json: luaJson(),
      getConnection: (name) => exa.get_connection(name),
      scriptIdentity: () => luaScriptIdentity(exa),
    },
  );
}
