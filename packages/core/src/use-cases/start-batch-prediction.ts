import { coreError } from '../error-codes.js';
import { qualifiedName } from '../identifiers.js';
import { compactUtcStamp, exasolTimestamp } from '../job-name.js';
import type { AutoMLPortFactory, ProblemType } from '../ports/automl-port.js';
import type { Clock } from '../ports/clock.js';
import type { EndpointPortFactory, ObjectStorePortFactory } from '../ports/endpoint-factories.js';
import type { Json } from '../ports/json.js';
import { exportFileCount } from './export-split.js';
import type { Log } from '../ports/log.js';
import type { SqlColumn } from '../ports/sql-port.js';
import type { TransformPortFactory } from '../ports/transform-port.js';
import { partFileNames } from '../s3-layout.js';
import { exportToS3Sql, rowCountSql, tableColumnsSql, textOrNull } from '../sql/statements.js';
import { describeValue, encodeStringArray, formatInteger, isAllDigits } from '../text.js';
import { parseBatchPredictionParams } from './batch-prediction-params.js';
import { modelContainers, trainingColumns } from './job-model.js';
import { countOf, textOf } from './metadata-rows.js';
import { batchS3Layout, missingColumns, outputColumns, outputFilter, resolveJobRow } from './batch-prediction-plan.js';
import { removeExport, undoFailedStart } from './start-training-safety.js';
import { storesOf, type StoreDeps } from './stores.js';

export { batchS3Layout, outputFilter } from './batch-prediction-plan.js';

export interface BatchPredictionDeps extends StoreDeps {
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
  /** Part files of the export; absent, core decides (`exportFileCount`: NPROC() × 4). Tests pin it. */
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
  const fileNames = partFileNames(context.exportFileCount ?? (await exportFileCount(deps.sql)));
  const stores = storesOf(deps, context.metadataSchema);
  const jobRow = await resolveJobRow(params, stores.jobs);
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
  if ((await stores.batchPredictions.find(name)) !== undefined) {
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
    await stores.batchPredictions.insert({
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
    });
  } catch (cause: unknown) {
    throw await undoFailedStart(undo, cause, deps.log, {
      action: 'starting batch prediction ' + name,
      key: 'name',
      value: name,
      undone: 'removed',
      compensated: 'SME-E-BATCH-COMPENSATED',
      untracked: 'SME-E-BATCH-UNTRACKED',
    });
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
