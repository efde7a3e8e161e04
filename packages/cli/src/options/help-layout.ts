import type { Argv, CommandModule } from 'yargs';

/** The help group of a command's own flags; it comes first, before the connection groups. */
export const OWN_FLAGS_GROUP = 'Options:';
/** The help group of the flags every command takes (`--json`, `--verbose`, `--config`, `--help`, `--version`). */
export const GLOBAL_FLAGS_GROUP = 'Global options:';

/**
 * The command with its own flags shown first in `--help`: yargs lists help groups in the order they were created,
 * and the shared connection groups are created before a builder's own `.option()` calls; naming the own group
 * first puts it on top. The global flags come last, once (their group is kept from the top level).
 */
export function ownFlagsFirst<T, U>(command: CommandModule<T, U>): CommandModule<T, U> {
  const builder = command.builder;
  if (typeof builder !== 'function') return command;
  return {
    ...command,
    builder: (yargs: Argv<T>) => builder(yargs.group([], OWN_FLAGS_GROUP)) as Argv<U>,
  };
}
