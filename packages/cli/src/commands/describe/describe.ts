import { describeJob } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { jobRef, withJobDeps, withResolvedJob } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import type { DescribeArgs } from './describe-args.js';
import { describeView } from '../../views.js';

export async function run(
  args: DescribeArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  return withJobDeps(args, output, runtime, async (deps, context) => {
    args = await withResolvedJob(args, deps, context.metadataSchema, output);
    const details = await describeJob(jobRef(args.job, args), deps, context);
    output.show(describeView(details, Date.now()), () => {
      if (details.metadata === undefined) output.note('(not in the metadata table: the parameters are unknown)');
    });
    return ExitCode.Ok;
  });
}
