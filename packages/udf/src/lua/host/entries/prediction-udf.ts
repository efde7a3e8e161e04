/** @noSelfInFile */
/// <reference types="@typescript-to-lua/language-extensions" />
/**
 * Entry of the prediction bundle embedded in every per-endpoint prediction UDF (`<schema>."<endpoint>"`, built by
 * core's `predictionUdfSql`): adapts Exasol's UDF context to the prediction loop.
 */
import { luaSha256Crypto } from '../lua-crypto.js';
import { luaHttpPort } from '../lua-http.js';
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

function predict(ctx: ExaSetContext, config: PredictionConfig): number {
  const record = ctx as unknown as Record<string, unknown>;
  return runPredictionSet(
    {
      value: (name) => record[name],
      next: () => ctx.next(),
      // An explicit count: NULLs are nil, and a table with nils has no reliable length.
      emit: (values, n) => {
        ctx.emit(...table.unpack(values, 1, n));
      },
    },
    config,
    {
      http: luaHttpPort({ timeoutSeconds: config.timeoutSeconds ?? 60 }),
      crypto: luaSha256Crypto(),
      clock: { nowMillis: () => os.time() * 1000 },
      json: luaJson(),
      getConnection: (name) => exa.get_connection(name),
      scriptIdentity: () => luaScriptIdentity(exa),
    },
  );
}
