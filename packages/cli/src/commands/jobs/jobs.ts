import { exasolTimestamp, listJobs, updateJobSql, type JobListEntry, type SqlPort } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { withJobDeps } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import type { JobsArgs } from './jobs-args.js';

/** Applies `--status`, `--model` and `--limit` to the listed jobs (newest first). */
export function filterJobs(
  jobs: readonly JobListEntry[],
  filters: { readonly status?: string; readonly model?: string; readonly limit?: number },
): JobListEntry[] {
  const model = filters.model?.toLowerCase();
  return jobs
    .filter((job) => filters.status === undefined || (job.status ?? job.recordedStatus) === filters.status)
    .filter((job) => model === undefined || job.jobName.toLowerCase().startsWith(model))
    .slice(0, filters.limit ?? Number.POSITIVE_INFINITY);
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
  return withJobDeps(args, output, runtime, async (deps, context) => {
    const all = await listJobs(deps, context, { live: args.live, concurrency: args.concurrency });
    await recordChanges(deps.sql, context.metadataSchema, all, deps.clock.nowMillis());
    const jobs = filterJobs(all, args);
    output.result(
      jobs.map(({ metadata, ...job }) => ({
        ...job,
        bestMetricName: metadata.BEST_METRIC_NAME ?? undefined,
        bestMetricValue: metadata.BEST_METRIC_VALUE ?? undefined,
      })),
      () => {
        if (jobs.length === 0) {
          output.note('no jobs');
          return;
        }
        const table = jobs.map((job) => [
          job.jobName,
          job.status ?? job.recordedStatus ?? '?',
          job.secondaryStatus ?? (job.status === undefined ? '(recorded)' : ''),
          job.createdAt ?? '',
          job.error === undefined ? metricText(job) : `${job.error.code}: ${job.error.message}`,
        ]);
        const header = ['JOB', 'STATUS', 'SECONDARY', 'CREATED (UTC)', 'BEST METRIC'];
        const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
        for (const row of [header, ...table]) {
          output.line(
            row
              .map((cell, i) => cell.padEnd(widths[i] ?? 0))
              .join('  ')
              .trimEnd(),
          );
        }
      },
    );
    return ExitCode.Ok;
  });
}

function metricText(job: JobListEntry): string {
  const name = job.metadata.BEST_METRIC_NAME;
  const value = job.metadata.BEST_METRIC_VALUE;
  return name === null || name === undefined || value === null || value === undefined
    ? ''
    : `${String(name)} = ${String(value)}`;
}
