/**
 * What the insight use cases share: their ports, reading Autopilot's JSON, the insight cache
 * (`SME_METADATA_AUTOPILOT_INSIGHTS`), and the ended job whose reports they read.
 */
import { isTerminalJobStatus } from '../automl-model.js';
import { coreError } from '../error-codes.js';
import { isSmeError } from '../errors.js';
import { exasolTimestamp } from '../job-name.js';
import type { AutoMLCandidate, AutoMLJobDescription, AutoMLPort } from '../ports/automl-port.js';
import type { Json } from '../ports/json.js';
import type { ObjectReaderPort, ObjectReaderPortFactory } from '../ports/object-reader-port.js';
import { deleteInsightSql, insertInsightSql, selectInsightSql, type InsightKind } from '../sql/insights-sql.js';
import { describeValue } from '../text.js';
import { type JobContext, type JobDeps, type JobRef, jobTarget } from './jobs.js';

export interface InsightDeps extends JobDeps {
  readonly objects: ObjectReaderPortFactory;
  readonly json: Json;
}

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && v === v && v - v === 0;
}

export function textField(o: JsonObject | undefined, name: string): string | undefined {
  const v = o?.[name];
  return typeof v === 'string' ? v : undefined;
}

export function numberField(o: JsonObject | undefined, name: string): number | undefined {
  const v = o?.[name];
  return isFiniteNumber(v) ? v : undefined;
}

