import { createAutoMLJobRequest } from '../automl-mapping.js';
import { estimateTrainingCost, type CostEstimate } from '../cost-estimate.js';
import { coreError } from '../error-codes.js';
import { isSmeError, type SmeError } from '../errors.js';
import { exasolTimestamp, jobNameFor, jobNameTakenError } from '../job-name.js';
import { parseTrainingParams, type TrainingParams } from '../params.js';
import type { AutoMLJobSecondaryStatus, AutoMLJobStatus, AutoMLPort, AutoMLPortFactory } from '../ports/automl-port.js';
import type { ObjectStorePortFactory } from '../ports/endpoint-factories.js';
import type { Clock } from '../ports/clock.js';
import type { ConnectionPort } from '../ports/connection-port.js';
import type { IdentityPort } from '../ports/identity-port.js';
import type { Json } from '../ports/json.js';
import type { Log } from '../ports/log.js';
import { attemptIdFor, jobS3Layout, partFileNames } from '../s3-layout.js';
import { exportToS3Sql, integerOrNull, type SqlLiteralValue, textOrNull } from '../sql/statements.js';
import { describeValue, encodeStringArray, formatInteger, isAllDigits } from '../text.js';
import { storesOf, type StoreDeps } from './stores.js';
import { checkBucket, checkRowCount, resolveColumns, resolveRoleArn } from './training-input.js';
import { exportFileCount } from './export-split.js';
import { checkExportSize, preflightTraining } from './training-preflight.js';
import { planSample, type SamplePlan } from './training-sample.js';
import {
  CREATE_ATTEMPTS,
  createOutcome,
  isTransientCreateError,
  problemText,
  removeExport,
  stopConfirmed,
  unconfirmedStartError,
  withCleanupNote,
  type ExportCleanup,
} from './start-training-safety.js';

export { MIN_TRAINING_ROWS } from './training-input.js';

export interface StartTrainingDeps extends StoreDeps {
  readonly automl: AutoMLPortFactory;
  /** Deletes an attempt's export after a failure (Lua: the AWS-call UDF; Node: S3). */
  readonly objects: ObjectStorePortFactory;
  readonly clock: Clock;
  readonly json: Json;
  readonly log: Log;
  /** Reads the CONNECTION address for the bucket check; without it the check is skipped (with a warning). */
  readonly connections?: ConnectionPort;
  /** Resolves a bare role name; without it a bare name fails with SME-E-ROLE-ARN-REQUIRED. */
  readonly identity?: IdentityPort;
}

export interface StartTrainingContext {
  /** Exasol session id as digits (it exceeds 2^53). */
  readonly sessionId: string;
  readonly user: string;
  /** Schema holding SME_METADATA_AUTOPILOT_JOBS. */
  readonly metadataSchema: string;
  /** Part files of the export; absent, core decides (`exportFileCount`: NPROC() × 4). Tests pin it. */
  readonly exportFileCount?: number;
}

export interface StartTrainingResult {
  readonly jobName: string;
  readonly jobArn: string;
  /** `InProgress`, or what AWS said of a recovered job. */
  readonly status: AutoMLJobStatus;
  /** True when CreateAutoMLJobV2's answer was lost and the job was recognised as this start's and recorded. */
  readonly recovered: boolean;
  /** This start's own S3 folder under the job's prefix (see `attemptIdFor`). */
  readonly attemptId: string;
  readonly roleArn: string;
  readonly s3InputUri: string;
  readonly s3OutputUri: string;
  readonly columnNames: readonly string[];
  /** Rows exported: the sample's size when the start sampled, else every row of the table. */
  readonly rowCount: number;
  /** Pre-flight warnings the start went ahead with (suspect feature columns allowed by allow_suspect_features). */
  readonly warnings: readonly string[];
  /** The sample exported (see `planSample`); absent when the whole table was exported. */
  readonly sample?: SamplePlan;
  /** What the job may cost if it runs to its caps: an estimate, never a quote. */
  readonly costEstimate: CostEstimate;
}

