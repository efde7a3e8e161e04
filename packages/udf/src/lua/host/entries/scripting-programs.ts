/** @noSelfInFile */
/**
 * Entry of the scripting-program bundle: `SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT`, `…_POLL_…`, `…_DESCRIBE_…` and
 * `…_STOP_…` each embed it and call one of these functions, which return `rows, column spec` for `exit()` or
 * raise the coded error text with `error()`.
 */
import type { SqlValue } from '@sme/core';
import {
  batchPredictEntry,
  candidatesEntry,
  columnsSpec,
  deleteEndpointEntry,
  deployEndpointEntry,
  promoteModelEntry,
  describeEntry,
  dropJobEntry,
  endpointStatusEntry,
  errorText,
  evaluateEntry,
  explainEntry,
  pollBatchPredictionEntry,
  pollEntry,
  reapIdleEndpointsEntry,
  stopEntry,
  trainEntry,
  type ResultTable,
  type ScriptingContext,
  type PredictionUdfSource,
  type ScriptingDeps,
} from '../../scripting/entry-points.js';
import type { ExaScriptingApi } from '../lua-libs.js';
import { luaClock, luaLog, luaScriptJson, luaSqlPort, settledValue } from '../lua-scripting-ports.js';

declare function pquery(sql: string, params: Readonly<Record<string, unknown>>): ReturnType<ExaScriptingApi['pquery']>;
declare function output(line: string): void;
declare const exa: { readonly meta: Readonly<Record<string, unknown>> };
/** Exasol's SQL NULL constant of the scripting language (`null` and `NULL` are the same value). */
declare const NULL: unknown;

/** Exasol's NULL in query results and script arguments. */
function nullValue(): unknown {
  return NULL;
}

function metaText(name: string): string {
  const v = exa.meta[name];
  if (type(v) === 'number') {
    const n = v as number;
    return math.type(n) === 'integer' ? string.format('%d', n) : string.format('%.0f', n);
  }
  return v === undefined || v === nullValue() ? '' : tostring(v);
}

const api: ExaScriptingApi = {
  pquery: (sql, params) => pquery(sql, params),
  output: (line) => {
    output(line);
  },
};

function deps(): ScriptingDeps {
  return { sql: luaSqlPort(api, nullValue()), json: luaScriptJson(), clock: luaClock(), log: luaLog(api) };
}

function context(): ScriptingContext {
  return { schema: metaText('script_schema'), sessionId: metaText('session_id'), user: metaText('current_user') };
}

/** Exasol's `decimal(value, precision, scale)` (a dot call). */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- `this: void`: no self argument in Lua
type DecimalFunction = (this: void, value: unknown, precision: number, scale: number) => unknown;

/** Exasol's `decimal` function of the scripting language (general_script_language.htm, "Decimal type"). */
declare const decimal: DecimalFunction | undefined;

/** `DECIMAL(p,s)` → [p, s]; undefined for other types. */
function decimalShape(typeText: string): [number, number] | undefined {
  if (typeText.substring(0, 8) !== 'DECIMAL(') return undefined;
  const inner = typeText.substring(8, typeText.indexOf(')'));
  const comma = inner.indexOf(',');
  const p = tonumber(comma >= 0 ? inner.substring(0, comma) : inner);
  const s = comma >= 0 ? tonumber(inner.substring(comma + 1)) : 0;
  return p === undefined || s === undefined ? undefined : [p, s];
}

/**
 * Lua rows for `exit()`: SQL NULL as Exasol's `null` (a nil would end the row early); numbers for DECIMAL columns as
 * Exasol's `decimal(v, p, s)` where the runtime has it (a plain number is not a decimal, Exasol's Lua rule L6 in
 * packages/sandbox/README.md).
 */
function luaRows(table: ResultTable): unknown[][] {
  const none = nullValue();
  const makeDecimal = decimal;
  const shapes = table.columns.map((c) => decimalShape(c.type));
  return table.rows.map((row) =>
    row.map((v: SqlValue, i): unknown => {
      if (v === null) return none;
      const shape = shapes[i];
      if (shape !== undefined && typeof v === 'number' && makeDecimal !== undefined) {
        return makeDecimal(v, shape[0], shape[1]);
      }
      return v;
    }),
  );
}

