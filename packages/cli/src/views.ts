import {
  METADATA_COLUMNS,
  type CandidatesResult,
  type EndpointListEntry,
  type EndpointStatusResult,
  type EvaluationResult,
  type ExplanationResult,
  type JobDetails,
  type JobListEntry,
  type ModelEntry,
  type PollResult,
} from '@sme/core';
import type { DoctorCheck } from './commands/doctor/checks.js';
import { isoTime, type View } from './view.js';

/**
 * The views of the listing and record commands: one place names each field, so that `jobName`, `status`,
 * `creationTime`, `bestMetricValue`… mean the same in every command and every format.
 */

/** A dropped job shows as `Dropped` whatever AWS still says (its artifacts are deleted); else its status. */
export function shownJobStatus(job: { readonly droppedAt?: string; readonly status?: string }): string | undefined {
  return job.droppedAt === undefined ? job.status : 'Dropped';
}

function errorText(error: { readonly code: string; readonly message: string } | undefined): string | undefined {
  return error === undefined ? undefined : `${error.code}: ${error.message}`;
}

/** `sme jobs`. */
export function jobsView(jobs: readonly JobListEntry[]): View {
  return {
    columns: [
      { field: 'jobName', header: 'JOB' },
      { field: 'status', kind: 'status' },
      { field: 'secondaryStatus', header: 'SECONDARY' },
      { field: 'creationTime', kind: 'time', header: 'CREATED' },
      { field: 'bestMetricName', header: 'METRIC' },
      { field: 'bestMetricValue', kind: 'metric', header: 'VALUE' },
      { field: 'droppedAt', kind: 'time', header: 'DROPPED' },
      { field: 'error' },
    ],
    rows: jobs.map((job) => ({
      jobName: job.jobName,
      // Without a live answer, the recorded status (and `recorded` says so).
      status: shownJobStatus({ ...job, status: job.status ?? job.recordedStatus }),
      secondaryStatus: job.secondaryStatus,
      recordedStatus: job.recordedStatus,
      creationTime: job.createdAt,
      droppedAt: job.droppedAt,
      bestMetricName: job.metadata.BEST_METRIC_NAME ?? undefined,
      bestMetricValue: job.metadata.BEST_METRIC_VALUE ?? undefined,
      error: errorText(job.error),
    })),
  };
}

/** `sme status <job>`: one row with a header. */
export function statusView(result: PollResult, elapsedMs: number): View {
  return {
    columns: [
      { field: 'jobName', header: 'JOB' },
      { field: 'status', kind: 'status' },
      { field: 'secondaryStatus', header: 'SECONDARY' },
      { field: 'creationTime', kind: 'time', header: 'CREATED' },
      { field: 'elapsedMs', kind: 'duration', header: 'ELAPSED' },
      { field: 'bestMetricName', header: 'METRIC' },
      { field: 'bestMetricValue', kind: 'metric', header: 'VALUE' },
      { field: 'failureReason' },
      { field: 'droppedAt', kind: 'time', header: 'DROPPED' },
    ],
    rows: [{ ...result, status: shownJobStatus(result), elapsedMs }],
    document: { ...result, status: shownJobStatus(result), awsStatus: result.status, elapsedMs },
  };
}

