/**
 * Scripts: CREATE SCRIPT (scripting programs and UDFs, stored with their definition), EXECUTE SCRIPT and UDF
 * calls in SELECT, run through the Lua-runtime port. Syntax per
 * https://docs.exasol.com/db/latest/sql/create_script.htm and .../sql/execute_script.htm.
 */
import type { LuaConnection, LuaQueryResult, LuaScriptArg, LuaSqlValue, ScriptHost } from '../lua/lua-runtime.js';
import type { ExaType, WireValue } from './exa-types.js';
import {
  decimalWire,
  duckType,
  formatDecimal,
  nowLiteral,
  parseType,
  typeText,
  TypeSyntaxError,
  VARCHAR_MAX,
} from './exa-types.js';
import { iprocSql, planInstances, type InputGroup } from './cluster.js';
import { EXASOL_RESERVED_WORDS } from './reserved-words.js';
import type { ExaColumn, ExaResult, QualifiedName, StatementContext } from './result.js';
import { rowCount } from './result.js';
import { ExaSqlError } from './sql-error.js';
import type { Token } from './tokenizer.js';
import {
  closingParen,
  indexAt,
  identifierName,
  kw,
  quoteIdent,
  quoteString,
  significant,
  splitTopLevel,
  stringValue,
  tokenize,
} from './tokenizer.js';

interface ParamDef {
  readonly name: string;
  readonly type?: string;
  readonly array?: boolean;
}

/** What the sandbox stores about a script (JSON in SYS._SCRIPTS.DEFINITION). */
export interface ScriptDefinition {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'PROCEDURE' | 'UDF' | 'ADAPTER';
  readonly language: string;
  readonly inputType: 'SCALAR' | 'SET' | null;
  readonly resultType: 'TABLE' | 'ROWCOUNT' | 'RETURNS' | 'EMITS' | null;
  readonly params: readonly ParamDef[] | 'dynamic';
  /** RETURNS type text, or EMITS column definitions (`'dynamic'` for `EMITS (...)`). */
  readonly returns?: string;
  readonly emits?: readonly { name: string; type: string }[] | 'dynamic';
  readonly body: string;
}

const LANGUAGES = new Set(['LUA', 'PYTHON', 'PYTHON3', 'JAVA', 'R']);

function parseTypeText(text: string): ExaType {
  try {
    return parseType(significant(tokenize(text)), 0).type;
  } catch (e) {
    if (e instanceof TypeSyntaxError) throw new ExaSqlError(`syntax error, ${e.message}`, '42000');
    throw e;
  }
}

function columnDefs(sql: string, defs: Token[][]): { name: string; type: string }[] {
  return defs.map((d) => {
    const nameTok = d[0];
    if (!nameTok) throw new ExaSqlError('syntax error, empty column definition');
    const first = d[1];
    const last = d[d.length - 1];
    if (!first || !last) throw new ExaSqlError(`syntax error, missing data type for ${identifierName(nameTok)}`);
    const text = sql.slice(first.start, last.start + last.text.length);
    return { name: identifierName(nameTok), type: typeText(parseTypeText(text)) };
  });
}

