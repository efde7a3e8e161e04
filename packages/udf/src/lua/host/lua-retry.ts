import type { AwsCallRetry } from '../aws/aws-call.js';
import { mixSeed, seededRandom } from '../aws/retry.js';
import type { SocketModule } from './lua-libs.js';

/**
 * Retry host of the AWS-call UDF: pauses with LuaSocket's `socket.sleep`, jitter from a PRNG seeded with
 * `socket.gettime()` (sub-second), `os.clock()` and `os.time()`: Exasol's Lua has no `math.random` (Exasol's Lua rule
 * L9).
 */
export function luaRetry(): AwsCallRetry {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const socket = require('socket') as SocketModule;
  return {
    sleep: (seconds) => {
      socket.sleep(seconds);
    },
    random: seededRandom(mixSeed([socket.gettime(), os.clock(), os.time()])),
  };
}