function run(body: () => Promise<ResultTable>): LuaMultiReturn<[unknown[][], string]> {
  let table: ResultTable;
  try {
    table = settledValue(body());
  } catch (e) {
    error(errorText(e), 0);
  }
  return $multi(luaRows(table), columnsSpec(table.columns));
}

/**
 * Argument values: Exasol passes NULL as the `null` constant (the entry points want undefined) and exact numbers
 * as `decimal` userdata (handed on as their text).
 */
function arg(value: unknown): unknown {
  if (value === nullValue()) return undefined;
  const t = type(value);
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'nil' ? value : tostring(value);
}

export function train(paramsJson: unknown): LuaMultiReturn<[unknown[][], string]> {
  return run(() => trainEntry(arg(paramsJson), deps(), context()));
}

export function poll(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
): LuaMultiReturn<[unknown[][], string]> {
  return run(() => pollEntry(arg(jobName), arg(connectionName), arg(region), deps(), context()));
}

export function describe(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
): LuaMultiReturn<[unknown[][], string]> {
  return run(() => describeEntry(arg(jobName), arg(connectionName), arg(region), deps(), context()));
}

export function stop(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
): LuaMultiReturn<[unknown[][], string]> {
  return run(() => stopEntry(arg(jobName), arg(connectionName), arg(region), deps(), context()));
}

export function deployEndpoint(
  jobName: unknown,
  endpointName: unknown,
  schemaName: unknown,
  instanceType: unknown,
  instanceCount: unknown,
  connectionName: unknown,
  region: unknown,
  prediction: PredictionUdfSource,
): LuaMultiReturn<[unknown[][], string]> {
  const args = [jobName, endpointName, schemaName, instanceType, instanceCount, connectionName, region];
  // Index assignment: a Lua array literal would end at the first nil.
  const values: unknown[] = [];
  for (let i = 0; i < 7; i++) values[i] = arg(args[i]);
  return run(() => deployEndpointEntry(values, prediction, deps(), context()));
}

export function promoteModel(
  jobName: unknown,
  modelName: unknown,
  endpointName: unknown,
  prediction: PredictionUdfSource,
): LuaMultiReturn<[unknown[][], string]> {
  return run(() => promoteModelEntry(arg(jobName), arg(modelName), arg(endpointName), prediction, deps(), context()));
}

export function endpointStatus(
  endpointName: unknown,
  connectionName: unknown,
  region: unknown,
): LuaMultiReturn<[unknown[][], string]> {
  return run(() => endpointStatusEntry(arg(endpointName), arg(connectionName), arg(region), deps(), context()));
}

export function deleteEndpoint(
  endpointName: unknown,
  connectionName: unknown,
  region: unknown,
): LuaMultiReturn<[unknown[][], string]> {
  return run(() => deleteEndpointEntry(arg(endpointName), arg(connectionName), arg(region), deps(), context()));
}

export function dropJob(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
): LuaMultiReturn<[unknown[][], string]> {
  return run(() => dropJobEntry(arg(jobName), arg(connectionName), arg(region), deps(), context()));
}

export function candidates(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
): LuaMultiReturn<[unknown[][], string]> {
  return run(() => candidatesEntry(arg(jobName), arg(connectionName), arg(region), deps(), context()));
}

export function evaluate(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
): LuaMultiReturn<[unknown[][], string]> {
  return run(() => evaluateEntry(arg(jobName), arg(connectionName), arg(region), deps(), context()));
}

export function explain(
  jobName: unknown,
  connectionName: unknown,
  region: unknown,
): LuaMultiReturn<[unknown[][], string]> {
  return run(() => explainEntry(arg(jobName), arg(connectionName), arg(region), deps(), context()));
}

export function reapIdleEndpoints(paramsJson: unknown): LuaMultiReturn<[unknown[][], string]> {
  return run(() => reapIdleEndpointsEntry(arg(paramsJson), deps(), context()));
}

export function batchPredict(paramsJson: unknown): LuaMultiReturn<[unknown[][], string]> {
  return run(() => batchPredictEntry(arg(paramsJson), deps(), context()));
}

export function pollBatchPrediction(
  name: unknown,
  connectionName: unknown,
  region: unknown,
): LuaMultiReturn<[unknown[][], string]> {
  return run(() => pollBatchPredictionEntry(arg(name), arg(connectionName), arg(region), deps(), context()));
}
