import { HOST_LUA } from './host-lua.js';
import { JSON_LUA } from './json-lua.js';
import { OPENSSL_LUA } from './openssl-lua.js';

/**
 * What the wasm runtime loads once per engine: the shared host plus Lua stand-ins for the C modules Exasol
 * ships (lua-cjson, LuaSocket, LuaSec, luaossl). A run is a Lua coroutine that yields each call to Node (SQL,
 * import, connection, HTTP; bodies cross as hex so binary stays intact) and is resumed with the answer: no
 * wasmoon promise awaiting, whose engine-stack bookkeeping breaks when runs interleave.
 *
 * Behaviour copied from the real modules (measured against Debian's packages by the shared test suite):
 * - LuaSocket http.request: https://github.com/lunarmodules/luasocket/blob/master/src/http.lua (string form
 *   returns body, code, headers, status; table form returns 1, code, headers, status; nil, err on failure;
 *   header names lower-cased, repeated headers joined with ", "; a body in the string form is a form POST).
 * - LuaSec ssl.https: https://github.com/lunarmodules/luasec/blob/master/src/https.lua (default cfg has
 *   verify = "none"; https.request always speaks TLS).
 * - ltn12: https://github.com/lunarmodules/luasocket/blob/master/src/ltn12.lua
 */
