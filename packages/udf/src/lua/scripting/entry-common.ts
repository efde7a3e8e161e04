/** What the scripting programs' entry points share: ports, context, result tables, argument readers, error text. */
import {
  isSmeError,
  quoteIdentifier,
  type Clock,
  type EndpointContext,
  type EndpointDeps,
  type EndpointRef,
  type Json,
  type JobContext,
  type JobDeps,
  type JobRef,
  type Log,
  type MetadataStores,
  type SqlPort,
  type SqlValue,
} from '@sme/core';
import { sqlAutoML, sqlEndpoints } from './sql-aws.js';
import { udfError } from './udf-errors.js';

/** The ports a scripting program runs the use cases with (Lua: pquery, cjson, os.time, output). */
export interface ScriptingDeps {
  readonly sql: SqlPort;
  /** The metadata tables; by default the SQL stores of the script's schema over `sql` (tests pass a double). */
  readonly stores?: MetadataStores;
  readonly json: Json;
  readonly clock: Clock;
  readonly log: Log;
}

/** Facts of the running script (Lua: `exa.meta`). */
export interface ScriptingContext {
  /** Schema the scripts were deployed to: it holds the metadata table and the UDFs. */
  readonly schema: string;
  /** Session id as digits. */
  readonly sessionId: string;
  readonly user: string;
}

/** One returned column: a regular identifier and its Exasol type. */
export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

/** What `EXECUTE SCRIPT` returns: rows, and the column definitions `exit(rows, spec)` needs. */
export interface ResultTable {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly SqlValue[])[];
}

/**
 * `"A" VARCHAR(10) UTF8, "B" DOUBLE`, the second argument of the scripting API's `exit`. The names are SQL, so they
 * are quoted: `KEY` and `VALUE` are reserved words (Exasol's Lua rule L7, packages/sandbox/README.md).
 */
export function columnsSpec(columns: readonly ResultColumn[]): string {
  return columns.map((c) => quoteIdentifier(c.name) + ' ' + c.type).join(', ');
}

/** The SqlPort of the deps, with their metadata stores when they give some. */
export function storeDeps(deps: ScriptingDeps): { sql: SqlPort; stores?: MetadataStores } {
  return deps.stores === undefined ? { sql: deps.sql } : { sql: deps.sql, stores: deps.stores };
}

export function jobDeps(deps: ScriptingDeps, context: ScriptingContext): JobDeps {
  return {
    ...storeDeps(deps),
    automl: sqlAutoML(deps.sql, deps.json, context.schema),
    clock: deps.clock,
    log: deps.log,
  };
}

/** A script argument as text; NULL (or a non-string) is undefined. */
export function argText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The connection and region a program was given; NULL or empty leaves each out (the recorded one is used). */
export function awsTarget(connectionName: unknown, region: unknown): { connectionName?: string; region?: string } {
  const connection = argText(connectionName);
  const r = argText(region);
  return {
    ...(connection === undefined || connection === '' ? {} : { connectionName: connection }),
    ...(r === undefined || r === '' ? {} : { region: r }),
  };
}

export function jobRef(jobName: unknown, connectionName: unknown, region: unknown): JobRef {
  return { jobName: requiredText(jobName, 'job_name'), ...awsTarget(connectionName, region) };
}

export function requiredText(value: unknown, key: string): string {
  const t = argText(value);
  if (t === undefined || t === '') {
    throw udfError('SME-E-UDF-ARGUMENT', key + ' is required (received NULL or an empty text)', { key });
  }
  return t;
}

/** A whole-number argument: a number, or its digits as text (Exasol hands DECIMAL arguments over as text). */
export function wholeNumber(value: unknown, key: string): number {
  if (typeof value === 'number') return value;
  const t = argText(value);
  if (t !== undefined && t.length > 0 && t.length <= 9) {
    let n = 0;
    for (let i = 0; i < t.length; i++) {
      const b = t.charCodeAt(i);
      if (b < 48 || b > 57) return Number.NaN;
      n = n * 10 + (b - 48);
    }
    return n;
  }
  throw udfError('SME-E-UDF-ARGUMENT', key + ' is required as a whole number (received NULL or non-numeric text)', {
    key,
  });
}

