import { coreError } from '../error-codes.js';
import { isSmeError, type SmeError } from '../errors.js';
import { qualifiedName } from '../identifiers.js';
import { compactUtcStamp, exasolTimestamp } from '../job-name.js';
import { isClassification, predictionsType, udfResultType } from '../prediction/prediction-udf.js';
import type { AutoMLPortFactory, ProblemType } from '../ports/automl-port.js';
import type { Clock } from '../ports/clock.js';
import type { EndpointPortFactory, ObjectStorePortFactory } from '../ports/endpoint-factories.js';
import type { Json } from '../ports/json.js';
import type { Log } from '../ports/log.js';
import type { SqlColumn, SqlPort, SqlValue } from '../ports/sql-port.js';
import type { TransformPortFactory } from '../ports/transform-port.js';
import { jobS3Layout, parseS3Uri, partFileNames } from '../s3-layout.js';
import { insertBatchPredictionSql, selectBatchPredictionsSql } from '../sql/batch-predictions-sql.js';
import { exportToS3Sql, rowCountSql, selectJobsSql, tableColumnsSql, textOrNull } from '../sql/statements.js';
import { describeValue, encodeStringArray, formatInteger, isAllDigits } from '../text.js';
import { parseBatchPredictionParams, type BatchPredictionParams } from './batch-prediction-params.js';
import { modelContainers, trainingColumns } from './job-model.js';
import { countOf, rowRecords, textOf } from './metadata-rows.js';
import { problemText, removeExport } from './start-training-safety.js';

type Row = Readonly<Record<string, SqlValue>>;

export interface BatchPredictionDeps {
  readonly sql: SqlPort;
  readonly automl: AutoMLPortFactory;
  /** CreateModel / DeleteModel: the transform job runs a model of its own, named like the batch prediction. */
  readonly endpoints: EndpointPortFactory;
  readonly transforms: TransformPortFactory;
  readonly objects: ObjectStorePortFactory;
  readonly clock: Clock;
  readonly json: Json;
  readonly log: Log;
}

export interface BatchPredictionContext {
  /** Schema holding the SME_METADATA_AUTOPILOT_* tables. */
  readonly metadataSchema: string;
  /** Exasol session id as digits, and user, recorded with the batch prediction (optional). */
  readonly sessionId?: string;
  readonly user?: string;
  /** Part files of the export (default 1; in-database callers pass NPROC()*4, see exportFileCountFor). */
  readonly exportFileCount?: number;
}

export interface StartBatchPredictionResult {
  /** The batch prediction's name: also its transform job's and its model's name. */
  readonly name: string;
  readonly jobName: string;
  readonly status: 'InProgress';
  readonly problemType: ProblemType;
  /** `"SCHEMA"."TABLE"` the results go into when polled after the transform completed. */
  readonly outputTable: string;
  readonly outputColumns: readonly string[];
  readonly rowCount: number;
  /** `s3://…/batch-predictions/<name>/`: the export and the transform's output; deleted once imported. */
  readonly s3PrefixUri: string;
}

/** The S3 folders of one batch prediction under its job's prefix. */
export function batchS3Layout(
  jobRow: Row,
  jobName: string,
  name: string,
): {
  readonly bucket: string;
  readonly prefixUri: string;
  readonly inputPrefixUri: string;
  readonly inputKeyPrefix: string;
  readonly outputPrefixUri: string;
} {
  const where = parseS3Uri(textOf(jobRow, 'S3_BUCKET_URI') ?? '');
  const job = jobS3Layout({
    bucket: where.bucket,
    prefix: where.prefix,
    outputPath: textOf(jobRow, 'S3_OUTPUT_PATH') ?? '',
    jobName,
  });
  const root = 's3://' + where.bucket + '/';
  const prefixUri = job.jobPrefixUri + 'batch-predictions/' + name + '/';
  return {
    bucket: where.bucket,
    prefixUri,
    inputPrefixUri: prefixUri + 'input/',
    inputKeyPrefix: prefixUri.slice(root.length) + 'input/',
    outputPrefixUri: prefixUri + 'output/',
  };
}

