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

/** How many object keys a prefix lists before it says how many more there are (`--dry-run` lists them all). */
export const LISTED_OBJECTS = 5;

function objects(count: number): string {
  return `${String(count)} ${count === 1 ? 'object' : 'objects'}`;
}

/**
 * The human lines of a drop (or of a dry run: what would go). Each S3 prefix names its first object keys; all of
 * them with `everyObject` (a dry run, or --verbose), since a job's output can hold hundreds.
 */
export function dropLines(result: DropJobResult, everyObject = false): string[] {
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
    lines.push(`${would}delete ${prefix.uri} (${objects(prefix.objects.length)})`);
    const shown = everyObject ? prefix.objects : prefix.objects.slice(0, LISTED_OBJECTS);
    for (const key of shown) lines.push(`  ${key}`);
    if (shown.length < prefix.objects.length)
      lines.push(`  … and ${String(prefix.objects.length - shown.length)} more (--dry-run lists every one)`);
  }
  lines.push(
    result.dropped
      ? `dropped ${plan.jobName}: ${objects(result.deletedObjects)} deleted, metadata row marked`
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
      for (const line of dropLines(result, args.dryRun || args.verbose)) output.line(line);
    });
    return ExitCode.Ok;
  });
}