/** `sme describe <job>`: a record (FIELD / VALUE lines in a table); json keeps the nested metadata and artifacts. */
export function describeView(d: JobDetails, now: number): View {
  const m = d.metadata ?? {};
  const text = (column: string): string | undefined => {
    const value = m[column];
    return value === null || value === undefined ? undefined : typeof value === 'string' ? value : String(value);
  };
  return {
    record: true,
    columns: [
      { field: 'jobName' },
      { field: 'jobArn' },
      { field: 'status', kind: 'status' },
      { field: 'secondaryStatus' },
      { field: 'creationTime', kind: 'time' },
      { field: 'endTime', kind: 'time' },
      { field: 'droppedAt', kind: 'time' },
      { field: 'elapsedMs', kind: 'duration' },
      { field: 'failureReason' },
      { field: 'bestCandidateName' },
      { field: 'bestMetricName' },
      { field: 'bestMetricValue', kind: 'metric' },
      { field: 'outputPath' },
      { field: 'modelDataUrls' },
      { field: 'candidateDefinitionNotebook' },
      { field: 'dataExplorationNotebook' },
      { field: 'explainability' },
      { field: 'modelInsights' },
      { field: 'recorded', kind: 'boolean' },
      { field: 'connection' },
      { field: 'region' },
      { field: 'role' },
      { field: 's3BucketUri' },
      { field: 's3OutputPath' },
      { field: 'table' },
      { field: 'target' },
      { field: 'problemType' },
      { field: 'objective' },
      { field: 'maxRuntimeSeconds', kind: 'number' },
      { field: 'maxCandidates', kind: 'number' },
      { field: 'maxRuntimePerTrainingJobSeconds', kind: 'number' },
      { field: 'scriptUser' },
    ],
    rows: [
      {
        ...d,
        status: shownJobStatus(d),
        elapsedMs: (d.endTime ?? now) - d.creationTime,
        outputPath: d.artifacts.outputPath,
        modelDataUrls: d.artifacts.modelDataUrls.length > 0 ? d.artifacts.modelDataUrls.join(' ') : undefined,
        candidateDefinitionNotebook: d.artifacts.candidateDefinitionNotebook,
        dataExplorationNotebook: d.artifacts.dataExplorationNotebook,
        explainability: d.artifacts.explainability,
        modelInsights: d.artifacts.modelInsights,
        connection: text('AWS_CREDENTIALS_CONNECTION_NAME'),
        region: text('AWS_REGION'),
        role: text('IAM_SAGEMAKER_ROLE'),
        s3BucketUri: text('S3_BUCKET_URI'),
        s3OutputPath: text('S3_OUTPUT_PATH'),
        table:
          text('INPUT_TABLE_NAME') === undefined
            ? undefined
            : `${text('INPUT_SCHEMA_NAME') ?? ''}.${text('INPUT_TABLE_NAME') ?? ''}`,
        target: text('TARGET_ATTRIBUTE_NAME'),
        problemType: text('PROBLEM_TYPE'),
        objective: text('OBJECTIVE'),
        maxRuntimeSeconds: text('MAX_RUNTIME_FOR_AUTOML_JOB_IN_SECONDS'),
        maxCandidates: text('MAX_CANDIDATES'),
        maxRuntimePerTrainingJobSeconds: text('MAX_RUNTIME_PER_TRAINING_JOB_IN_SECONDS'),
        scriptUser: text('SCRIPT_USER'),
      },
    ],
    document: {
      ...d,
      ...(d.metadata === undefined ? {} : { metadata: isoTimestamps(d.metadata) }),
      status: shownJobStatus(d),
      awsStatus: d.status,
      elapsedMs: (d.endTime ?? now) - d.creationTime,
    },
  };
}

const TIMESTAMP_COLUMNS = new Set(METADATA_COLUMNS.filter((c) => c.type === 'TIMESTAMP').map((c) => c.name));

/** The metadata row as json prints it: its TIMESTAMP columns ISO-8601 UTC like every other time. */
function isoTimestamps(row: NonNullable<JobDetails['metadata']>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column,
      TIMESTAMP_COLUMNS.has(column) ? (isoTime(value) ?? value) : value,
    ]),
  );
}

/**
 * `sme endpoint status <endpoint>`: one row with a header; what it runs on as recorded: instances (type and count)
 * or serverless capacity (memory and most concurrent invocations), and its idle deadline.
 */
export function endpointStatusView(result: EndpointStatusResult, runningMillis: number): View {
  return {
    columns: [
      { field: 'endpointName', header: 'ENDPOINT' },
      { field: 'status', kind: 'status' },
      { field: 'creationTime', kind: 'time', header: 'CREATED' },
      { field: 'runningMillis', kind: 'duration', header: 'RUNNING' },
      { field: 'instanceCount', kind: 'number', header: 'COUNT' },
      { field: 'instanceType', header: 'INSTANCE TYPE' },
      { field: 'serverlessMemoryMb', kind: 'number', header: 'SERVERLESS MB' },
      { field: 'serverlessMaxConcurrency', kind: 'number', header: 'MAX CONCURRENCY' },
      { field: 'idleDeadline', kind: 'time', header: 'IDLE DEADLINE' },
      { field: 'failureReason' },
    ],
    rows: [{ ...result, runningMillis }],
    document: { ...result, runningMillis },
  };
}

