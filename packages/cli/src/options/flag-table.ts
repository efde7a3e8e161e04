import type { Argv, Options } from 'yargs';

/** The yargs type of a flag, from the type of the value it sets. */
type FlagType<V> = V extends number ? 'number' : V extends boolean ? 'boolean' : 'string';

/**
 * One flag per key of `Args`, named by the key (`caFile` → `--ca-file`, yargs camel-cases it back): the compiler keeps
 * the flags and the type of the values they set equal.
 */
export type FlagTable<Args> = {
  readonly [K in keyof Args]-?: Omit<Options, 'type' | 'group'> & { readonly type: FlagType<NonNullable<Args[K]>> };
};

/** The long flag name of a key: `caFile` → `ca-file`. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Declares a table's flags, in its order, in one help group. */
export function withFlags<T, Args>(yargs: Argv<T>, flags: FlagTable<Args>, group: string): Argv<T & Args> {
  let declared: Argv<T> = yargs;
  for (const [key, flag] of Object.entries<Options>(flags)) {
    declared = declared.option(flagName(key), { ...flag, group });
  }
  return declared as Argv<T & Args>;
}
