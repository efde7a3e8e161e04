/**
 * The Lua side of both runtimes: builds a fresh environment per run and implements Exasol's scripting API
 * (query, pquery, output, exit, import, exa.meta, null/NULL) and the Lua UDF API (run(ctx), ctx.next/size/
 * reset/emit, cleanup, exa.get_connection). Only the transport differs between runtimes: `bridge.call(s)` sends
 * one JSON message and returns the JSON reply, `bridge.send(s)` sends one without a reply.
 *
 * Sources for the API shapes:
 * - https://docs.exasol.com/db/latest/database_concepts/scripting/db_interaction.htm (query/pquery, result
 *   tables by index and column name, `#`, statement_text, rows_affected, error_code/error_message)
 * - https://docs.exasol.com/db/latest/database_concepts/scripting/general_script_language.htm (null and NULL)
 * - https://docs.exasol.com/db/latest/database_concepts/udf_scripts/lua.htm (run/cleanup, ctx, emit, NULL)
 */
export const HOST_LUA = String.raw`
local M = {}

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

local EXIT = setmetatable({}, { __tostring = function() return 'exit' end })

-- Counts the columns of "a DECIMAL(18,2), b VARCHAR(10)": commas outside parentheses, plus one.
local function count_columns(spec)
  local flat = spec:gsub('%b()', '')
  local n = 1
  for _ in flat:gmatch(',') do n = n + 1 end
  return n
end

local function error_text(e)
  if type(e) == 'string' then return e end
  local mt = getmetatable(e)
  if mt and mt.__tostring then return tostring(e) end
  if e == nil then return 'nil' end
  return '(error object is a ' .. type(e) .. ' value)'
end

-- Exasol's L1 rendering of a non-string error value: like tostring, but blind to __tostring/__name, so a
-- table becomes 'table: 0x...' (Exasol's exact text is undocumented; this is stricter than the minimum).
local function raw_text(e)
  local t = type(e)
  if t == 'string' then return e end
  if t == 'number' or t == 'boolean' or t == 'nil' then return tostring(e) end
  return t .. ': ' .. string.format('%p', e)
end
M.raw_text = raw_text

-- Exasol's decimal type (https://docs.exasol.com/db/latest/database_concepts/scripting/general_script_language.htm
-- "Decimal type"): decimal(value [, precision [, scale]]), default (18,0); + - * / % and comparisons; the
-- result type of arithmetic is decimal or number. Exasol's is userdata; this one is a table with the same
-- metamethods (type() says 'table'). Values keep their exact digits: {neg, int, frac, p, s}.
-- The metatable is protected (runs share one Lua state): decimals are recognised by a private key.
local DEC_KEY = setmetatable({}, { __tostring = function() return 'decimal' end })
local DEC = { __name = 'decimal', __metatable = 'decimal' }
local function is_dec(v) return type(v) == 'table' and rawget(v, DEC_KEY) == true end
M.is_dec = is_dec

local function digits_incr(d)
  local i = #d
  while i > 0 do
    local c = d:byte(i)
    if c < 57 then return d:sub(1, i - 1) .. string.char(c + 1) .. string.rep('0', #d - i) end
    i = i - 1
  end
  return '1' .. string.rep('0', #d)
end

local function dec_text(d)
  local sign = d.neg and '-' or ''
  if d.s > 0 then return sign .. d.int .. '.' .. d.frac end
  return sign .. d.int
end

local function new_dec(neg, int, frac, p, s)
  int = int:gsub('^0+', '')
  if #frac > s then
    local keep, next_digit = frac:sub(1, s), frac:byte(s + 1)
    if next_digit >= 53 then
      local all = digits_incr((int == '' and '0' or int) .. keep)
      int, keep = all:sub(1, #all - s), all:sub(#all - s + 1)
      int = int:gsub('^0+', '')
    end
    frac = keep
  else
    frac = frac .. string.rep('0', s - #frac)
  end
  if #int > p - s then
    error('decimal value out of range for DECIMAL(' .. p .. ',' .. s .. ')', 3)
  end
  if int == '' then int = '0' end
  if neg and int:match('^0*$') and frac:match('^0*$') then neg = false end
  return setmetatable({ [DEC_KEY] = true, neg = neg, int = int, frac = frac, p = p, s = s }, DEC)
end

local function parse_number_text(text)
  local neg, int, frac = text:match('^%s*([+-]?)(%d*)%.?(%d*)%s*$')
  if neg == nil or (int == '' and frac == '') then
    local n = tonumber(text)
    if n == nil or n ~= n or n == math.huge or n == -math.huge then return nil end
    return parse_number_text(string.format('%.17f', n))
  end
  return neg == '-', int, frac
end

local function decimal(value, p, s)
  p = p == nil and 18 or math.tointeger(p)
  s = s == nil and 0 or math.tointeger(s)
  if p == nil or s == nil or p < 1 or p > 36 or s < 0 or s > p then
    error('decimal: invalid precision or scale', 2)
  end
  local neg, int, frac
  if is_dec(value) then
    neg, int, frac = value.neg, value.int, value.frac
  elseif math.type(value) == 'integer' then
    neg, int, frac = value < 0, tostring(value):gsub('^-', ''), ''
  elseif type(value) == 'number' then
    neg, int, frac = parse_number_text(string.format('%.' .. math.min(s + 1, 17) .. 'f', value))
  elseif type(value) == 'string' then
    neg, int, frac = parse_number_text(value)
  end
  if neg == nil then error('decimal: cannot convert ' .. type(value) .. ' to decimal', 2) end
  return new_dec(neg, int, frac, p, s)
end
M.decimal = decimal

-- Exact integer of a decimal at scale s (nil when it needs more than 18 digits).
local function unscaled(d, s)
  local digits = (d.int .. d.frac .. string.rep('0', s - d.s)):gsub('^0+', '')
  if #digits > 18 then return nil end
  local n = math.tointeger(tonumber(digits == '' and '0' or digits))
  return d.neg and -n or n
end

local function from_unscaled(n, s, p)
  local neg = n < 0
  local digits = tostring(n):gsub('^-', '')
  digits = string.rep('0', s + 1 - #digits) .. digits
  return new_dec(neg, digits:sub(1, #digits - s), digits:sub(#digits - s + 1), math.min(36, math.max(p, #digits)), s)
end

local function dec_tonumber(d) return tonumber(dec_text(d)) end

local function as_dec(v)
  if is_dec(v) then return v end
  if math.type(v) == 'integer' then return decimal(v, 19, 0) end
  return nil
end

local LIMIT = 1 << 62
local function arith(a, b, op)
  local da, db = as_dec(a), as_dec(b)
  if da and db and (op == '+' or op == '-' or op == '*') then
    local s = op == '*' and da.s + db.s or math.max(da.s, db.s)
    local ua, ub = unscaled(da, op == '*' and da.s or s), unscaled(db, op == '*' and db.s or s)
    if ua and ub and s <= 36 then
      local r
      if op == '+' then r = ua + ub elseif op == '-' then r = ua - ub
      elseif math.abs(ua + 0.0) * math.abs(ub + 0.0) < LIMIT then r = ua * ub end
      if r and r < LIMIT and r > -LIMIT then
        return from_unscaled(r, s, math.max(da.p - da.s, db.p - db.s) + s + 1)
      end
    end
  end
  local x = is_dec(a) and dec_tonumber(a) or a
  local y = is_dec(b) and dec_tonumber(b) or b
  if type(x) ~= 'number' or type(y) ~= 'number' then
    error('attempt to perform arithmetic on a ' .. type(is_dec(x) and y or x) .. ' value', 3)
  end
  if op == '+' then return x + y elseif op == '-' then return x - y elseif op == '*' then return x * y
  elseif op == '/' then return x / y elseif op == '%' then return x % y elseif op == '//' then return x // y end
  return x ^ y
end

local function compare(a, b)
  local da, db = as_dec(a), as_dec(b)
  if da and db then
    if da.neg ~= db.neg then return da.neg and -1 or 1 end
    local s = math.max(da.s, db.s)
    local fa, fb = da.frac .. string.rep('0', s - da.s), db.frac .. string.rep('0', s - db.s)
    local c
    if #da.int ~= #db.int then c = #da.int < #db.int and -1 or 1
    elseif da.int .. fa == db.int .. fb then c = 0
    else c = (da.int .. fa) < (db.int .. fb) and -1 or 1 end
    return da.neg and -c or c
  end
  local x = is_dec(a) and dec_tonumber(a) or a
  local y = is_dec(b) and dec_tonumber(b) or b
  if type(x) ~= 'number' or type(y) ~= 'number' then
    error('attempt to compare ' .. type(a) .. ' with ' .. type(b), 3)
  end
  return x < y and -1 or (x == y and 0 or 1)
end

DEC.__add = function(a, b) return arith(a, b, '+') end
DEC.__sub = function(a, b) return arith(a, b, '-') end
DEC.__mul = function(a, b) return arith(a, b, '*') end
DEC.__div = function(a, b) return arith(a, b, '/') end
DEC.__mod = function(a, b) return arith(a, b, '%') end
DEC.__idiv = function(a, b) return arith(a, b, '//') end
DEC.__pow = function(a, b) return arith(a, b, '^') end
DEC.__unm = function(a) return new_dec(not a.neg, a.int, a.frac, a.p, a.s) end
DEC.__eq = function(a, b) return compare(a, b) == 0 end
DEC.__lt = function(a, b) return compare(a, b) < 0 end
DEC.__le = function(a, b) return compare(a, b) <= 0 end
DEC.__tostring = dec_text
DEC.__concat = function(a, b)
  return (is_dec(a) and dec_text(a) or a) .. (is_dec(b) and dec_text(b) or b)
end
DEC.__newindex = function() error('decimal values are read-only', 2) end
DEC.__index = {
  tonumber = dec_tonumber,
  tostring = dec_text,
  scale = function(d) return d.s end,
  precision = function(d) return d.p end,
}
M.dec_text = dec_text

-- The type text of a column ('DECIMAL(18,2)') as precision, scale; nil for other types.
local function decimal_type(type_text)
  if type(type_text) ~= 'string' then return nil end
  local p, s = type_text:upper():match('^DECIMAL%s*%((%d+)%s*,%s*(%d+)%)')
  if p then return tonumber(p), tonumber(s) end
  return nil
end

-- Libraries a user may require, per kind of script (README "Exasol's Lua", rule L4).
local SCRIPT_LIBRARIES = { cjson = true, lxp = true }
local UDF_LIBRARIES = { cjson = true, lxp = true, socket = true, ssl = true }

-- LuaSec parameters that name files: Exasol refuses file access ("Feature not supported", changelog 15098).
local FILE_PARAMS = { 'cafile', 'capath', 'certificate', 'key', 'dhparam' }
local function refuse_file_params(params, fname)
  if type(params) ~= 'table' then return end
  for _, k in ipairs(FILE_PARAMS) do
    if params[k] ~= nil and (k ~= 'dhparam' or type(params[k]) == 'string') then
      error('Feature not supported: ' .. fname .. ' parameter "' .. k .. '" reads a file; Lua in Exasol has no file '
        .. 'access (load certificates and keys from strings, e.g. with openssl.x509)', 3)
    end
  end
end

function M.new(deps)
  local codec, null, bridge, require_fn = deps.codec, deps.null, deps.bridge, deps.require
  local encode = codec.encode
  local host = {}

  local function check_value(v, what)
    if v == nil then return null end
    local t = type(v)
    if v == null or t == 'string' or t == 'boolean' then return v end
    if is_dec(v) then return dec_text(v) end
    if t == 'number' then
      -- Beyond 2^53 a JSON number loses digits in JavaScript: send exact integers as decimal strings.
      if math.type(v) == 'integer' and (v > 9007199254740991 or v < -9007199254740991) then
        return string.format('%d', v)
      end
      return v
    end
    error(what .. ': unsupported value of type ' .. t, 3)
  end

  local function encode_row(row, n)
    local parts = {}
    for i = 1, n do
      local v = row[i]
      parts[i] = (v == nil or v == null) and 'null' or encode(v)
    end
    return '[' .. table.concat(parts, ',') .. ']'
  end

  local function is_double(type_text)
    return type(type_text) == 'string' and (type_text:upper():find('^DOUBLE') or type_text:upper():find('^FLOAT'))
  end

  -- What require() offers a user under the exasol profile: only the bundled libraries Exasol documents
  -- (per kind of script), plus package.preload/package.loaded of this run (how bundled Lua code ships).
  local luaossl_patched = false
  -- Compiled sources by key and chunk name (key .. '\0' .. name): Node sends a script's source (sme's libraries and
  -- UDFs are ~400 KB) to a Lua state once, when the state asks for a key it lacks; every run then loads the
  -- compiled chunk into its own fresh environment instead of decoding and compiling the text again.
  local chunk_cache, chunk_cache_size = {}, 0
  local function load_source(run, key, name, env)
    local cache_key = key .. '\0' .. name
    local dump = chunk_cache[cache_key]
    if not dump then
      local reply = codec.decode(bridge.call(encode({ t = 'source', id = run.id, key = key })))
      if type(reply.source) ~= 'string' then return nil, 'the source of ' .. name .. ' is not available' end
      local compiled, err = load(reply.source, '=' .. name, 't', {})
      if not compiled then return nil, err end
      dump = string.dump(compiled)
      chunk_cache_size = chunk_cache_size + 1
      if chunk_cache_size > 16 then chunk_cache, chunk_cache_size = {}, 1 end
      chunk_cache[cache_key] = dump
    end
    return load(dump, '=' .. name, 'b', env)
  end
  local function user_module(run, name)
    local prefix = run.openssl_prefix or 'openssl'
    local real = name
    local allowed = (run.kind == 'udf' and UDF_LIBRARIES or SCRIPT_LIBRARIES)[name]
    if run.kind == 'udf' and name:sub(1, #prefix + 1) == prefix .. '.' then
      allowed = true
    end
    if not allowed then
      return nil, 'not a library Exasol offers to ' .. (run.kind == 'udf' and 'UDFs' or 'scripting programs')
        .. ' (the sandbox refuses undocumented modules)'
    end
    local ok, mod = pcall(require_fn, real)
    if not ok then
      if name == 'lxp' then
        return nil, 'LuaExpat (lxp) is not installed in this sandbox (apt-get install lua-expat for native Lua)'
      end
      error(mod, 0)
    end
    if name == 'ssl' then
      local wrapped = copy(mod)
      wrapped.newcontext = function(params, ...)
        refuse_file_params(params, 'ssl.newcontext')
        return mod.newcontext(params, ...)
      end
      wrapped.wrap = function(sock, params, ...)
        refuse_file_params(params, 'ssl.wrap')
        return mod.wrap(sock, params, ...)
      end
      return wrapped
    end
    if name:match('^_?openssl%.') and not luaossl_patched then
      -- store:add(path) and store:addDefaults() read files: refused while an exasol-profile run is active.
      -- Patched on the shared method table, so stores reached any way (ctx:getStore()) are covered.
      luaossl_patched = true
      local found, store_mod = pcall(require_fn, 'openssl.x509.store')
      local mt = found and type(store_mod) == 'table' and type(store_mod.new) == 'function' and getmetatable(store_mod.new())
      local methods = mt and mt.__index
      if type(methods) == 'table' then
        local add, add_defaults = methods.add, methods.addDefaults
        methods.add = function(self, x, ...)
          if M.active_profile == 'exasol' and type(x) == 'string' then
            error('Feature not supported: x509.store:add(path) reads a file; Lua in Exasol has no file access', 2)
          end
          return add(self, x, ...)
        end
        methods.addDefaults = function(self, ...)
          if M.active_profile == 'exasol' then
            error('Feature not supported: x509.store:addDefaults() reads files; Lua in Exasol has no file access', 2)
          end
          return add_defaults(self, ...)
        end
      end
    end
    return mod
  end

  local function exasol_require(run, package)
    return function(name)
      if type(name) ~= 'string' then
        error("bad argument #1 to 'require' (string expected, got " .. type(name) .. ')', 2)
      end
      local loaded = package.loaded[name]
      if loaded ~= nil then return loaded end
      local loader = package.preload[name]
      local value
      if loader ~= nil then
        value = loader(name, ':preload:')
      else
        local mod, why = user_module(run, name)
        if mod == nil then
          error("module '" .. name .. "' not found:\n\tno field package.preload['" .. name .. "']\n\t" .. why, 2)
        end
        value = mod
      end
      if value == nil then value = true end
      package.loaded[name] = value
      return value
    end
  end

  local function exasol_pcall(f, ...)
    local res = table.pack(pcall(f, ...))
    if res[1] then return table.unpack(res, 1, res.n) end
    local e = res[2]
    if type(e) == 'table' and rawget(e, EXIT) then error(e, 0) end
    return false, raw_text(e)
  end

  local function exasol_xpcall(f, handler, ...)
    local res = table.pack(xpcall(f, function(e)
      if type(e) == 'table' and rawget(e, EXIT) then return e end
      return handler(raw_text(e))
    end, ...))
    -- exit() ends the script even inside xpcall.
    if not res[1] and type(res[2]) == 'table' and rawget(res[2], EXIT) then error(res[2], 0) end
    return table.unpack(res, 1, res.n)
  end

  -- os.time() as the database's clock: the sandbox may run it ahead of or behind the real one (--clock-offset).
  local function db_time(run)
    local offset = run.clock_offset or 0
    if offset == 0 then return os.time end
    return function(t)
      if t == nil then return os.time() + offset end
      return os.time(t)
    end
  end

  local function make_env(run, meta, print_fn)
    if run.profile == 'vanilla' then
      local env = {
        assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall, select = select,
        tonumber = tonumber, tostring = tostring, type = type, xpcall = xpcall, rawequal = rawequal, rawget = rawget,
        rawset = rawset, rawlen = rawlen, setmetatable = setmetatable, getmetatable = getmetatable,
        unpack = table.unpack, require = require_fn, _VERSION = _VERSION, collectgarbage = collectgarbage,
        string = copy(string), table = copy(table), math = copy(math), utf8 = copy(utf8),
        coroutine = copy(coroutine),
        os = { time = db_time(run), date = os.date, clock = os.clock, difftime = os.difftime },
        null = null, NULL = null, decimal = decimal,
        print = print_fn, package = package,
      }
      if deps.yield_tag then
        -- Calls to Node yield the run's coroutine; a yield from inside a user coroutine (e.g. TypeScriptToLua's
        -- async/await) is passed on to the run and its answer handed back down.
        local tag, co_resume, co_yield, co_create = deps.yield_tag, coroutine.resume, coroutine.yield, coroutine.create
        local function resume(co, ...)
          local res = table.pack(co_resume(co, ...))
          while res[1] and res[2] == tag do
            res = table.pack(co_resume(co, co_yield(tag, res[3])))
          end
          return table.unpack(res, 1, res.n)
        end
        env.coroutine.resume = resume
        env.coroutine.wrap = function(f)
          local co = co_create(f)
          return function(...)
            local res = table.pack(resume(co, ...))
            if not res[1] then error(res[2], 0) end
            return table.unpack(res, 2, res.n)
          end
        end
      end
      env._G = env
      env.load = function(chunk, name, mode, e)
        return load(chunk, name, mode or 't', e or env)
      end
      env.exa = { meta = copy(meta) }
      return env
    end
    -- exasol profile (README "Exasol's Lua"): no load/loadstring/dofile/loadfile, io, debug, coroutine,
    -- collectgarbage, os beyond time/clock/difftime, math.random*; pcall/xpcall give strings; require is
    -- limited to the bundled libraries.
    local math_copy = copy(math)
    math_copy.random, math_copy.randomseed = nil, nil
    local package = { preload = {}, loaded = {} }
    local env = {
      assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, select = select,
      tostring = tostring, rawequal = rawequal, rawget = rawget,
      rawset = rawset, rawlen = rawlen, setmetatable = setmetatable, getmetatable = getmetatable,
      -- Exasol's decimal is userdata.
      type = function(v) if is_dec(v) then return 'userdata' end return type(v) end,
      pcall = exasol_pcall, xpcall = exasol_xpcall, _VERSION = _VERSION,
      tonumber = function(v, base)
        if is_dec(v) and base == nil then return dec_tonumber(v) end
        return tonumber(v, base)
      end,
      string = copy(string), table = copy(table), math = math_copy, utf8 = copy(utf8),
      os = { time = db_time(run), clock = os.clock, difftime = os.difftime },
      null = null, NULL = null, decimal = decimal,
      print = print_fn,
      package = package,
    }
    env.require = exasol_require(run, package)
    for _, lib in ipairs({ 'string', 'table', 'math', 'utf8' }) do package.loaded[lib] = env[lib] end
    package.loaded._G = env
    env._G = env
    env.exa = { meta = copy(meta) }
    return env
  end

  local function fail(run, e)
    local msg = error_text(e)
    local reply = { t = 'error', id = run.id, message = msg }
    if run.sql_error and run.sql_error.message == msg then reply.sqlCode = run.sql_error.sqlCode end
    return encode(reply)
  end

  -- Scripting programs -------------------------------------------------------------------------------------

  local function build_result(run, result, sql)
    if result.kind == 'rowCount' then
      return { rows_affected = result.rowsAffected, statement_text = sql }
    end
    local columns, index, doubles, decimals = result.columns, {}, {}, {}
    for i, c in ipairs(columns) do
      index[c.name] = i
      if is_double(c.type) then doubles[#doubles + 1] = i end
      local p, sc = decimal_type(c.type)
      if p and run.profile ~= 'vanilla' then decimals[#decimals + 1] = { i, p, sc } end
    end
    local ncols = #columns
    local row_mt = {
      __index = function(row, k)
        local i = index[k]
        if i then return rawget(row, i) end
        return nil
      end,
      __newindex = function() error('result tables are read-only', 2) end,
    }
    -- The column definitions travel in the metatable, so exit(query(...)) returns the table as it came
    -- (https://docs.exasol.com/db/latest/database_concepts/scripting/db_interaction.htm; Exasol's knowledge
    -- base shows 'exit(query([[select :t from dual]], {t=param1}))').
    local spec = {}
    for i, c in ipairs(columns) do spec[i] = '"' .. c.name:gsub('"', '""') .. '" ' .. c.type end
    local res = setmetatable({ statement_text = sql }, { sme_columns = table.concat(spec, ', ') })
    for r, row in ipairs(result.rows) do
      for j = 1, ncols do
        if row[j] == nil then row[j] = null end
      end
      for _, j in ipairs(doubles) do
        if math.type(row[j]) == 'integer' then row[j] = row[j] + 0.0 end
      end
      for _, d in ipairs(decimals) do
        local v = row[d[1]]
        if v ~= null then row[d[1]] = decimal(type(v) == 'string' and v or tostring(v), d[2], d[3]) end
      end
      res[r] = setmetatable(row, row_mt)
    end
    return res
  end

  local function run_query(run, sql, params, fname)
    if type(sql) ~= 'string' then
      error("bad argument #1 to '" .. fname .. "' (string expected, got " .. type(sql) .. ')', 3)
    end
    local p = nil
    if params ~= nil then
      if type(params) ~= 'table' then
        error("bad argument #2 to '" .. fname .. "' (table expected, got " .. type(params) .. ')', 3)
      end
      p = {}
      for k, v in pairs(params) do
        if is_dec(v) and v.s == 0 and #v.int <= 15 then v = math.tointeger(tonumber(dec_text(v))) end
        p[tostring(k)] = check_value(v, fname)
      end
    end
    local msg = { t = 'query', id = run.id, sql = sql }
    -- An empty table still counts as a params table (the server refuses ':' in literals only without one).
    if p then
      msg.hasParams = true
      if next(p) ~= nil then msg.params = p end
    end
    local reply = codec.decode(bridge.call(encode(msg)))
    if reply.ok then return build_result(run, reply.result, sql) end
    return nil, reply.error
  end

  local function script_env(run, meta)
    local env = make_env(run, meta, function(...)
      local n, parts = select('#', ...), {}
      for i = 1, n do parts[i] = tostring((select(i, ...))) end
      run.output[#run.output + 1] = table.concat(parts, '\t')
    end)
    env.query = function(sql, params)
      local res, err = run_query(run, sql, params, 'query')
      if res then return res end
      run.sql_error = { sqlCode = err.sqlCode, message = err.message }
      error(err.message, 0)
    end
    env.pquery = function(sql, params)
      local res, err = run_query(run, sql, params, 'pquery')
      if res then return true, res end
      return false, { error_code = err.sqlCode, error_message = err.message, statement_text = sql }
    end
    env.output = function(s)
      run.output[#run.output + 1] = tostring(s)
    end
    env.exit = function(...)
      error({ [EXIT] = true, n = select('#', ...), ... }, 0)
    end
    env.import = function(name, alias)
      if type(name) ~= 'string' then error("bad argument #1 to 'import' (string expected)", 2) end
      local reply = codec.decode(bridge.call(encode({ t = 'import', id = run.id, name = name })))
      if type(reply.key) ~= 'string' then error('script ' .. name .. ' not found', 2) end
      local imported_meta = copy(meta)
      local schema, script = name:match('^(.-)%.([^.]+)$')
      imported_meta.script_schema = schema or meta.script_schema
      imported_meta.script_name = script or name
      local ienv = script_env(run, imported_meta)
      local chunk, err = load_source(run, reply.key, name, ienv)
      if not chunk then error(err, 0) end
      chunk()
      env[alias or script or name] = ienv
      return ienv
    end
    return env
  end

  local function string_array(arr)
    local parts = {}
    for i, v in ipairs(arr) do parts[i] = encode(v) end
    return '[' .. table.concat(parts, ',') .. ']'
  end

  local function row_count_outcome(run, n)
    return '{"t":"done","id":' .. encode(run.id) .. ',"outcome":{"kind":"rowCount","rowCount":' .. encode(n)
      .. ',"output":' .. string_array(run.output) .. '}}'
  end

  local function table_outcome(run, value, spec)
    if type(value) == 'number' then return row_count_outcome(run, math.tointeger(value) or math.floor(value)) end
    if type(value) ~= 'table' then return row_count_outcome(run, 0) end
    if type(spec) ~= 'string' then
      local mt = getmetatable(value)
      spec = type(mt) == 'table' and mt.sme_columns or nil
    end
    if type(spec) ~= 'string' then
      return fail(run, 'a result table needs its column definitions, e.g. exit(tbl, "c1 VARCHAR(20), c2 DOUBLE")')
    end
    local width = count_columns(spec)
    local parts = {}
    for i = 1, #value do
      local row = value[i]
      if type(row) ~= 'table' then return fail(run, 'row ' .. i .. ' of the result table is not a table') end
      local checked = {}
      for j = 1, width do
        local ok, v = pcall(check_value, rawget(row, j), 'result table')
        if not ok then return fail(run, v) end
        checked[j] = v
      end
      parts[i] = encode_row(checked, width)
    end
    return '{"t":"done","id":' .. encode(run.id) .. ',"outcome":{"kind":"table","columnsSpec":' .. encode(spec)
      .. ',"rows":[' .. table.concat(parts, ',') .. '],"output":' .. string_array(run.output) .. '}}'
  end

  local function new_run(req, kind)
    M.active_profile = req.profile or 'exasol'
    return { id = req.id, kind = kind, profile = req.profile or 'exasol', openssl_prefix = req.opensslPrefix,
      clock_offset = req.clockOffset and math.tointeger(req.clockOffset) or 0 }
  end

  function host.run_script(req)
    local run = new_run(req, 'script')
    run.output = {}
    local meta = req.meta
    local env = script_env(run, meta)
    for i, name in ipairs(req.parameterNames) do
      local v = req.args[i]
      if v == nil then v = null end
      env[name] = v
    end
    local chunk, err = load_source(run, req.sourceKey, tostring(meta.script_schema) .. '.' .. tostring(meta.script_name), env)
    if not chunk then return fail(run, err) end
    local results = table.pack(pcall(chunk))
    if not results[1] then
      local e = results[2]
      if type(e) == 'table' and rawget(e, EXIT) then return table_outcome(run, e[1], e[2]) end
      return fail(run, e)
    end
    return table_outcome(run, results[2], results[3])
  end

  -- UDFs ---------------------------------------------------------------------------------------------------

  function host.run_udf(req)
    local run = new_run(req, 'udf')
    local meta = copy(req.meta)
    meta.input_type = req.inputType
    meta.output_type = req.outputMode
    meta.input_column_count = #req.inputNames
    local env = make_env(run, meta, function() end)
    -- A statement sees one state of the database: a connection read once serves the run's later calls (each
    -- call still gets its own table), so a UDF that signs every request does not ask Node each time.
    local connections = {}
    env.exa.get_connection = function(name)
      local key = tostring(name)
      local c = connections[key]
      if not c then
        local reply = codec.decode(bridge.call(encode({ t = 'connection', id = run.id, name = key })))
        if not reply.ok then error(reply.message, 2) end
        c = reply.connection
        connections[key] = c
      end
      return { type = c.type, address = c.address, user = c.user, password = c.password }
    end

    local names, index = req.inputNames, {}
    for i, n in ipairs(names) do index[n] = i end
    local doubles, decimals = {}, {}
    local exasol = run.profile ~= 'vanilla'
    for i, t in ipairs(req.inputTypes or {}) do
      if is_double(t) then doubles[#doubles + 1] = i end
      local p, sc = decimal_type(t)
      if p and exasol then decimals[#decimals + 1] = { i, p, sc } end
    end
    -- Exasol: a DECIMAL output must be a decimal value (https://docs.exasol.com/db/latest/database_concepts/
    -- udf_scripts/lua.htm; a plain number fails with "decimal expected, got number").
    local decimal_out = {}
    for i, t in ipairs(req.outputTypes or {}) do
      if exasol and decimal_type(t) then decimal_out[i] = true end
    end
    local function check_out(v, i, level)
      if decimal_out[i] and v ~= nil and v ~= null and not is_dec(v) then
        error('decimal expected, got ' .. type(v), level > 0 and level + 1 or 0)
      end
      return check_value(v, 'emit')
    end

    local out, nout, width_of = {}, 0, {}
    local function flush()
      if nout == 0 then return end
      local parts = {}
      for i = 1, nout do parts[i] = encode_row(out[i], width_of[i]) end
      bridge.send('{"t":"emit","id":' .. encode(run.id) .. ',"rows":[' .. table.concat(parts, ',') .. ']}')
      out, nout, width_of = {}, 0, {}
    end
    local function push(row, n)
      nout = nout + 1
      out[nout], width_of[nout] = row, n
      if nout >= 2048 then flush() end
    end

    local emit = function(...)
      local n = select('#', ...)
      local row = { ... }
      for i = 1, n do row[i] = check_out(row[i], i, 2) end
      push(row, n)
    end

    local chunk, err = load_source(run, req.sourceKey, tostring(meta.script_schema) .. '.' .. tostring(meta.script_name), env)
    if not chunk then return fail(run, err) end
    local ok, e = pcall(chunk)
    if not ok then return fail(run, e) end
    local run_fn = env.run
    if type(run_fn) ~= 'function' then return fail(run, 'the UDF script defines no function run(ctx)') end

    local rows, pos = nil, 1
    local ctx = setmetatable({}, {
      __index = function(_, k)
        local row = rows[pos]
        if type(k) == 'number' then return row[k] end
        local i = index[k]
        if i then return row[i] end
        return nil
      end,
    })
    if req.outputMode == 'EMITS' then rawset(ctx, 'emit', emit) end
    if req.inputType == 'SET' then
      rawset(ctx, 'next', function()
        if pos < #rows then pos = pos + 1; return true end
        return false
      end)
      rawset(ctx, 'size', function() return #rows end)
      rawset(ctx, 'reset', function() pos = 1 end)
    end

    local function prepare(group)
      local width = #names
      for _, row in ipairs(group) do
        for j = 1, width do
          if row[j] == nil then row[j] = null end
        end
        for _, j in ipairs(doubles) do
          if math.type(row[j]) == 'integer' then row[j] = row[j] + 0.0 end
        end
        for _, d in ipairs(decimals) do
          local v = row[d[1]]
          if v ~= null and not is_dec(v) then row[d[1]] = decimal(type(v) == 'string' and v or tostring(v), d[2], d[3]) end
        end
      end
    end

    local returns = req.outputMode == 'RETURNS'
    ok, e = pcall(function()
      for _, group in ipairs(req.groups) do
        prepare(group)
        rows = group
        if req.inputType == 'SET' then
          if #group > 0 then
            pos = 1
            local r = run_fn(ctx)
            if returns then push({ check_out(r, 1, 0) }, 1) end
          end
        else
          for i = 1, #group do
            pos = i
            local r = run_fn(ctx)
            if returns then push({ check_out(r, 1, 0) }, 1) end
          end
        end
      end
      local cleanup = rawget(env, 'cleanup')
      if type(cleanup) == 'function' then cleanup() end
    end)
    if not ok then return fail(run, e) end
    flush()
    return encode({ t = 'done', id = run.id })
  end

  function host.handle(line)
    local ok, req = pcall(codec.decode, line)
    if not ok then return encode({ t = 'error', message = 'bad request: ' .. tostring(req) }) end
    if req.t == 'script' then return host.run_script(req) end
    if req.t == 'udf' then return host.run_udf(req) end
    return encode({ t = 'error', id = req.id, message = 'unknown request ' .. tostring(req.t) })
  end

  return host
end

return M
`;
