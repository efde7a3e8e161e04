import type { CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { withOutputFormat } from '../../options/output-options.js';
import { runCommand } from '../../run-command.js';
import type { DescribeArgs } from './describe-args.js';
import { JOB_ARG } from '../../options/job-arg.js';

export type { DescribeArgs };

export const describeCommand: CommandModule<GlobalArgs, DescribeArgs> = {
  command: 'describe <job>',
  describe: 'Show a job’s parameters, best candidate and metric, failure reason and artifacts',
  builder: (yargs) =>
    withOutputFormat(withAwsOptions(withExasolOptions(yargs)))
      .positional('job', { type: 'string', demandOption: true, describe: JOB_ARG })
      .example('$0 describe churn-261126093000', ''),
  handler: (args) => runCommand(args, () => import('./describe.js'), { formats: true }),
};
