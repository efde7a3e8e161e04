/**
 * Exasol's decimal type in Lua, part of the Lua host (host-lua.ts splices it in at file level): `decimal(v, p, s)`,
 * exact digits, arithmetic and comparison metamethods.
 */
export const DECIMAL_LUA = String.raw`-- Exasol's decimal type (https://docs.exasol.com/db/latest/database_concepts/scripting/general_script_language.htm
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
M.dec_text = dec_text`;
