/** What startTraining reads and checks about its input before it creates anything: role, bucket, columns, row count. */
import { coreError } from '../error-codes.js';
import type { TrainingParams } from '../params.js';
import type { ConnectionPort } from '../ports/connection-port.js';
import type { IdentityPort } from '../ports/identity-port.js';
import type { Log } from '../ports/log.js';
import type { SqlColumn, SqlPort } from '../ports/sql-port.js';
import { checkConnectionBucket } from '../s3-layout.js';
import { tableColumnsSql, trainingRowCountSql } from '../sql/statements.js';
import { describeValue, formatInteger } from '../text.js';
import { countAt } from './metadata-rows.js';

/** Autopilot refuses training data with fewer rows. */
export const MIN_TRAINING_ROWS = 500;

/** The role ARN the job runs as: the one given, or the one a bare role name resolves to. */
export async function resolveRoleArn(params: TrainingParams, identity: IdentityPort | undefined): Promise<string> {
  if (params.roleArn !== undefined) return params.roleArn;
  if (identity === undefined) {
    throw coreError(
      'SME-E-ROLE-ARN-REQUIRED',
      'iam_sagemaker_role ' + describeValue(params.iamSagemakerRole) + ' is a role name; give the role ARN here',
      { key: 'iam_sagemaker_role', value: describeValue(params.iamSagemakerRole) },
    );
  }
  return identity.roleArn(params.iamSagemakerRole);
}

/** That the CONNECTION writes to the bucket of `s3_bucket_uri` (skipped, with a warning, where addresses are unreadable). */
export async function checkBucket(
  params: TrainingParams,
  deps: { readonly connections?: ConnectionPort; readonly log: Log },
): Promise<void> {
  if (deps.connections === undefined) {
    deps.log.warn(
      'cannot read CONNECTION addresses here: not checking that the connection writes to ' + params.s3Bucket,
    );
    return;
  }
  const address = await deps.connections.address(params.awsCredentialsConnectionName);
  if (address === undefined) {
    throw coreError(
      'SME-E-CONNECTION-NOT-FOUND',
      'CONNECTION ' + describeValue(params.awsCredentialsConnectionName) + ' does not exist or is not visible',
      { key: 'aws_credentials_connection_name', value: describeValue(params.awsCredentialsConnectionName) },
    );
  }
  checkConnectionBucket(address, params.s3Bucket);
}

/** The input's columns in ordinal order, with the target among them and at least one feature. */
export async function resolveColumns(params: TrainingParams, sql: SqlPort): Promise<SqlColumn[]> {
  const result = await sql.query(tableColumnsSql(params.inputSchemaName, params.inputTableOrViewName));
  const columns: SqlColumn[] = result.rows.map((row) => ({ name: String(row[0]), type: String(row[1]) }));
  const where = params.inputSchemaName + '.' + params.inputTableOrViewName;
  if (columns.length === 0) {
    throw coreError(
      'SME-E-TABLE-NOT-FOUND',
      'table or view ' + describeValue(where) + ' does not exist or is not visible',
      {
        key: 'input_table_or_view_name',
        value: describeValue(where),
      },
    );
  }
  if (!columns.some((c) => c.name === params.targetAttributeName)) {
    const names = columns.map((c) => c.name).join(', ');
    throw coreError(
      'SME-E-TARGET-NOT-FOUND',
      'column ' +
        describeValue(params.targetAttributeName) +
        ' is not in ' +
        describeValue(where) +
        ' (columns: ' +
        names +
        ')',
      { key: 'target_attribute_name', value: describeValue(params.targetAttributeName) },
    );
  }
  if (columns.length < 2) {
    throw coreError(
      'SME-E-NO-FEATURES',
      describeValue(where) +
        ' has only the target column ' +
        describeValue(params.targetAttributeName) +
        '; Autopilot needs at least one other column to learn from',
      { key: 'input_table_or_view_name', value: describeValue(where) },
    );
  }
  return columns;
}

/** Rows in the input, and rows with a non-NULL target: only those count towards Autopilot's minimum. */
export async function checkRowCount(
  params: TrainingParams,
  sql: SqlPort,
): Promise<{ rowCount: number; targetRowCount: number }> {
  const counts = await sql.query(
    trainingRowCountSql(params.inputSchemaName, params.inputTableOrViewName, params.targetAttributeName),
  );
  const rowCount = countAt(counts, 0, 'input_table_or_view_name');
  const targetRowCount = countAt(counts, 1, 'target_attribute_name');
  if (targetRowCount < MIN_TRAINING_ROWS) {
    const where = params.inputSchemaName + '.' + params.inputTableOrViewName;
    throw coreError(
      'SME-E-TOO-FEW-ROWS',
      describeValue(where) +
        ' has ' +
        formatInteger(rowCount) +
        ' rows, ' +
        formatInteger(targetRowCount) +
        ' of them with a non-NULL ' +
        describeValue(params.targetAttributeName) +
        '; Autopilot needs at least ' +
        formatInteger(MIN_TRAINING_ROWS) +
        ' rows with a target',
      { key: 'input_table_or_view_name', value: formatInteger(targetRowCount) },
    );
  }
  return { rowCount, targetRowCount };
}
