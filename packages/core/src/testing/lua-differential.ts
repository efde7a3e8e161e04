/**
 * Node-only harness of the differential test: runs the Lua test bundle (`lua-build/sme-core-differential.lua`)
 * in a real `lua5.4` process with cjson as the Json port, and in wasmoon with a JS-backed Json port.
 * Each call runs a whole batch of cases in one interpreter.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LuaFactory } from 'wasmoon';
import { EXASOL_PCALL_LUA } from './exasol-pcall-lua.js';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIFF_BUNDLE = join(PACKAGE_DIR, 'lua-build', 'sme-core-differential.lua');

function newestSourceMillis(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const m = entry.isDirectory() ? newestSourceMillis(path) : statSync(path).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

/** Builds the Lua bundles when missing or older than a source file (so `npx vitest run` alone works). */
export function ensureLuaBuild(): void {
  const fresh =
    existsSync(DIFF_BUNDLE) && statSync(DIFF_BUNDLE).mtimeMs >= newestSourceMillis(join(PACKAGE_DIR, 'src'));
  if (!fresh) execFileSync('npm', ['run', 'build:lua'], { cwd: PACKAGE_DIR, stdio: 'pipe' });
}

/** Real lua5.4 with Exasol's pcall, running the differential cases. */
const LUA54_RUNNER = `${EXASOL_PCALL_LUA}
local cjson = require('cjson')
local function strip(v)
  if v == cjson.null then return nil end
  if type(v) == 'table' then for k, x in pairs(v) do v[k] = strip(x) end end
  return v
end
local json = {
  decode = function(self, text) return strip(cjson.decode(text)) end,
  encode = function(self, value) return cjson.encode(value) end,
}
local diff = dofile(arg[1])
local f = assert(io.open(arg[2], 'rb'))
local text = f:read('a')
f:close()
io.write(diff.runCases(text, json))
`;

