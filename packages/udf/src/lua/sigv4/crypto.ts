import type { ByteString } from './bytes.js';

/**
 * The two primitives SigV4 needs, over byte strings so that Node (node:crypto) and Lua (luaossl) are
 * interchangeable. Implementations: `nodeSha256Crypto` (packages/udf/src/node) and `luaSha256Crypto`
 * (packages/udf/src/lua/host, `openssl.digest` / `openssl.hmac`).
 */
export interface Sha256Crypto {
  /** Lower-case hex SHA-256 of `data`. */
  sha256Hex(data: ByteString): string;
  /** Raw 32-byte HMAC-SHA256 of `data` under `key`. */
  hmacSha256(key: ByteString, data: ByteString): ByteString;
}
