import { stopJob } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { jobRef, withJobDeps } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import type { StopArgs } from './stop-args.js';

export async function run(args: StopArgs, output: Output, runtime: Runtime = processRuntime()): Promise<ExitCodeValue> {
  return withJobDeps(args, output, runtime, async (deps, context) => {
    const stopped = await stopJob(jobRef(args.job, args), deps, context);
    output.result(stopped, () => {
      output.line(`${stopped.jobName}: ${stopped.status}`);
      output.note(`it ends Stopped shortly; check with: sme status ${stopped.jobName}`);
    });
    return ExitCode.Ok;
  });
}
