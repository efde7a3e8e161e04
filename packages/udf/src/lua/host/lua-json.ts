import type { Json } from '@sme/core';
import type { CjsonModule } from './lua-libs.js';

/** The core's `Json` port over lua-cjson (shipped with Exasol). */
export function luaJson(): Json {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cjson = require('cjson') as CjsonModule;
  return {
    decode: (text: string): unknown => cjson.decode(text),
    encode: (value: unknown): string => cjson.encode(value),
  };
}
