import { describeJob, pollJob, type JobDetails } from '@sme/core';
import type { ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { followJob } from '../../runtime/follow-job.js';
import { processInterrupts, smeCommand, withInterrupt } from '../../runtime/interrupt.js';
import { exitCodeForStatus, jobRef, withJobDeps, withResolvedJob } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import { summary } from '../train/train.js';
import type { StatusArgs } from './status-args.js';
import { statusView } from '../../views.js';

export async function run(
  args: StatusArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  return withJobDeps(args, output, runtime, async (deps, context) => {
    args = await withResolvedJob(args, deps.sql, context.metadataSchema, output);
    const ref = jobRef(args.job, args);
    // Read-only first, for the creation time; the polls record what they see in the metadata row. Watching, the
    // first poll asks for it, so that a throttled first call is retried like every later one.
    let described: JobDetails | undefined = args.watch ? undefined : await describeJob(ref, deps, context);
    const result = args.watch
      ? await withInterrupt(runtime.interrupts ?? processInterrupts, (signal) =>
          followJob(
            args.job,
            async () => {
              described ??= await describeJob(ref, deps, context);
              return pollJob(ref, deps, context);
            },
            output,
            {
              intervalMs: args.pollInterval * 1000,
              startedAt: () => described?.creationTime,
              tty: runtime.stderr.isTTY === true,
              stream: process.stderr,
              signal,
              followCommand: smeCommand(['status', args.job, '--watch'], {
                '--schema': args.schema,
                '--region': args.region,
              }),
              stopCommand: smeCommand(['stop', args.job], { '--schema': args.schema, '--region': args.region }),
            },
          ),
        )
      : await pollJob(ref, deps, context);
    // Set by now: a watch returns only after a successful poll.
    const { creationTime, endTime } = described ?? (await describeJob(ref, deps, context));
    const elapsedMs = (endTime ?? Date.now()) - creationTime;
    if (args.watch && output.format === 'table') output.line(summary(result));
    else {
      output.show(statusView(result, creationTime, elapsedMs), () => {
        if (!result.recorded) output.note('(not in the metadata table: nothing recorded)');
      });
    }
    return exitCodeForStatus(result.status);
  });
}
