import {
  parseTrainingParams,
  pollJob,
  startValidatedTraining,
  type PollResult,
  type StartTrainingResult,
} from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { reapBeforeCommand } from '../endpoint/reap-hook.js';
import { readableConnections } from '../../runtime/exasol-connections.js';
import { followJob } from '../../runtime/follow-job.js';
import { processInterrupts, smeCommand, withInterrupt } from '../../runtime/interrupt.js';
import { exitCodeForStatus } from '../../runtime/jobs-runtime.js';
import { nodePorts, openAws, withExasol, processRuntime, type Runtime } from '../../runtime/session.js';
import { resolveCliSettings } from '../../settings/settings.js';
import type { TrainArgs } from './train-args.js';
import { trainingInput } from './train-params.js';

export async function run(
  args: TrainArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  const settings = resolveCliSettings(args, runtime.env);
  const ports = nodePorts(output, args.verbose);
  // Nothing connects yet; the resolved default region (flag, env, config file or profile) fills a missing aws_region.
  const aws = await openAws(settings, output, runtime);
  try {
    // Validated once, by core's parser (the same as in the database), before any connection is opened: bad input
    // fails fast and touches nothing.
    const params = parseTrainingParams(trainingInput(args, aws.options.region), ports.json);
    return await withExasol(settings, output, runtime, async (sql) => {
      await reapBeforeCommand(
        { sql, endpoints: aws.endpoints, clock: ports.clock },
        settings.schema,
        output,
        runtime.env,
      );
      const session = await sql.query('SELECT CURRENT_SESSION, CURRENT_USER');
      const [sessionId, user] = session.rows[0] ?? [];
      const started: StartTrainingResult = await startValidatedTraining(
        params,
        {
          sql,
          automl: aws.automl,
          objects: aws.objects,
          clock: ports.clock,
          json: ports.json,
          log: ports.log,
          identity: aws.identity({ region: params.awsRegion }),
          ...(await connectionsOrWarning(sql)),
        },
        { sessionId: String(sessionId), user: String(user), metadataSchema: settings.schema },
      );
      if (!args.wait) {
        output.result(started, () => {
          output.line(started.jobName);
          if (started.recovered) output.note(recoveredNote(started));
          output.note(
            `started ${started.jobName} on ${startedRows(started)} (${started.s3InputUri}); ` +
              `follow it with: sme status ${started.jobName} --watch`,
          );
        });
        return ExitCode.Ok;
      }
      output.line(started.jobName);
      if (started.recovered) output.note(recoveredNote(started));
      const final: PollResult = await withInterrupt(runtime.interrupts ?? processInterrupts, (signal) =>
        followJob(
          started.jobName,
          () =>
            pollJob(
              { jobName: started.jobName },
              { sql, automl: aws.automl, clock: ports.clock, log: ports.log },
              {
                metadataSchema: settings.schema,
              },
            ),
          output,
          {
            intervalMs: args.pollInterval * 1000,
            tty: runtime.stderr.isTTY === true,
            stream: process.stderr,
            signal,
            // The job is in the metadata table of this schema, with its region and connection.
            followCommand: smeCommand(['status', started.jobName, '--watch'], { '--schema': args.schema }),
            stopCommand: smeCommand(['stop', started.jobName], { '--schema': args.schema }),
          },
        ),
      );
      output.result({ ...started, final }, () => {
        output.note(summary(final));
      });
      return exitCodeForStatus(final.status);
    });
  } finally {
    aws.close();
  }
}

async function connectionsOrWarning(
  sql: Parameters<typeof readableConnections>[0],
): Promise<{ connections?: NonNullable<Awaited<ReturnType<typeof readableConnections>>> }> {
  const connections = await readableConnections(sql);
  return connections === undefined ? {} : { connections };
}

/** `1000 rows`, or `a stratified sample of 1000 of 50000 rows`. */
export function startedRows(started: StartTrainingResult): string {
  const sample = started.sample;
  if (sample === undefined) return `${String(started.rowCount)} rows`;
  const method = sample.method === 'STRATIFIED' ? 'stratified' : 'uniform';
  return `a ${method} sample of ${String(sample.rows)} of ${String(sample.sourceRows)} rows`;
}

/** One line saying how a job ended. */
export function summary(result: PollResult): string {
  const metric =
    result.bestMetricName !== undefined && result.bestMetricValue !== undefined
      ? `, best ${result.bestCandidateName ?? 'candidate'}: ${result.bestMetricName} = ${String(result.bestMetricValue)}`
      : '';
  const reason = result.failureReason !== undefined ? ` (${result.failureReason})` : '';
  return `${result.jobName} ended ${result.status} / ${result.secondaryStatus}${metric}${reason}`;
}

/** Says that the start's answer was lost and the job was recognised as this start's (same input, role, output, target). */
export function recoveredNote(started: StartTrainingResult): string {
  return (
    `recovered ${started.jobName}: AWS created it but its answer was lost; it reads this start's own export ` +
    `(${started.s3InputUri}), so it was recorded as this start's job`
  );
}
