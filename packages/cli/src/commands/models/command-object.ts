import type { CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { withOutputFormat } from '../../options/output-options.js';
import { runCommand } from '../../run-command.js';
import type { ModelsArgs, PromoteArgs } from './models-args.js';

export type { ModelsArgs, PromoteArgs };

const GROUP = 'Promote:';

export const promoteCommand: CommandModule<GlobalArgs, PromoteArgs> = {
  command: 'promote <job>',
  describe: 'Point a stable model name at a job: its UDF PREDICT_<NAME> keeps name and signature across retrains',
  builder: (yargs) =>
    withAwsOptions(withExasolOptions(yargs))
      .positional('job', { type: 'string', demandOption: true, describe: 'job name, as printed by sme train' })
      .option('as', {
        type: 'string',
        group: GROUP,
        demandOption: true,
        describe: 'the model name (letters, digits, _ and -): the UDF is PREDICT_<NAME> beside the endpoint’s UDF',
      })
      .option('endpoint', {
        type: 'string',
        group: GROUP,
        describe: 'the endpoint the UDF calls (default: the job’s newest deployed endpoint)',
      })
      .option('udf-aws-endpoint-url', {
        type: 'string',
        group: GROUP,
        describe: 'SageMaker runtime URL the UDF calls from inside Exasol (as for sme endpoint deploy)',
      })
      .example(
        '$0 promote churn-261126093000 --as churn',
        'SELECT ML.PREDICT_CHURN(…) now predicts with that job; promote the next retrain the same way',
      ),
  handler: (args) => runCommand(args, () => import('./promote.js')),
};

export const modelsCommand: CommandModule<GlobalArgs, ModelsArgs> = {
  command: 'models',
  describe: 'List model names with their current job, endpoint, UDF, when promoted and by whom',
  builder: (yargs) =>
    withOutputFormat(withExasolOptions(yargs)).example('$0 models --output csv', 'one line per model name'),
  handler: (args) => runCommand(args, () => import('./models.js'), { formats: true }),
};
