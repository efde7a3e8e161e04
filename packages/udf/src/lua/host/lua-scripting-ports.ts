import { maskUserinfo, type Clock, type Json, type Log, type SqlPort, type SqlQuery, type SqlValue } from '@sme/core';
import { pqueryArguments } from '../scripting/pquery-arguments.js';
import { decimalTextValue } from '../scripting/sql-values.js';
import { udfError } from '../scripting/udf-errors.js';
import type { CjsonModule, ExaScriptingApi, ExaResultTable } from './lua-libs.js';

/** Rejections carry errors; a Lua error value that is not one (a string) is wrapped. */
function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(tostring(e));
}

/**
 * Converts one value of a result table: NULL → null; numbers, text and booleans as they are; anything else is
 * Exasol's `decimal` (whatever its Lua type: its `tostring` is the exact decimal text), read by `decimalTextValue`.
 */
function sqlValue(value: unknown, nullValue: unknown): SqlValue {
  if (value === undefined || value === nullValue) return null;
  const t = type(value);
  if (t === 'string' || t === 'boolean') return value as string | boolean;
  if (t === 'number') {
    const n = value as number;
    // Integers beyond 2^53 stay exact as text, as SqlValue promises.
    if (math.type(n) === 'integer' && (n > 9007199254740991 || n < -9007199254740991)) return string.format('%d', n);
    return n;
  }
  return decimalTextValue(tostring(value));
}

/**
 * Core's `SqlPort` over the scripting API's `pquery`. Result tables carry no column metadata in Exasol, so column
 * names are those a `SqlQuery` carries (a plain string's columns are `C1`, `C2`, …: its caller reads by position)
 * and types are unknown (empty text).
 */
export function luaSqlPort(api: ExaScriptingApi, nullValue: unknown): SqlPort {
  const run = (sql: string): ExaResultTable => {
    // Every literal and quoted identifier travels in the params table, none as text (Exasol's Lua rule L8,
    // packages/sandbox/README.md).
    const statement = pqueryArguments(sql);
    const [ok, result] = api.pquery(statement.text, statement.params);
    if (!ok) {
      const sqlCode = result.error_code ?? '00000';
      const message = result.error_message ?? 'statement failed';
      throw udfError('SME-E-SQL', '[' + sqlCode + '] ' + maskUserinfo(message), { sqlCode });
    }
    return result;
  };
  return {
    query(query: string | SqlQuery): Promise<{ columns: { name: string; type: string }[]; rows: SqlValue[][] }> {
      try {
        const names: readonly string[] = typeof query === 'string' ? [] : query.columns;
        const result = run(typeof query === 'string' ? query : query.sql);
        const first = result.length > 0 ? result[0] : undefined;
        const width = names.length > 0 ? names.length : first === undefined ? 0 : first.length;
        const rows: SqlValue[][] = [];
        for (let r = 0; r < result.length; r++) {
          const row = result[r] ?? [];
          const values: SqlValue[] = [];
          // Index assignment: in Lua, pushing a NULL (nil) is a no-op and would shift every later column left.
          for (let c = 0; c < width; c++) values[c] = sqlValue(row[c], nullValue);
          rows.push(values);
        }
        const columns = [];
        for (let c = 0; c < width; c++) columns.push({ name: names[c] ?? 'C' + tostring(c + 1), type: '' });
        return Promise.resolve({ columns, rows });
      } catch (e) {
        return Promise.reject(asError(e));
      }
    },
    execute(sql: string): Promise<number> {
      try {
        const n = run(sql).rows_affected;
        return Promise.resolve(typeof n === 'number' ? n : 0);
      } catch (e) {
        return Promise.reject(asError(e));
      }
    },
  };
}

/** Replaces cjson's null sentinel by nil, recursively: core treats JSON null as absent. */
function withoutNulls(value: unknown, nullValue: unknown): unknown {
  if (value === nullValue) return undefined;
  if (type(value) === 'table') {
    const t = value as Record<string, unknown>;
    for (const key in t) {
      t[key] = withoutNulls(t[key], nullValue);
    }
  }
  return value;
}

/** Core's `Json` over lua-cjson; JSON null becomes absent. */
export function luaScriptJson(): Json {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cjson = require('cjson') as CjsonModule;
  return {
    decode: (text: string): unknown => withoutNulls(cjson.decode(text), cjson.null),
    encode: (value: unknown): string => cjson.encode(value),
  };
}

/** `os.time()` has whole seconds: job names carry seconds, so that is enough. */
export function luaClock(): Clock {
  return { nowMillis: () => os.time() * 1000 };
}

/** Progress lines go to `output()`, shown by `EXECUTE SCRIPT … WITH OUTPUT`; never given secrets. */
export function luaLog(api: ExaScriptingApi): Log {
  return {
    info: (message: string) => {
      api.output('sme: ' + message);
    },
    warn: (message: string) => {
      api.output('sme warning: ' + message);
    },
    debug: () => undefined,
  };
}

/**
 * The value of a promise that is already settled, as core's use cases are when every Lua port answers at
 * once (TypeScriptToLua runs `then` callbacks of a settled promise immediately).
 */
export function settledValue<T>(promise: Promise<T>): T {
  let state = 0;
  let value: T | undefined;
  let reason: unknown;
  void promise.then(
    (v) => {
      state = 1;
      value = v;
    },
    (e: unknown) => {
      state = 2;
      reason = e;
    },
  );
  if (state === 1) return value as T;
  if (state === 2) throw reason;
  throw udfError('SME-E-UDF-INTERNAL', 'a use case did not finish synchronously inside the database');
}
