import { HOST_LUA } from './host-lua.js';
import { JSON_LUA } from './json-lua.js';

/**
 * The program the native runtime feeds to `lua5.4`: JSON lines on stdin/stdout, one request at a time.
 * User code never sees `io` and its `print` is redirected, so nothing but protocol lines reaches stdout.
 */
export const NATIVE_MAIN_LUA = `
local JSON = (function() ${JSON_LUA} end)()
local HOST = (function() ${HOST_LUA} end)()
local cjson = require('cjson')
local stdin, stdout = io.stdin, io.stdout
stdout:setvbuf('full')
local function send(s)
  stdout:write(s, '\\n')
  stdout:flush()
end
local host = HOST.new({
  codec = JSON.new(cjson.null, false),
  null = cjson.null,
  require = require,
  bridge = {
    call = function(s)
      send(s)
      local line = stdin:read('l')
      if not line then os.exit(0) end
      return line
    end,
    send = send,
  },
})
while true do
  local line = stdin:read('l')
  if not line then break end
  send(host.handle(line))
end
`;

/** Read by `lua5.4 -e`: loads the program above from the first bytes of stdin (keeps argv short). */
export const NATIVE_BOOTSTRAP_LUA =
  "local n = tonumber(io.read('l')); local src = io.read(n); assert(load(src, '=sme-lua-host'))()";
