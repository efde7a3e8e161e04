/**
 * The UDF half of the Lua host (host-lua.ts splices it into `M.new`, where it sees the host's locals): the `ctx` of
 * SCALAR and SET UDFs (next/size/reset/emit), input and output types, batched emits, `host.run_udf`.
 */
export const UDF_API_LUA = String.raw`  -- UDFs ---------------------------------------------------------------------------------------------------

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
`;