/**
 * Starts an Autopilot training job on an Exasol table: validate → resolve the table (columns in ordinal
 * order, target present, at least one feature column, ≥ 500 rows with a non-NULL target) → pre-flight checks
 * from one aggregate query (`preflightTraining`: column count, target cardinality vs problem type, suspect features,
 * size) → the sample, when `sample_*` asks for one (`planSample`) → rows and estimated size within Autopilot's
 * limits (`checkExportSize`) → cost estimate (`estimateTrainingCost`, logged and returned) → unique job name →
 * EXPORT (of the sample, or of every row) into this attempt's own S3 folder (`<job>/<attempt id>/input/`, which no concurrent start shares) →
 * CreateAutoMLJobV2 pointing at it → metadata row. Nothing is created when validation fails.
 *
 * Under faults: a failed create is followed by a describe; a job that reads this attempt's input (and matches
 * role, output and target) was created by us and is recorded (`recovered`); any other job of that name is never
 * adopted (`SME-E-JOB-NAME-TAKEN`). Every failure after the export deletes the export, or the error lists what
 * remains and the command that removes it. If the row cannot be written, the job is stopped
 * (`SME-E-START-COMPENSATED`, or `SME-E-START-UNTRACKED` when stopping failed too); if the create's outcome
 * cannot be found out, `SME-E-START-UNCONFIRMED` says how to check.
 *
 * @example
 * const started = await startTraining(paramsJson, { sql, automl, objects, clock, json, log }, { sessionId: '1', user: 'SYS', metadataSchema: 'SME' });
 * started.jobName; // 'churn-231114221320'
 */
export async function startTraining(
  input: unknown,
  deps: StartTrainingDeps,
  context: StartTrainingContext,
): Promise<StartTrainingResult> {
  return startValidatedTraining(parseTrainingParams(input, deps.json), deps, context);
}

/**
 * {@link startTraining} with parameters `parseTrainingParams` returned: for a front door that validates them before
 * it connects (the CLI), so they are parsed once.
 *
 * @example
 * const started = await startValidatedTraining(parseTrainingParams(input, json), deps, context);
 */