/** The newest job row of `job_name`, or of the newest (Completed if recorded so) job of `model_name`. */
async function resolveJobRow(params: BatchPredictionParams, sql: SqlPort, schema: string): Promise<Row> {
  const rows = rowRecords(await sql.query(selectJobsSql(schema, params.jobName)));
  let found: Row | undefined;
  if (params.jobName !== undefined) found = rows[0];
  else {
    const prefix = (params.modelName ?? '').toUpperCase() + '-';
    const mine = rows.filter((r) => {
      const name = (textOf(r, 'JOB_NAME') ?? '').toUpperCase();
      return name.startsWith(prefix) && name.length === prefix.length + 12 && isAllDigits(name.slice(prefix.length));
    });
    found = mine.find((r) => textOf(r, 'JOB_STATUS') === 'Completed') ?? mine[0];
  }
  if (found === undefined) {
    const what = params.jobName === undefined ? 'no job of model ' : 'job ';
    const value = params.jobName ?? params.modelName ?? '';
    throw coreError(
      'SME-E-JOB-NOT-FOUND',
      what + describeValue(value) + ' is in the metadata table; its training columns are unknown',
      { key: params.jobName === undefined ? 'model_name' : 'job_name', value: describeValue(value) },
    );
  }
  return found;
}

function missingColumns(wanted: readonly string[], columns: readonly SqlColumn[]): string[] {
  return wanted.filter((w) => !columns.some((c) => c.name === w));
}

/**
 * The output rows' columns: the keys with their input types, PREDICTIONS (the type the prediction UDF emits) and,
 * for classification, PROBABILITY DOUBLE. An existing output table must have exactly these names in this order.
 */
function outputColumns(
  keys: readonly string[],
  inputColumns: readonly SqlColumn[],
  target: { readonly name: string; readonly type: string },
  problemType: ProblemType,
): SqlColumn[] {
  const out: SqlColumn[] = keys.map((k) => ({ name: k, type: inputColumns.find((c) => c.name === k)?.type ?? '' }));
  out.push({ name: 'PREDICTIONS', type: udfResultType(predictionsType({ problemType, target })) });
  if (isClassification(problemType)) out.push({ name: 'PROBABILITY', type: 'DOUBLE' });
  return out;
}

/** `$[0,1,…,k-1,-2,-1]`: the keys, then the model's output columns of the joined record. */
export function outputFilter(keyCount: number, problemType: ProblemType): string {
  const parts: string[] = [];
  for (let i = 0; i < keyCount; i++) parts.push(formatInteger(i));
  if (isClassification(problemType)) parts.push('-2');
  parts.push('-1');
  return '$[' + parts.join(',') + ']';
}

/**
 * Starts a batch prediction: exports the keys and the model's feature columns (in training order, no header) of
 * the input table server-side, creates a model from the job's best candidate and a SageMaker batch transform job
 * that scores the features (InputFilter `$[k:]`) and joins the keys back (JoinSource `Input`, OutputFilter keys +
 * prediction [+ probability]), and records it in SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS. Returns while the
 * transform runs: {@link pollBatchPrediction} imports its results. Everything is validated before anything is
 * created; if a later step fails, what was created is removed again (`SME-E-BATCH-COMPENSATED`, or
 * `SME-E-BATCH-UNTRACKED` naming what remains).
 *
 * @example
 * const started = await startBatchPrediction({ job_name: 'churn-231114221320', key_columns: ['ID'], … }, deps, { metadataSchema: 'SME' });
 */
