import { HOST_LUA } from './host-lua.js';
import { JSON_LUA } from './json-lua.js';
import { OPENSSL_LUA } from './openssl-lua.js';

/**
 * What the wasm runtime loads once per engine: the shared host plus Lua stand-ins for the C modules Exasol
 * ships (lua-cjson, LuaSocket, LuaSec, luaossl). A run is a Lua coroutine that yields each call to Node (SQL,
 * import, connection, HTTP; bodies cross as hex so binary stays intact) and is resumed with the answer: no
 * wasmoon promise awaiting, whose engine-stack bookkeeping breaks when runs interleave.
 *
 * Sockets are LuaSocket's TCP level and LuaSec's ssl.wrap only (the request-level socket.http/ssl.https are
 * not offered: Exasol does not document them); the shared test suite measures them against Debian's modules.
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

-- LuaSocket's TCP API (https://lunarmodules.github.io/luasocket/tcp.html) and LuaSec's ssl.wrap
-- (https://github.com/lunarmodules/luasec/wiki/LuaSec-1.3.x): each call is answered by Node (wasm-socket.ts).
local function sock_call(msg)
  msg.t = 'sock'
  return proto.decode(host_call(proto.encode(msg)))
end
local next_sid = 0

local Tcp = {}
Tcp.__index = Tcp
Tcp.__name = 'tcp{client}'
Tcp.__tostring = function(self) return (self.tls and 'SSL connection: ' or 'tcp{client}: ') .. self.sid end

local function new_tcp()
  next_sid = next_sid + 1
  return setmetatable({ sid = next_sid, timeout = -1, state = 'master' }, Tcp)
end
function Tcp:settimeout(t)
  self.timeout = tonumber(t) or -1
  return 1
end
function Tcp:connect(host, port)
  if self.state ~= 'master' then return nil, 'already connected' end
  local r = sock_call({ op = 'connect', sid = self.sid, host = tostring(host), port = tonumber(port), timeout = self.timeout })
  if not r.ok then return nil, r.error end
  self.state = 'client'
  return 1
end
function Tcp:send(data, i, j)
  if self.state ~= 'client' then return nil, 'closed', 0 end
  data = tostring(data):sub(i or 1, j or -1)
  local r = sock_call({ op = 'send', sid = self.sid, data = to_hex(data) })
  if not r.ok then return nil, r.error, r.sent end
  return (i or 1) - 1 + r.sent + 0.0
end
function Tcp:receive(pattern, prefix)
  if self.state ~= 'client' then return nil, 'closed', '' end
  pattern = pattern or '*l'
  local p
  if type(pattern) == 'number' then p = math.tointeger(pattern)
  elseif pattern == '*l' or pattern == 'l' then p = 'l'
  elseif pattern == '*a' or pattern == 'a' then p = 'a'
  else error("bad argument #1 to 'receive' (invalid receive pattern)", 2) end
  local r = sock_call({ op = 'receive', sid = self.sid, pattern = p, timeout = self.timeout })
  prefix = prefix or ''
  if not r.ok then return nil, r.error, prefix .. from_hex(r.partial or '') end
  return prefix .. from_hex(r.data)
end
function Tcp:close()
  if self.state ~= 'closed' then sock_call({ op = 'close', sid = self.sid }) end
  self.state = 'closed'
  return 1
end
function Tcp:shutdown() return 1 end
function Tcp:setoption() return 1 end
function Tcp:getfd() return self.sid end

local socket = { _VERSION = 'LuaSocket 3.1.0' }
function socket.gettime() return __sme_now() / 1000 end
function socket.sleep(s) host_call(proto.encode({ t = 'sleep', seconds = tonumber(s) or 0 })) end
function socket.tcp() return new_tcp() end
socket.tcp4 = socket.tcp
function socket.connect(host, port)
  local sock = new_tcp()
  local ok, err = sock:connect(host, port)
  if not ok then return nil, err end
  return sock
end
package.preload['socket'] = function() return socket end

local Cert = {}
Cert.__index = Cert
function Cert:pem() return self.text end

local Conn = setmetatable({}, { __index = Tcp })
Conn.__index = Conn
Conn.__name = 'SSL:Connection'
Conn.__tostring = Tcp.__tostring
function Conn:sni(host) self.servername = tostring(host) return true end
function Conn:dohandshake()
  if self.handshaken then return true end
  local r = sock_call({ op = 'handshake', sid = self.sid, sni = self.servername, verify = self.verify, timeout = self.timeout })
  if not r.ok then return false, r.error end
  self.handshaken = true
  return true
end
local function peer(self, chain)
  if not self.handshaken then return nil end
  local r = sock_call({ op = 'peercert', sid = self.sid, chain = chain })
  if not r.ok then return nil end
  local certs = {}
  for i, pem in ipairs(r.pems) do certs[i] = setmetatable({ text = pem }, Cert) end
  return certs
end
function Conn:getpeercertificate(n)
  local certs = peer(self, (n or 1) > 1)
  return certs and certs[n or 1]
end
function Conn:getpeerchain()
  return peer(self, true)
end
function Conn:getpeerverification() return self.verify ~= true or self.handshaken end
for _, name in ipairs({ 'send', 'receive' }) do
  Conn[name] = function(self, ...)
    if not self.handshaken then return nil, 'closed' end
    return Tcp[name](self, ...)
  end
end

local function wants_verify(v)
  if v == 'peer' then return true end
  if type(v) == 'table' then for _, x in ipairs(v) do if x == 'peer' then return true end end end
  return false
end
local ssl = { _VERSION = '1.3.2' }
function ssl.newcontext(params)
  if type(params) ~= 'table' then return nil, 'invalid context parameters' end
  if params.mode ~= 'client' then return nil, 'only client mode is supported by the sandbox' end
  return { params = params }
end
function ssl.wrap(sock, params)
  local ctx = params
  if type(params) == 'table' and params.params == nil then
    local err
    ctx, err = ssl.newcontext(params)
    if not ctx then return nil, err end
  end
  if getmetatable(sock) ~= Tcp or sock.state ~= 'client' then return nil, 'invalid socket' end
  sock.state = 'closed'
  return setmetatable({ sid = sock.sid, timeout = sock.timeout, state = 'client', tls = true,
    verify = wants_verify(ctx.params.verify) }, Conn)
end
package.preload['ssl'] = function() return ssl end

-- luaossl's X.509 subset sme uses (https://github.com/wahern/luaossl, doc/luaossl.pdf: openssl.x509,
-- openssl.x509.store, openssl.x509.chain): certificates parsed and chains verified by Node (wasm-x509.ts)
-- against the roots added here and the chain passed, never Node's CA store; texts as OpenSSL words them.
local X509 = {}
X509.__index = X509
X509.__name = 'X509*'
X509.__tostring = function(self) return self.text end
local function x509_new(data, format)
  if type(data) ~= 'string' then error("bad argument #1 to 'new' (string expected, got " .. type(data) .. ')', 2) end
  local r = sock_call({ op = 'x509parse', sid = 0, pem = to_hex(data) })
  if not r.ok then error(r.error, 2) end
  local c = r.cert
  return setmetatable({ text = c.pem, subject = c.subject, alt = c.alt, not_before = c.notBefore,
    not_after = c.notAfter }, X509)
end
function X509:getLifetime()
  return self.not_before + 0.0, self.not_after + 0.0, (self.not_after - self.not_before) + 0.0
end
function X509:toPEM() return self.text end
function X509:getSubject()
  local entries = self.subject
  local name = {}
  function name.all()
    local out = {}
    for i, e in ipairs(entries) do out[i] = { sn = e.sn, blob = e.blob } end
    return out
  end
  return setmetatable({}, { __name = 'X509_NAME*', __index = name })
end
function X509:getSubjectAlt()
  local list = self.alt
  if #list == 0 then return nil end
  return setmetatable({}, { __name = 'GENERAL_NAMES*', __pairs = function()
    local i = 0
    return function()
      i = i + 1
      local e = list[i]
      if e then return e[1], e[2] end
    end
  end })
end

local Chain = {}
Chain.__index = Chain
Chain.__name = 'STACK_OF(X509)*'
function Chain:add(cert)
  if getmetatable(cert) ~= X509 then error("bad argument #1 to 'add' (X509* expected)", 2) end
  self.certs[#self.certs + 1] = cert
  return self
end
local function chain_new() return setmetatable({ certs = {} }, Chain) end

local Store = {}
Store.__index = Store
Store.__name = 'X509_STORE*'
function Store:add(x)
  if getmetatable(x) ~= X509 then
    error("x509.store:add: the sandbox's stand-in takes certificate objects only (no files, no CRLs)", 2)
  end
  self.roots[#self.roots + 1] = x.text
  return self
end
function Store:addDefaults()
  error("x509.store:addDefaults: the sandbox's stand-in has no system CA store", 2)
end
function Store:verify(cert, chain)
  if getmetatable(cert) ~= X509 then error("bad argument #1 to 'verify' (X509* expected)", 2) end
  local untrusted = {}
  if chain ~= nil then for i, c in ipairs(chain.certs) do untrusted[i] = c.text end end
  local r = sock_call({ op = 'x509verify', sid = 0, roots = self.roots, leaf = cert.text, untrusted = untrusted })
  if not r.ok then return false, r.reason end
  return true, chain or chain_new()
end

local x509_mod = { new = x509_new }
local store_mod = { new = function() return setmetatable({ roots = {} }, Store) end }
local chain_mod = { new = chain_new }
for _, prefix in ipairs({ 'openssl.', '_openssl.' }) do
  package.preload[prefix .. 'x509.store'] = function() return store_mod end
  package.preload[prefix .. 'x509.chain'] = function() return chain_mod end
end
package.preload['openssl.x509'] = function() return x509_mod end
package.preload['_openssl.x509.cert'] = function() return x509_mod end

package.preload['openssl.digest'] = function() return OPENSSL.digest end
package.preload['openssl.hmac'] = function() return OPENSSL.hmac end
package.preload['_openssl.digest'] = function() return OPENSSL.digest end
package.preload['_openssl.hmac'] = function() return OPENSSL.hmac end

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
