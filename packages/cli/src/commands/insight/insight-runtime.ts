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
    fn({ ...deps, json: nodePorts(output, args.verbose).json, objects: aws.objects }, context, settings),
  );
}
