import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  describeJob,
  evaluateJob,
  explainJob,
  isSmeError,
  listJobCandidates,
  type CandidatesResult,
  type EvaluationResult,
  type ExplanationResult,
} from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { jobRef, withResolvedJob } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import type { ReportArgs } from './insight-args.js';
import { withInsightDeps } from './insight-runtime.js';
import { renderReportHtml } from './report-html.js';

/** What `sme report --json` prints. */
export interface ReportResult {
  readonly jobName: string;
  readonly path: string;
  readonly sections: { readonly candidates: boolean; readonly evaluation: boolean; readonly explanation: boolean };
  readonly warnings: readonly string[];
}

/**
 * A part of the report: the use case's answer, or (for the insight errors of a job whose reports are missing or
 * not yet written) a note saying which and why, so that the rest of the report is still written.
 */
async function part<T extends { readonly warnings: readonly string[] }>(
  what: string,
  fn: () => Promise<T>,
  notes: string[],
): Promise<T | undefined> {
  try {
    const r = await fn();
    for (const w of r.warnings) notes.push(`${what}: ${w}`);
    return r;
  } catch (e: unknown) {
    if (!isSmeError(e) || e.code === 'SME-E-JOB-NOT-FOUND') throw e;
    notes.push(`${what}: ${e.code}: ${e.message}`);
    return undefined;
  }
}

export async function run(
  args: ReportArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  return withInsightDeps(args, output, runtime, async (deps, context) => {
    args = await withResolvedJob(args, deps, context.metadataSchema, output);
    const ref = jobRef(args.job, args);
    const job = await describeJob(ref, deps, context);
    const notes: string[] = [];
    const candidates: CandidatesResult | undefined = await part(
      'candidates',
      () => listJobCandidates(ref, deps, context),
      notes,
    );
    const evaluation: EvaluationResult | undefined = await part(
      'evaluation',
      () => evaluateJob(ref, deps, context),
      notes,
    );
    const explanation: ExplanationResult | undefined = await part(
      'feature importance',
      () => explainJob(ref, deps, context),
      notes,
    );
    const html = renderReportHtml({
      job,
      ...(candidates === undefined ? {} : { candidates }),
      ...(evaluation === undefined ? {} : { evaluation }),
      ...(explanation === undefined ? {} : { explanation }),
      notes,
      generatedAt: new Date(deps.clock.nowMillis()).toISOString(),
    });
    const path = resolve(args.out ?? `${job.jobName}-report.html`);
    writeFileSync(path, html, 'utf8');
    const result: ReportResult = {
      jobName: job.jobName,
      path,
      sections: {
        candidates: candidates !== undefined,
        evaluation: evaluation !== undefined,
        explanation: explanation !== undefined,
      },
      warnings: notes,
    };
    output.result(result, () => {
      for (const n of notes) output.note(`warning: ${n}`);
      output.line(`wrote ${path}`);
    });
    return ExitCode.Ok;
  });
}
