import type { Argv, CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { runCommand } from '../../run-command.js';
import type { DropArgs } from './drop-args.js';
import { JOB_ARG } from '../../options/job-arg.js';

export type { DropArgs };

export const dropCommand: CommandModule<GlobalArgs, DropArgs> = {
  command: 'drop <job>',
  describe: 'Drop a job: stop it if running, delete its endpoints and its S3 input/output, mark its row',
  builder: (yargs) =>
    withAwsOptions(withExasolOptions(yargs))
      .positional('job', { type: 'string', demandOption: true, describe: JOB_ARG })
      .option('dry-run', { type: 'boolean', default: false, describe: 'list what would go; change nothing' })
      .option('yes', {
        alias: 'y',
        type: 'boolean',
        describe: 'do it without asking (needed without a terminal; on a terminal sme shows what will go and asks)',
      })
      .option('connection', {
        type: 'string',
        describe: 'Exasol CONNECTION with the AWS credentials (default: the one recorded with the job)',
      })
      .example('$0 drop churn-261126093000 --dry-run', 'what would be deleted')
      .example(
        '$0 drop churn-261126093000 --yes',
        'like Redshift’s DROP MODEL, without asking',
      ) as unknown as Argv<DropArgs>,
  handler: (args) => runCommand(args, () => import('./drop.js')),
};