export async function createScript(
  ctx: StatementContext,
  sql: string,
  t: Token[],
  at: number,
  orReplace: boolean,
): Promise<ExaResult> {
  let i = at;
  let language = 'LUA';
  let inputType: 'SCALAR' | 'SET' | null = null;
  let kind: ScriptDefinition['kind'] = 'PROCEDURE';
  if (LANGUAGES.has(kw(t[i]))) language = kw(t[i++]);
  if (kw(t[i]) === 'SCALAR' || kw(t[i]) === 'SET') {
    inputType = kw(t[i++]) as 'SCALAR' | 'SET';
    kind = 'UDF';
  } else if (kw(t[i]) === 'ADAPTER') {
    kind = 'ADAPTER';
    i++;
  }
  if (kw(t[i]) !== 'SCRIPT')
    throw new ExaSqlError(`syntax error, unexpected '${t[i]?.text ?? '$end'}', expecting SCRIPT`);
  const { name, next } = ctx.parseName(t, i + 1);
  i = next;
  let params: ScriptDefinition['params'] = [];
  if (t[i]?.text === '(') {
    const close = closingParen(t, i);
    const inner = t.slice(i + 1, close);
    if (inner.length === 3 && inner.every((x) => x.text === '.')) params = 'dynamic';
    else if (inner.length > 0 && kind === 'UDF')
      params = splitTopLevel(inner).map((d, k) => ({
        name: luaName(d[0] as Token),
        type: columnDefs(sql, [d])[k - k]?.type ?? 'VARCHAR(2000000) UTF8',
      }));
    else if (inner.length > 0)
      params = splitTopLevel(inner).map((p) =>
        kw(p[0]) === 'ARRAY' && p[1] ? { name: luaName(p[1]), array: true } : { name: luaName(p[0] as Token) },
      );
    i = close + 1;
  }
  let resultType: ScriptDefinition['resultType'] = kind === 'PROCEDURE' ? 'ROWCOUNT' : null;
  let returns: string | undefined;
  let emits: ScriptDefinition['emits'];
  if (kw(t[i]) === 'RETURNS') {
    if (kind === 'UDF') {
      const asAt = t.findIndex((x, k) => k > i && kw(x) === 'AS');
      const first = t[i + 1];
      const last = t[asAt - 1];
      if (!first || !last) throw new ExaSqlError('syntax error, RETURNS needs a data type');
      returns = typeText(parseTypeText(sql.slice(first.start, last.start + last.text.length)));
      resultType = 'RETURNS';
      i = asAt;
    } else {
      const what = kw(t[i + 1]);
      if (what !== 'TABLE' && what !== 'ROWCOUNT')
        throw new ExaSqlError(`syntax error, unexpected '${t[i + 1]?.text ?? '$end'}', expecting TABLE or ROWCOUNT`);
      resultType = what;
      i += 2;
    }
  } else if (kw(t[i]) === 'EMITS') {
    const close = closingParen(t, i + 1);
    const inner = t.slice(i + 2, close);
    emits =
      inner.length === 3 && inner.every((x) => x.text === '.') ? 'dynamic' : columnDefs(sql, splitTopLevel(inner));
    resultType = 'EMITS';
    i = close + 1;
  }
  if (kind === 'UDF' && resultType === null)
    throw new ExaSqlError('syntax error, a UDF script needs RETURNS <type> or EMITS (<columns>)');
  const asTok = t[i];
  if (kw(asTok) !== 'AS' || !asTok)
    throw new ExaSqlError(`syntax error, unexpected '${asTok?.text ?? '$end'}', expecting AS`);
  if (kind === 'UDF' && language === 'LUA' && (await ctx.lua()).profile === 'exasol') {
    const typed = [
      ...(params === 'dynamic' ? [] : params.map((p) => ({ what: `parameter ${p.name}`, type: p.type ?? '' }))),
      ...(returns !== undefined ? [{ what: 'RETURNS', type: returns }] : []),
      ...(emits !== undefined && emits !== 'dynamic'
        ? emits.map((c) => ({ what: `EMITS column ${c.name}`, type: c.type }))
        : []),
    ];
    for (const x of typed) refuseLuaUdfType(x.type, x.what);
  }
  const body = sql.slice(asTok.start + asTok.text.length).replace(/^[ \t]*\r?\n/, '');
  const def: ScriptDefinition = {
    schema: name.schema,
    name: name.name,
    kind,
    language,
    inputType,
    resultType,
    params,
    ...(returns !== undefined ? { returns } : {}),
    ...(emits !== undefined ? { emits } : {}),
    body,
  };
  await ctx.atomic(async () => {
    const existing = await findScript(ctx, name);
    if (existing) {
      if (!orReplace) throw new ExaSqlError(`script ${name.schema}.${name.name} already exists`, '42500');
      await ctx.duck(
        `DELETE FROM "SYS"."_SCRIPTS" WHERE "SCRIPT_SCHEMA" = ${quoteString(name.schema)} AND "SCRIPT_NAME" = ${quoteString(name.name)}`,
      );
    }
    const values = [name.schema, name.name, kind, language].map(quoteString);
    values.push(inputType === null ? 'NULL' : quoteString(inputType));
    values.push(resultType === null ? 'NULL' : quoteString(resultType));
    values.push(quoteString(sql.trim()), quoteString(JSON.stringify(def)), nowLiteral());
    await ctx.duck(`INSERT INTO "SYS"."_SCRIPTS" VALUES (${values.join(', ')})`);
  });
  return rowCount(0);
}

