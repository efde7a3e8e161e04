import { listJobCandidates } from '@sme/core';
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
    const r = await listJobCandidates(jobRef(args.job, args), deps, context);
    output.result(r, () => {
      printTable(
        output,
        ['RANK', 'CANDIDATE', 'ALGORITHM', 'OBJECTIVE', 'VALUE', 'STATUS', 'SECONDS', 'BEST'],
        r.candidates.map((c) => [
          String(c.rank),
          c.candidateName,
          c.algorithm ?? '',
          c.objectiveMetric ?? '',
          shownNumber(c.objectiveValue),
          c.candidateStatus,
          shownNumber(c.trainingSeconds),
          c.isBest ? '*' : '',
        ]),
      );
    });
    return ExitCode.Ok;
  });
}