/** A JSON array (cjson gives an empty array as an empty object: both read as no elements). */
export function listOf(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

export function numbersOf(v: unknown): number[] {
  const out: number[] = [];
  for (const x of listOf(v)) if (isFiniteNumber(x)) out.push(x);
  return out;
}

// ---------------------------------------------------------------- cache

export async function readCache(
  deps: InsightDeps,
  context: JobContext,
  jobName: string,
  kind: InsightKind,
): Promise<unknown> {
  try {
    const result = await deps.sql.query(selectInsightSql(context.metadataSchema, jobName, kind));
    const text = result.rows[0]?.[0];
    if (typeof text !== 'string') return undefined;
    return deps.json.decode(text);
  } catch (e: unknown) {
    // A schema deployed before the cache existed, or a damaged row: ask AWS instead.
    deps.log.debug('insight cache not read: ' + (e instanceof Error ? e.message : 'unknown error'));
    return undefined;
  }
}

/**
 * Caches a final answer and returns it as a later call will read it back (cjson writes 14 significant digits), so
 * that the first answer and the cached ones are the same; undefined when it could not be cached.
 */
export async function writeCache(
  deps: InsightDeps,
  context: JobContext,
  jobName: string,
  kind: InsightKind,
  value: unknown,
): Promise<unknown> {
  try {
    const schema = context.metadataSchema;
    const text = deps.json.encode(value);
    await deps.sql.execute(deleteInsightSql(schema, jobName, kind));
    await deps.sql.execute(insertInsightSql(schema, jobName, kind, text, exasolTimestamp(deps.clock.nowMillis())));
    return deps.json.decode(text);
  } catch (e: unknown) {
    deps.log.warn(
      'the ' +
        kind +
        ' of ' +
        jobName +
        ' were not cached (' +
        (e instanceof Error ? e.message : 'unknown error') +
        '); run sme deploy to create the insight cache table',
    );
    return undefined;
  }
}

// ---------------------------------------------------------------- job

export interface EndedJob {
  readonly automl: AutoMLPort;
  readonly objects: ObjectReaderPort;
  readonly description: AutoMLJobDescription;
}

export async function describeForInsight(ref: JobRef, deps: InsightDeps, context: JobContext): Promise<EndedJob> {
  const { automl, target } = await jobTarget(ref, deps, context);
  let description: AutoMLJobDescription;
  try {
    description = await automl.describeJob(ref.jobName);
  } catch (e: unknown) {
    if (isSmeError(e) && e.kind === 'NotFound') {
      throw coreError(
        'SME-E-JOB-NOT-FOUND',
        'AWS knows no AutoML job ' +
          describeValue(ref.jobName) +
          ' in region ' +
          target.region +
          ' (asked with connection ' +
          target.connectionName +
          ')',
        { key: 'job_name', value: describeValue(ref.jobName) },
        e,
      );
    }
    throw e;
  }
  return { automl, objects: deps.objects(target), description };
}

export function requireBestCandidate(job: EndedJob): AutoMLCandidate {
  const d = job.description;
  if (!isTerminalJobStatus(d.AutoMLJobStatus)) {
    throw coreError(
      'SME-E-INSIGHT-JOB-NOT-FINISHED',
      'job ' +
        d.AutoMLJobName +
        ' is still ' +
        d.AutoMLJobStatus +
        ' (' +
        d.AutoMLJobSecondaryStatus +
        '); its reports are written when it completes',
      { key: 'job_name', value: d.AutoMLJobName },
    );
  }
  const best = d.BestCandidate;
  if (best === undefined) {
    throw coreError(
      'SME-E-INSIGHT-NO-BEST-CANDIDATE',
      'job ' +
        d.AutoMLJobName +
        ' ended ' +
        d.AutoMLJobStatus +
        ' without a best candidate' +
        (d.FailureReason === undefined ? '' : ': ' + d.FailureReason),
      { key: 'job_name', value: d.AutoMLJobName },
    );
  }
  return best;
}

export function reportMissing(job: EndedJob, what: string, location: string | undefined, cause?: unknown) {
  const d = job.description;
  const status = d.AutoMLJobSecondaryStatus;
  const why =
    status === 'ExplainabilityError' || status === 'ModelInsightsError'
      ? ' (the job ended with secondary status ' + status + ')'
      : '';
  return coreError(
    'SME-E-INSIGHT-REPORT-MISSING',
    'the ' +
      what +
      ' report of job ' +
      d.AutoMLJobName +
      (location === undefined
        ? ' is not named by DescribeAutoMLJobV2 (BestCandidate.CandidateProperties.CandidateArtifactLocations)'
        : ' is missing at ' + location) +
      why,
    { key: 'job_name', value: d.AutoMLJobName },
    cause,
  );
}

/** Reads and parses one report file; undefined when the object does not exist. */
export async function readReport(
  job: EndedJob,
  deps: InsightDeps,
  what: string,
  uri: string,
): Promise<JsonObject | undefined> {
  let text: string;
  try {
    text = await job.objects.readText(uri);
  } catch (e: unknown) {
    if (isSmeError(e) && e.kind === 'NotFound') return undefined;
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = deps.json.decode(text);
  } catch {
    parsed = undefined;
  }
  if (!isObject(parsed)) {
    throw coreError(
      'SME-E-INSIGHT-REPORT-INVALID',
      'the ' + what + ' report ' + uri + ' is not the JSON object Autopilot writes',
      { key: 'uri', value: uri },
    );
  }
  return parsed;
}

export function joinUri(prefix: string, file: string): string {
  return prefix.substring(prefix.length - 1) === '/' ? prefix + file : prefix + '/' + file;
}

/**
 * The ended job's best candidate and its report `file` under the candidate's `artifact` location: `uri` is undefined
 * when DescribeAutoMLJobV2 names no such location, `report` when the object does not exist.
 */
export async function bestCandidateReport(
  ref: JobRef,
  deps: InsightDeps,
  context: JobContext,
  report: { readonly artifact: 'ModelInsights' | 'Explainability'; readonly file: string; readonly what: string },
): Promise<{
  readonly job: EndedJob;
  readonly best: AutoMLCandidate;
  readonly uri: string | undefined;
  readonly report: JsonObject | undefined;
}> {
  const job = await describeForInsight(ref, deps, context);
  const best = requireBestCandidate(job);
  const location = best.CandidateProperties?.CandidateArtifactLocations?.[report.artifact];
  const uri = location === undefined ? undefined : joinUri(location, report.file);
  return { job, best, uri, report: uri === undefined ? undefined : await readReport(job, deps, report.what, uri) };
}
