/**
 * The scripting-program half of the Lua host (host-lua.ts splices it into `M.new`, where it sees the host's locals):
 * query/pquery result tables, import, exit/return outcomes, `host.run_script`.
 */
export const SCRIPT_API_LUA = String.raw`  -- Scripting programs -------------------------------------------------------------------------------------

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
`;
