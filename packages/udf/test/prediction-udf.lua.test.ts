import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { predictionUdfSql } from '@sme/core';
import { predictionUdfBundle } from '../src/index.js';
import { describeTier } from '@sme/test-tiers';

const run = promisify(execFile);

/**
 * Exasol's Lua UDF API around the generated prediction UDF: `NULL` is a constant (not nil), `decimal(v, p, s)` builds
 * DECIMAL values, DECIMAL arguments are userdata-like values whose tostring is the exact number, `ctx[name]` reads
 * the current row, `ctx.next()`, `ctx.emit(…)`. Only documented libraries load.
 */
const DRIVER = `
local cjson = require('cjson')
local documented = { 'socket', 'ssl', 'cjson', 'openssl.digest', 'openssl.hmac' }
local allowed = {}
for _, name in ipairs(documented) do require(name); allowed[name] = true end
require = function(name)
  if allowed[name] then return package.loaded[name] end
  error("module '" .. tostring(name) .. "' not found (not documented for Exasol)")
end
NULL = setmetatable({}, { __tostring = function() return 'NULL' end })
decimal = function(v, p, s)
  assert(type(v) == 'number' or type(v) == 'string', 'decimal expected a number or text')
  return setmetatable({}, { __tostring = function() return 'decimal(' .. tostring(v) .. ',' .. p .. ',' .. s .. ')' end })
end
local function exa_decimal(text) return setmetatable({}, { __tostring = function() return text end }) end
exa = { meta = { script_schema = 'ML', script_name = 'e', current_user = 'ANALYST' },
  get_connection = function() return { type = 'PASSWORD', address = '', user = 'AKIAPREDICT000000001',
    password = 'secret0123456789abcdefghijklmnopqrstuvw' } end }
local rows = {
  { AMOUNT = 12.5, BIG = exa_decimal('7.25'), NAME = 'a', FLAG = true, SCORE = 0.5 },
  { AMOUNT = NULL, BIG = NULL, NAME = NULL, FLAG = NULL, SCORE = NULL },
  { AMOUNT = -3.0, BIG = exa_decimal('-1.00'), NAME = 'x,y', FLAG = false, SCORE = 1e-7 },
}
local at = 1
local emitted = {}
ctx = setmetatable({
  next = function() at = at + 1; return rows[at] ~= nil end,
  emit = function(...)
    local n, out = select('#', ...), {}
    for i = 1, n do
      local v = select(i, ...)
      assert(v ~= nil, 'emit got nil for column ' .. i .. ' (SQL NULL is the NULL constant)')
      out[i] = tostring(v)
    end
    emitted[#emitted + 1] = table.concat(out, '|')
  end,
}, { __index = function(_, k) return rows[at][k] end })
local f = assert(io.open(arg[1], 'rb')); local body = f:read('a'); f:close()
assert(load(body, '=prediction-udf'))()
run(ctx)
io.write(table.concat(emitted, '\\n'))
`;

describeTier('native-lua', 'prediction UDF under real lua5.4 with Exasol-typed values', () => {
  const bodies: string[] = [];
  let server: ReturnType<typeof createServer>;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        bodies.push(body);
        const lines = body.split('\n').filter((l) => l !== '');
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.end(lines.map((_, i) => (i === 1 ? '0,0.25' : '1,0.75')).join('\n') + '\n');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${String((server.address() as { port: number }).port)}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) =>
      server.close(() => {
        r();
      }),
    );
  });

  it('takes DOUBLE (from DECIMAL), DECIMAL values, VARCHAR, BOOLEAN and NULLs; emits NULL and decimal() results', async () => {
    const sql = predictionUdfSql(
      {
        schema: 'ML',
        endpointName: 'e',
        features: [
          { name: 'AMOUNT', type: 'DECIMAL(18,2)' },
          { name: 'BIG', type: 'DECIMAL(36,2)' },
          { name: 'NAME', type: 'VARCHAR(20) UTF8' },
          { name: 'FLAG', type: 'BOOLEAN' },
          { name: 'SCORE', type: 'DOUBLE' },
        ],
        target: { name: 'CLASS', type: 'DECIMAL(3,0)' },
        problemType: 'BinaryClassification',
        connectionName: 'AWS',
        region: 'eu-west-1',
        awsEndpointUrl: url,
      },
      predictionUdfBundle(),
    );
    expect(sql.slice(0, sql.indexOf(' AS\n'))).toContain(
      '("AMOUNT" DOUBLE, "BIG" DOUBLE, "NAME" VARCHAR(20) UTF8, "FLAG" BOOLEAN, "SCORE" DOUBLE)',
    );
    const dir = mkdtempSync(join(tmpdir(), 'sme-predict-'));
    writeFileSync(join(dir, 'body.lua'), sql.slice(sql.indexOf(' AS\n') + 4));
    writeFileSync(join(dir, 'driver.lua'), DRIVER);
    const { stdout, stderr } = await run('lua5.4', [join(dir, 'driver.lua'), join(dir, 'body.lua')]);
    expect(stderr).toBe('');
    expect(bodies.at(-1)).toBe('12.50,7.25,a,TRUE,0.5\n,,,,\n-3.00,-1.00,"x,y",FALSE,1e-07\n');
    expect(stdout.split('\n')).toEqual([
      '12.5|7.25|a|true|0.5|decimal(1,3,0)|0.75',
      'NULL|NULL|NULL|NULL|NULL|decimal(0,3,0)|0.25',
      '-3.0|-1.00|x,y|false|1e-07|decimal(1,3,0)|0.75',
    ]);
  });
});
