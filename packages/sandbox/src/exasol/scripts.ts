/**
 * Scripts: CREATE SCRIPT (scripting programs and UDFs, stored with their definition) and EXECUTE SCRIPT, run
 * through the Lua-runtime port; UDF calls in SELECT are in udf-calls.ts. Syntax per
 * https://docs.exasol.com/db/latest/sql/create_script.htm and .../sql/execute_script.htm.
 */
import type { LuaQueryResult, LuaScriptArg, LuaSqlValue, ScriptHost } from '../lua/lua-runtime.js';
import type { ExaType, WireValue } from './exa-types.js';
import {
  decimalWire,
  formatDecimal,
  nowLiteral,
  parseType,
  typeText,
  TypeSyntaxError,
  VARCHAR_MAX,
} from './exa-types.js';
import { EXASOL_RESERVED_WORDS } from './reserved-words.js';
import type { ExaColumn, ExaResult, QualifiedName, StatementContext } from './result.js';
import { rowCount } from './result.js';
import { ExaSqlError } from './sql-error.js';
import type { Token } from './tokenizer.js';
import {
  closingParen,
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

export function parseTypeText(text: string): ExaType {
  try {
    return parseType(significant(tokenize(text)), 0).type;
  } catch (e) {
    if (e instanceof TypeSyntaxError) throw new ExaSqlError(`syntax error, ${e.message}`, '42000');
    throw e;
  }
}

export function columnDefs(sql: string, defs: Token[][]): { name: string; type: string }[] {
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

export function requireLua(def: ScriptDefinition): void {
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

export function scriptError(e: unknown, def: ScriptDefinition, sessionId: string): ExaSqlError {
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

/** Script parameters are Lua variables (`ctx.<name>` in UDFs): they keep the case they were written in. */
function luaName(token: Token): string {
  return token.kind === 'quoted' ? identifierName(token) : token.text;
}