/** Runs a JSON array of cases through real lua5.4; returns the encoded results. */
export function runInLua54(casesText: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sme-core-diff-'));
  try {
    const runner = join(dir, 'runner.lua');
    const cases = join(dir, 'cases.json');
    writeFileSync(runner, LUA54_RUNNER);
    writeFileSync(cases, casesText);
    const out = spawnSync('lua5.4', [runner, DIFF_BUNDLE, cases], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (out.status !== 0) throw new Error(`lua5.4 failed (${String(out.status)}): ${out.stderr}`);
    return out.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A JSON codec in plain Lua: the Json port for wasmoon, which has no cjson. (JS strings cannot carry it:
 * wasmoon cuts strings at NUL and pushes whole numbers as wrapping integers.) Numbers that fit become Lua
 * integers here, floats under cjson: the two runs cover both number subtypes. JSON null becomes nil.
 */
const LUA_JSON = String.raw`
local json = {}
local function utf8char(cp) return utf8.char(cp) end
function json:decode(text)
  local pos = 1
  local function ws() pos = text:find('[^ \t\r\n]', pos) or (#text + 1) end
  local value
  local function str()
    pos = pos + 1
    local out = {}
    while true do
      local c = text:sub(pos, pos)
      if c == '' then error('unterminated string') end
      if c == '"' then pos = pos + 1; return table.concat(out) end
      if c == '\\' then
        local e = text:sub(pos + 1, pos + 1)
        local map = { b = '\b', f = '\f', n = '\n', r = '\r', t = '\t', ['"'] = '"', ['\\'] = '\\', ['/'] = '/' }
        if e == 'u' then
          local cp = tonumber(text:sub(pos + 2, pos + 5), 16)
          pos = pos + 6
          if cp >= 0xD800 and cp <= 0xDBFF and text:sub(pos, pos + 1) == '\\u' then
            local lo = tonumber(text:sub(pos + 2, pos + 5), 16)
            if lo >= 0xDC00 and lo <= 0xDFFF then cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00); pos = pos + 6 end
          end
          out[#out + 1] = utf8char(cp)
        elseif map[e] then out[#out + 1] = map[e]; pos = pos + 2
        else error('bad escape') end
      else out[#out + 1] = c; pos = pos + 1 end
    end
  end
  function value()
    ws()
    local c = text:sub(pos, pos)
    if c == '{' then
      local t = {}; pos = pos + 1; ws()
      if text:sub(pos, pos) == '}' then pos = pos + 1; return t end
      while true do
        ws(); local k = str(); ws()
        if text:sub(pos, pos) ~= ':' then error('expected :') end
        pos = pos + 1; t[k] = value(); ws()
        local d = text:sub(pos, pos); pos = pos + 1
        if d == '}' then return t elseif d ~= ',' then error('expected , or }') end
      end
    elseif c == '[' then
      local t = {}; pos = pos + 1; ws()
      if text:sub(pos, pos) == ']' then pos = pos + 1; return t end
      local n = 0
      while true do
        n = n + 1; t[n] = value(); ws()
        local d = text:sub(pos, pos); pos = pos + 1
        if d == ']' then return t elseif d ~= ',' then error('expected , or ]') end
      end
    elseif c == '"' then return str()
    elseif text:sub(pos, pos + 3) == 'true' then pos = pos + 4; return true
    elseif text:sub(pos, pos + 4) == 'false' then pos = pos + 5; return false
    elseif text:sub(pos, pos + 3) == 'null' then pos = pos + 4; return nil
    else
      local num = text:match('^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
      if not num or num == '' then error('unexpected character') end
      pos = pos + #num
      -- Whole numbers up to 2^53 become integers (covering that subtype); larger ones stay floats, as they only
      -- ever reach Lua as DOUBLE values (exact integers beyond 2^53 travel as strings).
      local n = tonumber(num)
      if math.abs(n) <= 2^53 then return math.tointeger(n) or n end
      return n + 0.0
    end
  end
  local v = value(); ws()
  if pos <= #text then error('trailing text') end
  return v
end
local function enc(v, out)
  local t = type(v)
  if t == 'nil' then out[#out + 1] = 'null'
  elseif t == 'boolean' then out[#out + 1] = tostring(v)
  elseif t == 'number' then
    local i = math.tointeger(v)
    if i and math.abs(v) < 2^53 then out[#out + 1] = string.format('%d', i) else out[#out + 1] = string.format('%.17g', v) end
  elseif t == 'string' then
    out[#out + 1] = '"' .. v:gsub('[%c"\\]', function(c)
      if c == '"' or c == '\\' then return '\\' .. c end
      return string.format('\\u%04x', c:byte())
    end) .. '"'
  elseif t == 'table' then
    if v[1] ~= nil then
      out[#out + 1] = '['
      for i = 1, #v do if i > 1 then out[#out + 1] = ',' end; enc(v[i], out) end
      out[#out + 1] = ']'
    else
      out[#out + 1] = '{'
      local first = true
      for k, x in pairs(v) do
        if not first then out[#out + 1] = ',' end
        first = false
        enc(tostring(k), out); out[#out + 1] = ':'; enc(x, out)
      end
      out[#out + 1] = '}'
    end
  else error('cannot encode ' .. t) end
end
function json:encode(v) local out = {}; enc(v, out); return table.concat(out) end
return json
`;

/** Runs a JSON array of cases through wasmoon (Lua 5.4 in WebAssembly); returns the encoded results. */
export async function runInWasmoon(casesText: string): Promise<string> {
  const engine = await new LuaFactory().createEngine({ enableProxy: false });
  try {
    engine.global.set('BUNDLE_SOURCE', readFileSync(DIFF_BUNDLE, 'utf8'));
    engine.global.set('JSON_SOURCE', LUA_JSON);
    engine.global.set('CASES', casesText);
    const result: unknown = await engine.doString(`
      local diff = assert(load(BUNDLE_SOURCE, 'sme-core-differential'))()
      local json = assert(load(JSON_SOURCE, 'json'))()
      return diff.runCases(CASES, json)
    `);
    if (typeof result !== 'string') throw new Error('wasmoon returned no text');
    return result;
  } finally {
    engine.global.close();
  }
}
