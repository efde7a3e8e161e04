-- luacheck std definitions: exactly the globals and fields Exasol's Lua offers (docs.exasol.com "Scripting Language",
-- "Database Interaction", "Lua" UDFs; packages/sandbox/README.md, Exasol's Lua). test/luacheck.test.ts checks every
-- deployed Lua text against them: scripting programs with `exasol_script`, UDFs with `exasol_udf`.
--
-- Left out on purpose: load/loadstring/loadfile/dofile (L2, L3: no code from strings, no files), io, package,
-- collectgarbage, print (not part of Exasol's documented API; scripts report through output()/error()), unpack
-- (Lua 5.1 only), and what rule L9 there lists as undocumented: coroutine, debug, os.date, math.random/randomseed.

local function names(list)
  local t = {}
  for _, name in ipairs(list) do t[name] = {} end
  return t
end

local base = {
  "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen", "rawset",
  "require", "select", "setmetatable", "tonumber", "tostring", "type", "xpcall",
  -- `_G` itself (core's freeze() reads `globalThis`), but none of its fields.
  "_G",
  string = { fields = names({ "byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match", "pack",
    "packsize", "rep", "reverse", "sub", "unpack", "upper" }) },
  table = { fields = names({ "concat", "insert", "move", "pack", "remove", "sort", "unpack" }) },
  math = { fields = names({ "abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log",
    "max", "maxinteger", "min", "mininteger", "modf", "pi", "rad", "sin", "sqrt", "tan", "tointeger", "type", "ult" }) },
  utf8 = { fields = names({ "char", "charpattern", "codepoint", "codes", "len", "offset" }) },
  os = { fields = names({ "clock", "difftime", "time" }) },
}

local function with(extra)
  local t = {}
  for k, v in pairs(base) do t[k] = v end
  for k, v in pairs(extra) do
    if type(k) == "number" then t[#t + 1] = v else t[k] = v end
  end
  return t
end

stds.exasol_script = {
  -- Scripting programs: query/pquery, exit, output, import, the NULL constants, decimal and exa.meta.
  read_globals = with({
    "query", "pquery", "exit", "output", "import", "null", "NULL", "decimal",
    exa = { fields = { meta = { other_fields = true } } },
  }),
}

stds.exasol_udf = {
  -- UDFs define run (and optionally cleanup); they read exa.meta, exa.get_connection, decimal and NULL.
  globals = { "run", "cleanup" },
  read_globals = with({
    "null", "NULL", "decimal",
    exa = { fields = { meta = { other_fields = true }, get_connection = {} } },
  }),
}
