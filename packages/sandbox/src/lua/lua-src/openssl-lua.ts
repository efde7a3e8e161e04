/**
 * `openssl.digest` and `openssl.hmac` for wasmoon, in pure Lua 5.4: wasmoon turns Lua strings into JS strings
 * as UTF-8, which would corrupt binary keys and digests, so hashing stays inside Lua. Only SHA-256 is offered
 * (what SigV4 needs); other names fail like luaossl does ("<name>: invalid digest type").
 * Algorithm: FIPS 180-4 (https://csrc.nist.gov/pubs/fips/180-4/upd1/final); HMAC: RFC 2104.
 */
export const OPENSSL_LUA = String.raw`
local K = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}
local M32 = 0xffffffff
local spack, sunpack, srep, schar = string.pack, string.unpack, string.rep, string.char

local function compress(H, block)
  local w = { sunpack('>I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4I4', block) }
  for i = 17, 64 do
    local a, b = w[i - 15], w[i - 2]
    local s0 = ((a >> 7) | (a << 25)) ~ ((a >> 18) | (a << 14)) ~ (a >> 3)
    local s1 = ((b >> 17) | (b << 15)) ~ ((b >> 19) | (b << 13)) ~ (b >> 10)
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) & M32
  end
  local a, b, c, d, e, f, g, h = H[1], H[2], H[3], H[4], H[5], H[6], H[7], H[8]
  for i = 1, 64 do
    local e32 = e & M32
    local S1 = ((e32 >> 6) | (e32 << 26)) ~ ((e32 >> 11) | (e32 << 21)) ~ ((e32 >> 25) | (e32 << 7))
    local ch = (e & f) ~ (~e & g)
    local t1 = (h + (S1 & M32) + (ch & M32) + K[i] + w[i]) & M32
    local a32 = a & M32
    local S0 = ((a32 >> 2) | (a32 << 30)) ~ ((a32 >> 13) | (a32 << 19)) ~ ((a32 >> 22) | (a32 << 10))
    local maj = (a & b) ~ (a & c) ~ (b & c)
    local t2 = ((S0 & M32) + (maj & M32)) & M32
    h, g, f, e, d, c, b, a = g, f, e, (d + t1) & M32, c, b, a, (t1 + t2) & M32
  end
  H[1], H[2], H[3], H[4] = (H[1] + a) & M32, (H[2] + b) & M32, (H[3] + c) & M32, (H[4] + d) & M32
  H[5], H[6], H[7], H[8] = (H[5] + e) & M32, (H[6] + f) & M32, (H[7] + g) & M32, (H[8] + h) & M32
end

local Sha256 = {}
Sha256.__index = Sha256

local function sha256_new()
  return setmetatable({
    H = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 },
    buf = '', len = 0,
  }, Sha256)
end

function Sha256:update(s)
  s = tostring(s)
  self.len = self.len + #s
  local data = self.buf .. s
  local n = #data - (#data % 64)
  for i = 1, n, 64 do compress(self.H, data:sub(i, i + 63)) end
  self.buf = data:sub(n + 1)
  return self
end

function Sha256:final(s)
  if s ~= nil then self:update(s) end
  local bits = self.len * 8
  local pad = 64 - ((self.len + 9) % 64)
  if pad == 64 then pad = 0 end
  self:update('\128' .. srep('\0', pad) .. spack('>I8', bits))
  local H = self.H
  return spack('>I4I4I4I4I4I4I4I4', H[1], H[2], H[3], H[4], H[5], H[6], H[7], H[8])
end

local function check_type(name, fname)
  name = name or 'sha1'
  if string.lower(name) ~= 'sha256' then
    error("bad argument #1 to '" .. fname .. "' (" .. tostring(name) .. ': invalid digest type)', 3)
  end
end

local digest = {}
function digest.new(name)
  check_type(name, '_openssl.digest.new')
  return sha256_new()
end

local Hmac = {}
Hmac.__index = Hmac
function Hmac:update(s)
  self.inner:update(s)
  return self
end
function Hmac:final(s)
  if s ~= nil then self.inner:update(s) end
  return sha256_new():update(self.okey):final(self.inner:final())
end

local hmac = {}
function hmac.new(key, name)
  check_type(name, '_openssl.hmac.new')
  key = tostring(key)
  if #key > 64 then key = sha256_new():final(key) end
  key = key .. srep('\0', 64 - #key)
  local ikey, okey = {}, {}
  for i = 1, 64 do
    local k = key:byte(i)
    ikey[i] = schar(k ~ 0x36)
    okey[i] = schar(k ~ 0x5c)
  end
  local self = setmetatable({ okey = table.concat(okey), inner = sha256_new() }, Hmac)
  self.inner:update(table.concat(ikey))
  return self
end

return { digest = digest, hmac = hmac }
`;