export async function startValidatedTraining(
  params: TrainingParams,
  deps: StartTrainingDeps,
  context: StartTrainingContext,
): Promise<StartTrainingResult> {
  if (!isAllDigits(context.sessionId)) {
    throw coreError('SME-E-ARGUMENT', 'the session id must be digits; received ' + describeValue(context.sessionId), {
      key: 'sessionId',
      value: describeValue(context.sessionId),
    });
  }
  const fileNames = partFileNames(context.exportFileCount ?? (await exportFileCount(deps.sql)));
  const roleArn = await resolveRoleArn(params, deps.identity);
  await checkBucket(params, deps);

  const columns = await resolveColumns(params, deps.sql);
  const { rowCount, targetRowCount } = await checkRowCount(params, deps.sql);
  const checked = await preflightTraining(params, columns, rowCount, targetRowCount, deps.sql);
  const sample = planSample(params, targetRowCount, checked.targetDistinct);
  const exportRows = sample === undefined ? rowCount : sample.rows;
  checkExportSize(params, exportRows, checked.bytesPerRow);
  for (const warning of checked.warnings) deps.log.warn(warning + ' (training anyway: allow_suspect_features is true)');
  const costEstimate = estimateTrainingCost(params);
  deps.log.info(costEstimate.text);

  const now = deps.clock.nowMillis();
  const jobName = jobNameFor(params.modelName, now);
  const jobs = storesOf(deps, context.metadataSchema).jobs;
  if ((await jobs.find(jobName)) !== undefined) throw jobNameTakenError(jobName, 'the metadata table');

  const attemptId = attemptIdFor(context.sessionId, now);
  const layout = jobS3Layout({
    bucket: params.s3Bucket,
    prefix: params.s3BucketPrefix,
    outputPath: params.s3OutputPath,
    jobName,
    attemptId,
  });
  const target = { connectionName: params.awsCredentialsConnectionName, region: params.awsRegion };
  const store = deps.objects(target);
  const fileKeys = fileNames.map((f) => layout.inputKeyPrefix + f);
  const exportedUris = fileNames.map((f) => layout.inputPrefixUri + f);
  /** Any failure from here on deletes this attempt's export first (an EXPORT that fails may have written part). */
  const failAfterExport = async (error: unknown): Promise<unknown> =>
    withCleanupNote(error, await removeExport(store, layout.inputPrefixUri, exportedUris, deps.log));

  const columnNames = columns.map((c) => c.name);
  deps.log.info(
    (sample === undefined
      ? 'exporting ' + formatInteger(rowCount) + ' rows'
      : 'exporting a ' +
        (sample.method === 'STRATIFIED' ? 'stratified' : 'uniform') +
        ' sample of ' +
        formatInteger(sample.rows) +
        ' of ' +
        formatInteger(sample.sourceRows) +
        ' rows') +
      ' to ' +
      layout.inputPrefixUri,
  );
  try {
    await deps.sql.execute(
      exportToS3Sql({
        schema: params.inputSchemaName,
        table: params.inputTableOrViewName,
        columns: columnNames,
        connection: params.awsCredentialsConnectionName,
        fileKeys,
        ...(sample === undefined
          ? {}
          : {
              sample: {
                rows: sample.rows,
                target: params.targetAttributeName,
                stratified: sample.method === 'STRATIFIED',
              },
            }),
      }),
    );
  } catch (exportError: unknown) {
    throw await failAfterExport(exportError);
  }

  const automl = deps.automl(target);
  const request = createAutoMLJobRequest(params, {
    jobName,
    roleArn,
    inputPrefixUri: layout.inputPrefixUri,
    outputPrefixUri: layout.outputPrefixUri,
  });
  /** CreateAutoMLJobV2, and after a failure the describe that decides: adopt our job, retry, or fail cleanly. */
  async function createOrAdopt(): Promise<{
    jobArn: string;
    status: AutoMLJobStatus;
    secondaryStatus: AutoMLJobSecondaryStatus;
    recovered: boolean;
  }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await automl.createJob(request);
        return { jobArn: created.AutoMLJobArn, status: 'InProgress', secondaryStatus: 'Starting', recovered: false };
      } catch (createError: unknown) {
        const outcome = await createOutcome(automl, request, createError);
        if (outcome.kind === 'unknown') {
          throw unconfirmedStartError(jobName, params.awsRegion, layout.inputPrefixUri, createError, outcome.error);
        }
        if (outcome.kind === 'theirs') {
          throw await failAfterExport(
            jobNameTakenError(jobName, 'AWS, by another start; no job was created for this one', createError),
          );
        }
        if (outcome.kind === 'absent') {
          // Confirmed not created: a throttled or failed create may be sent again (a bounded number of times).
          if (attempt < CREATE_ATTEMPTS && isTransientCreateError(createError)) {
            deps.log.warn('CreateAutoMLJobV2 failed (' + problemText(createError) + ') and created nothing: retrying');
            continue;
          }
          const alreadyExists = isSmeError(createError) && createError.kind === 'AlreadyExists';
          throw await failAfterExport(alreadyExists ? jobNameTakenError(jobName, 'AWS', createError) : createError);
        }
        deps.log.warn(
          'the answer to CreateAutoMLJobV2 was lost (' +
            problemText(createError) +
            '); job ' +
            jobName +
            " exists and reads this attempt's export " +
            layout.inputPrefixUri +
            ", so it is this start's job: recorded it",
        );
        return {
          jobArn: outcome.description.AutoMLJobArn,
          status: outcome.description.AutoMLJobStatus,
          secondaryStatus: outcome.description.AutoMLJobSecondaryStatus,
          recovered: true,
        };
      }
    }
  }

  const { jobArn, status, secondaryStatus, recovered } = await createOrAdopt();
  deps.log.info((recovered ? 'recovered AutoML job ' : 'created AutoML job ') + jobName);

  const nowText = exasolTimestamp(now);
  try {
    await jobs.insert({
      DATETIME: { kind: 'timestamp', value: nowText },
      JOB_NAME: { kind: 'text', value: jobName },
      AWS_CREDENTIALS_CONNECTION_NAME: { kind: 'text', value: params.awsCredentialsConnectionName },
      IAM_SAGEMAKER_ROLE: { kind: 'text', value: roleArn },
      S3_BUCKET_URI: { kind: 'text', value: params.s3BucketUri },
      S3_OUTPUT_PATH: { kind: 'text', value: params.s3OutputPath },
      TARGET_ATTRIBUTE_NAME: { kind: 'text', value: params.targetAttributeName },
      PROBLEM_TYPE: textOrNull(params.problemType),
      OBJECTIVE: textOrNull(params.objective),
      MAX_RUNTIME_FOR_AUTOML_JOB_IN_SECONDS: integerOrNull(params.maxRuntimeForAutomlJobInSeconds),
      MAX_CANDIDATES: integerOrNull(params.maxCandidates),
      MAX_RUNTIME_PER_TRAINING_JOB_IN_SECONDS: integerOrNull(params.maxRuntimePerTrainingJobInSeconds),
      SESSION_ID: { kind: 'integer', value: context.sessionId },
      SCRIPT_USER: { kind: 'text', value: context.user },
      AWS_REGION: { kind: 'text', value: params.awsRegion },
      COLUMN_NAMES: { kind: 'text', value: encodeStringArray(columnNames) },
      COLUMN_TYPES: { kind: 'text', value: encodeStringArray(columns.map((c) => c.type)) },
      JOB_STATUS: { kind: 'text', value: status },
      JOB_SECONDARY_STATUS: { kind: 'text', value: secondaryStatus },
      LAST_STATUS_UPDATE: { kind: 'timestamp', value: nowText },
      INPUT_SCHEMA_NAME: { kind: 'text', value: params.inputSchemaName },
      INPUT_TABLE_NAME: { kind: 'text', value: params.inputTableOrViewName },
      JOB_ARN: { kind: 'text', value: jobArn },
      S3_INPUT_URI: { kind: 'text', value: layout.inputPrefixUri },
      S3_OUTPUT_URI: { kind: 'text', value: layout.outputPrefixUri },
      ...sampleColumns(params, sample),
      COST_ESTIMATE_USD_LOW: { kind: 'double', value: costEstimate.lowUsd },
      COST_ESTIMATE_USD_HIGH: { kind: 'double', value: costEstimate.highUsd },
    });
  } catch (recordError: unknown) {
    throw await compensate(automl, jobName, params.awsRegion, recordError, deps.log, () =>
      removeExport(store, layout.inputPrefixUri, exportedUris, deps.log),
    );
  }

  return {
    jobName,
    jobArn,
    status,
    recovered,
    attemptId,
    roleArn,
    s3InputUri: layout.inputPrefixUri,
    s3OutputUri: layout.outputPrefixUri,
    columnNames,
    rowCount: exportRows,
    warnings: checked.warnings,
    ...(sample === undefined ? {} : { sample }),
    costEstimate,
  };
}

