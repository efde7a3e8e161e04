import type { Argv, CommandModule } from 'yargs';

/** The help group of a command's own flags; it comes first, before the connection groups. */
export const OWN_FLAGS_GROUP = 'Options:';
/** Help groups of commands whose own flags come in a named group. */
export const TRAINING_GROUP = 'Training (the JSON keys of SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT):';
export const DOCTOR_GROUP = 'What to check (the keys sme train takes):';
export const PREDICTION_GROUP = 'Prediction:';
export const ENDPOINT_GROUP = 'Endpoint:';
/** Every group of a command's own arguments, in the order `--help` shows them, before the connection groups. */
const OWN_GROUPS = ['Positionals:', TRAINING_GROUP, DOCTOR_GROUP, PREDICTION_GROUP, ENDPOINT_GROUP, OWN_FLAGS_GROUP];

/** The help group of the flags every command takes (`--json`, `--verbose`, `--config`, `--help`, `--version`). */
export const GLOBAL_FLAGS_GROUP = 'Global options:';

/**
 * The command with its own flags shown first in `--help`: yargs lists help groups in the order they were created,
 * and the shared connection groups are created before a builder's own `.option()` calls; naming the own groups
 * first (empty groups are not shown) puts them on top. The global flags come last, once (their group is kept from the top level).
 */
export function ownFlagsFirst<T, U>(command: CommandModule<T, U>): CommandModule<T, U> {
  const builder = command.builder;
  if (typeof builder !== 'function') return command;
  return {
    ...command,
    builder: (yargs: Argv<T>): Argv<U> =>
      builder(OWN_GROUPS.reduce((y, group) => y.group([], group), yargs)) as Argv<U>,
  };
}
