import { isSmeError, parseExasolIdentifier, parseS3Uri } from '@sme/core';
import type { SageMakerAdapters } from '@sme/sagemaker-adapter';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { packageVersion } from '../../package-version.js';
import { processInterrupts, withInterrupt } from '../../runtime/interrupt.js';
import { openAws, processRuntime, withExasol, type Runtime } from '../../runtime/session.js';
import { resolveCliSettings } from '../../settings/settings.js';
import { hasEndpointsTable } from '../endpoint/endpoint-runtime.js';
import { reapBeforeCommand } from '../endpoint/reap-hook.js';
import { runDoctorChecks, type DoctorCheck, type DoctorDeps } from './checks.js';
import type { DoctorArgs } from './doctor-args.js';
import { colourStatus } from '../../view.js';
import { doctorView } from '../../views.js';
import { cliError } from '../../cli-error-codes.js';

/** A job name no one uses: DescribeAutoMLJobV2 on it proves the signature without touching anything. */
const MISSING_JOB = 'sme-doctor-no-such-job';

export async function run(
  args: DoctorArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  const settings = resolveCliSettings(args, runtime.env);
  const connection = args.connection === undefined ? undefined : connectionName(args.connection);
  const bucket = args.bucket === undefined ? undefined : bucketName(args.bucket);
  let aws: SageMakerAdapters | undefined;
  let awsProblem: string | undefined;
  try {
    const opened = await openAws(settings, output, runtime);
    try {
      // Every check of the CLI side calls the default region: without one, the adapters say what is missing.
      opened.automl();
    } catch (error) {
      opened.close();
      throw error;
    }
    aws = opened;
  } catch (error) {
    // No region or no credentials: the CLI-side checks say so; the database-side ones still run.
    aws = undefined;
    awsProblem = isSmeError(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  }
  const region = aws?.options.region ?? settings.aws.region;
  try {
    const { checks, interrupted } = await withExasol(settings, output, runtime, async (sql) => {
      // Doctor often runs before sme deploy: a schema without the endpoints table has nothing to reap.
      if (aws !== undefined && (await hasEndpointsTable(sql, settings.schema))) {
        const clock = { nowMillis: () => Date.now() };
        await reapBeforeCommand({ sql, endpoints: aws.endpoints, clock }, settings.schema, output, runtime.env);
      }
      return withInterrupt(runtime.interrupts ?? processInterrupts, async (signal) => {
        const deps: DoctorDeps = {
          sql,
          schema: settings.schema,
          cliVersion: packageVersion(),
          ...(connection === undefined ? {} : { connection }),
          ...(bucket === undefined ? {} : { bucket }),
          ...(region === undefined ? {} : { region }),
          ...(args.role === undefined ? {} : { role: args.role }),
          awsDate: () => awsDate(aws?.options.endpoints.sagemaker ?? sageMakerUrl(region)),
          elapsedMillis: () => performance.now(),
          ...(aws === undefined ? {} : { cliAws: cliAws(aws, region ?? '') }),
          ...(awsProblem === undefined ? {} : { cliAwsProblem: awsProblem }),
          signal,
        };
        const found = await runDoctorChecks(deps);
        return { checks: found, interrupted: signal.aborted };
      });
    });
    // A table keeps doctor's own shape (the fix under its check); json and csv are the view's.
    if (output.format === 'table') printChecks(output, checks);
    else output.show(doctorView(checks));
    if (interrupted) {
      output.note('interrupted: the remaining checks were skipped; the probes were removed');
      return ExitCode.Interrupted;
    }
    return checks.some((c) => c.status === 'fail') ? ExitCode.Failure : ExitCode.Ok;
  } finally {
    aws?.close();
  }
}

/** One line per check; the fix indented below a check that has one; a summary on stderr. */
function printChecks(output: Output, checks: readonly DoctorCheck[]): void {
  const width = Math.max(...checks.map((c) => c.name.length));
  for (const c of checks) {
    output.line(
      `${colourStatus(output.colours, c.status.toUpperCase())}${' '.repeat(Math.max(0, 7 - c.status.length))} ${c.name.padEnd(width)}  ${c.detail}`,
    );
    if (c.fix !== null) output.line(`${' '.repeat(8 + width)}  fix: ${c.fix}`);
  }
  const count = (status: DoctorCheck['status']) => checks.filter((c) => c.status === status).length;
  output.note(
    `${String(count('fail'))} failed, ${String(count('warn'))} warnings, ${String(count('unknown'))} unknown, ` +
      `${String(count('pass'))} passed`,
  );
}

function cliAws(aws: SageMakerAdapters, region: string): NonNullable<DoctorDeps['cliAws']> {
  return {
    describeMissingJob: async () => {
      await aws.automl({ connectionName: '', region }).describeJob(MISSING_JOB);
    },
    listPrefix: (prefixUri) => aws.objects({ region }).list(prefixUri),
    deletePrefix: (prefixUri) => aws.objects({ region }).deletePrefix(prefixUri),
    roleArn: (nameOrArn) => aws.identity({ region }).roleArn(nameOrArn),
  };
}

/** AWS's own clock: the `Date` header of any answer of the SageMaker endpoint (no credentials needed). */
async function awsDate(url: string | undefined): Promise<{ millis: number; origin: string }> {
  if (url === undefined) throw new Error('no region to ask');
  const response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(10_000) });
  await response.body?.cancel();
  const date = response.headers.get('date');
  const millis = date === null ? Number.NaN : Date.parse(date);
  if (!Number.isFinite(millis)) throw new Error(`${url} answered without a Date header`);
  return { millis, origin: url };
}

function sageMakerUrl(region: string | undefined): string | undefined {
  if (region === undefined) return undefined;
  return `https://api.sagemaker.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** `--connection` as Exasol stores the name (unquoted names fold to upper case). */
function connectionName(raw: string): string {
  const parsed = parseExasolIdentifier(raw.trim());
  if (!parsed.ok)
    throw cliError('SME-E-CLI-CONNECTION', `--connection '${raw}' is not a valid name: ${parsed.reason}`, {
      key: 'connection',
      value: raw.slice(0, 80),
      remedy: 'Give the CONNECTION’s name, e.g. S3_CONN.',
    });
  return parsed.identifier.name;
}

/** `--bucket` as `s3://bucket` (a key prefix is allowed and ignored) or a bare bucket name. */
function bucketName(raw: string): string {
  return parseS3Uri(raw.startsWith('s3://') ? raw : `s3://${raw}`).bucket;
}
