import { AWS_ERROR_CODES } from './aws/aws-error-codes.js';
import { SmeError, type SmeErrorDetails, type SmeErrorKind } from './errors.js';

/** One entry of the catalog: what the code means and what the user can do. docs/errors.md renders it. */
export interface ErrorCodeInfo {
  readonly kind: SmeErrorKind;
  readonly meaning: string;
  readonly remedy: string;
  /** The code means a bug in sme (or a caller of its programming interface), not something a user set up wrong. */
  readonly internal?: boolean;
}

/**
 * Every error code that @sme/core raises, with the AWS vocabulary's codes (`AWS_ERROR_CODES`, raised by the
 * adapters from core's factory `awsError`), and the codes several packages share (`SME-E-SQL`). docs/errors.md is
 * generated from this catalog and those of the other packages (`npm run error-docs:write`), so codes stay stable and
 * documented; a code marked `internal` is listed apart, as a bug in sme.
 */
export const CORE_ERROR_CODES = {
  ...AWS_ERROR_CODES,
  'SME-E-PARAMS': {
    kind: 'InvalidInput',
    meaning: 'The training parameters are invalid; `details.problems` lists every problem found.',
    remedy: 'Fix each listed problem and run the statement again.',
  },
  'SME-E-PARAMS-JSON': {
    kind: 'InvalidInput',
    meaning: 'The training parameters are not well-formed JSON.',
    remedy: 'Pass one JSON object, e.g. \'{"model_name": "churn", …}\'; check quotes, commas and braces.',
  },
  'SME-E-PARAMS-NOT-OBJECT': {
    kind: 'InvalidInput',
    meaning: 'The training parameters are JSON, but not a JSON object.',
    remedy: 'Pass a JSON object with the keys listed in docs/sql-reference.md (SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT).',
  },
  'SME-E-PARAM-MISSING': {
    kind: 'InvalidInput',
    meaning: 'A required training parameter is absent (or null).',
    remedy: 'Add the key with a value.',
  },
  'SME-E-PARAM-UNKNOWN': {
    kind: 'InvalidInput',
    meaning: 'A key that sme does not know was given (often a typo).',
    remedy: 'Remove the key or correct its spelling to one of the documented keys.',
  },
  'SME-E-PARAM-TYPE': {
    kind: 'InvalidInput',
    meaning: 'A parameter has the wrong JSON type (e.g. a number given as a string).',
    remedy: 'Give the value with the JSON type docs/sql-reference.md shows for the key.',
  },
  'SME-E-PARAM-NOT-INTEGER': {
    kind: 'InvalidInput',
    meaning: 'A numeric parameter is not a whole number.',
    remedy: 'Give a whole number without fraction.',
  },
  'SME-E-PARAM-RANGE': {
    kind: 'InvalidInput',
    meaning: "A numeric parameter is outside its range (the one AWS accepts; for the sample_* keys, sme's).",
    remedy:
      'max_candidates: 1–750; runtimes: 1–2592000 seconds (30 days); sample_max_rows: 500–1000000000000; sample_fraction: greater than 0, at most 1.',
  },
  'SME-E-PARAM-RUNTIME-ORDER': {
    kind: 'InvalidInput',
    meaning: 'max_runtime_per_training_job_in_seconds is larger than max_runtime_for_automl_job_in_seconds.',
    remedy: 'Make the per-candidate runtime at most the total job runtime.',
  },
  'SME-E-PARAM-MODEL-NAME': {
    kind: 'InvalidInput',
    meaning: 'model_name is not usable as the start of an AutoML job name.',
    remedy: 'Use 1–19 letters, digits and hyphens, starting and ending with a letter or digit.',
  },
  'SME-E-PARAM-REGION': {
    kind: 'InvalidInput',
    meaning: 'aws_region does not have the shape of an AWS region code.',
    remedy: 'Use a region code such as eu-central-1, us-east-1, us-gov-west-1 or cn-north-1.',
  },
  'SME-E-PARAM-ROLE': {
    kind: 'InvalidInput',
    meaning: 'iam_sagemaker_role is neither an IAM role ARN nor an IAM role name.',
    remedy: 'Give the role ARN (arn:aws:iam::123456789012:role/MyRole) or the bare role name.',
  },
  'SME-E-PARAM-S3-URI': {
    kind: 'InvalidInput',
    meaning: 's3_bucket_uri is not of the form s3://bucket or s3://bucket/prefix.',
    remedy: 'Give s3://<bucket>[/<prefix>], e.g. s3://my-bucket or s3://my-bucket/ml.',
  },
  'SME-E-PARAM-S3-BUCKET': {
    kind: 'InvalidInput',
    meaning: 'The bucket in s3_bucket_uri breaks the S3 bucket naming rules.',
    remedy: 'Use 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.',
  },
  'SME-E-PARAM-S3-PATH': {
    kind: 'InvalidInput',
    meaning: 's3_output_path is not a relative S3 key prefix sme can use.',
    remedy: "Use segments of letters, digits and !-_.*'() separated by single slashes; no leading slash, no '..'.",
  },
  'SME-E-PARAM-IDENTIFIER': {
    kind: 'InvalidInput',
    meaning: 'A schema, table, column or connection name is not a valid Exasol identifier.',
    remedy:
      'Use a regular identifier (a letter of any script, then letters, digits, _) or a double-quoted one ' +
      '("My Table", any character but NUL, `""` for a quote).',
  },
  'SME-E-PARAM-PROBLEM-TYPE': {
    kind: 'InvalidInput',
    meaning: 'problem_type is not one Autopilot knows.',
    remedy: 'Use BinaryClassification, MulticlassClassification or Regression, or leave it out.',
  },
  'SME-E-PARAM-OBJECTIVE': {
    kind: 'InvalidInput',
    meaning: 'objective is not a tabular Autopilot metric.',
    remedy:
      'Use one of Accuracy, AUC, BalancedAccuracy, F1, F1macro, MAE, MSE, Precision, PrecisionMacro, R2, Recall, RecallMacro, RMSE.',
  },
  'SME-E-PARAM-OBJECTIVE-MISMATCH': {
    kind: 'InvalidInput',
    meaning: 'objective is not valid for the given problem_type.',
    remedy: 'Pick an objective listed for that problem type, or leave objective out to get its default.',
  },
  'SME-E-JOB-NAME-INVALID': {
    kind: 'InvalidInput',
    meaning: 'A job name could not be built from this model name and time.',
    remedy: 'Use a valid model_name; check the clock of the machine running sme.',
  },
  'SME-E-JOB-NAME-TAKEN': {
    kind: 'Conflict',
    meaning:
      "A job with this name already exists (in the metadata table, or at AWS created by another start in the same second). sme never reuses or adopts another start's job; this start created no job and its export was deleted (the message says so, or lists what remains).",
    remedy: 'Retry after a second (the name contains the time) or choose another model_name.',
  },
  'SME-E-S3-URI': {
    kind: 'InvalidInput',
    meaning: 'A text is not an s3://bucket[/prefix] URI with a valid bucket name.',
    remedy: 'Give s3://<bucket>[/<prefix>].',
  },
  'SME-E-CONNECTION-ADDRESS': {
    kind: 'InvalidInput',
    meaning: 'The CONNECTION address is not an AWS S3 bucket URL Exasol can export to.',
    remedy: "Create the connection TO 'https://<bucket>.s3.<region>.amazonaws.com/'.",
  },
  'SME-E-CONNECTION-NOT-FOUND': {
    kind: 'NotFound',
    meaning: 'The CONNECTION named by aws_credentials_connection_name does not exist or is not visible.',
    remedy: 'Create it (CREATE CONNECTION …) or grant access to it, and check the spelling.',
  },
  'SME-E-BUCKET-MISMATCH': {
    kind: 'Precondition',
    meaning: 'The CONNECTION points at another bucket than s3_bucket_uri: Autopilot would not find the data.',
    remedy: 'Use the same bucket in the CONNECTION address and in s3_bucket_uri.',
  },
  'SME-E-ROLE-ARN-REQUIRED': {
    kind: 'Precondition',
    meaning: 'iam_sagemaker_role is a bare role name and nothing here can resolve it to an ARN.',
    remedy: 'Give the full role ARN: arn:aws:iam::<account>:role/<name>.',
  },
  'SME-E-TABLE-NOT-FOUND': {
    kind: 'NotFound',
    meaning: 'The input table or view does not exist, or the user cannot see it.',
    remedy: 'Check input_schema_name and input_table_or_view_name (unquoted names are upper-cased) and privileges.',
  },
  'SME-E-TARGET-NOT-FOUND': {
    kind: 'NotFound',
    meaning: 'target_attribute_name is not a column of the input table.',
    remedy: 'Use one of the listed columns; quote mixed-case names ("myColumn").',
  },
  'SME-E-NO-FEATURES': {
    kind: 'Precondition',
    meaning: 'The input has only the target column: nothing to learn from.',
    remedy: 'Train on a table or view with the target and at least one feature column.',
  },
  'SME-E-TOO-FEW-ROWS': {
    kind: 'Precondition',
    meaning: 'The input has fewer than 500 rows with a non-NULL target, the Autopilot minimum.',
    remedy: 'Train on a table or view with at least 500 rows whose target is not NULL.',
  },
  'SME-E-TARGET-CONSTANT': {
    kind: 'Precondition',
    meaning: 'The target column has fewer than 2 distinct non-NULL values: there is nothing to learn.',
    remedy: 'Train on a table or view whose target takes at least 2 values.',
  },
  'SME-E-PROBLEM-TYPE-MISMATCH': {
    kind: 'Precondition',
    meaning:
      'problem_type does not fit the target: BinaryClassification needs exactly 2 distinct values, MulticlassClassification at least 3, Regression a numeric (DECIMAL or DOUBLE) column.',
    remedy: 'Give the problem type that fits the target, or leave problem_type out and let Autopilot infer it.',
  },
  'SME-E-TOO-MANY-CLASSES': {
    kind: 'Precondition',
    meaning: 'A MulticlassClassification target has more distinct values than the 2000 classes Autopilot supports.',
    remedy: 'Group rare classes into fewer, or train a regression if the target is a number.',
  },
  'SME-E-SUSPECT-FEATURES': {
    kind: 'Precondition',
    meaning:
      'A feature column equals the target in every row, or has a different value in every row (a whole-number or text unique key): it leaks the label or identifies the row.',
    remedy:
      'Train on a view without the listed columns; if they are meant as features, set allow_suspect_features to true (sme train --allow-suspect-features): the start then reports them as warnings.',
  },
  'SME-E-TOO-MANY-COLUMNS': {
    kind: 'Precondition',
    meaning:
      'The input has more than 1000 columns (target included), the most sme sends Autopilot (a strict limit chosen while Autopilot documents none for tabular jobs).',
    remedy: 'Train on a view with the target and at most 999 feature columns.',
  },
  'SME-E-TOO-MANY-ROWS': {
    kind: 'Precondition',
    meaning:
      'The export would hold more than 3 billion rows, the most sme sends Autopilot (the row limit AWS documents for its time-series jobs, taken as the strict side).',
    remedy: 'Train on a sample: set sample_max_rows (sme train --sample-max-rows) to the number the message suggests.',
  },
  'SME-E-INPUT-TOO-LARGE': {
    kind: 'Precondition',
    meaning:
      'The export would be about 100 GB or more (estimated from the values as text), and Autopilot takes training data under 100 GB.',
    remedy: 'Train on a sample: set sample_max_rows (sme train --sample-max-rows) to the number the message suggests.',
  },
  'SME-E-SAMPLE-TOO-SMALL': {
    kind: 'Precondition',
    meaning:
      'sample_max_rows or sample_fraction gives fewer than 500 rows (the Autopilot minimum), or a stratified sample with fewer rows than the target has values.',
    remedy:
      'Ask for a larger sample (sample_max_rows of at least 500, or a larger sample_fraction); for a numeric target without problem_type, set problem_type to Regression to sample without strata.',
  },
  'SME-E-START-COMPENSATED': {
    kind: 'Internal',
    meaning:
      'The job was created but could not be recorded; sme stopped it and deleted its export (or the message lists what remains). `details.problems` has the cause.',
    remedy: 'Fix the recorded cause (often the metadata table) and start training again.',
  },
  'SME-E-START-UNTRACKED': {
    kind: 'Internal',
    meaning:
      'The job was created, could not be recorded, and stopping it failed too: it may still run and cost money. Its export was kept, since the job reads it.',
    remedy:
      'Stop the named job yourself (the message has the aws sagemaker stop-auto-ml-job command), then remove the export with the aws s3 rm command in the message; fix both listed causes.',
  },
  'SME-E-START-UNCONFIRMED': {
    kind: 'ServiceError',
    meaning:
      'CreateAutoMLJobV2 failed and describing the job failed too, so whether AWS created it is unknown. Nothing was recorded; the export was kept, since such a job would read it.',
    remedy:
      'Run the describe command in the message: if the job exists and reads the named input prefix, stop it; then remove the export with the aws s3 rm command in the message, and start again.',
  },
  'SME-E-JOB-NOT-FOUND': {
    kind: 'NotFound',
    meaning: 'The job is not in the metadata table, and no connection/region was given to ask AWS.',
    remedy: 'Check the job name, or pass the connection name and region.',
  },
  'SME-E-ARGUMENT': {
    kind: 'InvalidInput',
    internal: true,
    meaning: 'A programming interface of core received an argument it cannot use.',
    remedy: 'Fix the calling code; the message names the argument and the value received.',
  },
  'SME-E-ENDPOINT-NAME': {
    kind: 'InvalidInput',
    meaning: 'The endpoint name is not one SageMaker accepts.',
    remedy: 'Use 1–63 letters, digits and hyphens, starting and ending with a letter or digit (e.g. churn-ep-1).',
  },
  'SME-E-ENDPOINT-INSTANCE-TYPE': {
    kind: 'InvalidInput',
    meaning: 'The instance type does not have the shape of a SageMaker hosting instance type.',
    remedy: 'Give a type such as ml.m5.large or ml.c5.xlarge.',
  },
  'SME-E-ENDPOINT-INSTANCE-COUNT': {
    kind: 'InvalidInput',
    meaning: 'The instance count is not a whole number of at least 1.',
    remedy: 'Give a whole number from 1 to 100 (1 is enough for batch prediction from SQL).',
  },
  'SME-E-ENDPOINT-IDLE-TTL': {
    kind: 'InvalidInput',
    meaning: 'The idle time-to-live of an endpoint is not a duration sme reads.',
    remedy:
      'Give a whole number with a unit: s, m, h or d (e.g. 30m, 2h, 1d), from 1 minute to 30 days; leave it out to keep the endpoint until you delete it.',
  },
  'SME-E-ENDPOINT-SERVERLESS': {
    kind: 'InvalidInput',
    meaning: 'The serverless settings of an endpoint are outside what SageMaker accepts.',
    remedy:
      'Give the memory as 1024, 2048, 3072, 4096, 5120 or 6144 (MB) and the most concurrent invocations from 1 to 200; a serverless endpoint takes no instance type or count.',
  },
  'SME-E-ENDPOINT-JOB-NOT-READY': {
    kind: 'Precondition',
    meaning: 'The job has not completed with a best candidate, so there is no model to deploy.',
    remedy:
      'Poll the job until it is Completed (SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS); look at its failure reason if it failed.',
  },
  'SME-E-ENDPOINT-JOB-DROPPED': {
    kind: 'Precondition',
    meaning: 'The job was dropped (sme drop): its model artifacts are deleted, so there is no model to deploy.',
    remedy: 'Deploy another job of the model (sme jobs --model NAME lists them), or train again.',
  },
  'SME-E-ENDPOINT-COLUMNS': {
    kind: 'Precondition',
    meaning: "The job's recorded training columns cannot form a prediction UDF.",
    remedy:
      'Train on a table with at least one feature column besides the target, none named PREDICTIONS or PROBABILITY.',
  },
  'SME-E-ENDPOINT-KEY-COLUMNS': {
    kind: 'InvalidInput',
    meaning:
      'A key column declared for the prediction UDF (`--key`, `key_columns`) is not a column name with an optional type a Lua UDF can take, is given twice, or has the name of a feature or output column.',
    remedy:
      'Declare each key as NAME or NAME TYPE (e.g. ID DECIMAL(18,0); DECIMAL, DOUBLE, BOOLEAN, VARCHAR, CHAR), at most 16, none named like a feature, PREDICTIONS or PROBABILITY.',
  },
  'SME-E-PROMOTE-NAME': {
    kind: 'InvalidInput',
    meaning: 'The model name to promote a job under is not a letter followed by letters, digits, _ or - (at most 48).',
    remedy: 'Give a name such as churn or churn-eu; its prediction UDF is PREDICT_<NAME> (PREDICT_CHURN_EU).',
  },
  'SME-E-PROMOTE-NO-ENDPOINT': {
    kind: 'Precondition',
    meaning:
      "The job has no deployed endpoint (or the named endpoint is not one of the job's) for the model name's prediction UDF to call.",
    remedy:
      'Deploy an endpoint of the job first (sme endpoint deploy, SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT), then promote it.',
  },
  'SME-E-PROMOTE-SIGNATURE': {
    kind: 'Precondition',
    meaning:
      "The job's features, key columns or prediction type differ from those of the job the model name points at, so its stable prediction UDF would change its signature; nothing was changed.",
    remedy:
      'Train the new job on the same columns (and deploy with the same --key), or promote it under a new model name.',
  },
  'SME-E-COLUMN-TYPE': {
    kind: 'InvalidInput',
    meaning: 'A recorded column type is not an Exasol type text.',
    remedy: 'Check COLUMN_TYPES of the job in SME_METADATA_AUTOPILOT_JOBS; train again if it was edited.',
  },
  'SME-E-DEPLOY-COMPENSATED': {
    kind: 'Internal',
    meaning:
      'Deploying the endpoint failed part-way; what was created was deleted again. `details.problems` has the cause.',
    remedy: 'Fix the cause and deploy again.',
  },
  'SME-E-DEPLOY-UNTRACKED': {
    kind: 'Internal',
    meaning: 'Deploying failed part-way and deleting what was created failed too: resources may remain and cost money.',
    remedy:
      'Delete the named endpoint, endpoint config and model yourself (SME_DELETE_SAGEMAKER_AUTOPILOT_ENDPOINT or the AWS console).',
  },
  'SME-E-ENDPOINT-NOT-FOUND': {
    kind: 'NotFound',
    meaning: 'The endpoint is not in SME_METADATA_AUTOPILOT_ENDPOINTS, and no connection/region was given to ask AWS.',
    remedy: 'Check the endpoint name, or pass the connection name and region.',
  },
  'SME-E-ENDPOINT-NOT-IN-SERVICE': {
    kind: 'Precondition',
    meaning:
      'The endpoint exists but is not InService (still Creating, Failed, or being deleted), so it cannot predict.',
    remedy: 'Wait until SME_SAGEMAKER_AUTOPILOT_ENDPOINT_STATUS says InService; if it Failed, delete and deploy again.',
  },
  'SME-E-PREDICT-ROW-TOO-LARGE': {
    kind: 'InvalidInput',
    meaning: 'One input row is larger as CSV than a prediction request may be.',
    remedy: 'Leave out or shorten very long text columns; a request carries at most 5 MiB.',
  },
  'SME-E-PREDICT-RESPONSE': {
    kind: 'ServiceError',
    meaning: 'The endpoint answered with another number of rows than it was sent.',
    remedy: "Check that the endpoint serves this job's model and expects the training columns without the target.",
  },
  'SME-E-DROP-INCOMPLETE': {
    kind: 'Internal',
    meaning: 'Dropping the job left something behind; `details.problems` lists each step that failed.',
    remedy: 'Fix the listed causes and drop the job again (dropping is idempotent).',
  },
  'SME-E-INSIGHT-JOB-NOT-FINISHED': {
    kind: 'Precondition',
    meaning:
      'The job is still running, so its best candidate and reports (evaluation, explainability) do not exist yet.',
    remedy:
      'Wait until the job is Completed (sme status <job> --watch, or SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS); candidates can be listed meanwhile.',
  },
  'SME-E-INSIGHT-NO-BEST-CANDIDATE': {
    kind: 'Precondition',
    meaning: 'The job ended (Failed or Stopped) without a best candidate, so there is nothing to evaluate or explain.',
    remedy:
      'Read its failure reason (sme describe <job>); list what did train with sme candidates, and train again with a longer runtime.',
  },
  'SME-E-INSIGHT-REPORT-MISSING': {
    kind: 'NotFound',
    meaning:
      "A report of the best candidate (model insights or explainability) is not where DescribeAutoMLJobV2 names it, or is not named at all (e.g. the job's secondary status is ExplainabilityError).",
    remedy:
      'Check the S3 location in the message (the role of the job must be able to write there); train again if the report generation failed. Evaluation answers the candidate metrics meanwhile.',
  },
  'SME-E-INSIGHT-REPORT-INVALID': {
    kind: 'ServiceError',
    meaning: 'A report file exists but is not the JSON that Autopilot (Clarify, Model Monitor) writes.',
    remedy: 'Check that nothing else writes under the job’s documentation/ prefix; train again to regenerate it.',
  },
  'SME-E-BATCH-PARAMS': {
    kind: 'InvalidInput',
    meaning: 'The batch prediction parameters are invalid; `details.problems` lists every problem found.',
    remedy: 'Fix each listed problem and run the statement again.',
  },
  'SME-E-BATCH-MODEL-REF': {
    kind: 'InvalidInput',
    meaning: 'A batch prediction names neither a job (job_name) nor a model (model_name), or both.',
    remedy: 'Give exactly one of job_name and model_name.',
  },
  'SME-E-BATCH-KEY-COLUMNS': {
    kind: 'InvalidInput',
    meaning:
      'The key columns are not a list of 1 to 10 distinct column names of the input table (they lead each output row).',
    remedy: 'Name the columns that identify a row, e.g. ["CUSTOMER_ID"]; each must be a column of the input table.',
  },
  'SME-E-BATCH-FEATURES-MISSING': {
    kind: 'Precondition',
    meaning: 'The input table lacks feature columns the job was trained on.',
    remedy:
      'Predict from a table or view with every training column (the target may be absent); the message lists them.',
  },
  'SME-E-BATCH-OUTPUT-TABLE': {
    kind: 'Precondition',
    meaning:
      'The output table exists with other columns than a batch prediction appends (keys, PREDICTIONS[, PROBABILITY]).',
    remedy: 'Name a new table (it is created) or one with exactly the columns in the message.',
  },
  'SME-E-BATCH-EMPTY-INPUT': {
    kind: 'Precondition',
    meaning: 'The input table has no rows: a batch transform would be paid for nothing.',
    remedy: 'Fill the table or choose another one.',
  },
  'SME-E-BATCH-JOB-NOT-READY': {
    kind: 'Precondition',
    meaning: 'The job has not completed with a best candidate, so there is no model to predict with.',
    remedy:
      'Poll the job until it is Completed (SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS); look at its failure reason if it failed.',
  },
  'SME-E-BATCH-NAME-TAKEN': {
    kind: 'Precondition',
    meaning: 'A batch prediction of this job was started in the same second: its name is taken.',
    remedy: 'Start it again a second later.',
  },
  'SME-E-BATCH-COMPENSATED': {
    kind: 'Internal',
    meaning:
      'Starting the batch prediction failed part-way; the export, model and transform job it created were removed again. `details.problems` has the cause.',
    remedy: 'Fix the cause and start the batch prediction again.',
  },
  'SME-E-BATCH-UNTRACKED': {
    kind: 'Internal',
    meaning:
      'Starting the batch prediction failed part-way and removing what it created failed too: S3 data, a model or a running transform job may remain.',
    remedy:
      'Remove what the message names (aws s3 rm --recursive <prefix>, aws sagemaker stop-transform-job / delete-model), fix the cause and start again.',
  },
  'SME-E-BATCH-CLEANUP': {
    kind: 'ServiceError',
    meaning: "The batch prediction's S3 data could not be deleted; the message lists what remains.",
    remedy: 'Remove it with the aws s3 rm command in the message.',
  },
  'SME-E-BATCH-NOT-FOUND': {
    kind: 'NotFound',
    meaning: 'The batch prediction is not in SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS.',
    remedy: 'Use the name the batch prediction returned (SELECT * FROM SME.SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS).',
  },
  'SME-E-BATCH-IMPORT': {
    kind: 'ServiceError',
    meaning:
      "The transform completed but importing its results into the output table failed; nothing was imported and the transform's output was kept.",
    remedy: 'Fix the cause in the message (privileges, the output schema, the connection) and poll again to retry.',
  },
  'SME-E-SQL': {
    kind: 'SqlError',
    meaning:
      "Exasol rejected a statement sme ran (from the CLI or in a deployed script); `details.sqlCode` holds Exasol's code, the message Exasol's text (secrets redacted).",
    remedy:
      "Read Exasol's message; check names, privileges, the statement text and that the sme schema was deployed completely.",
  },
  'SME-E-SQL-RESULT': {
    kind: 'Internal',
    internal: true,
    meaning: 'A query answered with a result shape sme did not expect.',
    remedy: 'Check that the metadata table has the columns sme deploys (re-run the deployment).',
  },
} as const satisfies Readonly<Record<string, ErrorCodeInfo>>;

export type CoreErrorCode = keyof typeof CORE_ERROR_CODES;

/**
 * The error of `code` in `catalog` (core's or an adapter's): the kind from the catalog, and its remedy unless
 * `details.remedy` gives a more precise one. Every catalog's factory is this function bound to its catalog.
 *
 * @example
 * catalogError(CORE_ERROR_CODES, 'SME-E-SQL-RESULT', 'the count query answered no row');
 */
export function catalogError<Code extends string>(
  catalog: Readonly<Record<Code, ErrorCodeInfo>>,
  code: Code,
  message: string,
  details: SmeErrorDetails = {},
  cause?: unknown,
): SmeError {
  const info: ErrorCodeInfo = catalog[code];
  const full: SmeErrorDetails = details.remedy === undefined ? { ...details, remedy: info.remedy } : details;
  return new SmeError(code, info.kind, message, full, cause);
}

/** Builds an `SmeError` of a catalogued code; the remedy defaults to the catalog's. */
export function coreError(
  code: CoreErrorCode,
  message: string,
  details: SmeErrorDetails = {},
  cause?: unknown,
): SmeError {
  return catalogError(CORE_ERROR_CODES, code, message, details, cause);
}
