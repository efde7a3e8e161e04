import { toHex, type ByteString } from '../sigv4/bytes.js';
import type { Sha256Crypto } from '../sigv4/crypto.js';
import type { OpensslDigestModule, OpensslHmacModule } from './lua-libs.js';

/**
 * A luaossl module by its documented name (`openssl.digest`), else by the name of its C core (`_openssl.digest`), under
 * which some Exasol versions load luaossl (Exasol's Lua rule L4, packages/sandbox/README.md). Both have `new(…)` and
 * `:final(…)`.
 */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- `this: void`: called by Lua's pcall without self
function opensslModule<T>(loadPublic: (this: void) => T, loadCore: (this: void) => T): T {
  const [ok, found] = pcall(loadPublic);
  return ok ? found : loadCore();
}

/** `Sha256Crypto` over luaossl, which Exasol 8.10+ ships. */
export function luaSha256Crypto(): Sha256Crypto {
  // Lua's own `require` (TypeScriptToLua keeps it as is): these are native modules, not bundled sources.
  const digest = opensslModule(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('openssl.digest') as OpensslDigestModule,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('_openssl.digest') as OpensslDigestModule,
  );
  const hmac = opensslModule(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('openssl.hmac') as OpensslHmacModule,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('_openssl.hmac') as OpensslHmacModule,
  );
  return {
    sha256Hex(data: ByteString): string {
      return toHex(digest.new('sha256').final(data));
    },
    hmacSha256(key: ByteString, data: ByteString): ByteString {
      return hmac.new(key, 'sha256').final(data);
    },
  };
}
