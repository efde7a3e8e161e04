/**
 * Lua that makes real lua5.4 treat errors like Exasol: `pcall`/`xpcall` hand back a string when a table was thrown
 * (Exasol's Lua rule L1, packages/sandbox/README.md). Bundles carry coded errors across that (tools/exasol-lua.mjs).
 */
export const EXASOL_PCALL_LUA = `local raw_pcall, raw_xpcall = pcall, xpcall
local function exasolish(e)
  if type(e) ~= 'string' then return 'error object is a ' .. type(e) .. ' value' end
  return e
end
local function settle(ok, ...)
  if ok then return true, ... end
  return false, exasolish((...))
end
pcall = function(f, ...) return settle(raw_pcall(f, ...)) end
xpcall = function(f, h, ...) return raw_xpcall(f, function(e) return h(exasolish(e)) end, ...) end
`;
