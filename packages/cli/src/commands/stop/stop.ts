import { describeJob, stopJob, type JobContext, type JobDeps } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { confirm } from '../../runtime/confirm.js';
import { jobRef, withJobDeps, withResolvedJob } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import type { StopArgs } from './stop-args.js';

/** What `confirm` shows and asks. */
type ConfirmRequest = Parameters<typeof confirm>[1];

/** What `sme stop` asks before it stops a running job (shown on a terminal; `--yes` skips it). */
export function stopConfirmation(
  yes: boolean | undefined,
  current: { readonly jobName: string; readonly status: string; readonly secondaryStatus: string },
): ConfirmRequest {
  return {
    yes,
    action: `Stop job ${current.jobName}`,
    plan: [`would stop job ${current.jobName} (${current.status} / ${current.secondaryStatus}); it cannot be resumed`],
  };
}

/**
 * Stops a running job after confirmation (`--yes`, or a yes on the terminal). A job that has already ended is a
 * success with nothing to do.
 */
export async function stopConfirmed(
  args: StopArgs,
  deps: JobDeps,
  context: JobContext,
  output: Output,
  runtime: Runtime,
): Promise<ExitCodeValue> {
  args = await withResolvedJob(args, deps, context.metadataSchema, output);
  const ref = jobRef(args.job, args);
  const current = await describeJob(ref, deps, context);
  if (current.terminal) {
    output.result({ jobName: current.jobName, status: current.status, stopped: false }, () => {
      output.line(`${current.jobName}: already ended ${current.status}; nothing to stop`);
    });
    return ExitCode.Ok;
  }
  await confirm(runtime, stopConfirmation(args.yes, current));
  const stopped = await stopJob(ref, deps, context);
  output.result({ ...stopped, stopped: true }, () => {
    output.line(`${stopped.jobName}: ${stopped.status}`);
    output.note(`it ends Stopped shortly; check with: sme status ${stopped.jobName}`);
  });
  return ExitCode.Ok;
}

export async function run(args: StopArgs, output: Output, runtime: Runtime = processRuntime()): Promise<ExitCodeValue> {
  return withJobDeps(args, output, runtime, (deps, context) => stopConfirmed(args, deps, context, output, runtime));
}
