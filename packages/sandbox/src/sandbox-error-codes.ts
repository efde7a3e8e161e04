import type { LuaHostError } from './lua/lua-errors.js';

/** One entry of the catalog: the kind, what the code means and what the user can do. docs/errors.md renders it. */
export interface SandboxErrorCodeInfo {
  readonly kind: LuaHostError['kind'];
  readonly meaning: string;
  readonly remedy: string;
  /** The code means a bug in the sandbox, not something a user set up wrong. */
  readonly internal?: boolean;
}

/**
 * Every `SME-E-…` code @sme/sandbox raises. Errors of the emulated services themselves (Exasol's sqlCode
 * errors, AWS error shapes) are not sme codes and are not listed. docs/errors.md is generated from the catalogs
 * (`npm run error-docs:write`); a test keeps this catalog and the codes used in the sources identical.
 */
export const SANDBOX_ERROR_CODES = {
  'SME-E-SANDBOX-LUA-NATIVE-MISSING': {
    kind: 'Internal',
    meaning:
      'Native Lua was asked for (--lua native) but lua5.4 or one of lua-cjson, lua-socket, lua-sec, lua-luaossl is missing; the message says which.',
    remedy: 'Install them (apt-get install lua5.4 lua-cjson lua-socket lua-sec lua-luaossl) or choose --lua wasm.',
  },
  'SME-E-SANDBOX-LUA-PROTOCOL': {
    kind: 'Internal',
    internal: true,
    meaning:
      'The Lua host and the server disagreed on their line protocol (a line that is not JSON, an unknown message, a run without an outcome).',
    remedy: 'This is a bug in the sandbox: report it with the script that ran.',
  },
  'SME-E-SANDBOX-LUA-EXITED': {
    kind: 'Internal',
    meaning: 'The lua5.4 process ended while a script or UDF ran; the message carries the end of its stderr.',
    remedy: 'Check that lua5.4 and lua-cjson, lua-socket, lua-sec, lua-luaossl are installed, then run again.',
  },
  'SME-E-SANDBOX-LUA-CLOSED': {
    kind: 'Internal',
    internal: true,
    meaning: 'A script or UDF was started on a Lua runtime that was already closed (the sandbox is stopping).',
    remedy: 'Start the sandbox again and run the statement on the new one.',
  },
  'SME-E-SANDBOX-LUA-WASM': {
    kind: 'Internal',
    meaning: 'The embedded wasmoon Lua failed to start.',
    remedy: 'Reinstall the package (npm ci) so wasmoon is complete, or use --lua native with lua5.4 installed.',
  },
} as const satisfies Record<string, SandboxErrorCodeInfo>;

export type SandboxErrorCode = keyof typeof SANDBOX_ERROR_CODES;
