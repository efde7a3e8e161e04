import { pollJob } from '@sme/core';
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
    args = await withResolvedJob(args, deps, context.metadataSchema, output);
    const ref = jobRef(args.job, args);
    // One DescribeAutoMLJobV2 per answer: a poll records what it sees in the metadata row and brings the creation
    // time. Watching, the first poll learns it, so a throttled first call is retried like every later one.
    let createdAt: number | undefined;
    const poll = async () => {
      const polled = await pollJob(ref, deps, context);
      createdAt = polled.creationTime;
      return polled;
    };
    const result = args.watch
      ? await withInterrupt(runtime.interrupts ?? processInterrupts, (signal) =>
          followJob(args.job, poll, output, {
            intervalMs: args.pollInterval * 1000,
            startedAt: () => createdAt,
            tty: runtime.stderr.isTTY === true,
            stream: process.stderr,
            signal,
            followCommand: smeCommand(['status', args.job, '--watch'], {
              '--schema': args.schema,
              '--region': args.region,
            }),
            stopCommand: smeCommand(['stop', args.job], { '--schema': args.schema, '--region': args.region }),
          }),
        )
      : await poll();
    const { creationTime, endTime } = result;
    const elapsedMs = (endTime ?? Date.now()) - creationTime;
    if (args.watch && output.format === 'table') output.line(summary(result));
    else {
      output.show(statusView(result, elapsedMs), () => {
        if (!result.recorded) output.note('(not in the metadata table: nothing recorded)');
      });
    }
    return exitCodeForStatus(result.status);
  });
}
