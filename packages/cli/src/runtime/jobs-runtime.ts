import { resolveJobName, type JobContext, type JobDeps, type JobRef, type StoreDeps } from '@sme/core';
import type { SageMakerAdapters } from '@sme/sagemaker-adapter';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import type { Output } from '../output.js';
import { resolveCliSettings, type CliSettings, type CliSettingsArgs } from '../settings/settings.js';
import { reapBeforeCommand } from '../commands/endpoint/reap-hook.js';
import { nodePorts, openAws, withExasol, type Runtime } from './session.js';

/** Exit code for a job's final status: Failed → 3, Stopped → 4, anything else → 0. */
export function exitCodeForStatus(status: string): ExitCodeValue {
  if (status === 'Failed') return ExitCode.JobFailed;
  if (status === 'Stopped') return ExitCode.JobStopped;
  return ExitCode.Ok;
}

/** A job reference: a region given by flag asks AWS there even when the job is not in the metadata table. */
export function jobRef(jobName: string, args: { readonly region?: string; readonly connection?: string }): JobRef {
  return {
    jobName,
    ...(args.region === undefined ? {} : { region: args.region }),
    ...(args.connection === undefined ? {} : { connectionName: args.connection }),
  };
}

/**
 * Runs `fn` with the core's job ports wired to Node adapters: an Exasol session (closed afterwards) and the AWS
 * adapters (closed afterwards).
 */
export async function withJobDeps<T>(
  args: CliSettingsArgs & { readonly verbose: boolean },
  output: Output,
  runtime: Runtime,
  fn: (deps: JobDeps, context: JobContext, settings: CliSettings, aws: SageMakerAdapters) => Promise<T>,
): Promise<T> {
  const settings = resolveCliSettings(args, runtime.env);
  const aws = await openAws(settings, output, runtime);
  try {
    return await withExasol(settings, output, runtime, async (sql) => {
      const { clock, log } = nodePorts(output, args.verbose);
      // The adapters answer for every (connection, region): reap every recorded idle endpoint, as the endpoint
      // commands do.
      await reapBeforeCommand({ sql, endpoints: aws.endpoints, clock }, settings.schema, output, runtime.env);
      return fn({ sql, automl: aws.automl, clock, log }, { metadataSchema: settings.schema }, settings, aws);
    });
  } finally {
    aws.close();
  }
}

/**
 * The flags with `job` as the job it names: a model name means its latest job (`sme describe churn`), said on
 * stderr; a job name is itself.
 */
export async function withResolvedJob<A extends { readonly job: string }>(
  args: A,
  deps: StoreDeps,
  schema: string,
  output: Output,
): Promise<A> {
  const job = await resolveJobName(deps, schema, args.job);
  if (job !== args.job) output.note(`${args.job}: its latest job is ${job}`);
  return { ...args, job };
}