export const WASM_MAIN_LUA = `
local JSON = (function() ${JSON_LUA} end)()
local HOST = (function() ${HOST_LUA} end)()
local OPENSSL = (function() ${OPENSSL_LUA} end)()
local null = __sme_null
local proto = JSON.new(null, false)
-- Calls to Node yield the run's coroutine with this tag; host.lua makes user coroutines pass them on.
local YIELD_TAG = setmetatable({}, { __tostring = function() return 'sme-host-call' end })
local function host_call(s) return coroutine.yield(YIELD_TAG, s) end

local function to_hex(s)
  return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end))
end
local function from_hex(h)
  return (h:gsub('%x%x', function(x) return string.char(tonumber(x, 16)) end))
end

local cjson = JSON.new(null, true)
cjson._NAME = 'cjson'
cjson._VERSION = '2.1.0'
local function setting(value) return function(v) if v ~= nil then value = v end return value end end
cjson.encode_sparse_array = function() return false, 2, 10 end
cjson.encode_max_depth = setting(1000)
cjson.decode_max_depth = setting(1000)
cjson.encode_number_precision = function() return 14 end
cjson.encode_keep_buffer = setting(true)
cjson.encode_invalid_numbers = function() return false end
cjson.decode_invalid_numbers = function() return true end
cjson.new = function() return cjson end
package.preload['cjson'] = function() return cjson end
package.preload['cjson.safe'] = function()
  local safe = {}
  for k, v in pairs(cjson) do safe[k] = v end
  safe.encode = function(v) local ok, r = pcall(cjson.encode, v) if ok then return r end return nil, r end
  safe.decode = function(v) local ok, r = pcall(cjson.decode, v) if ok then return r end return nil, r end
  return safe
end

local ltn12 = { source = {}, sink = {}, pump = {}, filter = {}, BLOCKSIZE = 2048, _VERSION = 'LTN12 1.0.3' }
function ltn12.source.string(s)
  if not s then return ltn12.source.empty() end
  local i = 1
  return function()
    local chunk = s:sub(i, i + ltn12.BLOCKSIZE - 1)
    i = i + ltn12.BLOCKSIZE
    if chunk ~= '' then return chunk end
    return nil
  end
end
function ltn12.source.empty() return function() return nil end end
function ltn12.source.error(err) return function() return nil, err end end
function ltn12.source.table(t)
  local i = 0
  return function() i = i + 1 return t[i] end
end
function ltn12.sink.table(t)
  t = t or {}
  return function(chunk) if chunk then t[#t + 1] = chunk end return 1 end, t
end
function ltn12.sink.null() return function() return 1 end end
function ltn12.sink.error(err) return function() return nil, err end end
function ltn12.pump.step(src, snk)
  local chunk, src_err = src()
  local ret, snk_err = snk(chunk, src_err)
  if chunk and ret then return 1 end
  return nil, src_err or snk_err
end
function ltn12.pump.all(src, snk, step)
  step = step or ltn12.pump.step
  while true do
    local ret, err = step(src, snk)
    if not ret then
      if err then return nil, err end
      return 1
    end
  end
end
package.preload['ltn12'] = function() return ltn12 end

local socket = { _VERSION = 'LuaSocket 3.0.0' }
function socket.gettime() return __sme_now() / 1000 end
function socket.sleep(s) host_call(proto.encode({ t = 'sleep', seconds = tonumber(s) or 0 })) end
package.preload['socket'] = function() return socket end

local function request(tls_only, defaults, reqt, body)
  local simple = type(reqt) == 'string'
  local sink_parts
  if simple then
    local url = reqt
    reqt = { url = url }
    sink_parts = {}
    reqt.sink = ltn12.sink.table(sink_parts)
    if body then
      reqt.method = 'POST'
      reqt.source = ltn12.source.string(body)
      reqt.headers = { ['content-type'] = 'application/x-www-form-urlencoded', ['content-length'] = tostring(#body) }
    end
  end
  if type(reqt) ~= 'table' or type(reqt.url) ~= 'string' then error('invalid request: url expected', 2) end
  local body_parts = {}
  if reqt.source then
    local ok, err = ltn12.pump.all(reqt.source, (ltn12.sink.table(body_parts)))
    if not ok then return nil, err end
  end
  local headers = {}
  for k, v in pairs(reqt.headers or {}) do headers[string.lower(tostring(k))] = tostring(v) end
  local msg = {
    t = 'http', url = reqt.url, method = reqt.method or 'GET', headers = headers, body = to_hex(table.concat(body_parts)),
    tlsOnly = tls_only, verify = reqt.verify or defaults.verify, timeout = defaults.timeout(),
    userAgent = defaults.useragent(),
  }
  local reply = proto.decode(host_call(proto.encode(msg)))
  if not reply.ok then
    if tls_only then return nil, reply.error, nil, nil end
    return nil, reply.error
  end
  local response = from_hex(reply.body)
  local sink = reqt.sink or ltn12.sink.null()
  if response ~= '' then sink(response) end
  sink(nil)
  if simple then return table.concat(sink_parts), reply.code, reply.headers, reply.status end
  return 1, reply.code, reply.headers, reply.status
end

local http = { TIMEOUT = 60, USERAGENT = 'LuaSocket 3.0.0', PORT = 80 }
function http.request(reqt, body)
  return request(false, {
    verify = 'none',
    timeout = function() return http.TIMEOUT end,
    useragent = function() return http.USERAGENT end,
  }, reqt, body)
end
package.preload['socket.http'] = function() return http end

local https = { TIMEOUT = 60, PORT = 443 }
function https.request(reqt, body)
  return request(true, {
    verify = 'none',
    timeout = function() return https.TIMEOUT end,
    useragent = function() return http.USERAGENT end,
  }, reqt, body)
end
package.preload['ssl.https'] = function() return https end
package.preload['ssl'] = function() return { _VERSION = '1.2.0' } end

package.preload['openssl.digest'] = function() return OPENSSL.digest end
package.preload['openssl.hmac'] = function() return OPENSSL.hmac end

local host = HOST.new({
  codec = proto,
  null = null,
  require = require,
  yield_tag = YIELD_TAG,
  bridge = { call = host_call, send = function(s) __sme_send(s) end },
})

-- Each run is a coroutine: it yields a message whenever it needs Node, and Node resumes it with the reply.
local runs = {}
local function step(id, co, ...)
  local ok, tag, msg = coroutine.resume(co, ...)
  if not ok then
    runs[id] = nil
    return proto.encode({ t = 'error', id = id, message = tostring(tag) })
  end
  if coroutine.status(co) == 'dead' then
    runs[id] = nil
    return tag
  end
  if tag ~= YIELD_TAG then
    runs[id] = nil
    return proto.encode({ t = 'error', id = id, message = 'attempt to yield from outside a coroutine' })
  end
  return msg
end
function __sme_start(id)
  local request = __sme_take(id)
  local co = coroutine.create(function() return host.handle(request) end)
  runs[id] = co
  return step(id, co)
end
function __sme_resume(id)
  return step(id, runs[id], __sme_take(id))
end
`;
