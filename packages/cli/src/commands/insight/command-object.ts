import type { Argv, CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { withOutputFormat } from '../../options/output-options.js';
import { runCommand } from '../../run-command.js';
import type { InsightArgs, ReportArgs } from './insight-args.js';
import { JOB_ARG } from '../../options/job-arg.js';

export type { InsightArgs, ReportArgs };

function jobBuilder<T>(yargs: Argv<T>): Argv<T & InsightArgs> {
  return withAwsOptions(withExasolOptions(yargs))
    .positional('job', {
      type: 'string',
      demandOption: true,
      describe: JOB_ARG,
    })
    .option('connection', {
      type: 'string',
      describe: 'with --region: ask AWS about a job that is not in the metadata table',
    }) as unknown as Argv<T & InsightArgs>;
}

export const candidatesCommand: CommandModule<GlobalArgs, InsightArgs> = {
  command: 'candidates <job>',
  describe: 'List a job’s candidates as a leaderboard (rank 1 = best by the job’s objective)',
  builder: (yargs) => withOutputFormat(jobBuilder(yargs)).example('$0 candidates churn-261126093000 --json', ''),
  handler: (args) => runCommand(args, () => import('./candidates.js'), { formats: true }),
};

export const evaluateCommand: CommandModule<GlobalArgs, InsightArgs> = {
  command: 'evaluate <job>',
  describe: 'Show the best candidate’s validation metrics from Autopilot’s model-quality report',
  builder: (yargs) => withOutputFormat(jobBuilder(yargs)).example('$0 evaluate churn-261126093000', ''),
  handler: (args) => runCommand(args, () => import('./evaluate.js'), { formats: true }),
};

export const explainCommand: CommandModule<GlobalArgs, InsightArgs> = {
  command: 'explain <job>',
  describe: 'Show the best candidate’s feature importance from Autopilot’s explainability report',
  builder: (yargs) => withOutputFormat(jobBuilder(yargs)).example('$0 explain churn-261126093000', ''),
  handler: (args) => runCommand(args, () => import('./explain.js'), { formats: true }),
};

export const reportCommand: CommandModule<GlobalArgs, ReportArgs> = {
  command: 'report <job>',
  describe: 'Write one self-contained HTML report of a job: settings, leaderboard, evaluation, feature importance',
  builder: (yargs) =>
    jobBuilder(yargs)
      .option('out', { type: 'string', describe: 'HTML file to write (default <job>-report.html)' })
      .example('$0 report churn-261126093000 --out churn.html', ''),
  handler: (args) => runCommand(args, () => import('./report.js')),
};
