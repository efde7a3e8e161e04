import { isTerminalJobStatus } from '../automl-model.js';
import { coreError } from '../error-codes.js';
import { isSmeError } from '../errors.js';
import { exasolTimestamp, modelNameOfJob } from '../job-name.js';
import { mapLimit } from '../map-limit.js';
import type { RateLimiter } from '../rate-limit.js';
import type {
  AutoMLJobDescription,
  AutoMLJobSecondaryStatus,
  AutoMLJobStatus,
  AutoMLPort,
  AutoMLPortFactory,
  AwsTarget,
} from '../ports/automl-port.js';
import type { Clock } from '../ports/clock.js';
import type { Log } from '../ports/log.js';
import type { JobStore, MetadataRow } from '../ports/metadata-store.js';
import { textOrNull, type SqlLiteralValue } from '../sql/statements.js';
import { describeValue } from '../text.js';
import { droppedAtOf, textOf } from './metadata-rows.js';
import { storesOf, type StoreDeps } from './stores.js';

export interface JobDeps extends StoreDeps {
  readonly automl: AutoMLPortFactory;
  readonly clock: Clock;
  readonly log: Log;
}

export interface JobContext {
  readonly metadataSchema: string;
}

/** Which job; connection and region default to the job's metadata row. */
export interface JobRef {
  readonly jobName: string;
  readonly connectionName?: string;
  readonly region?: string;
}

/**
 * The job a name the user typed means: a job of that name when the metadata table has one, else the latest job
 * of the model of that name (`churn` → the newest `churn-<yyMMddHHmmss>`), else the name unchanged (AWS may know
 * a job that is not recorded here). Model names match exactly: `churn` never means a job of `churn2`.
 *
 * @example
 * await resolveJobName({ sql }, 'SME', 'churn'); // 'churn-231114221320', its newest job
 */
export function resolveJobName(deps: StoreDeps, schema: string, name: string): Promise<string> {
  return resolveJobNameIn(storesOf(deps, schema).jobs, name);
}

/**
 * {@link resolveJobName} over a job store.
 *
 * @example
 * await resolveJobNameIn(stores.jobs, 'churn');
 */
export async function resolveJobNameIn(jobs: JobStore, name: string): Promise<string> {
  if ((await jobs.find(name)) !== undefined) return name;
  // Newest first (the store lists by DATETIME).
  for (const row of await jobs.list()) {
    const jobName = textOf(row, 'JOB_NAME');
    if (jobName !== undefined && modelNameOfJob(jobName) === name) return jobName;
  }
  return name;
}

/** The AWS target of a job (from the reference, else its metadata row) and its AutoML port. */
export async function jobTarget(
  ref: JobRef,
  deps: JobDeps,
  context: JobContext,
): Promise<{ automl: AutoMLPort; row?: MetadataRow; target: AwsTarget }> {
  const row = await storesOf(deps, context.metadataSchema).jobs.find(ref.jobName);
  const connectionName = ref.connectionName ?? textOf(row, 'AWS_CREDENTIALS_CONNECTION_NAME');
  const region = ref.region ?? textOf(row, 'AWS_REGION');
  if (connectionName === undefined || region === undefined) {
    throw coreError(
      'SME-E-JOB-NOT-FOUND',
      'job ' +
        describeValue(ref.jobName) +
        ' is not in the metadata table; give the connection name and region to ask AWS',
      { key: 'job_name', value: describeValue(ref.jobName) },
    );
  }
  return { automl: deps.automl({ connectionName, region }), row, target: { connectionName, region } };
}

/** What polling learned; status values are AWS's, unchanged. */
export interface PollResult {
  readonly jobName: string;
  readonly status: AutoMLJobStatus;
  readonly secondaryStatus: AutoMLJobSecondaryStatus;
  readonly terminal: boolean;
  readonly failureReason?: string;
  readonly bestCandidateName?: string;
  readonly bestMetricName?: string;
  readonly bestMetricValue?: number;
  /** Whether a metadata row was updated. */
  readonly recorded: boolean;
  /** When the job was dropped (its artifacts are deleted; AWS still reports its last status). */
  readonly droppedAt?: string;
  /** Epoch milliseconds, from the same DescribeAutoMLJobV2 answer (so a status needs one call). */
  readonly creationTime: number;
  readonly endTime?: number;
}

