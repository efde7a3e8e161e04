import { listEndpoints, type EndpointListEntry } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { formatElapsed } from '../../runtime/follow-job.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import type { EndpointListArgs } from './endpoint-args.js';
import { hasEndpointsTable, withEndpointDeps } from './endpoint-runtime.js';

/** The rows of the human table: one per endpoint, `RUNNING` is how long it has run (what it has cost). */
export function endpointTable(entries: readonly EndpointListEntry[]): string[] {
  const rows = entries.map((e) => [
    e.endpointName,
    e.status ?? e.recordedStatus ?? '?',
    e.runningMillis === undefined ? '' : formatElapsed(e.runningMillis),
    e.instanceType === undefined ? '' : `${String(e.instanceCount ?? 1)} × ${e.instanceType}`,
    e.tracked ? (e.jobName ?? '') : '(not recorded by sme)',
    e.error === undefined ? '' : `${e.error.code}: ${e.error.message}`,
  ]);
  const header = ['ENDPOINT', 'STATUS', 'RUNNING', 'INSTANCES', 'JOB', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

export async function run(
  args: EndpointListArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  return withEndpointDeps(args, output, runtime, async (deps, context, settings) => {
    const region = settings.aws.region ?? deps.aws.options.region;
    const entries = (await hasEndpointsTable(deps.sql, context.metadataSchema))
      ? await listEndpoints(deps, context, {
          live: args.live,
          concurrency: args.concurrency,
          ...(args.untracked ? { untrackedIn: { connectionName: args.connection ?? '', region } } : {}),
        })
      : [];
    output.result(entries, () => {
      if (entries.length === 0) {
        output.note('no endpoints running');
        return;
      }
      for (const line of endpointTable(entries)) output.line(line);
    });
    return ExitCode.Ok;
  });
}
