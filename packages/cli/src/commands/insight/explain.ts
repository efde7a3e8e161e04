import { explainJob } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { jobRef, withResolvedJob } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import type { InsightArgs } from './insight-args.js';
import { withInsightDeps } from './insight-runtime.js';
import { explainView } from '../../views.js';

export async function run(
  args: InsightArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  return withInsightDeps(args, output, runtime, async (deps, context) => {
    args = await withResolvedJob(args, deps, context.metadataSchema, output);
    const r = await explainJob(jobRef(args.job, args), deps, context);
    if (output.format === 'table')
      output.note(`${r.jobName}: best candidate ${r.candidateName} (mean |SHAP| per input column)`);
    output.show(explainView(r));
    return ExitCode.Ok;
  });
}