export async function findScript(ctx: StatementContext, q: QualifiedName): Promise<ScriptDefinition | undefined> {
  const r = await ctx.duck(
    `SELECT "DEFINITION" FROM "SYS"."_SCRIPTS" WHERE "SCRIPT_SCHEMA" = ${quoteString(q.schema)} AND "SCRIPT_NAME" = ${quoteString(q.name)}`,
  );
  const cell = r.kind === 'resultSet' ? r.rows[0]?.[0] : undefined;
  return typeof cell === 'string' ? (JSON.parse(cell) as ScriptDefinition) : undefined;
}

/**
 * Lua UDFs take and give only DOUBLE, DECIMAL (INTEGER), BOOLEAN, VARCHAR and CHAR: "Data types that are not
 * included in the following table are not supported" (https://docs.exasol.com/db/latest/database_concepts/
 * udf_scripts/lua.htm). Exasol's error text for this is not documented [unverified].
 */
function refuseLuaUdfType(type: string, what: string): void {
  const base = type.trim().split(/[\s(]/)[0]?.toUpperCase() ?? '';
  if (!['DOUBLE', 'DECIMAL', 'BOOLEAN', 'VARCHAR', 'CHAR'].includes(base))
    throw new ExaSqlError(
      `data type ${type} of ${what} is not supported by Lua UDF scripts (Lua UDFs take DOUBLE, DECIMAL, BOOLEAN, VARCHAR and CHAR)`,
      '0A000',
    );
}

/**
 * Column names of `exit(tbl, "c1 T1, …")` are SQL: an unquoted reserved word is a syntax error, as the column
 * list is parsed like a CREATE TABLE's (reserved words: reserved-words.ts).
 */
function refuseReservedColumns(spec: string): void {
  for (const def of splitTopLevel(significant(tokenize(spec)))) {
    const name = def[0];
    if (name?.kind === 'word' && EXASOL_RESERVED_WORDS.has(name.text.toUpperCase()))
      throw new ExaSqlError(
        `syntax error, unexpected ${name.text.toUpperCase()}_ [line 1, column ${name.start + 1}] (${name.text} is a reserved word: quote it as "${name.text.toUpperCase()}")`,
        '42000',
      );
  }
}

function requireLua(def: ScriptDefinition): void {
  if (def.language !== 'LUA')
    throw new ExaSqlError(
      `script language ${def.language} of script ${def.schema}.${def.name} is not available in this sandbox: only LUA scripts run here`,
      '0A000',
    );
}

/** Parses a literal argument of EXECUTE SCRIPT (constants only, as Exasol requires). */
function literal(tokens: Token[]): LuaSqlValue {
  const [a, b] = tokens;
  if (!a) throw new ExaSqlError('syntax error, empty script argument');
  if (tokens.length === 1) {
    if (a.kind === 'string') return stringValue(a);
    if (a.kind === 'number') return Number(a.text);
    if (kw(a) === 'NULL') return null;
    if (kw(a) === 'TRUE') return true;
    if (kw(a) === 'FALSE') return false;
  }
  if (tokens.length === 2 && (a.text === '-' || a.text === '+') && b?.kind === 'number') return Number(a.text + b.text);
  throw new ExaSqlError(`script arguments must be constants, got '${tokens.map((x) => x.text).join(' ')}'`, '42000');
}

export async function executeScript(ctx: StatementContext, t: Token[]): Promise<ExaResult> {
  const { name, next } = ctx.parseName(t, 2);
  let i = next;
  const args: LuaScriptArg[] = [];
  if (t[i]?.text === '(') {
    const close = closingParen(t, i);
    const inner = t.slice(i + 1, close);
    if (inner.length > 0)
      for (const arg of splitTopLevel(inner)) {
        if (kw(arg[0]) === 'ARRAY' && arg[1]?.text === '(') {
          const c = closingParen(arg, 1);
          const elems = arg.slice(2, c);
          args.push(elems.length === 0 ? [] : splitTopLevel(elems).map(literal));
        } else args.push(literal(arg));
      }
    i = close + 1;
  }
  const withOutput = kw(t[i]) === 'WITH' && kw(t[i + 1]) === 'OUTPUT';
  const def = await findScript(ctx, name);
  if (!def || def.kind !== 'PROCEDURE') throw new ExaSqlError(`script ${name.schema}.${name.name} not found`, '42000');
  await ctx.access.requireExecute(name);
  requireLua(def);
  const params = def.params === 'dynamic' ? [] : def.params;
  const lastParam = params[params.length - 1];
  if (lastParam?.array === true && args.length >= params.length && !Array.isArray(args[params.length - 1])) {
    // `s(a, ARRAY b)` may also be called with the array's elements spread out.
    const fixed = args.slice(0, params.length - 1);
    args.splice(0, args.length, ...fixed, args.slice(params.length - 1) as LuaSqlValue[]);
  }
  if (args.length !== params.length)
    throw new ExaSqlError(
      `script ${def.schema}.${def.name} expects ${params.length} argument(s), got ${args.length}`,
      '42000',
    );
  const runtime = await ctx.lua();
  const outcome = await runtime
    .runScript({
      source: def.body,
      parameterNames: params.map((p) => p.name),
      args,
      meta: ctx.meta(def.schema, def.name),
      host: scriptHost(ctx, def, runtime.profile === 'exasol'),
    })
    .catch((e: unknown) => {
      throw scriptError(e, def, ctx.sessionId);
    });
  if (withOutput)
    return {
      kind: 'resultSet',
      columns: [{ name: 'OUTPUT', type: VARCHAR_MAX }],
      rows: outcome.output.map((line) => [line]),
    };
  if (outcome.kind === 'rowCount') return rowCount(outcome.rowCount);
  if (runtime.profile === 'exasol') refuseReservedColumns(outcome.columnsSpec);
  const defs = columnDefs(outcome.columnsSpec, splitTopLevel(significant(tokenize(outcome.columnsSpec))));
  const columns: ExaColumn[] = defs.map((d) => ({ name: d.name, type: parseTypeText(d.type) }));
  return {
    kind: 'resultSet',
    columns,
    rows: outcome.rows.map((r) => columns.map((c, k) => coerce(r[k] ?? null, c.type))),
  };
}

function scriptError(e: unknown, def: ScriptDefinition, sessionId: string): ExaSqlError {
  if (e instanceof ExaSqlError) return e;
  const obj = (typeof e === 'object' && e !== null ? e : {}) as { message?: unknown; sqlCode?: unknown };
  const message = typeof obj.message === 'string' ? obj.message : String(e);
  const sqlCode = typeof obj.sqlCode === 'string' ? obj.sqlCode : '43000';
  // Exasol's wording for errors raised in a script (https://docs.exasol.com/db/latest/database_concepts/scripting/general_script_language.htm).
  return new ExaSqlError(`${message} caught in script "${def.schema}"."${def.name}" (Session: ${sessionId})`, sqlCode);
}

/** Binds `:name` (value) and `::name` (identifier) parameters of the scripting API's query/pquery. */
export function bindParams(sql: string, params: Readonly<Record<string, LuaSqlValue>> | undefined): string {
  const tokens = tokenize(sql);
  if (!tokens.some((t) => t.kind === 'named' || t.kind === 'namedIdent')) return sql;
  return tokens
    .map((t) => {
      if (t.kind !== 'named' && t.kind !== 'namedIdent') return t.text;
      const key = t.text.replace(/^::?/, '');
      const found = params === undefined ? undefined : Object.entries(params).find(([k]) => k === key);
      if (!found)
        throw new ExaSqlError(
          `parameter ${t.text} is not bound in the query's parameter table (bound: ${Object.keys(params ?? {}).join(', ') || 'none'})`,
          '42000',
        );
      const v = found[1];
      if (t.kind === 'namedIdent') {
        if (typeof v !== 'string')
          throw new ExaSqlError(`identifier parameter ${t.text} needs a string value`, '42000');
        return quoteIdent(v);
      }
      if (v === null) return 'NULL';
      if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
      if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
      return quoteString(v);
    })
    .join('');
}

/**
 * Under the exasol profile a `:` inside a string literal of a query without a params table is refused: what
 * Exasol does with it is undocumented (README.md, Exasol's Lua, rule L8), so values must go through the params table.
 */
function refuseColonInLiterals(sql: string): void {
  const literal = tokenize(sql).find((t) => t.kind === 'string' && t.text.includes(':'));
  if (literal)
    throw new ExaSqlError(
      `the query text has a ':' inside the string literal ${literal.text.slice(0, 60)} and no parameter table: ` +
        `Exasol's handling of this is undocumented, so bind values through the params table ` +
        `(query([[... :v ...]], {v = value}))`,
      '42000',
    );
}

function scriptHost(ctx: StatementContext, def: ScriptDefinition, exasol: boolean): ScriptHost {
  return {
    async query(sql, params): Promise<LuaQueryResult> {
      if (exasol && params === undefined) refuseColonInLiterals(sql);
      try {
        const r = await ctx.execute(bindParams(sql, params));
        if (r.kind === 'rowCount') return { kind: 'rowCount', rowsAffected: r.rowCount };
        return {
          kind: 'resultSet',
          columns: r.columns.map((c) => ({ name: c.name, type: typeText(c.type) })),
          rows: r.rows,
        };
      } catch (e) {
        // ExaSqlError carries the LuaQueryError shape ({sqlCode, message}) the runtime expects.
        throw e instanceof ExaSqlError ? e : new ExaSqlError(String(e));
      }
    },
    async importScript(qualifiedName) {
      const parts = qualifiedName.split('.');
      const q: QualifiedName =
        parts.length >= 2
          ? { schema: foldName(parts[0] ?? ''), name: foldName(parts.slice(1).join('.')) }
          : { schema: ctx.currentSchema ?? def.schema, name: foldName(qualifiedName) };
      const found = await findScript(ctx, q);
      return found?.body;
    },
  };
}

/** `import('s.x')` names fold like SQL identifiers unless quoted. */
function foldName(text: string): string {
  return text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text.toUpperCase();
}

/** Coerces a Lua-produced value into the wire encoding of a declared column type. */
export function coerce(v: LuaSqlValue | undefined, type: ExaType): WireValue {
  if (v === null || v === undefined) return null;
  switch (type.type) {
    case 'DECIMAL': {
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n)) return null;
      // Digit strings keep every digit (values beyond 2^53 go out exact, see decimalWire).
      if (type.scale === 0 && typeof v === 'string' && /^-?\d+$/.test(v)) return decimalWire(v, type);
      if (type.scale === 0 && type.precision <= 18) return Math.round(n);
      if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return v;
      const unscaled = BigInt(Math.round(n * 10 ** type.scale));
      return formatDecimal(unscaled, type.scale);
    }
    case 'DOUBLE':
      return typeof v === 'number' ? v : Number(v);
    case 'BOOLEAN':
      return typeof v === 'boolean' ? v : v === 'true' || v === 1;
    case 'CHAR':
      return String(v).padEnd(type.size, ' ');
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

/**
 * UDF inputs for Lua: DOUBLE as numbers; DECIMAL as numbers under `vanilla`, and as their exact text under
 * `exasol` (the Lua host turns them into Exasol decimal values).
 */
function toLua(v: WireValue, type: ExaType | undefined, exasol: boolean): LuaSqlValue {
  if (typeof v === 'string' && type?.type === 'DECIMAL' && exasol) return v;
  if (typeof v === 'string' && (type?.type === 'DECIMAL' || type?.type === 'DOUBLE')) return Number(v);
  return v;
}

/**
 * `SELECT [schema.]udf(args) [EMITS (…)] FROM … [WHERE …] [GROUP BY …]`: returns undefined when the select
 * list is not a single call of a UDF script, so ordinary SQL takes its normal path.
 */
export async function tryUdfSelect(ctx: StatementContext, sql: string, t: Token[]): Promise<ExaResult | undefined> {
  let i = 1;
  const a = t[i];
  if (!a || (a.kind !== 'word' && a.kind !== 'quoted')) return undefined;
  let q: QualifiedName;
  if (t[i + 1]?.text === '.' && t[i + 3]?.text === '(') {
    q = { schema: identifierName(a), name: identifierName(t[i + 2] as Token) };
    i += 3;
  } else if (t[i + 1]?.text === '(') {
    if (ctx.currentSchema === null) return undefined;
    q = { schema: ctx.currentSchema, name: identifierName(a) };
    i += 1;
  } else return undefined;
  const close = closingParen(t, i);
  if (close < 0) return undefined;
  let j = close + 1;
  let emitsSpec: Token[] | undefined;
  if (kw(t[j]) === 'EMITS' && t[j + 1]?.text === '(') {
    const c2 = closingParen(t, j + 1);
    emitsSpec = t.slice(j + 2, c2);
    j = c2 + 1;
  }
  let alias: string | undefined;
  if (kw(t[j]) === 'AS' && t[j + 1]) {
    alias = identifierName(t[j + 1] as Token);
    j += 2;
  }
  // Without FROM the call reads one row, like `FROM DUAL`.
  const noFrom = j >= t.length;
  if (kw(t[j]) !== 'FROM' && !noFrom) return undefined;
  const def = await findScript(ctx, q);
  if (!def || def.kind !== 'UDF') return undefined;
  await ctx.access.requireExecute(q);
  requireLua(def);
  const argTokens = t.slice(i + 1, close);
  const args = argTokens.length === 0 ? [] : splitTopLevel(argTokens);
  const inputTypes = def.params === 'dynamic' ? [] : def.params.map((p) => parseTypeText(p.type ?? 'VARCHAR(2000000)'));
  if (def.params !== 'dynamic' && args.length !== def.params.length)
    throw new ExaSqlError(
      `UDF ${def.schema}.${def.name} expects ${def.params.length} argument(s), got ${args.length}`,
      '42000',
    );
  // Split off GROUP BY: Exasol calls a SET UDF once per group. ORDER BY/LIMIT after a UDF call are not applied.
  const rest = noFrom ? [] : t.slice(j + 1);
  let depth = 0;
  let groupAt = -1;
  let groupEnd = rest.length;
  let clauseEnd = rest.length;
  rest.forEach((x, k) => {
    if (x.text === '(') depth++;
    else if (x.text === ')') depth--;
    else if (depth === 0 && kw(x) === 'GROUP' && kw(rest[k + 1]) === 'BY' && groupAt < 0) groupAt = k;
    else if (depth === 0 && ['ORDER', 'LIMIT'].includes(kw(x)) && clauseEnd === rest.length) {
      clauseEnd = k;
      if (groupAt >= 0) groupEnd = k;
    }
  });
  const all = tokenize(sql);
  const text = (toks: Token[]): string => {
    const first = toks[0];
    const last = toks[toks.length - 1];
    if (!first || !last) return '';
    return ctx.toDuckSql(all.slice(indexAt(all, first), indexAt(all, last) + 1));
  };
  const groupKeys = groupAt >= 0 ? splitTopLevel(rest.slice(groupAt + 2, groupEnd)) : [];
  const fromPart = rest.slice(0, groupAt >= 0 ? groupAt : clauseEnd);
  const selectItems = [...args, ...groupKeys].map((x, k) => `${text(x)} AS "_A${k}"`);
  // The node each row lives on (IPROC() of the row), so that instances run where their rows are.
  const { nodes } = ctx.cluster;
  if (nodes > 1) selectItems.push(`${iprocSql(nodes)} AS "_NODE"`);
  const source = noFrom ? '"SYS"."DUAL"' : text(fromPart);
  const inner = `SELECT ${selectItems.length > 0 ? selectItems.join(', ') : '1'} FROM ${source}`;
  const input = await ctx.duck(inner);
  if (input.kind !== 'resultSet') throw new ExaSqlError('UDF input is not a query', '42000');
  const runtime = await ctx.lua();
  const exasol = runtime.profile === 'exasol';
  const isSet = def.inputType === 'SET';
  const keyEnd = args.length + groupKeys.length;
  const groups = new Map<string, InputGroup<LuaSqlValue[]>>();
  for (const row of input.rows) {
    // A SCALAR UDF reads every row alone: one input group, spread over the instances.
    const key = isSet ? JSON.stringify(row.slice(args.length, keyEnd)) : '';
    const node = nodes > 1 ? Number(row[keyEnd] ?? 0) : 0;
    const values = row.slice(0, args.length).map((v, k) => toLua(v, inputTypes[k] ?? input.columns[k]?.type, exasol));
    const g = groups.get(key);
    if (g) {
      g.rows.push(values);
      g.nodes.push(node);
    } else groups.set(key, { key, rows: [values], nodes: [node] });
  }
  const outputMode = def.resultType === 'EMITS' ? 'EMITS' : 'RETURNS';
  let columns: ExaColumn[];
  if (outputMode === 'RETURNS') {
    const callText = t
      .slice(1, close + 1)
      .map((x) => (x.kind === 'word' ? x.text.toUpperCase() : x.text))
      .join('');
    columns = [{ name: alias ?? callText, type: parseTypeText(def.returns ?? 'VARCHAR(2000000)') }];
  } else {
    const spec = emitsSpec ? columnDefs(sql, splitTopLevel(emitsSpec)) : def.emits;
    if (spec === undefined || spec === 'dynamic')
      throw new ExaSqlError(
        `UDF ${def.schema}.${def.name} has dynamic output: add EMITS (<columns>) to the call`,
        '42000',
      );
    columns = spec.map((c) => ({ name: c.name, type: parseTypeText(c.type) }));
  }
  const inputNames = def.params === 'dynamic' ? args.map((_, k) => String(k + 1)) : def.params.map((p) => p.name);
  const instances = planInstances(ctx.cluster, isSet, [...groups.values()]);
  const inputTypeTexts = (
    def.params === 'dynamic' ? input.columns.slice(0, args.length).map((c) => c.type) : inputTypes
  ).map(typeText);
  // Every instance runs at once (within the database's bound); emits are collected per instance.
  const settled = await Promise.allSettled(
    instances.map((instance) =>
      ctx.udfInstance(() =>
        runtime.runUdf({
          source: def.body,
          inputType: def.inputType ?? 'SCALAR',
          outputMode,
          inputNames,
          inputTypes: inputTypeTexts,
          outputTypes: columns.map((c) => typeText(c.type)),
          groups: instance.groups,
          meta: ctx.meta(def.schema, def.name, instance),
          getConnection: (name) => getConnection(ctx, name, q),
        }),
      ),
    ),
  );
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw scriptError(failed.reason, def, ctx.sessionId);
  ctx.recordUdfCall({
    script: `${def.schema}.${def.name}`,
    inputType: isSet ? 'SET' : 'SCALAR',
    instances: instances.map((x) => ({
      node: x.node,
      vm: x.vm,
      groups: x.groups.length,
      rows: x.groups.reduce((n, g) => n + g.length, 0),
    })),
  });
  const outcome = {
    rows: settled.flatMap((r) => (r.status === 'fulfilled' ? r.value.rows : [])),
  };
  const result: ExaResult = {
    kind: 'resultSet',
    columns,
    rows: outcome.rows.map((r) => columns.map((c, k) => coerce(r[k] ?? null, c.type))),
  };
  const tail = rest.slice(clauseEnd);
  if (tail.length === 0) return result;
  // ORDER BY / LIMIT apply to the UDF's output: sorted by the engine over a temporary copy of it.
  return withUdfOutputTable(ctx, result, async (table) => {
    const sorted = await ctx.duck(`SELECT * FROM ${table} ${text(tail)}`);
    return sorted.kind === 'resultSet' ? { ...sorted, columns } : sorted;
  });
}

let udfTableCounter = 0;

/**
 * Runs `fn` with a UDF's output in a temporary table of this session (so the engine can sort it or use it as
 * a subquery), dropped afterwards.
 */
export async function withUdfOutputTable<T>(
  ctx: StatementContext,
  result: Extract<ExaResult, { kind: 'resultSet' }>,
  fn: (table: string) => Promise<T>,
): Promise<T> {
  udfTableCounter += 1;
  const table = `temp.main.${quoteIdent(`_SME_UDF_OUTPUT_${udfTableCounter}`)}`;
  const defs = result.columns.map((c) => `${quoteIdent(c.name)} ${duckType(c.type)}`);
  await ctx.duck(`CREATE TEMP TABLE ${table} (${defs.join(', ')})`);
  try {
    for (let start = 0; start < result.rows.length; start += 1000) {
      const tuples = result.rows
        .slice(start, start + 1000)
        .map((row) => `(${row.map(sqlValue).join(', ')})`)
        .join(', ');
      await ctx.duck(`INSERT INTO ${table} VALUES ${tuples}`);
    }
    return await fn(table);
  } finally {
    await ctx.duck(`DROP TABLE IF EXISTS ${table}`);
  }
}

function sqlValue(v: WireValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  return quoteString(v);
}

/**
 * Replaces each parenthesised `(SELECT <udf call> …)` in a statement's tokens by a query over a temporary
 * table holding the UDF's output, so UDF calls work as subqueries (`SELECT … FROM (SELECT udf(…) FROM t
 * GROUP BY g) …`). Returns the rewritten tokens and the cleanup, or undefined when there is no such subquery.
 */
export async function withUdfSubqueries<T>(
  ctx: StatementContext,
  sql: string,
  all: readonly Token[],
  fn: (rewritten: Token[]) => Promise<T>,
): Promise<T | undefined> {
  const sig = significant(all);
  // `INSERT INTO t [(cols)] SELECT udf(…) FROM …`: the UDF's output is what gets inserted (Exasol's way of
  // storing predictions), so the trailing SELECT is replaced like a parenthesised one.
  if (kw(sig[0]) === 'INSERT') {
    let depth = 0;
    for (let i = 1; i < sig.length; i++) {
      const tok = sig[i] as Token;
      if (tok.text === '(') depth++;
      else if (tok.text === ')') depth--;
      else if (depth === 0 && kw(tok) === 'SELECT') {
        const inner = await tryUdfSelect(ctx, sql, sig.slice(i));
        if (inner?.kind !== 'resultSet') break;
        return withUdfOutputTable(ctx, inner, async (table) => {
          const replacement: Token = { kind: 'ws', text: `SELECT * FROM ${table}`, start: tok.start };
          return fn([...all.slice(0, indexAt(all, tok)), replacement]);
        });
      }
    }
  }
  for (let i = 0; i < sig.length - 1; i++) {
    const open = sig[i] as Token;
    if (open.text !== '(' || kw(sig[i + 1]) !== 'SELECT') continue;
    const close = closingParen(sig, i);
    if (close < 0) continue;
    const inner = await tryUdfSelect(ctx, sql, sig.slice(i + 1, close));
    if (inner?.kind !== 'resultSet') continue;
    const end = sig[close] as Token;
    return withUdfOutputTable(ctx, inner, async (table) => {
      const from = indexAt(all, open);
      const to = indexAt(all, end);
      const replacement: Token = { kind: 'ws', text: `(SELECT * FROM ${table})`, start: open.start };
      const rewritten = [...all.slice(0, from), replacement, ...all.slice(to + 1)];
      // Further UDF subqueries in the same statement are rewritten in turn.
      const nested = await withUdfSubqueries(ctx, sql, rewritten, fn);
      return nested === undefined ? fn(rewritten) : nested;
    });
  }
  return undefined;
}

/**
 * `exa.get_connection(name)`: the connection's address and credentials (UDFs only, as in Exasol), for a caller
 * with ACCESS on it (for this script); otherwise the Lua error of privileges.ts.
 */
export async function getConnection(
  ctx: StatementContext,
  name: string,
  script: QualifiedName,
): Promise<LuaConnection> {
  const folded = name.startsWith('"') ? name.slice(1, -1) : name.toUpperCase();
  const r = await ctx.duck(
    `SELECT "CONNECTION_STRING", "USER_NAME", "PASSWORD" FROM "SYS"."_CONNECTIONS" WHERE "CONNECTION_NAME" = ${quoteString(folded)}`,
  );
  const row = r.kind === 'resultSet' ? r.rows[0] : undefined;
  if (!row) throw new Error(`connection ${folded} does not exist`);
  await ctx.access.requireConnectionAccess(folded, script);
  return {
    type: 'PASSWORD',
    address: String(row[0] ?? ''),
    user: String(row[1] ?? ''),
    password: String(row[2] ?? ''),
  };
}

/** Script parameters are Lua variables (`ctx.<name>` in UDFs): they keep the case they were written in. */
function luaName(token: Token): string {
  return token.kind === 'quoted' ? identifierName(token) : token.text;
}
