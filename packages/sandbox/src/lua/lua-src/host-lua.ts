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

function M.new(deps)
  local codec, null, bridge, require_fn = deps.codec, deps.null, deps.bridge, deps.require
  local encode = codec.encode
  local host = {}

  local function check_value(v, what)
    if v == nil then return null end
    local t = type(v)
    if v == null or t == 'string' or t == 'boolean' then return v end
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

  local function make_env(meta, print_fn)
    local env = {
      assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall, select = select,
      tonumber = tonumber, tostring = tostring, type = type, xpcall = xpcall, rawequal = rawequal, rawget = rawget,
      rawset = rawset, rawlen = rawlen, setmetatable = setmetatable, getmetatable = getmetatable,
      unpack = table.unpack, require = require_fn, _VERSION = _VERSION,
      string = copy(string), table = copy(table), math = copy(math), utf8 = copy(utf8),
      coroutine = copy(coroutine),
      os = { time = os.time, date = os.date, clock = os.clock, difftime = os.difftime },
      null = null, NULL = null,
      print = print_fn,
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

  local function fail(run, e)
    local msg = error_text(e)
    local reply = { t = 'error', id = run.id, message = msg }
    if run.sql_error and run.sql_error.message == msg then reply.sqlCode = run.sql_error.sqlCode end
    return encode(reply)
  end

  -- Scripting programs -------------------------------------------------------------------------------------

  local function build_result(result, sql)
    if result.kind == 'rowCount' then
      return { rows_affected = result.rowsAffected, statement_text = sql }
    end
    local columns, index, doubles = result.columns, {}, {}
    for i, c in ipairs(columns) do
      index[c.name] = i
      if is_double(c.type) then doubles[#doubles + 1] = i end
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
      for k, v in pairs(params) do p[tostring(k)] = check_value(v, fname) end
    end
    local msg = { t = 'query', id = run.id, sql = sql }
    if p and next(p) ~= nil then msg.params = p end
    local reply = codec.decode(bridge.call(encode(msg)))
    if reply.ok then return build_result(reply.result, sql) end
    return nil, reply.error
  end

  local function script_env(run, meta)
    local env = make_env(meta, function(...)
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
      if type(reply.source) ~= 'string' then error('script ' .. name .. ' not found', 2) end
      local imported_meta = copy(meta)
      local schema, script = name:match('^(.-)%.([^.]+)$')
      imported_meta.script_schema = schema or meta.script_schema
      imported_meta.script_name = script or name
      local ienv = script_env(run, imported_meta)
      local chunk, err = load(reply.source, '=' .. name, 't', ienv)
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

  function host.run_script(req)
    local run = { id = req.id, output = {} }
    local meta = req.meta
    local env = script_env(run, meta)
    for i, name in ipairs(req.parameterNames) do
      local v = req.args[i]
      if v == nil then v = null end
      env[name] = v
    end
    local chunk, err = load(req.source, '=' .. tostring(meta.script_schema) .. '.' .. tostring(meta.script_name), 't', env)
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
    local run = { id = req.id }
    local meta = copy(req.meta)
    meta.input_type = req.inputType
    meta.output_type = req.outputMode
    meta.input_column_count = #req.inputNames
    local env = make_env(meta, function() end)
    env.exa.get_connection = function(name)
      local reply = codec.decode(bridge.call(encode({ t = 'connection', id = run.id, name = tostring(name) })))
      if not reply.ok then error(reply.message, 2) end
      local c = reply.connection
      return { type = c.type, address = c.address, user = c.user, password = c.password }
    end

    local names, index = req.inputNames, {}
    for i, n in ipairs(names) do index[n] = i end
    local doubles = {}
    for i, t in ipairs(req.inputTypes or {}) do
      if is_double(t) then doubles[#doubles + 1] = i end
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
      for i = 1, n do row[i] = check_value(row[i], 'emit') end
      push(row, n)
    end

    local chunk, err = load(req.source, '=' .. tostring(meta.script_schema) .. '.' .. tostring(meta.script_name), 't', env)
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
            if returns then push({ check_value(r, 'return') }, 1) end
          end
        else
          for i = 1, #group do
            pos = i
            local r = run_fn(ctx)
            if returns then push({ check_value(r, 'return') }, 1) end
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
