import type { InsightDeps, JobContext } from '@sme/core';
import type { Output } from '../../output.js';
import { withJobDeps } from '../../runtime/jobs-runtime.js';
import { nodePorts, type Runtime } from '../../runtime/session.js';
import type { CliSettings, CliSettingsArgs } from '../../settings/settings.js';

/** `withJobDeps` plus what the insight use cases read: S3 report files (the credential chain) and JSON. */
export async function withInsightDeps<T>(
  args: CliSettingsArgs & { readonly verbose: boolean },
  output: Output,
  runtime: Runtime,
  fn: (deps: InsightDeps, context: JobContext, settings: CliSettings) => Promise<T>,
): Promise<T> {
  return withJobDeps(args, output, runtime, (deps, context, settings, aws) =>
    fn({ ...deps, json: nodePorts(output, args.verbose).json, objects: () => aws.objects }, context, settings),
  );
}

/** Aligned columns on stdout: a header line, then one line per row. */
export function printTable(output: Output, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  for (const row of [header, ...rows]) {
    output.line(
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  }
}

/** A metric value for people: up to 6 significant digits. */
export function shownNumber(value: number | undefined): string {
  return value === undefined ? '' : String(Number(value.toPrecision(6)));
}
