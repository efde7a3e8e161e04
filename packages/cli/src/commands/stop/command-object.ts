import type { CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { runCommand } from '../../run-command.js';
import type { StopArgs } from './stop-args.js';
import { JOB_ARG } from '../../options/job-arg.js';

export type { StopArgs };

export const stopCommand: CommandModule<GlobalArgs, StopArgs> = {
  command: 'stop <job>',
  describe: 'Stop a running job',
  builder: (yargs) =>
    withAwsOptions(withExasolOptions(yargs))
      .positional('job', { type: 'string', demandOption: true, describe: JOB_ARG })
      .option('yes', {
        alias: 'y',
        type: 'boolean',
        describe: 'do it without asking (needed without a terminal; on a terminal sme shows what will go and asks)',
      })
      .example('$0 stop churn-261126093000 --yes', 'stop without asking (scripts); a job that ended is left alone'),
  handler: (args) => runCommand(args, () => import('./stop.js')),
};
