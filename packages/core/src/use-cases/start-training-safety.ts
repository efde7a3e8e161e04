/**
 * The parts of start-training that keep data and jobs safe under faults: recognising a created job whose answer
 * was lost (and never adopting another attempt's job), stopping a job that cannot be recorded, and deleting an
 * attempt's export after a failure (or saying exactly what remains).
 */
import { coreError, type CoreErrorCode } from '../error-codes.js';
import { isSmeError, SmeError, type SmeErrorKind } from '../errors.js';
import type { AutoMLJobDescription, AutoMLPort, CreateAutoMLJobV2Request } from '../ports/automl-port.js';
import type { ObjectStorePort } from '../ports/endpoint-port.js';
import type { Log } from '../ports/log.js';
import { formatInteger } from '../text.js';

/** How often a describe (or stop) is tried before sme gives up on finding out. */
export const CONFIRM_ATTEMPTS = 3;

/** How often CreateAutoMLJobV2 is sent when a describe confirmed that the failed one created nothing. */
export const CREATE_ATTEMPTS = 3;

/** Failures worth sending a create again for, once a describe confirmed that nothing was created. */
export function isTransientCreateError(e: unknown): boolean {
  return isSmeError(e) && (e.kind === 'Throttled' || e.kind === 'ServiceError' || e.kind === 'Unreachable');
}

/** Most remaining objects named in a message; all of them are in `details.remains`. */
const SHOWN_REMAINS = 10;

/** Error kinds that prove a create was not carried out: AWS refused it before doing anything. */
const NOT_APPLIED: readonly SmeErrorKind[] = ['Validation', 'AccessDenied', 'BadCredentials', 'InvalidInput'];

/** What a failed CreateAutoMLJobV2 left behind, found out by describing the job. */
export type CreateOutcome =
  /** No job of that name exists: nothing was created. */
  | { readonly kind: 'absent' }
  /** The job exists and is the one this attempt asked for: the answer was lost. */
  | { readonly kind: 'ours'; readonly description: AutoMLJobDescription }
  /** The job exists but reads another attempt's input (or differs otherwise): never adopt it. */
  | { readonly kind: 'theirs' }
  /** Describing failed every time: whether our job exists is unknown. */
  | { readonly kind: 'unknown'; readonly error: unknown };

function inputUriOf(channels: CreateAutoMLJobV2Request['AutoMLJobInputDataConfig'] | undefined): string | undefined {
  return channels?.[0]?.DataSource.S3DataSource.S3Uri;
}

/**
 * True when an existing job is exactly the one `request` asked for: same input (the attempt's own prefix, which
 * no other attempt writes to), role, output path and target. Anything missing counts as different.
 */
export function isJobOfRequest(description: AutoMLJobDescription, request: CreateAutoMLJobV2Request): boolean {
  const wanted = inputUriOf(request.AutoMLJobInputDataConfig);
  const found = inputUriOf(description.AutoMLJobInputDataConfig);
  return (
    wanted !== undefined &&
    found === wanted &&
    description.RoleArn === request.RoleArn &&
    description.OutputDataConfig?.S3OutputPath === request.OutputDataConfig.S3OutputPath &&
    description.AutoMLProblemTypeConfig?.TabularJobConfig?.TargetAttributeName ===
      request.AutoMLProblemTypeConfig.TabularJobConfig.TargetAttributeName
  );
}

/**
 * After CreateAutoMLJobV2 failed: was the job created anyway (a lost answer, or an SDK retry answered "already
 * exists"), and is it ours? Errors that prove nothing was applied skip the question.
 */
export async function createOutcome(
  automl: AutoMLPort,
  request: CreateAutoMLJobV2Request,
  createError: unknown,
): Promise<CreateOutcome> {
  if (isSmeError(createError) && NOT_APPLIED.includes(createError.kind)) return { kind: 'absent' };
  let lastError: unknown;
  for (let attempt = 1; attempt <= CONFIRM_ATTEMPTS; attempt++) {
    try {
      const description = await automl.describeJob(request.AutoMLJobName);
      return isJobOfRequest(description, request) ? { kind: 'ours', description } : { kind: 'theirs' };
    } catch (e: unknown) {
      if (isSmeError(e) && e.kind === 'NotFound') return { kind: 'absent' };
      lastError = e;
    }
  }
  return { kind: 'unknown', error: lastError };
}

