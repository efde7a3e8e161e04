import { toHex, type ByteString } from '../sigv4/bytes.js';
import type { Sha256Crypto } from '../sigv4/crypto.js';
import type { OpensslDigestModule, OpensslHmacModule } from './lua-libs.js';

/** `Sha256Crypto` over luaossl, which Exasol 8.10+ ships. */
export function luaSha256Crypto(): Sha256Crypto {
  // Lua's own `require` (TypeScriptToLua keeps it as is): these are native modules, not bundled sources.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const digest = require('openssl.digest') as OpensslDigestModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hmac = require('openssl.hmac') as OpensslHmacModule;
  return {
    sha256Hex(data: ByteString): string {
      return toHex(digest.new('sha256').final(data));
    },
    hmacSha256(key: ByteString, data: ByteString): ByteString {
      return hmac.new(key, 'sha256').final(data);
    },
  };
}
