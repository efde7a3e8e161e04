import type { Argv } from 'yargs';
import { withFlags, type FlagTable } from '../../options/flag-table.js';
import { usageError, withPollInterval } from '../../options/usage-checks.js';

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

/** The flags of batch prediction, in help order (`--key` is `sme predict`'s, `--poll-interval` the shared one). */
const BATCH_FLAGS: FlagTable<Omit<BatchPredictArgs, 'key' | 'pollInterval'>> = {
  batch: {
    type: 'boolean',
    describe: 'score --table with a SageMaker batch transform into --into (no endpoint needed)',
  },
  into: { type: 'string', describe: 'SCHEMA.TABLE for keys + PREDICTIONS [+ PROBABILITY]' },
  job: { type: 'string', describe: 'the job whose best model scores' },
  model: { type: 'string', describe: 'or: the newest job trained with this model name' },
  connection: { type: 'string', describe: "Exasol CONNECTION to the job's S3 bucket (default: the job's)" },
  instanceType: { type: 'string', describe: 'transform instance type (default ml.m5.large)' },
  poll: { type: 'string', describe: 'poll the batch prediction of this name (imports when done)' },
  wait: { type: 'boolean', describe: 'follow until the predictions are in the table' },
};

/** Adds the `--batch` flags to `sme predict` and checks their combinations. */
export function withBatchPredictOptions<T>(yargs: Argv<T>): Argv<T & BatchPredictArgs> {
  return withPollInterval(withFlags(yargs, BATCH_FLAGS, GROUP), 'seconds between polls with --wait', GROUP)
    .check((argv) => {
      if (argv.batch !== true) {
        for (const flag of ['into', 'job', 'model', 'poll', 'wait'] as const) {
          if (argv[flag] !== undefined) {
            throw usageError(`--${flag} needs --batch`, `Add --batch, or leave out --${flag}.`, flag);
          }
        }
        return true;
      }
      const a = argv as unknown as Record<string, unknown>;
      for (const flag of ['endpoint', 'file'] as const) {
        if (a[flag] !== undefined) {
          throw usageError(
            `--batch takes no --${flag}: it scores --table without an endpoint`,
            `Leave out --${flag}, or --batch to predict with an endpoint.`,
            flag,
          );
        }
      }
      if (argv.poll !== undefined) return true;
      const keys = a.key as readonly string[] | undefined;
      const missing: (readonly [flag: string, shown: string])[] = [];
      if (a.table === undefined) missing.push(['table', '--table SCHEMA.TABLE']);
      if (argv.into === undefined) missing.push(['into', '--into SCHEMA.TABLE']);
      if (keys === undefined || keys.length === 0) missing.push(['key', '--key COLUMN']);
      const first = missing[0];
      if (first !== undefined) {
        throw usageError(
          `--batch needs ${missing.map(([, shown]) => shown).join(', ')}`,
          'Give the table to score (--table), the table for the predictions (--into) and its key columns (--key).',
          first[0],
        );
      }
      if ((argv.job === undefined) === (argv.model === undefined)) {
        throw usageError(
          argv.job === undefined ? '--batch needs --job or --model' : '--batch needs --job or --model, not both',
          'Give either --job JOB (its best model) or --model NAME (the newest job of that model name).',
          'job',
        );
      }
      return true;
    })
    .example(
      '$0 predict --batch --job churn-231114221320 --table SALES.NEW_CUSTOMERS --into SALES.SCORES --key CUSTOMER_ID --wait',
      'batch transform into a table, keys kept',
    );
}
