import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import {
  createLuaRuntime,
  isLuaRuntimeError,
  type LuaMeta,
  type LuaQueryResult,
  type LuaRuntime,
  type LuaSqlValue,
  type ScriptHost,
  type ScriptRun,
  type UdfRun,
} from './index.js';

const kinds = ['native', 'wasm'] as const;

const meta: LuaMeta = {
  database_name: 'SANDBOX',
  database_version: '8.34.0',
  script_schema: 'S',
  script_name: 'T',
  session_id: '42',
  statement_id: '7',
  current_user: 'SYS',
  current_schema: 'S',
  node_count: 1,
  node_id: 0,
  vm_id: 0,
};

/** A ScriptHost double answering by SQL text, recording every call. */
class TableHost implements ScriptHost {
  readonly calls: { sql: string; params: Readonly<Record<string, LuaSqlValue>> | undefined }[] = [];
  constructor(
    private readonly answers: Record<string, LuaQueryResult | { sqlCode: string; message: string }> = {},
    private readonly scripts: Record<string, string> = {},
    private readonly onQuery?: (sql: string) => Promise<LuaQueryResult> | undefined,
  ) {}
  async query(sql: string, params: Readonly<Record<string, LuaSqlValue>> | undefined): Promise<LuaQueryResult> {
    this.calls.push({ sql, params });
    const dynamic = this.onQuery?.(sql);
    if (dynamic) return dynamic;
    const a = this.answers[sql];
    if (a === undefined) throw Object.assign(new Error(`object ${sql} not found`), { sqlCode: '42000' });
    if ('sqlCode' in a) throw Object.assign(new Error(a.message), { sqlCode: a.sqlCode });
    return Promise.resolve(a);
  }
  importScript(name: string): Promise<string | undefined> {
    return Promise.resolve(this.scripts[name]);
  }
}

const people: LuaQueryResult = {
  kind: 'resultSet',
  columns: [
    { name: 'ID', type: 'DECIMAL(18,0)' },
    { name: 'NAME', type: 'VARCHAR(20) UTF8' },
    { name: 'SCORE', type: 'DOUBLE' },
  ],
  rows: [
    [1, 'ann', 2],
    [2, null, 0.5],
  ],
};

function script(source: string, host: ScriptHost = new TableHost(), extra: Partial<ScriptRun> = {}): ScriptRun {
  return { source, parameterNames: [], args: [], meta, host, ...extra };
}

function udf(source: string, extra: Partial<UdfRun>): UdfRun {
  return {
    source,
    inputType: 'SCALAR',
    outputMode: 'RETURNS',
    inputNames: [],
    groups: [],
    meta: { ...meta, script_name: 'U' },
    getConnection: (name) =>
      name === 'AWS'
        ? Promise.resolve({ type: 'PASSWORD', address: 'https://b.s3.amazonaws.com', user: 'AK', password: 'sk' })
        : Promise.reject(new Error(`connection ${name} does not exist`)),
    ...extra,
  };
}

async function outputOf(lua: LuaRuntime, source: string, host?: ScriptHost): Promise<readonly string[]> {
  return (await lua.runScript(script(source, host))).output;
}