/** The metadata row's record of the sampling: what was asked for, and what was exported. */
function sampleColumns(
  params: TrainingParams,
  sample: SamplePlan | undefined,
): Readonly<Record<string, SqlLiteralValue>> {
  return {
    SAMPLE_MAX_ROWS: integerOrNull(params.sampleMaxRows),
    SAMPLE_FRACTION:
      params.sampleFraction === undefined ? { kind: 'null' } : { kind: 'double', value: params.sampleFraction },
    SAMPLE_METHOD: textOrNull(sample?.method),
    SAMPLE_ROW_COUNT: integerOrNull(sample?.rows),
    SAMPLE_SOURCE_ROW_COUNT: integerOrNull(sample?.sourceRows),
  };
}

/**
 * A created job that cannot be recorded must not run on unseen: stop it (then delete its export), and say what
 * happened. When it cannot be stopped, its export stays (the job reads it) and the message has both commands.
 */
async function compensate(
  automl: AutoMLPort,
  jobName: string,
  region: string,
  recordError: unknown,
  log: Log,
  cleanup: () => Promise<ExportCleanup>,
): Promise<SmeError> {
  const recorded: SmeError[] = isSmeError(recordError) ? [recordError] : [];
  const stopError = await stopConfirmed(automl, jobName);
  if (stopError !== undefined) {
    const problems = isSmeError(stopError) ? [...recorded, stopError] : recorded;
    log.warn('job ' + jobName + ' could not be recorded nor stopped');
    return coreError(
      'SME-E-START-UNTRACKED',
      'AutoML job ' +
        jobName +
        ' was created but not recorded (' +
        problemText(recordError) +
        '), and stopping it failed (' +
        problemText(stopError) +
        '): stop it yourself (aws sagemaker stop-auto-ml-job --region ' +
        region +
        ' --auto-ml-job-name ' +
        jobName +
        '); its export was kept because the job reads it',
      { key: 'job_name', value: jobName, problems },
      recordError,
    );
  }
  const removed = await cleanup();
  log.warn('job ' + jobName + ' could not be recorded and was stopped');
  return coreError(
    'SME-E-START-COMPENSATED',
    'AutoML job ' +
      jobName +
      ' was created but could not be recorded (' +
      problemText(recordError) +
      '); it was stopped; ' +
      removed.note,
    {
      key: 'job_name',
      value: jobName,
      problems: recorded,
      ...(removed.remains.length === 0 ? {} : { remains: removed.remains }),
    },
    recordError,
  );
}
