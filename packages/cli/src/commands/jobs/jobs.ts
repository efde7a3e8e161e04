import { exasolTimestamp, listJobs, modelNameOfJob, updateJobSql, type JobListEntry, type SqlPort } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { describeLimiter, limitedRuntime, noteThrottling } from '../../runtime/describe-limiter.js';
import { withJobDeps } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import type { JobsArgs } from './jobs-args.js';
import { jobsView, shownJobStatus } from '../../views.js';

/** Applies `--status` (`Dropped` for dropped jobs), `--model` (exactly) and `--limit` to the listed jobs (newest first). */
export function filterJobs(
  jobs: readonly JobListEntry[],
  filters: { readonly status?: string; readonly model?: string; readonly limit?: number },
): JobListEntry[] {
  return (
    jobs
      .filter(
        (job) =>
          filters.status === undefined ||
          shownJobStatus({ ...job, status: job.status ?? job.recordedStatus }) === filters.status,
      )
      // Exactly the model's jobs: `churn` is not `churn2`.
      .filter((job) => filters.model === undefined || modelNameOfJob(job.jobName) === filters.model)
      .slice(0, filters.limit ?? Number.POSITIVE_INFINITY)
  );
}

/** Records the live statuses that differ from the metadata rows; returns how many rows changed. */
async function recordChanges(
  sql: SqlPort,
  schema: string,
  jobs: readonly JobListEntry[],
  now: number,
): Promise<number> {
  let changed = 0;
  for (const job of jobs) {
    if (job.status === undefined || job.status === job.recordedStatus) continue;
    changed += await sql.execute(
      updateJobSql(schema, job.jobName, {
        JOB_STATUS: { kind: 'text', value: job.status },
        ...(job.secondaryStatus === undefined
          ? {}
          : { JOB_SECONDARY_STATUS: { kind: 'text' as const, value: job.secondaryStatus } }),
        LAST_STATUS_UPDATE: { kind: 'timestamp', value: exasolTimestamp(now) },
      }),
    );
  }
  return changed;
}

export async function run(args: JobsArgs, output: Output, runtime: Runtime = processRuntime()): Promise<ExitCodeValue> {
  return withJobDeps(args, output, limitedRuntime(runtime), async (deps, context) => {
    const limiter = describeLimiter();
    const all = await listJobs(deps, context, { live: args.live, concurrency: args.concurrency, limiter });
    noteThrottling(limiter, output);
    await recordChanges(deps.sql, context.metadataSchema, all, deps.clock.nowMillis());
    const jobs = filterJobs(all, args);
    output.show(jobsView(jobs), () => {
      if (jobs.length === 0) output.note('no jobs');
    });
    return ExitCode.Ok;
  });
}