for (const kind of kinds)
  describeTier(luaTier(kind), `${kind} Lua runtime`, () => {
    let lua: LuaRuntime;
    beforeAll(async () => {
      lua = await createLuaRuntime(kind);
    });
    afterAll(async () => {
      await lua.close();
    });

    describe(`scripting programs`, () => {
      it('reports its name', () => {
        expect(lua.name).toBe(kind);
      });

      it('query returns a 1-based result table addressable by column name, with #, nulls and statement_text', async () => {
        const host = new TableHost({ 'SELECT * FROM P': people });
        const out = await outputOf(
          lua,
          `local res = query([[SELECT * FROM P]])
         output(#res .. ' ' .. #res[1] .. ' ' .. res.statement_text)
         output(res[1][1] .. ' ' .. res[1].NAME .. ' ' .. tostring(res[1].SCORE) .. ' ' .. tostring(res[2].SCORE))
         output(tostring(res[2].NAME == null) .. ' ' .. tostring(res[2][2] == NULL) .. ' ' .. type(res[1].ID))
         output(tostring(res[1].MISSING) .. ' ' .. tostring(pcall(function() res[1].NAME = 'x' end)))`,
          host,
        );
        // DECIMAL columns arrive as Exasol decimal values (userdata in Exasol).
        expect(out).toEqual(['2 3 SELECT * FROM P', '1 ann 2.0 0.5', 'true true userdata', 'nil false']);
      });

      it('passes query parameters to the host, null included, and gives rows_affected for DML', async () => {
        const host = new TableHost({ 'DELETE FROM ::t WHERE a = :v': { kind: 'rowCount', rowsAffected: 3 } });
        const out = await outputOf(
          lua,
          `local r = query([[DELETE FROM ::t WHERE a = :v]], {t = 'P', v = 1.5, n = null, b = true})
         output(r.rows_affected .. ' ' .. r.statement_text)`,
          host,
        );
        expect(out).toEqual(['3 DELETE FROM ::t WHERE a = :v']);
        expect(host.calls[0]?.params).toEqual({ t: 'P', v: 1.5, n: null, b: true });
      });

      it('query raises on SQL errors: the run fails with the SQL code, and pcall can catch it', async () => {
        const host = new TableHost({ BAD: { sqlCode: '42000', message: 'syntax error, unexpected BAD' } });
        const caught = await outputOf(lua, `local ok, e = pcall(query, 'BAD') output(tostring(ok) .. ' ' .. e)`, host);
        expect(caught).toEqual(['false syntax error, unexpected BAD']);
        const failure = await lua
          .runScript(script(`output('a') query('BAD') output('b')`, host))
          .catch((e: unknown) => e);
        expect(isLuaRuntimeError(failure)).toBe(true);
        expect(failure).toMatchObject({ kind: 'LuaError', sqlCode: '42000', message: 'syntax error, unexpected BAD' });
      });

      it('pquery returns false and the error fields, or true and the result', async () => {
        const host = new TableHost({
          BAD: { sqlCode: '42500', message: 'insufficient privileges' },
          'SELECT * FROM P': people,
        });
        const out = await outputOf(
          lua,
          `local ok, e = pquery('BAD')
         output(tostring(ok) .. '|' .. e.error_code .. '|' .. e.error_message .. '|' .. e.statement_text)
         local ok2, r = pquery('SELECT * FROM P')
         output(tostring(ok2) .. '|' .. #r)`,
          host,
        );
        expect(out).toEqual(['false|42500|insufficient privileges|BAD', 'true|2']);
      });

      it('exit(tbl, columns) and return tbl, columns give a table outcome; a number gives a row count', async () => {
        const viaExit = await lua.runScript(
          script(
            `output('x') exit({{1, 'a', null}, {2.5, nil, true}}, "N DOUBLE, S VARCHAR(10), B BOOLEAN") output('never')`,
          ),
        );
        expect(viaExit).toEqual({
          kind: 'table',
          columnsSpec: 'N DOUBLE, S VARCHAR(10), B BOOLEAN',
          rows: [
            [1, 'a', null],
            [2.5, null, true],
          ],
          output: ['x'],
        });
        const host = new TableHost({ 'SELECT * FROM P': people });
        const viaReturn = await lua.runScript(
          script(`return query('SELECT * FROM P'), "ID DECIMAL(18,0), NAME VARCHAR(20), SCORE DOUBLE"`, host),
        );
        expect(viaReturn).toMatchObject({
          kind: 'table',
          rows: [
            ['1', 'ann', 2],
            ['2', null, 0.5],
          ],
        });
        expect(await lua.runScript(script('return 5'))).toEqual({ kind: 'rowCount', rowCount: 5, output: [] });
        expect(await lua.runScript(script('exit()'))).toEqual({ kind: 'rowCount', rowCount: 0, output: [] });
      });

      it('a result table without column definitions is an error that says what to write', async () => {
        await expect(lua.runScript(script('return {{1}}'))).rejects.toMatchObject({
          kind: 'LuaError',
          message: expect.stringContaining('column definitions') as unknown,
        });
      });

      it('error(), runtime and syntax errors reject with the Lua message and line', async () => {
        await expect(lua.runScript(script(`local a = 1\nerror('boom')`))).rejects.toMatchObject({
          kind: 'LuaError',
          message: 'S.T:2: boom',
          line: 2,
        });
        await expect(lua.runScript(script(`local t = nil\nlocal x = t.field`))).rejects.toMatchObject({
          message: expect.stringMatching(/^S\.T:2: attempt to index a nil value/) as unknown,
        });
        await expect(lua.runScript(script('x = = 1'))).rejects.toMatchObject({
          message: expect.stringMatching(/^S\.T:1: unexpected symbol/) as unknown,
        });
        await expect(lua.runScript(script(`error({code = 1})`))).rejects.toMatchObject({
          message: '(error object is a table value)',
        });
      });

      it('output and print collect lines in order', async () => {
        expect(await outputOf(lua, `output('a') print('b', 1, nil) output(2)`)).toEqual(['a', 'b\t1\tnil', '2']);
      });

      it('script parameters are globals; ARRAY parameters are Lua arrays', async () => {
        const out = await lua.runScript(
          script(
            `output(a .. ' ' .. tostring(b == null) .. ' ' .. #c .. ' ' .. c[2] .. ' ' .. tostring(c[3] == null))`,
            undefined,
            {
              parameterNames: ['a', 'b', 'c'],
              args: ['x', null, [10, 20, null]],
            },
          ),
        );
        expect(out.output).toEqual(['x true 3 20 true']);
      });

      it('exa.meta carries the run meta', async () => {
        expect(
          await outputOf(
            lua,
            `output(exa.meta.script_schema .. '.' .. exa.meta.script_name .. ' ' .. exa.meta.current_user .. ' ' .. exa.meta.node_count)`,
          ),
        ).toEqual(['S.T SYS 1']);
      });

      it('import loads another script under its alias (or its name)', async () => {
        const host = new TableHost(
          {},
          { 'LIB.UTIL': `function twice(x) return 2 * x end\nversion = exa.meta.script_name` },
        );
        const out = await outputOf(
          lua,
          `import('LIB.UTIL', 'u') output(u.twice(21) .. ' ' .. u.version)
         import('LIB.UTIL') output(UTIL.twice(1))
         local ok, e = pcall(import, 'LIB.NOPE', 'n') output(tostring(ok) .. ' ' .. e)`,
          host,
        );
        expect(out[0]).toBe('42 UTIL');
        expect(out[1]).toBe('2');
        expect(out[2]).toMatch(/^false .*LIB\.NOPE not found/);
      });

      it("decimal(v, p, s) is Exasol's exact decimal type", async () => {
        const out = await outputOf(
          lua,
          `local big = decimal('123456789012345678901234.5678', 36, 4)
         output(tostring(big) .. ' ' .. type(big))
         output(tostring(decimal(5.125, 18, 2)) .. ' ' .. tostring(decimal('1.5')) .. ' ' .. tostring(decimal(-7)))
         output(tostring(decimal(1, 18, 2) + decimal(2.25, 18, 2) == decimal('3.25', 18, 2)) .. ' ' .. tostring(decimal(10) / 4))
         output(tostring(decimal('-0.5', 18, 1) < 0) .. ' ' .. tostring(decimal(3) * decimal('0.5', 18, 1)) .. ' ' .. tostring(decimal(3) + 1))
         output(tostring(pcall(decimal, 1e20)) .. ' ' .. tostring(getmetatable(big)) .. ' ' .. tostring(tonumber(decimal('2.5', 18, 1))))`,
        );
        expect(out).toEqual([
          '123456789012345678901234.5678 userdata',
          '5.13 2 -7',
          'true 2.5',
          'true 1.5 4',
          'false decimal 2.5',
        ]);
      });

      it('keeps runs isolated: globals and library changes do not leak', async () => {
        await lua.runScript(script(`LEAK = 1; string.leak = 'x'; table.insert = nil`));
        expect(
          await outputOf(lua, `output(tostring(LEAK) .. ' ' .. tostring(string.leak) .. ' ' .. type(table.insert))`),
        ).toEqual(['nil nil function']);
      });

      it('offers no io and keeps the standard libraries Exasol has', async () => {
        const out = await outputOf(
          lua,
          `output(type(io) .. ' ' .. type(os.time()) .. ' ' .. type(os.clock()) .. ' ' .. type(os.date))
         output(utf8.len('äö') .. ' ' .. string.format('%05.1f', 3.14159) .. ' ' .. math.maxinteger .. ' ' .. table.concat({1, 2}, ','))`,
        );
        expect(out).toEqual(['nil number number nil', '2 003.1 9223372036854775807 1,2']);
      });

      it('runs nest: a query that runs a UDF while the script waits', async () => {
        const host = new TableHost({}, {}, (sql) =>
          sql === 'SELECT UDF'
            ? lua
                .runUdf(udf('function run(ctx) return ctx.x * 2 end', { inputNames: ['x'], groups: [[[21]]] }))
                .then((r) => ({ kind: 'resultSet', columns: [{ name: 'Y', type: 'DECIMAL(18,0)' }], rows: r.rows }))
            : undefined,
        );
        expect(await outputOf(lua, `output(query('SELECT UDF')[1].Y)`, host)).toEqual(['42']);
      });

      it('vanilla profile: query works inside user coroutines (as TypeScriptToLua async/await compiles to)', async () => {
        const host = new TableHost({ 'SELECT * FROM P': people });
        const vanilla = await createLuaRuntime(kind, { profile: 'vanilla' });
        const out = await outputOf(
          vanilla,
          `local co = coroutine.create(function(a)
           local got = coroutine.yield(a + 1)
           return query('SELECT * FROM P')[1].NAME .. got
         end)
         local ok1, v1 = coroutine.resume(co, 1)
         local ok2, v2 = coroutine.resume(co, '!')
         local w = coroutine.wrap(function() return #query('SELECT * FROM P') end)
         output(tostring(ok1) .. v1 .. tostring(ok2) .. v2 .. w() .. coroutine.status(co))`,
          host,
        );
        await vanilla.close();
        expect(out).toEqual(['true2trueann!2dead']);
      });

      it('runs concurrently without mixing their answers', async () => {
        const host = new TableHost({ 'SELECT * FROM P': people });
        const runs = await Promise.all(
          Array.from({ length: 4 }, (_, i) =>
            outputOf(lua, `local r = query('SELECT * FROM P') output(${i} .. r[1].NAME)`, host),
          ),
        );
        expect(runs).toEqual([['0ann'], ['1ann'], ['2ann'], ['3ann']]);
      });
    });

    describe(`UDFs`, () => {
      it('SCALAR RETURNS: one value per row, by name and position, NULL in and out, DOUBLE as float', async () => {
        const out = await lua.runUdf(
          udf(
            `function run(ctx)
             if ctx.a == NULL then return null end
             return ctx.a .. ':' .. ctx[2] .. ':' .. math.type(ctx.d)
           end`,
            {
              inputNames: ['a', 'b', 'd'],
              inputTypes: ['VARCHAR(5)', 'DECIMAL(18,0)', 'DOUBLE'],
              groups: [
                [
                  ['x', 1, 2],
                  [null, 2, 3],
                  ['y', 3, 0.5],
                ],
              ],
            },
          ),
        );
        expect(out.rows).toEqual([['x:1:float'], [null], ['y:3:float']]);
      });

      it('SCALAR EMITS: any number of rows per input row', async () => {
        const out = await lua.runUdf(
          udf(`function run(ctx) for i = 1, ctx.n do ctx.emit(ctx.n, i, nil) end end`, {
            outputMode: 'EMITS',
            inputNames: ['n'],
            groups: [[[2], [0], [1]]],
          }),
        );
        expect(out.rows).toEqual([
          [2, 1, null],
          [2, 2, null],
          [1, 1, null],
        ]);
      });

      it('SET EMITS: iterates each group with next, size and reset', async () => {
        const out = await lua.runUdf(
          udf(
            `function run(ctx)
             local sum, n = 0, 0
             repeat sum = sum + ctx.v; n = n + 1 until not ctx.next()
             ctx.reset()
             ctx.emit(ctx.k, sum, n, ctx.size(), ctx.v)
           end`,
            {
              inputType: 'SET',
              outputMode: 'EMITS',
              inputNames: ['k', 'v'],
              groups: [
                [
                  ['a', 1],
                  ['a', 2],
                  ['a', 3],
                ],
                [['b', 10]],
              ],
            },
          ),
        );
        expect(out.rows).toEqual([
          ['a', 6, 3, 3, 1],
          ['b', 10, 1, 1, 10],
        ]);
      });

      it('SET RETURNS: one value per group', async () => {
        const out = await lua.runUdf(
          udf(
            `function run(ctx) local m = ctx.v repeat if ctx.v > m then m = ctx.v end until not ctx.next() return m end`,
            {
              inputType: 'SET',
              inputNames: ['v'],
              groups: [[[3], [9], [4]], [[-1]]],
            },
          ),
        );
        expect(out.rows).toEqual([[9], [-1]]);
      });

      it('a SET UDF over 10,000 rows emits every row', async () => {
        const rows = Array.from({ length: 10_000 }, (_, i) => [i, `r${i}`]);
        const out = await lua.runUdf(
          udf(`function run(ctx) repeat ctx.emit(ctx.i * 2, ctx.s) until not ctx.next() end`, {
            inputType: 'SET',
            outputMode: 'EMITS',
            inputNames: ['i', 's'],
            groups: [rows],
          }),
        );
        expect(out.rows).toHaveLength(10_000);
        expect(out.rows[9_999]).toEqual([19_998, 'r9999']);
        expect(out.rows.every((r, i) => r[0] === 2 * i)).toBe(true);
      });

      it('exa.get_connection gives the connection; a missing one fails with the host text', async () => {
        const out = await lua.runUdf(
          udf(
            `function run(ctx) local c = exa.get_connection(ctx.name) ctx.emit(c.type, c.address, c.user, c.password) end`,
            { outputMode: 'EMITS', inputNames: ['name'], groups: [[['AWS']]] },
          ),
        );
        expect(out.rows).toEqual([['PASSWORD', 'https://b.s3.amazonaws.com', 'AK', 'sk']]);
        await expect(
          lua.runUdf(udf(`function run(ctx) exa.get_connection('NOPE') end`, { inputNames: ['x'], groups: [[[1]]] })),
        ).rejects.toMatchObject({
          kind: 'LuaError',
          message: expect.stringContaining('connection NOPE does not exist') as unknown,
        });
      });

      it('runs top-level code once, cleanup() at the end, and sees exa.meta', async () => {
        const seen: string[] = [];
        const out = await lua.runUdf(
          udf(
            `local calls = 0
           function run(ctx) calls = calls + 1 return exa.meta.script_name .. calls .. exa.meta.input_type end
           function cleanup() exa.get_connection('CLEANUP' .. calls) end`,
            {
              inputNames: ['x'],
              groups: [[[1], [2]]],
              getConnection: (name) => {
                seen.push(name);
                return Promise.resolve({ type: 'PASSWORD', address: '', user: '', password: '' });
              },
            },
          ),
        );
        expect(out.rows).toEqual([['U1SCALAR'], ['U2SCALAR']]);
        expect(seen).toEqual(['CLEANUP2']);
      });

      it('errors in run() reject with the Lua message and line; a missing run() is reported', async () => {
        await expect(
          lua.runUdf(
            udf(`function run(ctx)\n  error('bad row ' .. ctx.x)\nend`, { inputNames: ['x'], groups: [[[7]]] }),
          ),
        ).rejects.toMatchObject({ kind: 'LuaError', message: 'S.U:2: bad row 7', line: 2 });
        await expect(lua.runUdf(udf(`x = 1`, { inputNames: ['x'], groups: [[[7]]] }))).rejects.toMatchObject({
          message: expect.stringContaining('run(ctx)') as unknown,
        });
        await expect(
          lua.runUdf(
            udf(`function run(ctx) ctx.emit({}) end`, { outputMode: 'EMITS', inputNames: ['x'], groups: [[[7]]] }),
          ),
        ).rejects.toMatchObject({ message: expect.stringContaining('unsupported value of type table') as unknown });
      });

      it('keeps exact integers beyond 2^53 as decimal strings', async () => {
        const out = await lua.runUdf(
          udf(`function run(ctx) return math.maxinteger end`, { inputNames: ['x'], groups: [[[1]]] }),
        );
        expect(out.rows).toEqual([['9223372036854775807']]);
      });
    });
  });