export function endpointContext(context: ScriptingContext): EndpointContext {
  return {
    metadataSchema: context.schema,
    ...(context.sessionId === '' ? {} : { sessionId: context.sessionId }),
    ...(context.user === '' ? {} : { user: context.user }),
  };
}

export function endpointRef(endpointName: unknown, connectionName: unknown, region: unknown): EndpointRef {
  return { endpointName: requiredText(endpointName, 'endpoint_name'), ...awsTarget(connectionName, region) };
}

export function endpointDeps(deps: ScriptingDeps, context: ScriptingContext): EndpointDeps {
  return {
    ...storeDeps(deps),
    endpoints: sqlEndpoints(deps.sql, deps.json, context.schema),
    clock: deps.clock,
    log: deps.log,
  };
}

/** A program of `(name, connection, region)` arguments, as the Lua glue calls it. */
export type TargetEntry = (
  name: unknown,
  connectionName: unknown,
  region: unknown,
  deps: ScriptingDeps,
  context: ScriptingContext,
) => Promise<ResultTable>;

/**
 * A `(job_name, connection, region)` program: core's `useCase` on that job with the ports `portsOf` gives, its result
 * as rows of `columns`.
 */
export function jobEntry<D, R>(
  columns: readonly ResultColumn[],
  portsOf: (deps: ScriptingDeps, context: ScriptingContext) => D,
  useCase: (ref: JobRef, deps: D, context: JobContext) => Promise<R>,
  rowsOf: (result: R) => ResultTable['rows'],
): TargetEntry {
  return async (jobName, connectionName, region, deps, context) => {
    const ref = jobRef(jobName, connectionName, region);
    const result = await useCase(ref, portsOf(deps, context), { metadataSchema: context.schema });
    return { columns, rows: rowsOf(result) };
  };
}

/** An `(endpoint_name, connection, region)` program: core's `useCase` on that endpoint, its result as rows of `columns`. */
export function endpointEntry<R>(
  columns: readonly ResultColumn[],
  useCase: (ref: EndpointRef, deps: EndpointDeps, context: EndpointContext) => Promise<R>,
  rowsOf: (result: R) => ResultTable['rows'],
): TargetEntry {
  return async (endpointName, connectionName, region, deps, context) => {
    const ref = endpointRef(endpointName, connectionName, region);
    const result = await useCase(ref, endpointDeps(deps, context), endpointContext(context));
    return { columns, rows: rowsOf(result) };
  };
}

function oneLine(text: string): string {
  return text.split('\n').join(' ');
}

/**
 * The text a failing script raises with `error()`: starts with the stable code, then what was wrong (with every
 * listed problem), Exasol's sqlCode or AWS's request id when known, and the remedy.
 */
export function errorText(e: unknown): string {
  if (!isSmeError(e)) {
    const what = typeof e === 'string' ? e : e instanceof Error ? e.message : 'an error that is not a message';
    return (
      'SME-E-UDF-INTERNAL: ' + oneLine(what) + '. ' + 'Run the statement again; if it persists, report this message.'
    );
  }
  let text = e.message.startsWith(e.code) ? e.message : e.code + ': ' + e.message;
  const problems = e.details.problems ?? [];
  for (const p of problems) {
    if (!text.includes(p.code)) text += '; ' + p.code + ': ' + p.message;
  }
  if (e.details.sqlCode !== undefined && !text.includes(e.details.sqlCode)) {
    text += ' (Exasol SQL code ' + e.details.sqlCode + ')';
  }
  if (e.details.requestId !== undefined && !text.includes(e.details.requestId)) {
    text += ' (AWS request id ' + e.details.requestId + ')';
  }
  const remedy = e.details.remedy;
  if (remedy !== undefined && !text.includes(remedy)) text += '. Remedy: ' + remedy;
  return oneLine(text);
}
