/**
 * UDF calls in SQL: `SELECT udf(…) FROM … [GROUP BY …]` (also as a subquery and as the SELECT of an INSERT) reads
 * its input with the engine, cuts it into groups and instances (cluster.ts), runs the instances side by side through
 * the Lua-runtime port and returns their emits. Syntax per https://docs.exasol.com/db/latest/database_concepts/
 * udf_scripts.htm; scripts themselves (CREATE SCRIPT, EXECUTE SCRIPT) are in scripts.ts.
 */
import type { LuaConnection, LuaSqlValue } from '../lua/lua-runtime.js';
import { iprocSql, planInstances, type InputGroup } from './cluster.js';
import type { ExaType, WireValue } from './exa-types.js';
import { duckType, typeText } from './exa-types.js';
import type { ExaColumn, ExaResult, QualifiedName, StatementContext } from './result.js';
import { coerce, columnDefs, findScript, parseTypeText, requireLua, scriptError } from './scripts.js';
import { ExaSqlError } from './sql-error.js';
import type { Token } from './tokenizer.js';
import {
  closingParen,
  identifierName,
  indexAt,
  kw,
  quoteIdent,
  quoteString,
  significant,
  splitTopLevel,
  tokenize,
} from './tokenizer.js';

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
