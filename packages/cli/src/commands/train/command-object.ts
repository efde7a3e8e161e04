import type { CommandModule } from 'yargs';
import { withAwsOptions } from '../../options/aws-options.js';
import { withExasolOptions } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import { TRAINING_GROUP } from '../../options/help-layout.js';
import { PROBLEM_TYPES, TABULAR_OBJECTIVES } from '@sme/core';
import { canonicalChoice } from '../../options/forgiving.js';
import { flagName, withFlags, type FlagTable } from '../../options/flag-table.js';
import { runCommand } from '../../run-command.js';
import type { TrainArgs } from './train-args.js';
import { FLAG_KEYS, type TrainFlags } from './train-params.js';
import { withPollInterval } from '../../options/usage-checks.js';

export type { TrainArgs };

/** Errors about a training key name the flag that sets it (`--table`, not `input_schema_name`). */
const KEY_FLAGS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(FLAG_KEYS).map(([flag, key]) => [key, `--${flagName(flag)}`])),
  input_schema_name: '--table',
  input_table_or_view_name: '--table',
};

/** The training flags (`--region` is the AWS flag), in help order; the compiler keeps them equal to `TrainFlags`. */
const TRAIN_FLAGS: FlagTable<Omit<TrainFlags, 'region'>> = {
  params: { type: 'string', describe: 'JSON file of training parameters, keys as in SQL (flags override its keys)' },
  modelName: { type: 'string', describe: 'model_name: letters, digits, hyphens' },
  table: { type: 'string', describe: 'SCHEMA.TABLE (or view) to train on' },
  target: { type: 'string', describe: 'target_attribute_name: the column to predict' },
  connection: { type: 'string', describe: 'aws_credentials_connection_name: Exasol CONNECTION to the S3 bucket' },
  bucket: { type: 'string', describe: 's3_bucket_uri, e.g. s3://my-bucket' },
  outputPath: { type: 'string', describe: 's3_output_path: key prefix in the bucket' },
  role: { type: 'string', describe: 'iam_sagemaker_role: role ARN or role name' },
  problemType: {
    type: 'string',
    choices: PROBLEM_TYPES,
    coerce: canonicalChoice(PROBLEM_TYPES),
    describe: 'problem_type (any case; default: Autopilot infers it from the target)',
  },
  objective: {
    type: 'string',
    choices: TABULAR_OBJECTIVES,
    coerce: canonicalChoice(TABULAR_OBJECTIVES),
    describe: 'objective: the metric Autopilot optimises (any case, e.g. f1 → F1)',
  },
  maxCandidates: { type: 'number', describe: 'max_candidates: how many candidate models Autopilot trains at most' },
  maxRuntime: { type: 'number', describe: 'max_runtime_for_automl_job_in_seconds' },
  maxRuntimePerJob: { type: 'number', describe: 'max_runtime_per_training_job_in_seconds' },
  allowSuspectFeatures: {
    type: 'boolean',
    describe: 'allow_suspect_features: train although a feature column equals the target or is a unique key',
  },
  sampleMaxRows: {
    type: 'number',
    describe: 'sample_max_rows: train on a deterministic sample of at most this many rows (stratified on the target)',
  },
  sampleFraction: {
    type: 'number',
    describe: 'sample_fraction: train on this share (0 < f <= 1) of the rows with a target, sampled the same way',
  },
};

export const trainCommand: CommandModule<GlobalArgs, TrainArgs> = {
  command: 'train',
  describe: 'Start an Autopilot job on an Exasol table (the same use case as EXECUTE SCRIPT SME_TRAIN_…)',
  builder: (yargs) =>
    withPollInterval(
      withFlags(withAwsOptions(withExasolOptions(yargs)), TRAIN_FLAGS, TRAINING_GROUP).option('wait', {
        type: 'boolean',
        default: false,
        describe: 'follow the job until it ends',
      }),
      'seconds between status polls with --wait',
    )
      .example(
        '$0 train --model-name churn --table SALES.CUSTOMERS --target CHURNED --connection S3_CONN --bucket s3://ml-data --output-path sme --role SageMakerRole --region eu-central-1 --wait',
        'train on SALES.CUSTOMERS and wait for the result',
      )
      .example(
        '$0 train --params train.json --sample-max-rows 1000000',
        'train on a stratified sample of one million rows of the table',
      )
      .example('$0 train --params train.json', 'the same with the parameters as JSON in a file'),
  handler: (args) => runCommand(args, () => import('./train.js'), { flagNames: KEY_FLAGS }),
};