export async function startBatchPrediction(
  input: unknown,
  deps: BatchPredictionDeps,
  context: BatchPredictionContext,
): Promise<StartBatchPredictionResult> {
  const params = parseBatchPredictionParams(input, deps.json);
  if (context.sessionId !== undefined && !isAllDigits(context.sessionId)) {
    throw coreError('SME-E-ARGUMENT', 'the session id must be digits', { key: 'sessionId' });
  }
  const fileNames = partFileNames(context.exportFileCount ?? 1);
  const jobRow = await resolveJobRow(params, deps.sql, context.metadataSchema);
  const jobName = textOf(jobRow, 'JOB_NAME') ?? '';
  const { features, target: targetColumn } = trainingColumns(jobRow, deps.json);
  const target = { connectionName: params.connectionName, region: params.region };
  const job = await deps.automl(target).describeJob(jobName);
  const containers = job.BestCandidate?.InferenceContainers ?? [];
  if (job.AutoMLJobStatus !== 'Completed' || containers.length === 0) {
    throw coreError(
      'SME-E-BATCH-JOB-NOT-READY',
      'job ' +
        describeValue(jobName) +
        ' is ' +
        job.AutoMLJobStatus +
        (job.BestCandidate === undefined ? ' without a best candidate' : '') +
        '; only a Completed job with a best candidate can predict',
      { key: 'job_name', value: describeValue(jobName) },
    );
  }
  const problemType =
    (textOf(jobRow, 'PROBLEM_TYPE') as ProblemType | undefined) ??
    job.ResolvedAttributes?.AutoMLProblemTypeResolvedAttributes?.TabularResolvedAttributes?.ProblemType;
  if (problemType === undefined) {
    throw coreError('SME-E-BATCH-JOB-NOT-READY', 'the problem type of job ' + describeValue(jobName) + ' is unknown', {
      key: 'job_name',
      value: describeValue(jobName),
    });
  }

  const inputWhere = params.inputSchemaName + '.' + params.inputTableOrViewName;
  const inputColumns: SqlColumn[] = (
    await deps.sql.query(tableColumnsSql(params.inputSchemaName, params.inputTableOrViewName))
  ).rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  if (inputColumns.length === 0) {
    throw coreError(
      'SME-E-TABLE-NOT-FOUND',
      'table or view ' + describeValue(inputWhere) + ' does not exist or is not visible',
      {
        key: 'input_table_or_view_name',
        value: describeValue(inputWhere),
      },
    );
  }
  const missingKeys = missingColumns(params.keyColumns, inputColumns);
  if (missingKeys.length > 0) {
    throw coreError(
      'SME-E-BATCH-KEY-COLUMNS',
      'key column(s) ' + missingKeys.join(', ') + ' are not in ' + describeValue(inputWhere),
      { key: 'key_columns', value: describeValue(missingKeys.join(',')) },
    );
  }
  const featureNames = features.map((f) => f.name);
  const missingFeatures = missingColumns(featureNames, inputColumns);
  if (missingFeatures.length > 0) {
    throw coreError(
      'SME-E-BATCH-FEATURES-MISSING',
      describeValue(inputWhere) +
        ' lacks the feature column(s) ' +
        missingFeatures.join(', ') +
        ' that job ' +
        jobName +
        ' was trained on (' +
        featureNames.join(', ') +
        ')',
      { key: 'input_table_or_view_name', value: describeValue(inputWhere) },
    );
  }
  const outColumns = outputColumns(params.keyColumns, inputColumns, targetColumn, problemType);
  const outputWhere = params.outputSchemaName + '.' + params.outputTableName;
  const existing = (await deps.sql.query(tableColumnsSql(params.outputSchemaName, params.outputTableName))).rows.map(
    (r) => String(r[0]),
  );
  if (existing.length > 0 && existing.join('\u0001') !== outColumns.map((c) => c.name).join('\u0001')) {
    throw coreError(
      'SME-E-BATCH-OUTPUT-TABLE',
      describeValue(outputWhere) +
        ' exists with the columns ' +
        existing.join(', ') +
        '; batch predictions append rows of ' +
        outColumns.map((c) => c.name).join(', '),
      { key: 'output_table_name', value: describeValue(outputWhere) },
    );
  }
  const rowCount = countOf(
    await deps.sql.query(rowCountSql(params.inputSchemaName, params.inputTableOrViewName)),
    'input rows',
  );
  if (rowCount === 0) {
    throw coreError('SME-E-BATCH-EMPTY-INPUT', describeValue(inputWhere) + ' has no rows to predict', {
      key: 'input_table_or_view_name',
      value: describeValue(inputWhere),
    });
  }

  const now = deps.clock.nowMillis();
  const name = jobName + '-' + compactUtcStamp(now);
  const taken = rowRecords(await deps.sql.query(selectBatchPredictionsSql(context.metadataSchema, name)));
  if (taken.length > 0) {
    throw coreError(
      'SME-E-BATCH-NAME-TAKEN',
      'a batch prediction named ' + name + ' exists already (one per job and second)',
      { key: 'name', value: name },
    );
  }
  const layout = batchS3Layout(jobRow, jobName, name);
  const store = deps.objects(target);
  const endpoints = deps.endpoints(target);
  const transforms = deps.transforms(target);
  const undo: { what: string; run: () => Promise<unknown> }[] = [];
  const exported = fileNames.map((f) => layout.inputPrefixUri + f);
  try {
    undo.push({
      what: 'the export under ' + layout.prefixUri,
      run: async () => {
        const cleanup = await removeExport(store, layout.prefixUri, exported, deps.log);
        if (!cleanup.removed) throw coreError('SME-E-BATCH-CLEANUP', cleanup.note, { key: 'name', value: name });
      },
    });
    deps.log.info('exporting ' + formatInteger(rowCount) + ' rows to ' + layout.inputPrefixUri);
    await deps.sql.execute(
      exportToS3Sql({
        schema: params.inputSchemaName,
        table: params.inputTableOrViewName,
        columns: [...params.keyColumns, ...featureNames],
        connection: params.connectionName,
        fileKeys: fileNames.map((f) => layout.inputKeyPrefix + f),
        withColumnNames: false,
      }),
    );
    await endpoints.createModel({
      ModelName: name,
      ExecutionRoleArn: textOf(jobRow, 'IAM_SAGEMAKER_ROLE') ?? job.RoleArn ?? '',
      Containers: modelContainers(containers, problemType),
    });
    undo.push({ what: 'model ' + name, run: () => endpoints.deleteModel(name) });
    await transforms.createTransformJob({
      TransformJobName: name,
      ModelName: name,
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: layout.inputPrefixUri } },
        ContentType: 'text/csv',
        SplitType: 'Line',
        CompressionType: 'None',
      },
      TransformOutput: { S3OutputPath: layout.outputPrefixUri, Accept: 'text/csv', AssembleWith: 'Line' },
      TransformResources: { InstanceType: params.instanceType, InstanceCount: 1 },
      DataProcessing: {
        InputFilter: '$[' + formatInteger(params.keyColumns.length) + ':]',
        JoinSource: 'Input',
        OutputFilter: outputFilter(params.keyColumns.length, problemType),
      },
      BatchStrategy: 'MultiRecord',
    });
    undo.push({ what: 'transform job ' + name, run: () => transforms.stopTransformJob(name) });
    deps.log.info('started batch transform ' + name + ' with the best model of ' + jobName);
    const stamp = { kind: 'timestamp' as const, value: exasolTimestamp(now) };
    await deps.sql.execute(
      insertBatchPredictionSql(context.metadataSchema, {
        CREATED: stamp,
        BATCH_PREDICTION_NAME: { kind: 'text', value: name },
        JOB_NAME: { kind: 'text', value: jobName },
        TRANSFORM_JOB_NAME: { kind: 'text', value: name },
        MODEL_NAME: { kind: 'text', value: name },
        PROBLEM_TYPE: { kind: 'text', value: problemType },
        INPUT_SCHEMA_NAME: { kind: 'text', value: params.inputSchemaName },
        INPUT_TABLE_NAME: { kind: 'text', value: params.inputTableOrViewName },
        OUTPUT_SCHEMA_NAME: { kind: 'text', value: params.outputSchemaName },
        OUTPUT_TABLE_NAME: { kind: 'text', value: params.outputTableName },
        KEY_COLUMNS: { kind: 'text', value: encodeStringArray(params.keyColumns) },
        OUTPUT_COLUMNS: { kind: 'text', value: encodeStringArray(outColumns.map((c) => c.name)) },
        OUTPUT_COLUMN_TYPES: { kind: 'text', value: encodeStringArray(outColumns.map((c) => c.type)) },
        INSTANCE_TYPE: { kind: 'text', value: params.instanceType },
        ROW_COUNT: { kind: 'integer', value: rowCount },
        S3_PREFIX_URI: { kind: 'text', value: layout.prefixUri },
        AWS_CREDENTIALS_CONNECTION_NAME: { kind: 'text', value: params.connectionName },
        AWS_REGION: { kind: 'text', value: params.region },
        STATUS: { kind: 'text', value: 'InProgress' },
        LAST_STATUS_UPDATE: stamp,
        SESSION_ID: context.sessionId === undefined ? { kind: 'null' } : { kind: 'integer', value: context.sessionId },
        SCRIPT_USER: textOrNull(context.user),
      }),
    );
  } catch (cause: unknown) {
    throw await compensate(undo, name, cause, deps.log);
  }
  return {
    name,
    jobName,
    status: 'InProgress',
    problemType,
    outputTable: qualifiedName(params.outputSchemaName, params.outputTableName),
    outputColumns: outColumns.map((c) => c.name),
    rowCount,
    s3PrefixUri: layout.prefixUri,
  };
}

async function compensate(
  undo: readonly { what: string; run: () => Promise<unknown> }[],
  name: string,
  cause: unknown,
  log: Log,
): Promise<SmeError> {
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
  if (left.length > 0) {
    log.warn('starting batch prediction ' + name + ' failed and cleaning up failed too');
    return coreError(
      'SME-E-BATCH-UNTRACKED',
      'starting batch prediction ' +
        name +
        ' failed (' +
        problemText(cause) +
        '), and these could not be removed: ' +
        left.join('; '),
      { key: 'name', value: name, problems },
      cause,
    );
  }
  log.warn('starting batch prediction ' + name + ' failed; what was created was removed');
  return coreError(
    'SME-E-BATCH-COMPENSATED',
    'starting batch prediction ' + name + ' failed (' + problemText(cause) + '); what was created was removed again',
    { key: 'name', value: name, problems },
    cause,
  );
}

/** The recorded row of a batch prediction, or undefined. */
export async function batchPredictionRow(sql: SqlPort, schema: string, name: string): Promise<Row | undefined> {
  return rowRecords(await sql.query(selectBatchPredictionsSql(schema, name)))[0];
}
