import { DECIMAL_LUA } from './decimal-lua.js';
import { SCRIPT_API_LUA } from './script-api-lua.js';
import { UDF_API_LUA } from './udf-api-lua.js';

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

${DECIMAL_LUA}

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
      type = function(v)
        local t = type(v)
        if t == 'table' and is_dec(v) then return 'userdata' end
        return t
      end,
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

${SCRIPT_API_LUA}
${UDF_API_LUA}
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