function isStoppedStatus(status: string): boolean {
  return status !== 'InProgress';
}

/**
 * Stops a job of ours, confirming by describe when the stop's own answer failed (a lost answer of a stop that
 * was carried out). Returns undefined when the job is stopped (or ended), else the last error.
 */
export async function stopConfirmed(automl: AutoMLPort, jobName: string): Promise<unknown> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= CONFIRM_ATTEMPTS; attempt++) {
    try {
      await automl.stopJob(jobName);
      return undefined;
    } catch (e: unknown) {
      lastError = e;
    }
    try {
      if (isStoppedStatus((await automl.describeJob(jobName)).AutoMLJobStatus)) return undefined;
    } catch {
      // Keep the stop's error: it says more than the describe's.
    }
  }
  return lastError ?? new Error('stopping ' + jobName + ' failed');
}

/** `CODE: message` of an sme error, for messages that report several problems. */
export function problemText(e: unknown): string {
  return isSmeError(e) ? e.code + ': ' + e.message : 'an unexpected error';
}

/** One step that takes back what a failed start created: what it removes, and how. */
export interface UndoStep {
  readonly what: string;
  readonly run: () => Promise<unknown>;
}

/**
 * Runs the undo steps of a failed start, last first, each even when an earlier one failed. Answers the coded problems
 * (the cause's first) and, for each step that failed, what is left and why.
 *
 * @example
 * const { problems, left } = await runUndo([{ what: 'model m', run: () => endpoints.deleteModel('m') }], cause);
 */
export async function runUndo(
  undo: readonly UndoStep[],
  cause: unknown,
): Promise<{ problems: SmeError[]; left: string[] }> {
  const problems: SmeError[] = isSmeError(cause) ? [cause] : [];
  const left: string[] = [];
  for (let i = undo.length - 1; i >= 0; i--) {
    const step = undo[i];
    if (step === undefined) continue;
    try {
      await step.run();
    } catch (e: unknown) {
      if (isSmeError(e)) problems.push(e);
      left.push(step.what + ' (' + problemText(e) + ')');
    }
  }
  return { problems, left };
}

/** A start that failed part-way, as its error names it. */
export interface FailedStart {
  /** What failed, e.g. `deploying endpoint e1`. */
  readonly action: string;
  /** The argument that names it (`details.key`/`value`). */
  readonly key: string;
  readonly value: string;
  /** `deleted` or `removed`: what the undo steps do. */
  readonly undone: string;
  /** The code when everything was undone, and when something is left. */
  readonly compensated: CoreErrorCode;
  readonly untracked: CoreErrorCode;
}

/**
 * Undoes a failed start (`runUndo`) and answers the error to throw: `start.compensated` when everything was undone,
 * `start.untracked` with what is left otherwise; both carry every problem, the cause's first.
 */
export async function undoFailedStart(
  undo: readonly UndoStep[],
  cause: unknown,
  log: Log,
  start: FailedStart,
): Promise<SmeError> {
  const { problems, left } = await runUndo(undo, cause);
  const details = { key: start.key, value: start.value, problems };
  const failed = start.action + ' failed';
  if (left.length > 0) {
    log.warn(failed + ' and cleaning up failed too');
    return coreError(
      start.untracked,
      failed + ' (' + problemText(cause) + '), and these could not be ' + start.undone + ': ' + left.join('; '),
      details,
      cause,
    );
  }
  log.warn(failed + '; what was created was ' + start.undone);
  return coreError(
    start.compensated,
    failed + ' (' + problemText(cause) + '); what was created was ' + start.undone + ' again',
    details,
    cause,
  );
}

