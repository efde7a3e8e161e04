import type { Argv } from 'yargs';

/** The flags of `sme predict --batch` (batch scoring with a SageMaker batch transform, no endpoint). */
export interface BatchPredictArgs {
  readonly batch?: boolean;
  /** SCHEMA.TABLE the predictions go into (created when absent). */
  readonly into?: string;
  /** Key columns (the `--key` flag of `sme predict`, split at commas): they lead each output row. */
  readonly key?: readonly string[];
  readonly job?: string;
  readonly model?: string;
  readonly connection?: string;
  readonly instanceType?: string;
  /** The name of a batch prediction started before: poll it (import when completed). */
  readonly poll?: string;
  readonly wait?: boolean;
  readonly pollInterval?: number;
}

const GROUP = 'Batch prediction (--batch):';

/** Adds the `--batch` flags to `sme predict` and checks their combinations. */
export function withBatchPredictOptions<T>(yargs: Argv<T>): Argv<T & BatchPredictArgs> {
  return yargs
    .option('batch', {
      type: 'boolean',
      group: GROUP,
      describe: 'score --table with a SageMaker batch transform into --into (no endpoint needed)',
    })
    .option('into', { type: 'string', group: GROUP, describe: 'SCHEMA.TABLE for keys + PREDICTIONS [+ PROBABILITY]' })
    .option('job', { type: 'string', group: GROUP, describe: 'the job whose best model scores' })
    .option('model', { type: 'string', group: GROUP, describe: 'or: the newest job trained with this model name' })
    .option('connection', {
      type: 'string',
      group: GROUP,
      describe: "Exasol CONNECTION to the job's S3 bucket (default: the job's)",
    })
    .option('instance-type', {
      type: 'string',
      group: GROUP,
      describe: 'transform instance type (default ml.m5.large)',
    })
    .option('poll', {
      type: 'string',
      group: GROUP,
      describe: 'poll the batch prediction of this name (imports when done)',
    })
    .option('wait', { type: 'boolean', group: GROUP, describe: 'follow until the predictions are in the table' })
    .option('poll-interval', {
      type: 'number',
      group: GROUP,
      default: 5,
      describe: 'seconds between polls with --wait',
    })
    .check((argv) => {
      if (argv.batch !== true) {
        for (const flag of ['into', 'job', 'model', 'poll', 'wait'] as const) {
          if (argv[flag] !== undefined) throw new Error(`--${flag} needs --batch`);
        }
        return true;
      }
      const a = argv as unknown as Record<string, unknown>;
      if (a.endpoint !== undefined || a.file !== undefined) throw new Error('--batch takes no --endpoint or --file');
      if (argv.poll !== undefined) return true;
      const keys = a.key as readonly string[] | undefined;
      if (a.table === undefined || argv.into === undefined || keys === undefined || keys.length === 0)
        throw new Error('--batch needs --table SCHEMA.TABLE, --into SCHEMA.TABLE and --key COLUMN');
      if ((argv.job === undefined) === (argv.model === undefined)) throw new Error('--batch needs --job or --model');
      return true;
    })
    .example(
      '$0 predict --batch --job churn-231114221320 --table SALES.NEW_CUSTOMERS --into SALES.SCORES --key CUSTOMER_ID --wait',
      'batch transform into a table, keys kept',
    );
}
