import type { CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { withOutputFormat } from '../../options/output-options.js';
import { runCommand } from '../../run-command.js';
import type { StatusArgs } from './status-args.js';
import { JOB_ARG } from '../../options/job-arg.js';
import { withPollInterval } from '../../options/usage-checks.js';

export type { StatusArgs };

export const statusCommand: CommandModule<GlobalArgs, StatusArgs> = {
  command: 'status <job>',
  describe: 'Show a job’s status and secondary status (written back to the metadata table)',
  builder: (yargs) =>
    withPollInterval(
      withOutputFormat(withAwsOptions(withExasolOptions(yargs)))
        .positional('job', { type: 'string', demandOption: true, describe: JOB_ARG })
        .option('watch', { type: 'boolean', default: false, describe: 'follow the job until it ends' }),
      'seconds between polls with --watch',
    ).example('$0 status churn-261126093000 --watch', 'follow a job; exit code 3 if it fails, 4 if stopped'),
  handler: (args) => runCommand(args, () => import('./status.js'), { formats: true }),
};
