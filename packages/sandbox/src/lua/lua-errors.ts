import type { LuaRuntimeError } from './lua-runtime.js';

/**
 * An error raised by Lua code (`error(...)`, a runtime or syntax error, or a `query()` that failed). The
 * message is Lua's, with the chunk position `SCHEMA.SCRIPT:<line>:` when Lua adds one; `line` is that line.
 * When the script died of a failed `query()`, `sqlCode` is the failing statement's SQL code and `message`
 * the statement's error text, so the server can report it like Exasol does.
 */
export class LuaError extends Error implements LuaRuntimeError {
  readonly kind = 'LuaError' as const;
  readonly sqlCode: string | undefined;
  readonly line: number | undefined;

  constructor(message: string, sqlCode?: string) {
    super(message);
    this.name = 'LuaError';
    this.sqlCode = sqlCode;
    const m = /^[^:\n]*:(\d+):/.exec(message);
    this.line = m?.[1] === undefined ? undefined : Number(m[1]);
  }
}

/** True for a `LuaRuntimeError`-shaped value (also across package copies). */
export function isLuaRuntimeError(value: unknown): value is LuaRuntimeError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'LuaError' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/**
 * A failure of the Lua runtime itself (not of the user's Lua): no `lua5.4`, the process died, wasmoon failed.
 * Shaped like core's `SmeError` (name `SmeError`, stable code, kind, details) so `isSmeError` recognises it.
 */
export class LuaHostError extends Error {
  readonly code: string;
  readonly kind = 'Internal' as const;
  readonly details: { readonly remedy?: string; readonly value?: string };
  override readonly cause: unknown;

  constructor(code: string, message: string, details: { remedy?: string; value?: string } = {}, cause?: unknown) {
    super(message);
    this.name = 'SmeError';
    this.code = code;
    this.details = details;
    this.cause = cause;
  }
}
