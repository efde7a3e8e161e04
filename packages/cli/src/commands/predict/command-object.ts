import type { Argv, CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { PREDICTION_GROUP } from '../../options/help-layout.js';
import { withOutputFormat } from '../../options/output-options.js';
import { runCommand } from '../../run-command.js';
import { withBatchPredictOptions, type BatchPredictArgs } from './batch-options.js';
import type { PredictArgs } from './predict-args.js';
import { checkWholeNumber, usageError } from '../../options/usage-checks.js';

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
          if (argv.output !== undefined && argv.output !== 'json') {
            throw usageError(
              `--output ${argv.output} does not apply to --batch: it prints the batch prediction's name`,
              'Leave out --output (or give --json for the batch prediction as a JSON record).',
              'output',
              argv.output,
            );
          }
          if (argv['output-file'] !== undefined) {
            throw usageError(
              '--output-file does not apply to --batch: the rows go into the table --into names',
              'Leave out --output-file; read the scores from the --into table once the batch prediction is done.',
              'output-file',
            );
          }
          return true;
        }
        if (argv.endpoint === undefined) {
          throw usageError(
            'sme predict needs --endpoint NAME (or --batch)',
            'Give --endpoint NAME (sme endpoint list shows them), or --batch to score without an endpoint.',
            'endpoint',
          );
        }
        if (argv.table === undefined && argv.file === undefined) {
          throw usageError(
            'sme predict needs --table SCHEMA.TABLE or --file FILE.csv',
            'Give --table SCHEMA.TABLE (scored in Exasol) or --file FILE.csv (scored from here).',
            'table',
          );
        }
        checkWholeNumber('limit', argv.limit, 1);
        if (argv.key !== undefined && argv.file !== undefined && !argv.header) {
          throw usageError(
            '--key needs a header line in --file: key columns are found by name',
            'Leave out --no-header and give the file a header line, or leave out --key.',
            'key',
          );
        }
        checkWholeNumber('batch-rows', argv['batch-rows'], 1, 100000);
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