function pollResult(d: AutoMLJobDescription, recorded: boolean, row?: MetadataRow): PollResult {
  const metric = d.BestCandidate?.FinalAutoMLJobObjectiveMetric;
  const droppedAt = droppedAtOf(row);
  return {
    ...(droppedAt === undefined ? {} : { droppedAt }),
    jobName: d.AutoMLJobName,
    status: d.AutoMLJobStatus,
    secondaryStatus: d.AutoMLJobSecondaryStatus,
    terminal: isTerminalJobStatus(d.AutoMLJobStatus),
    failureReason: d.FailureReason,
    bestCandidateName: d.BestCandidate?.CandidateName,
    bestMetricName: metric?.MetricName,
    bestMetricValue: metric?.Value,
    recorded,
    creationTime: d.CreationTime,
    ...(d.EndTime === undefined ? {} : { endTime: d.EndTime }),
  };
}

/**
 * Asks AWS for a job's status and writes status, secondary status, failure reason and best metric back
 * to its metadata row (when there is one).
 *
 * @example
 * const { status, secondaryStatus } = await pollJob({ jobName: 'churn-231114221320' }, deps, { metadataSchema: 'SME' });
 */
export async function pollJob(ref: JobRef, deps: JobDeps, context: JobContext): Promise<PollResult> {
  const { automl, row } = await jobTarget(ref, deps, context);
  const d = await automl.describeJob(ref.jobName);
  if (row === undefined) return pollResult(d, false);
  const metric = d.BestCandidate?.FinalAutoMLJobObjectiveMetric;
  const values: Record<string, SqlLiteralValue> = {
    JOB_STATUS: { kind: 'text', value: d.AutoMLJobStatus },
    JOB_SECONDARY_STATUS: { kind: 'text', value: d.AutoMLJobSecondaryStatus },
    LAST_STATUS_UPDATE: { kind: 'timestamp', value: exasolTimestamp(deps.clock.nowMillis()) },
    FAILURE_REASON: textOrNull(d.FailureReason),
    JOB_ARN: { kind: 'text', value: d.AutoMLJobArn },
  };
  if (d.BestCandidate !== undefined)
    values.BEST_CANDIDATE_NAME = { kind: 'text', value: d.BestCandidate.CandidateName };
  if (metric !== undefined) {
    values.BEST_METRIC_NAME = { kind: 'text', value: metric.MetricName };
    values.BEST_METRIC_VALUE = { kind: 'double', value: metric.Value };
  }
  const updated = await storesOf(deps, context.metadataSchema).jobs.update(ref.jobName, values);
  return pollResult(d, updated > 0, row);
}

/** Everything sme knows about one job. */
export interface JobDetails extends PollResult {
  readonly jobArn: string;
  /** The metadata row (column → value) when the job was started by sme here. */
  readonly metadata?: MetadataRow;
  readonly artifacts: {
    readonly outputPath?: string;
    readonly candidateDefinitionNotebook?: string;
    readonly dataExplorationNotebook?: string;
    readonly explainability?: string;
    readonly modelInsights?: string;
    readonly modelDataUrls: readonly string[];
  };
}

/**
 * Describes a job: status, parameters recorded at start, best candidate and metric, failure reason and
 * artifact locations. Read-only.
 *
 * @example
 * const details = await describeJob({ jobName }, deps, { metadataSchema: 'SME' });
 */
export async function describeJob(ref: JobRef, deps: JobDeps, context: JobContext): Promise<JobDetails> {
  const { automl, row } = await jobTarget(ref, deps, context);
  const d = await automl.describeJob(ref.jobName);
  const best = d.BestCandidate;
  const urls: string[] = [];
  for (const container of best?.InferenceContainers ?? []) {
    if (container.ModelDataUrl !== undefined) urls.push(container.ModelDataUrl);
  }
  return {
    ...pollResult(d, row !== undefined, row),
    jobArn: d.AutoMLJobArn,
    metadata: row,
    artifacts: {
      outputPath: d.OutputDataConfig?.S3OutputPath,
      candidateDefinitionNotebook: d.AutoMLJobArtifacts?.CandidateDefinitionNotebookLocation,
      dataExplorationNotebook: d.AutoMLJobArtifacts?.DataExplorationNotebookLocation,
      explainability: best?.CandidateProperties?.CandidateArtifactLocations?.Explainability,
      modelInsights: best?.CandidateProperties?.CandidateArtifactLocations?.ModelInsights,
      modelDataUrls: urls,
    },
  };
}

