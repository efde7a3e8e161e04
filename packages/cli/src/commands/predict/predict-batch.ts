import {
  pollBatchPrediction,
  quoteIdentifier,
  selectJobsSql,
  startBatchPrediction,
  type BatchPredictionDeps,
  type PollBatchPredictionResult,
  type SqlPort,
} from '@sme/core';
import type { SageMakerAdapters } from '@sme/sagemaker-adapter';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { processInterrupts, smeCommand, withInterrupt } from '../../runtime/interrupt.js';
import { exitCodeForStatus } from '../../runtime/jobs-runtime.js';
import { nodePorts, openAws, processRuntime, withExasol, type Runtime } from '../../runtime/session.js';
import { resolveCliSettings } from '../../settings/settings.js';
import { reapBeforeCommand } from '../endpoint/reap-hook.js';
import type { BatchPredictArgs } from './batch-options.js';
import type { PredictArgs } from './predict-args.js';
import { parseTableName } from './predict-table.js';

function deps(sql: SqlPort, aws: SageMakerAdapters, ports: ReturnType<typeof nodePorts>): BatchPredictionDeps {
  return {
    sql,
    automl: aws.automl,
    endpoints: aws.endpoints,
    transforms: aws.transforms,
    objects: aws.objects,
    ...ports,
  };
}

/** The CONNECTION and region recorded with the job (the defaults of --connection and --region). */
async function jobDefaults(
  sql: SqlPort,
  schema: string,
  job: string | undefined,
): Promise<{ connection?: string; region?: string }> {
  if (job === undefined) return {};
  const result = await sql.query(selectJobsSql(schema, job));
  const index = (name: string): number => result.columns.findIndex((c) => c.name === name);
  const row = result.rows[0];
  const value = (name: string): string | undefined => {
    const v = row?.[index(name)];
    return typeof v === 'string' ? v : undefined;
  };
  const connection = value('AWS_CREDENTIALS_CONNECTION_NAME');
  const region = value('AWS_REGION');
  return {
    ...(connection === undefined ? {} : { connection: quoteIdentifier(connection) }),
    ...(region === undefined ? {} : { region }),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** `sme predict --batch …`: starts a batch prediction, or polls one (`--poll NAME`); `--wait` follows it. */
export async function runBatch(
  args: PredictArgs & BatchPredictArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  const settings = resolveCliSettings(args, runtime.env);
  const ports = nodePorts(output, args.verbose);
  const aws = await openAws(settings, output, runtime);
  try {
    return await withExasol(settings, output, runtime, async (sql) => {
      await reapBeforeCommand(
        { sql, endpoints: aws.endpoints, clock: ports.clock },
        settings.schema,
        output,
        runtime.env,
      );
      const context = { metadataSchema: settings.schema };
      let name = args.poll;
      if (name === undefined) {
        const input = parseTableName(args.table ?? '');
        const into = parseTableName(args.into ?? '');
        const recorded = await jobDefaults(sql, settings.schema, args.job);
        const session = await sql.query('SELECT CURRENT_SESSION, CURRENT_USER');
        const [sessionId, user] = session.rows[0] ?? [];
        const started = await startBatchPrediction(
          {
            ...(args.job === undefined ? {} : { job_name: args.job }),
            ...(args.model === undefined ? {} : { model_name: args.model }),
            aws_credentials_connection_name: args.connection ?? recorded.connection ?? '',
            aws_region: settings.aws.region ?? recorded.region ?? '',
            input_schema_name: quoteIdentifier(input.schema),
            input_table_or_view_name: quoteIdentifier(input.table),
            output_schema_name: quoteIdentifier(into.schema),
            output_table_name: quoteIdentifier(into.table),
            key_columns: (args.key ?? []).map((k) => (k.startsWith('"') ? k : k.toUpperCase())).map(quoteIdentifier),
            ...(args.instanceType === undefined ? {} : { instance_type: args.instanceType }),
          },
          deps(sql, aws, ports),
          { ...context, sessionId: String(sessionId), user: String(user) },
        );
        name = started.name;
        if (args.wait !== true) {
          output.result(started, () => {
            output.line(started.name);
            output.note(
              `scoring ${String(started.rowCount)} rows of ${args.table ?? ''} into ${started.outputTable} with ` +
                `the best model of ${started.jobName}; import the results once done with: ` +
                smeCommand(['predict', '--batch', '--poll', started.name], { '--schema': args.schema }),
            );
          });
          return ExitCode.Ok;
        }
        output.line(started.name);
      }
      const ref = { name };
      const interval = Math.max(0.1, args.pollInterval ?? 5) * 1000;
      const final: PollBatchPredictionResult = await withInterrupt(
        runtime.interrupts ?? processInterrupts,
        async (signal) => {
          for (;;) {
            const polled = await pollBatchPrediction(ref, deps(sql, aws, ports), context);
            if (
              args.wait !== true ||
              polled.status === 'Completed' ||
              polled.status === 'Failed' ||
              polled.status === 'Stopped'
            )
              return polled;
            output.note(`${polled.name}: ${polled.status}`);
            await sleep(interval, signal);
            if (signal.aborted) return polled;
          }
        },
      );
      output.result(final, () => {
        if (args.poll !== undefined) output.line(final.name);
        output.note(
          final.status === 'Completed'
            ? `${final.name}: ${String(final.importedRows ?? 0)} rows predicted into ${final.outputTable}`
            : `${final.name}: ${final.status}${final.failureReason === undefined ? '' : ` (${final.failureReason})`}`,
        );
        if (final.cleanupNote !== undefined) output.note(`warning: ${final.cleanupNote}`);
      });
      return exitCodeForStatus(final.status);
    });
  } finally {
    aws.close();
  }
}