/** `sme endpoint list`: `runningMillis` is how long each has run (what it has cost is proportional to it). */
export function endpointListView(entries: readonly EndpointListEntry[]): View {
  return {
    columns: [
      { field: 'endpointName', header: 'ENDPOINT' },
      { field: 'status', kind: 'status' },
      { field: 'runningMillis', kind: 'duration', header: 'RUNNING' },
      { field: 'instanceCount', kind: 'number', header: 'COUNT' },
      { field: 'instanceType', header: 'INSTANCE TYPE' },
      { field: 'jobName', header: 'JOB' },
      { field: 'idleDeadline', kind: 'time', header: 'IDLE DEADLINE' },
      { field: 'tracked', kind: 'boolean' },
      { field: 'creationTime', kind: 'time', header: 'CREATED' },
      { field: 'error' },
    ],
    rows: entries.map((e) => ({
      endpointName: e.endpointName,
      status: e.status ?? e.recordedStatus,
      runningMillis: e.runningMillis,
      instanceCount: e.instanceType === undefined ? undefined : (e.instanceCount ?? 1),
      // A serverless endpoint has no instances: its memory stands in their place.
      instanceType:
        e.serverlessMemoryMb === undefined ? e.instanceType : `serverless ${String(e.serverlessMemoryMb)} MB`,
      jobName: e.jobName,
      idleDeadline: e.idleDeadline,
      tracked: e.tracked,
      recordedStatus: e.recordedStatus,
      creationTime: e.createdAt,
      error: errorText(e.error),
    })),
  };
}

/** `sme candidates <job>`: the leaderboard; json keeps the whole result (job status, warnings). */
export function candidatesView(r: CandidatesResult): View {
  return {
    columns: [
      { field: 'rank', kind: 'number' },
      { field: 'candidateName', header: 'CANDIDATE' },
      { field: 'algorithm' },
      { field: 'objectiveMetric', header: 'OBJECTIVE' },
      { field: 'objectiveValue', kind: 'metric', header: 'VALUE' },
      { field: 'candidateStatus', kind: 'status', header: 'STATUS' },
      { field: 'trainingSeconds', kind: 'number', header: 'SECONDS' },
      { field: 'isBest', kind: 'boolean', header: 'BEST' },
      { field: 'creationTime', kind: 'time', header: 'CREATED' },
    ],
    rows: r.candidates.map((c) => ({ ...c })),
    document: r,
  };
}

/** `sme evaluate <job>`: one row per metric, with the baseline beside it. */
export function evaluateView(r: EvaluationResult): View {
  const baseline = new Map(r.baseline.map((b) => [b.metricName, b.value]));
  return {
    columns: [
      { field: 'metricName', header: 'METRIC' },
      { field: 'value', kind: 'metric' },
      { field: 'baseline', kind: 'metric' },
      { field: 'set' },
    ],
    rows: r.metrics.map((m) => ({ ...m, baseline: baseline.get(m.metricName) })),
    document: r,
  };
}

/** `sme explain <job>`: feature importance, most important first. */
export function explainView(r: ExplanationResult): View {
  return {
    columns: [{ field: 'rank', kind: 'number' }, { field: 'feature' }, { field: 'importance', kind: 'metric' }],
    rows: r.features.map((f) => ({ ...f })),
    document: r,
  };
}

/** `sme doctor`: one row per check; json keeps `{ checks }`. */
export function doctorView(checks: readonly DoctorCheck[]): View {
  return {
    columns: [
      { field: 'status', kind: 'status' },
      { field: 'name', header: 'CHECK' },
      { field: 'detail' },
      { field: 'fix' },
    ],
    rows: checks.map((c) => ({ ...c })),
    document: { checks },
  };
}

/** `sme models`: each model name with its current promotion. */
export function modelsView(models: readonly ModelEntry[]): View {
  return {
    columns: [
      { field: 'modelName', header: 'MODEL' },
      { field: 'jobName', header: 'JOB' },
      { field: 'endpointName', header: 'ENDPOINT' },
      { field: 'predictionUdf', header: 'UDF' },
      { field: 'promotedAt', kind: 'time', header: 'PROMOTED' },
      { field: 'promotedBy', header: 'BY' },
      { field: 'promotions', kind: 'number' },
    ],
    rows: models.map((m) => ({ ...m })),
  };
}