/**
 * Asks AWS to stop a job and records `Stopping` in its metadata row.
 *
 * @example
 * await stopJob({ jobName }, deps, { metadataSchema: 'SME' });
 */
export async function stopJob(
  ref: JobRef,
  deps: JobDeps,
  context: JobContext,
): Promise<{ readonly jobName: string; readonly status: 'Stopping'; readonly recorded: boolean }> {
  const { automl, row } = await jobTarget(ref, deps, context);
  await automl.stopJob(ref.jobName);
  let recorded = false;
  if (row !== undefined) {
    const updated = await storesOf(deps, context.metadataSchema).jobs.update(ref.jobName, {
      JOB_STATUS: { kind: 'text', value: 'Stopping' },
      LAST_STATUS_UPDATE: { kind: 'timestamp', value: exasolTimestamp(deps.clock.nowMillis()) },
    });
    recorded = updated > 0;
  }
  return { jobName: ref.jobName, status: 'Stopping', recorded };
}

/** One line of `listJobs`. */
export interface JobListEntry {
  readonly jobName: string;
  /** DATETIME of the metadata row, as Exasol returns it. */
  readonly createdAt?: string;
  readonly recordedStatus?: string;
  /** Live values from AWS (when asked for and available). */
  readonly status?: AutoMLJobStatus;
  readonly secondaryStatus?: AutoMLJobSecondaryStatus;
  /** Why the live status is missing for this job; other jobs are still listed. */
  readonly error?: { readonly code: string; readonly message: string };
  /** When the job was dropped; AWS is then not asked (its artifacts are gone, whatever AWS reports). */
  readonly droppedAt?: string;
  readonly metadata: MetadataRow;
}

/**
 * Lists the jobs of the metadata table (newest first) with their live AWS status, asking AWS for at most
 * `concurrency` jobs at a time (default 4), each through `limiter` when given (a request rate, and retries of
 * throttled calls). One failing job does not fail the list.
 *
 * @example
 * const jobs = await listJobs(deps, { metadataSchema: 'SME' }, { live: true, concurrency: 4 });
 */
export async function listJobs(
  deps: JobDeps,
  context: JobContext,
  options: { readonly live?: boolean; readonly concurrency?: number; readonly limiter?: RateLimiter } = {},
): Promise<JobListEntry[]> {
  const rows = await storesOf(deps, context.metadataSchema).jobs.list();
  const base = (row: MetadataRow): JobListEntry => {
    const droppedAt = droppedAtOf(row);
    return {
      jobName: textOf(row, 'JOB_NAME') ?? '',
      createdAt: textOf(row, 'DATETIME'),
      recordedStatus: textOf(row, 'JOB_STATUS'),
      ...(droppedAt === undefined ? {} : { droppedAt }),
      metadata: row,
    };
  };
  if (options.live === false) return rows.map((row) => base(row));
  return mapLimit(rows, options.concurrency ?? 4, async (row): Promise<JobListEntry> => {
    const entry = base(row);
    if (entry.droppedAt !== undefined) return entry;
    const connectionName = textOf(row, 'AWS_CREDENTIALS_CONNECTION_NAME');
    const region = textOf(row, 'AWS_REGION');
    if (connectionName === undefined || region === undefined) {
      return { ...entry, error: { code: 'SME-E-JOB-NOT-FOUND', message: 'no connection or region recorded' } };
    }
    try {
      const describe = () => deps.automl({ connectionName, region }).describeJob(entry.jobName);
      const d = await (options.limiter === undefined ? describe() : options.limiter.run(describe));
      return { ...entry, status: d.AutoMLJobStatus, secondaryStatus: d.AutoMLJobSecondaryStatus };
    } catch (e: unknown) {
      if (!isSmeError(e)) throw e;
      return { ...entry, error: { code: e.code, message: e.message } };
    }
  });
}