/** What deleting an attempt's export achieved: a sentence for messages and, when it failed, what remains. */
export interface ExportCleanup {
  readonly removed: boolean;
  /** Appended to the error message: what happened to the export. */
  readonly note: string;
  /** S3 URIs that remain when deleting failed. */
  readonly remains: readonly string[];
}

/** The command that removes an attempt's export. */
export function removeExportCommand(inputPrefixUri: string): string {
  return 'aws s3 rm --recursive ' + inputPrefixUri;
}

/**
 * Deletes the attempt's exported objects (everything under its input prefix). When that fails, lists what is
 * still there (or, if listing fails too, the files the EXPORT was told to write) and says how to remove it.
 */
export async function removeExport(
  store: ObjectStorePort,
  inputPrefixUri: string,
  exportedUris: readonly string[],
  log: Log,
): Promise<ExportCleanup> {
  let deleteError: unknown;
  for (let attempt = 1; attempt <= CONFIRM_ATTEMPTS; attempt++) {
    try {
      await store.deletePrefix(inputPrefixUri);
      return { removed: true, note: "this attempt's export (" + inputPrefixUri + ') was deleted', remains: [] };
    } catch (e: unknown) {
      deleteError = e;
    }
  }
  let remains: readonly string[];
  let listed = true;
  try {
    remains = await store.list(inputPrefixUri);
  } catch {
    remains = exportedUris;
    listed = false;
  }
  if (listed && remains.length === 0) {
    return { removed: true, note: "this attempt's export (" + inputPrefixUri + ') was deleted', remains: [] };
  }
  const shown = remains.slice(0, SHOWN_REMAINS).join(', ');
  const more = remains.length > SHOWN_REMAINS ? ' and ' + formatInteger(remains.length - SHOWN_REMAINS) + ' more' : '';
  const note =
    "deleting this attempt's export failed (" +
    problemText(deleteError) +
    '): ' +
    formatInteger(remains.length) +
    (listed ? ' objects remain: ' : ' exported objects may remain: ') +
    shown +
    more +
    '; remove them with: ' +
    removeExportCommand(inputPrefixUri);
  log.warn(note);
  return { removed: false, note, remains };
}

/** `error` with what happened to the export added to its message (and `details.remains`); the code stays. */
export function withCleanupNote(error: unknown, cleanup: ExportCleanup): unknown {
  if (!isSmeError(error)) return error;
  return new SmeError(
    error.code,
    error.kind,
    error.message + '; ' + cleanup.note,
    cleanup.remains.length === 0 ? error.details : { ...error.details, remains: cleanup.remains },
    error.cause,
  );
}

/**
 * The error for a create whose outcome could not be found out: a job of ours may exist and read the export,
 * so neither is touched; the message says how to check and clean up.
 */
export function unconfirmedStartError(
  jobName: string,
  region: string,
  inputPrefixUri: string,
  createError: unknown,
  describeError: unknown,
): SmeError {
  const recorded = [createError, describeError].filter((e): e is SmeError => isSmeError(e));
  return coreError(
    'SME-E-START-UNCONFIRMED',
    'CreateAutoMLJobV2 for ' +
      jobName +
      ' failed (' +
      problemText(createError) +
      ') and whether AWS created the job anyway could not be found out (' +
      problemText(describeError) +
      '). Nothing was recorded and the export ' +
      inputPrefixUri +
      ' was kept, since such a job would read it. Check with: aws sagemaker describe-auto-ml-job-v2 --region ' +
      region +
      ' --auto-ml-job-name ' +
      jobName +
      '; if it exists and reads ' +
      inputPrefixUri +
      ', stop it (aws sagemaker stop-auto-ml-job --region ' +
      region +
      ' --auto-ml-job-name ' +
      jobName +
      '); then remove the export: ' +
      removeExportCommand(inputPrefixUri),
    { key: 'job_name', value: jobName, problems: recorded, remains: [inputPrefixUri] },
    createError,
  );
}
