import type { CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { runCommand } from '../../run-command.js';
import type { StopArgs } from './stop-args.js';

export type { StopArgs };

export const stopCommand: CommandModule<GlobalArgs, StopArgs> = {
  command: 'stop <job>',
  describe: 'Stop a running job',
  builder: (yargs) =>
    withAwsOptions(withExasolOptions(yargs))
      .positional('job', { type: 'string', demandOption: true, describe: 'job name' })
      .example('$0 stop churn-261126093000', ''),
  handler: (args) => runCommand(args, () => import('./stop.js')),
};
