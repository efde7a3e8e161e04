import { evaluateJob } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { jobRef } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import type { InsightArgs } from './insight-args.js';
import { printTable, shownNumber, withInsightDeps } from './insight-runtime.js';

export async function run(
  args: InsightArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  return withInsightDeps(args, output, runtime, async (deps, context) => {
    const r = await evaluateJob(jobRef(args.job, args), deps, context);
    output.result(r, () => {
      output.note(`${r.jobName}: best candidate ${r.candidateName}`);
      const baseline = new Map(r.baseline.map((b) => [b.metricName, b.value]));
      printTable(
        output,
        ['METRIC', 'VALUE', 'BASELINE', 'SET'],
        r.metrics.map((m) => [m.metricName, shownNumber(m.value), shownNumber(baseline.get(m.metricName)), m.set]),
      );
    });
    return ExitCode.Ok;
  });
}
