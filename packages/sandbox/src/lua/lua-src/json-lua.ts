/**
 * A JSON codec written in Lua, loaded into both runtimes. Two flavours from one factory:
 * - the protocol codec (exact: integers stay integers, floats keep 17 significant digits), used for every
 *   message between Node and Lua so both runtimes see identical values;
 * - a `cjson` stand-in for wasmoon that behaves like Debian's lua-cjson 2.1.0 (numbers decode as floats,
 *   encode with `%.14g`, `/` escaped as `\/`, sparse-array and NaN errors), measured against the real module
 *   by the shared test suite.
 */
export const JSON_LUA = String.raw`
local M = {}

local byte, char, sub, find, format, concat = string.byte, string.char, string.sub, string.find, string.format, table.concat
local mtype, floor, huge = math.type, math.floor, math.huge

local escapes_cjson = { ['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b', ['\f'] = '\\f',
  ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local escapes_proto = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
  ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
for i = 0, 31 do
  local c = char(i)
  if not escapes_cjson[c] then escapes_cjson[c] = format('\\u%04x', i) end
  if not escapes_proto[c] then escapes_proto[c] = format('\\u%04x', i) end
end
escapes_cjson['\127'] = '\\u007f'

-- new(null, cjson_compatible): a codec whose JSON null is the given sentinel.
function M.new(null, cjson_mode)
  local codec = { null = null }
  local escapes = cjson_mode and escapes_cjson or escapes_proto
  local esc_pattern = cjson_mode and '[%c"\\/\127]' or '[%c"\\]'

  local function encode_string(s, buf)
    buf[#buf + 1] = '"' .. s:gsub(esc_pattern, escapes) .. '"'
  end

  local function encode_number(n)
    if n ~= n or n == huge or n == -huge then
      if cjson_mode then error('Cannot serialise number: must not be NaN or Inf', 0) end
      return 'null'
    end
    if cjson_mode then return format('%.14g', n) end
    if mtype(n) == 'integer' then return format('%d', n) end
    if n == floor(n) and n > -1e15 and n < 1e15 then return format('%.1f', n) end
    return format('%.17g', n)
  end

  local encode_value
  local function encode_table(t, buf, depth)
    if depth > 1000 then error('Cannot serialise, excessive nesting (1001)', 0) end
    local max, items, is_array = 0, 0, true
    for k in pairs(t) do
      if type(k) == 'number' and k >= 1 and floor(k) == k then
        if k > max then max = k end
        items = items + 1
      else
        is_array = false
        break
      end
    end
    if is_array and max > 0 then
      -- lua-cjson's default encode_sparse_array(false, 2, 10)
      if cjson_mode and max > 10 and max > items * 2 then
        error('Cannot serialise table: excessively sparse array', 0)
      end
      buf[#buf + 1] = '['
      for i = 1, max do
        if i > 1 then buf[#buf + 1] = ',' end
        local v = t[i]
        if v == nil then buf[#buf + 1] = 'null' else encode_value(v, buf, depth + 1) end
      end
      buf[#buf + 1] = ']'
      return
    end
    buf[#buf + 1] = '{'
    local first = true
    for k, v in pairs(t) do
      if not first then buf[#buf + 1] = ',' end
      first = false
      local kt = type(k)
      if kt == 'string' then
        encode_string(k, buf)
      elseif kt == 'number' then
        buf[#buf + 1] = '"' .. encode_number(k) .. '"'
      else
        error('Cannot serialise ' .. kt .. ': table key must be a number or string', 0)
      end
      buf[#buf + 1] = ':'
      encode_value(v, buf, depth + 1)
    end
    buf[#buf + 1] = '}'
  end

  encode_value = function(v, buf, depth)
    local vt = type(v)
    if v == null then
      buf[#buf + 1] = 'null'
    elseif vt == 'string' then
      encode_string(v, buf)
    elseif vt == 'number' then
      buf[#buf + 1] = encode_number(v)
    elseif vt == 'boolean' then
      buf[#buf + 1] = v and 'true' or 'false'
    elseif vt == 'table' then
      encode_table(v, buf, depth)
    elseif vt == 'nil' and not cjson_mode then
      buf[#buf + 1] = 'null'
    else
      error('Cannot serialise ' .. vt .. ': type not supported', 0)
    end
  end

  function codec.encode(v)
    local buf = {}
    encode_value(v, buf, 0)
    return concat(buf)
  end

  local function decode_error(what, s, pos)
    local found
    if pos > #s then found = 'T_END' else found = 'invalid token' end
    error('Expected ' .. what .. ' but found ' .. found .. ' at character ' .. pos, 0)
  end

  local function skip(s, pos)
    local _, e = find(s, '^[ \n\r\t]*', pos)
    return e + 1
  end

  local function utf8_of(cp)
    if cp < 0x80 then return char(cp) end
    if cp < 0x800 then return char(0xC0 | (cp >> 6), 0x80 | (cp & 0x3F)) end
    if cp < 0x10000 then return char(0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F)) end
    return char(0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3F), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F))
  end

  local unescape = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }

  local function decode_string(s, pos)
    -- pos is just after the opening quote
    local parts, start = nil, pos
    while true do
      local q = find(s, '["\\]', pos)
      if not q then decode_error('string end', s, #s + 1) end
      if byte(s, q) == 34 then
        if not parts then return sub(s, start, q - 1), q + 1 end
        parts[#parts + 1] = sub(s, start, q - 1)
        return concat(parts), q + 1
      end
      parts = parts or {}
      parts[#parts + 1] = sub(s, start, q - 1)
      local e = sub(s, q + 1, q + 1)
      if e == 'u' then
        local hex = sub(s, q + 2, q + 5)
        local cp = tonumber(hex, 16)
        if not cp or #hex ~= 4 then decode_error('unicode escape', s, q) end
        local nextpos = q + 6
        if cp >= 0xD800 and cp <= 0xDBFF and sub(s, nextpos, nextpos + 1) == '\\u' then
          local lo = tonumber(sub(s, nextpos + 2, nextpos + 5), 16)
          if lo and lo >= 0xDC00 and lo <= 0xDFFF then
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
            nextpos = nextpos + 6
          end
        end
        parts[#parts + 1] = utf8_of(cp)
        start, pos = nextpos, nextpos
      else
        local u = unescape[e]
        if not u then decode_error('valid escape', s, q) end
        parts[#parts + 1] = u
        start, pos = q + 2, q + 2
      end
    end
  end

  local decode_value
  local function decode_number(s, pos)
    local _, e = find(s, '^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
    if not e then decode_error('value', s, pos) end
    local text = sub(s, pos, e)
    local n
    if cjson_mode then
      n = tonumber(text)
      if n then n = n + 0.0 end
    elseif find(text, '[.eE]') then
      n = tonumber(text)
      if n then n = n + 0.0 end
    else
      n = math.tointeger(tonumber(text)) or tonumber(text)
    end
    if not n then decode_error('value', s, pos) end
    return n, e + 1
  end

  decode_value = function(s, pos, depth)
    pos = skip(s, pos)
    local c = byte(s, pos)
    if c == 34 then return decode_string(s, pos + 1) end
    if c == 123 then
      if depth > 1000 then error('Found too many nested data structures (1001) at character ' .. pos, 0) end
      local obj = {}
      pos = skip(s, pos + 1)
      if byte(s, pos) == 125 then return obj, pos + 1 end
      while true do
        pos = skip(s, pos)
        if byte(s, pos) ~= 34 then decode_error('object key string', s, pos) end
        local k
        k, pos = decode_string(s, pos + 1)
        pos = skip(s, pos)
        if byte(s, pos) ~= 58 then decode_error('colon', s, pos) end
        obj[k], pos = decode_value(s, pos + 1, depth + 1)
        pos = skip(s, pos)
        local d = byte(s, pos)
        if d == 125 then return obj, pos + 1 end
        if d ~= 44 then decode_error('comma or object end', s, pos) end
        pos = pos + 1
      end
    end
    if c == 91 then
      if depth > 1000 then error('Found too many nested data structures (1001) at character ' .. pos, 0) end
      local arr, n = {}, 0
      pos = skip(s, pos + 1)
      if byte(s, pos) == 93 then return arr, pos + 1 end
      while true do
        n = n + 1
        arr[n], pos = decode_value(s, pos, depth + 1)
        pos = skip(s, pos)
        local d = byte(s, pos)
        if d == 93 then return arr, pos + 1 end
        if d ~= 44 then decode_error('comma or array end', s, pos) end
        pos = pos + 1
      end
    end
    if c == 116 and sub(s, pos, pos + 3) == 'true' then return true, pos + 4 end
    if c == 102 and sub(s, pos, pos + 4) == 'false' then return false, pos + 5 end
    if c == 110 and sub(s, pos, pos + 3) == 'null' then return null, pos + 4 end
    if c == 45 or (c and c >= 48 and c <= 57) then return decode_number(s, pos) end
    decode_error('value', s, pos)
  end

  function codec.decode(s)
    if type(s) ~= 'string' then error("bad argument #1 to 'decode' (string expected, got " .. type(s) .. ')', 2) end
    local v, pos = decode_value(s, 1, 0)
    pos = skip(s, pos)
    if pos <= #s then decode_error('the end', s, pos) end
    return v
  end

  return codec
end

return M
`;
