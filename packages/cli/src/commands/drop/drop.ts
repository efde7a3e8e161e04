import { dropJob, type DropJobRef, type DropJobResult } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { confirm } from '../../runtime/confirm.js';
import { withResolvedJob } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import { withEndpointDeps } from '../endpoint/endpoint-runtime.js';
import type { DropArgs } from './drop-args.js';

/** What `confirm` shows and asks. */
type ConfirmRequest = Parameters<typeof confirm>[1];

/** The job reference of `sme drop`: flags override the connection and region recorded with the job. */
export function dropRef(args: DropArgs): DropJobRef {
  return {
    jobName: args.job,
    ...(args.connection === undefined ? {} : { connectionName: args.connection }),
    ...(args.region === undefined ? {} : { region: args.region }),
  };
}

/** The human lines of a drop (or of a dry run: what would go). */
export function dropLines(result: DropJobResult): string[] {
  const { plan } = result;
  const would = result.dropped ? '' : 'would ';
  const lines: string[] = [];
  lines.push(
    plan.stopJob
      ? `${would}stop job ${plan.jobName} (${plan.status ?? 'InProgress'})`
      : `job ${plan.jobName}: ${plan.status ?? 'unknown at AWS'} (nothing to stop)`,
  );
  for (const endpoint of plan.endpoints)
    lines.push(`${would}delete endpoint ${endpoint} (with its config, model, UDF)`);
  for (const prefix of plan.prefixes) {
    lines.push(`${would}delete ${prefix.uri} (${String(prefix.objects.length)} objects)`);
    for (const key of prefix.objects) lines.push(`  ${key}`);
  }
  lines.push(
    result.dropped
      ? `dropped ${plan.jobName}: ${String(result.deletedObjects)} objects deleted, metadata row marked`
      : `${would}mark the metadata row of ${plan.jobName} as dropped (dry run: nothing changed)`,
  );
  return lines;
}

/** What `sme drop` asks before it drops (its dry run's lines; shown on a terminal; `--yes` skips it). */
export function dropConfirmation(yes: boolean | undefined, job: string, dryRun: DropJobResult): ConfirmRequest {
  return { yes, action: `Drop job ${job}`, plan: dropLines(dryRun).slice(0, -1) };
}

export async function run(args: DropArgs, output: Output, runtime: Runtime = processRuntime()): Promise<ExitCodeValue> {
  return withEndpointDeps(args, output, runtime, async (deps, context) => {
    args = await withResolvedJob(args, deps, context.metadataSchema, output);
    if (!args.dryRun && args.yes !== true) {
      // What would go, first: a job that is not there fails here, before anyone is asked.
      const plan = await dropJob(dropRef(args), { dryRun: true }, deps, context);
      await confirm(runtime, dropConfirmation(args.yes, args.job, plan));
    }
    const result = await dropJob(dropRef(args), { dryRun: args.dryRun }, deps, context);
    output.result(result, () => {
      for (const line of dropLines(result)) output.line(line);
    });
    return ExitCode.Ok;
  });
}
