import type { Argv, CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { PREDICTION_GROUP } from '../../options/help-layout.js';
import { withOutputFormat } from '../../options/output-options.js';
import { runCommand } from '../../run-command.js';
import { withBatchPredictOptions, type BatchPredictArgs } from './batch-options.js';
import type { PredictArgs } from './predict-args.js';

export type { PredictArgs };

const GROUP = PREDICTION_GROUP;

export const predictCommand: CommandModule<GlobalArgs, PredictArgs & BatchPredictArgs> = {
  command: 'predict',
  describe:
    'Predict with an endpoint: over an Exasol table (through its prediction UDF) or a local CSV file; or with --batch, from a table into a table without an endpoint',
  builder: (yargs) =>
    withOutputFormat(withBatchPredictOptions(withAwsOptions(withExasolOptions(yargs))), 'output-file')
      .option('endpoint', { type: 'string', group: GROUP, describe: 'endpoint name (required without --batch)' })
      .option('table', {
        type: 'string',
        group: GROUP,
        describe: 'SCHEMA.TABLE holding the feature columns: runs the prediction UDF in Exasol',
      })
      .option('file', {
        type: 'string',
        group: GROUP,
        describe:
          'local CSV file: calls InvokeEndpoint from here; its header names the features in any order (read from the metadata in Exasol), --no-header takes them in training order without Exasol',
      })
      .option('key', {
        type: 'string',
        array: true,
        group: GROUP,
        describe:
          'key column(s) kept beside the predictions (comma-separated or repeated): --file columns not sent to the model; --table: the keys the endpoint was deployed with (passed anyway); --batch: columns of --table leading each output row',
        coerce: (values: readonly string[]) => values.flatMap((v) => v.split(',')).map((v) => v.trim()),
      })
      .option('limit', { type: 'number', group: GROUP, describe: 'predict only the first N rows of --table' })
      .option('output-file', {
        type: 'string',
        group: GROUP,
        describe: 'write the rows as CSV to this file instead of printing them',
      })
      .option('header', {
        type: 'boolean',
        group: GROUP,
        default: true,
        describe: 'the first line of --file holds column names (--no-header: it does not)',
      })
      .option('batch-rows', {
        type: 'number',
        group: GROUP,
        default: 100000, // core's DEFAULT_BATCH_ROWS (a literal: --help loads no core)
        describe: 'most rows per InvokeEndpoint request with --file (requests are sized to stay below 5 MiB)',
      })
      .conflicts('table', 'file')
      .conflicts('limit', 'file')
      .check((argv) => {
        if (argv.batch === true) {
          if (argv.output !== undefined && argv.output !== 'json')
            throw new Error(`--output ${argv.output} does not apply to --batch: it prints the batch prediction's name`);
          if (argv['output-file'] !== undefined)
            throw new Error('--output-file does not apply to --batch: the rows go into the table --into names');
          return true;
        }
        if (argv.endpoint === undefined) throw new Error('Give --endpoint NAME (or --batch)');
        if (argv.table === undefined && argv.file === undefined)
          throw new Error('Give --table SCHEMA.TABLE or --file FILE.csv');
        const limit = argv.limit;
        if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1))
          throw new Error(`--limit must be a whole number of at least 1, got ${String(limit)}`);
        if (argv.key !== undefined && argv.file !== undefined && !argv.header)
          throw new Error('--key needs a header line in --file (key columns are found by name): leave out --no-header');
        const rows = argv['batch-rows'];
        if (!(Number.isInteger(rows) && rows >= 1 && rows <= 100000))
          throw new Error(`--batch-rows must be a whole number from 1 to 100000, got ${String(rows)}`);
        return true;
      })
      .example('$0 predict --endpoint churn-ep --table SALES.NEW_CUSTOMERS --limit 20', 'print 20 predictions')
      .example(
        '$0 predict --endpoint churn-ep --table SALES.NEW_CUSTOMERS --output-file predictions.csv',
        'write them to a CSV file',
      )
      .example(
        '$0 predict --endpoint churn-ep --file customers.csv --key CUSTOMER_ID',
        'columns matched by header name',
      )
      .example(
        '$0 predict --endpoint churn-ep --file customers.csv --no-header --region eu-central-1',
        'columns in training order: no Exasol needed',
      ) as unknown as Argv<PredictArgs & BatchPredictArgs>,
  // --batch prints the batch prediction's name (or, with --json, its record), not rows.
  handler: (args) => runCommand(args, () => import('./predict.js'), { formats: args.batch !== true }),
};
