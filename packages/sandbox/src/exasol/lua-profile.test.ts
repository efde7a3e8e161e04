/**
 * One probe per rule of README "Exasol's Lua" (each rule with its public source there), sent through the official
 * driver to the sandbox in both Lua runtimes: each rule holds under the default `exasol` profile and is relaxed under
 * `vanilla` (the debugging profile), which proves the probe really tests the rule.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { startExasolSandbox, type ExasolSandbox } from './exasol-sandbox.js';
import { connectDriver, type Driver } from './testing/driver-harness.js';

const cases = (['native', 'wasm'] as const).flatMap((lua) =>
  (['exasol', 'vanilla'] as const).map((profile) => ({ lua, profile })),
);

for (const { lua, profile } of cases)
  describeTier(luaTier(lua), `Lua profile ${profile} (${lua} Lua)`, () => {
    const exasol = profile === 'exasol';
    let exa: ExasolSandbox;
    let db: Driver;

    /** Creates scripting program p.<name> and returns its output lines (or throws the SQL error). */
    async function script(name: string, body: string): Promise<string[]> {
      await db.execute(`CREATE OR REPLACE SCRIPT p.${name}() AS\n${body}`);
      const r = await db.query(`EXECUTE SCRIPT p.${name}() WITH OUTPUT`);
      return r.getRows().map((row) => String(row.OUTPUT));
    }

    async function udfValue(create: string, call: string): Promise<unknown> {
      await db.execute(create);
      const rows = (await db.query(`SELECT ${call} AS V FROM DUAL`)).getRows();
      return rows[0]?.V;
    }

    beforeAll(async () => {
      exa = await startExasolSandbox({ lua, luaProfile: profile, tls: false });
      db = await connectDriver(exa);
      await db.execute('CREATE SCHEMA p');
    });
    afterAll(async () => {
      await db.close();
      await exa.stop();
    });

    it('L1: pcall/xpcall give a string for a non-string error, blind to __tostring', async () => {
      const out = await script(
        'l1',
        `local ok, e = pcall(error, {10, 20})
       output(tostring(ok) .. ' ' .. type(e))
       local obj = setmetatable({}, {__tostring = function() return 'custom' end})
       local _, h = xpcall(function() error(obj) end, function(m) return type(m) .. '|' .. tostring(m) end)
       output(h)
       output(select(2, pcall(error, 42)) .. '')`,
      );
      if (exasol) expect(out).toEqual(['false string', expect.stringMatching(/^string\|table: 0x[0-9a-f]+$/), '42']);
      else expect(out).toEqual(['false table', 'table|custom', '42']);
    });

    it('L2/L9: no load, loadstring, dofile, loadfile, io, debug, coroutine, os.date, math.random', async () => {
      const out = await script(
        'l2',
        `local names = {}
       for _, n in ipairs({'load', 'loadstring', 'dofile', 'loadfile', 'io', 'debug', 'coroutine', 'collectgarbage'}) do
         names[#names + 1] = n .. '=' .. type(_G[n])
       end
       output(table.concat(names, ' '))
       output('package.loadlib=' .. type(package and package.loadlib) .. ' searchers=' .. type(package and package.searchers))
       output('os.date=' .. type(os.date) .. ' os.time=' .. type(os.time) .. ' os.getenv=' .. type(os.getenv)
         .. ' math.random=' .. type(math.random) .. ' math.randomseed=' .. type(math.randomseed))`,
      );
      if (exasol)
        expect(out).toEqual([
          'load=nil loadstring=nil dofile=nil loadfile=nil io=nil debug=nil coroutine=nil collectgarbage=nil',
          'package.loadlib=nil searchers=nil',
          'os.date=nil os.time=function os.getenv=nil math.random=nil math.randomseed=nil',
        ]);
      else {
        expect(out[0]).toContain('load=function');
        expect(out[0]).toContain('coroutine=table');
        expect(out[2]).toBe(
          'os.date=function os.time=function os.getenv=nil math.random=function math.randomseed=function',
        );
      }
    });

    it('L3: no file access: LuaSec cafile/capath/certificate/key fail with "Feature not supported"', async () => {
      const v = await udfValue(
        `CREATE OR REPLACE LUA SCALAR SCRIPT p.l3(f VARCHAR(20)) RETURNS VARCHAR(2000) AS
function run(ctx)
  local ssl = require('ssl')
  local params = {mode = 'client', protocol = 'tlsv1_2', verify = 'peer'}
  params[ctx.f] = '/etc/ssl/certs/ca-certificates.crt'
  local ok, e = pcall(ssl.newcontext, params)
  local ok2 = pcall(ssl.wrap, require('socket').tcp(), params)
  return tostring(ok) .. ' ' .. tostring(ok2) .. ' ' .. (ok and type(e) or tostring(e))
end`,
        "p.l3('cafile')",
      );
      if (exasol)
        expect(v).toMatch(/^false false .*Feature not supported: ssl.newcontext parameter "cafile" reads a file/);
      else expect(v).toMatch(/^true /);
    });

    it('L4: require offers only the documented libraries, per kind of script', async () => {
      const out = await script(
        'l4',
        `for _, m in ipairs({'cjson', 'socket', 'ssl', 'socket.http'}) do
         output(m .. ' ' .. tostring((pcall(require, m))))
       end`,
      );
      const udf = await udfValue(
        `CREATE OR REPLACE LUA SCALAR SCRIPT p.l4(x DOUBLE) RETURNS VARCHAR(2000) AS
function run(ctx)
  local r = {}
  for _, m in ipairs({'cjson', 'socket', 'ssl', 'openssl.digest', 'openssl.hmac', 'ssl.https', 'socket.http', 'ltn12', 'mime', 'socket.url', '_openssl.digest'}) do
    r[#r + 1] = m .. '=' .. tostring((pcall(require, m)))
  end
  package.preload['mine'] = function() return {answer = 42} end
  r[#r + 1] = 'preload=' .. tostring(require('mine').answer)
  local ok, e = pcall(require, 'lxp')
  r[#r + 1] = 'lxp=' .. tostring(ok)
  return table.concat(r, ' ')
end`,
        'p.l4(1)',
      );
      if (exasol) {
        expect(out).toEqual(['cjson true', 'socket false', 'ssl false', 'socket.http false']);
        expect(udf).toBe(
          'cjson=true socket=true ssl=true openssl.digest=true openssl.hmac=true ssl.https=false socket.http=false ' +
            'ltn12=false mime=false socket.url=false _openssl.digest=false preload=42 lxp=false',
        );
      } else {
        expect(out.slice(0, 3)).toEqual(['cjson true', 'socket true', 'ssl true']);
        expect(udf).toContain('preload=42');
      }
    });

    it('L6: DECIMAL arrives as a decimal value, DOUBLE as a number, NULL as NULL', async () => {
      const v = await udfValue(
        `CREATE OR REPLACE LUA SCALAR SCRIPT p.l6in(d DECIMAL(10,2), x DOUBLE, n DECIMAL(18,0)) RETURNS VARCHAR(200) AS
function run(ctx)
  local d = ctx.d
  return table.concat({type(d), tostring(d), type(ctx.x), tostring(ctx.n == NULL), tostring(ctx.n == null),
    tostring(d + decimal(1, 18, 2)), tostring(d > 3), tostring(d * 2)}, ' ')
end`,
        'p.l6in(3.10, 2, NULL)',
      );
      if (exasol) expect(v).toBe('userdata 3.10 number true true 4.10 true 6.20');
      else expect(v).toBe('number 3.1 number true true 4.1 true 6.2');
    });

    it('L6: a DECIMAL result must be built with decimal(v, p, s): a number fails', async () => {
      const create = (body: string): string =>
        `CREATE OR REPLACE LUA SCALAR SCRIPT p.l6out(x DOUBLE) RETURNS DECIMAL(18,2) AS
function run(ctx) ${body} end`;
      expect(await udfValue(create('return decimal(ctx.x, 18, 2)'), 'p.l6out(2.5)')).toBe('2.50');
      expect(await udfValue(create('return NULL'), 'p.l6out(2.5)')).toBeNull();
      const plain = udfValue(create('return ctx.x'), 'p.l6out(2.5)');
      if (exasol) await expect(plain).rejects.toThrow(/decimal expected, got number/);
      else expect(await plain).toBe('2.50');
    });

    it('L6: Lua UDFs with DATE/TIMESTAMP parameters or results are refused at CREATE', async () => {
      const create = db.execute(`CREATE OR REPLACE LUA SCALAR SCRIPT p.l6date(d DATE) RETURNS VARCHAR(20) AS
function run(ctx) return 'x' end`);
      if (exasol) await expect(create).rejects.toThrow(/data type DATE of parameter d is not supported by Lua UDF/);
      else await expect(create).resolves.toBeDefined();
    });

    it('L6: query() results give DECIMAL columns as decimal values (COUNT(*) included)', async () => {
      const out = await script(
        'l6q',
        `local r = query([[SELECT COUNT(*) AS C, CAST(1.5 AS DOUBLE) AS D FROM DUAL]])
       output(type(r[1].C) .. ' ' .. tostring(r[1].C) .. ' ' .. type(r[1].D) .. ' ' .. tostring(tonumber(r[1].C) + 1))`,
      );
      expect(out).toEqual([exasol ? 'userdata 1 number 2' : 'number 1 number 2']);
    });

    it('L7: an unquoted reserved word as an exit() column name is a syntax error', async () => {
      const quoted = await script('l7q', `exit({{'a'}}, '"VALUE" VARCHAR(10)')`);
      expect(quoted).toEqual([]);
      await db.execute(`CREATE OR REPLACE SCRIPT p.l7() RETURNS TABLE AS exit({{'a'}}, "VALUE VARCHAR(10)")`);
      const run = db.query('EXECUTE SCRIPT p.l7()');
      if (exasol) await expect(run).rejects.toThrow(/syntax error.*VALUE is a reserved word/);
      else expect((await run).getRows()).toEqual([{ VALUE: 'a' }]);
    });

    it("L8: ':' in a string literal needs a params table; :name binds a value, ::name an identifier", async () => {
      const bound = await script(
        'l8b',
        `local r = query([[SELECT 'a:b' AS X, :v AS ::c FROM DUAL]], {v = 'val', c = 'Y'})
       output(r[1].X .. ' ' .. r[1].Y)`,
      );
      expect(bound).toEqual(['a:b val']);
      const bare = script('l8', `output(query([[SELECT 'a:b' AS X FROM DUAL]])[1].X)`);
      if (exasol) await expect(bare).rejects.toThrow(/':' inside the string literal 'a:b'.*params table/);
      else expect(await bare).toEqual(['a:b']);
    });

    it('import: a scripting program imports a library script, also a large (~400 KB) one, quickly', async () => {
      const fns = Array.from(
        { length: 3000 },
        (_, i) => `function f${i}(x)\n  -- ${'padding '.repeat(12)}\n  return x + ${i}\nend`,
      ).join('\n');
      expect(fns.length).toBeGreaterThan(400_000);
      await db.execute(`CREATE OR REPLACE SCRIPT p.lib AS\n${fns}\nfunction twice(x) return x * 2 end`);
      const started = Date.now();
      const out = await script(
        'imp',
        `import('P.LIB', 'L')\nimport('p.lib')\noutput(L.twice(21) .. ' ' .. lib.f2999(1))`,
      );
      expect(out).toEqual(['42 3000']);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });
