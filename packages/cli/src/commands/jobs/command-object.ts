import type { CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { withOutputFormat } from '../../options/output-options.js';
import { canonicalChoice } from '../../options/forgiving.js';
import { runCommand } from '../../run-command.js';
import type { JobsArgs } from './jobs-args.js';
import { checkWholeNumber } from '../../options/usage-checks.js';

export type { JobsArgs };

const JOB_STATUSES = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped', 'Dropped'];

export const jobsCommand: CommandModule<GlobalArgs, JobsArgs> = {
  command: 'jobs',
  describe: 'List jobs recorded in the metadata table with their live status',
  builder: (yargs) =>
    withOutputFormat(withAwsOptions(withExasolOptions(yargs)))
      .option('status', {
        type: 'string',
        choices: JOB_STATUSES,
        coerce: canonicalChoice(JOB_STATUSES),
        describe: 'only jobs in this status (any case: inprogress, in-progress)',
      })
      .option('model', {
        type: 'string',
        describe: 'only the jobs of this model (exactly: churn lists churn-…, not churn2-…)',
      })
      .option('limit', { type: 'number', describe: 'only the newest N jobs (after the filters)' })
      .option('concurrency', { type: 'number', default: 16, describe: 'parallel status requests to AWS' })
      .option('live', {
        type: 'boolean',
        default: true,
        describe: 'ask AWS for the current status (--no-live: table only)',
      })
      .check((argv) => {
        checkWholeNumber('limit', argv.limit, 1);
        checkWholeNumber('concurrency', argv.concurrency, 1);
        return true;
      })
      .example('$0 jobs --status InProgress', 'jobs still running'),
  handler: (args) => runCommand(args, () => import('./jobs.js'), { formats: true }),
};
