/**
 * `Object.freeze` where the runtime has it. TypeScriptToLua cannot compile `Object.freeze`, and Lua has no
 * frozen tables: there the `Readonly` types are the only guard, which is enough for TypeScript callers.
 */
const host = globalThis as unknown as { Object?: { freeze?: <T>(value: T) => T } };

export function freeze<T>(value: T): Readonly<T> {
  const nativeFreeze = host.Object?.freeze;
  return nativeFreeze === undefined ? value : nativeFreeze(value);
}
