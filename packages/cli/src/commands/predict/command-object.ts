import type { Argv, CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { PREDICTION_GROUP } from '../../options/help-layout.js';
import { runCommand } from '../../run-command.js';
import type { PredictArgs } from './predict-args.js';

export type { PredictArgs };

const GROUP = PREDICTION_GROUP;

export const predictCommand: CommandModule<GlobalArgs, PredictArgs> = {
  command: 'predict',
  describe: 'Predict with an endpoint: over an Exasol table (through its prediction UDF) or a local CSV file',
  builder: (yargs) =>
    withAwsOptions(withExasolOptions(yargs))
      .option('endpoint', { type: 'string', group: GROUP, demandOption: true, describe: 'endpoint name' })
      .option('table', {
        type: 'string',
        group: GROUP,
        describe: 'SCHEMA.TABLE holding the feature columns: runs the prediction UDF in Exasol',
      })
      .option('file', {
        type: 'string',
        group: GROUP,
        describe: 'local CSV file of feature columns in training order: calls InvokeEndpoint from here, no Exasol',
      })
      .option('limit', { type: 'number', group: GROUP, describe: 'predict only the first N rows of --table' })
      .option('output', { type: 'string', group: GROUP, describe: 'write the rows as CSV to this file' })
      .option('header', {
        type: 'boolean',
        group: GROUP,
        default: true,
        describe: 'the first line of --file holds column names (--no-header: it does not)',
      })
      .option('batch-rows', {
        type: 'number',
        group: GROUP,
        default: 500, // core's DEFAULT_BATCH_ROWS (a literal: --help loads no core)
        describe: 'most rows per InvokeEndpoint request with --file (requests also stay below 5 MiB)',
      })
      .conflicts('table', 'file')
      .conflicts('limit', 'file')
      .check((argv) => {
        if (argv.table === undefined && argv.file === undefined)
          throw new Error('Give --table SCHEMA.TABLE or --file FILE.csv');
        const limit = argv.limit;
        if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1))
          throw new Error(`--limit must be a whole number of at least 1, got ${String(limit)}`);
        const rows = argv['batch-rows'];
        if (!(Number.isInteger(rows) && rows >= 1 && rows <= 100000))
          throw new Error(`--batch-rows must be a whole number from 1 to 100000, got ${String(rows)}`);
        return true;
      })
      .example('$0 predict --endpoint churn-ep --table SALES.NEW_CUSTOMERS --limit 20', 'print 20 predictions')
      .example('$0 predict --endpoint churn-ep --table SALES.NEW_CUSTOMERS --output predictions.csv', '')
      .example(
        '$0 predict --endpoint churn-ep --file customers.csv --region eu-central-1',
        'no Exasol needed',
      ) as unknown as Argv<PredictArgs>,
  handler: (args) => runCommand(args, () => import('./predict.js')),
};
