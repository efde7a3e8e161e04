import {
  addMissingEndpointColumnsSql,
  addMissingMetadataColumnsSql,
  BATCH_PREDICTIONS_TABLE,
  createBatchPredictionsTableSql,
  createEndpointsTableSql,
  createInsightsTableSql,
  createMetadataTableSql,
  createModelsTableSql,
  ENDPOINTS_TABLE,
  INSIGHTS_TABLE,
  METADATA_TABLE,
  MODELS_TABLE,
  quoteIdentifier,
} from '@sme/core';
import {
  BATCH_PREDICT_SCRIPT_NAME,
  CANDIDATES_SCRIPT_NAME,
  CONNECTION_ADDRESS_UDF_NAME,
  DELETE_ENDPOINT_SCRIPT_NAME,
  REAP_IDLE_ENDPOINTS_SCRIPT_NAME,
  DEPLOY_ENDPOINT_SCRIPT_NAME,
  DESCRIBE_SCRIPT_NAME,
  DROP_JOB_SCRIPT_NAME,
  ENDPOINT_STATUS_SCRIPT_NAME,
  EVALUATE_SCRIPT_NAME,
  EXPLAIN_SCRIPT_NAME,
  LIBRARY_SCRIPT_NAME,
  POLL_BATCH_PREDICTION_SCRIPT_NAME,
  POLL_SCRIPT_NAME,
  PROMOTE_SCRIPT_NAME,
  STOP_SCRIPT_NAME,
  TRAIN_SCRIPT_NAME,
} from '../lua/scripting/names.js';
import { udfError } from '../lua/scripting/udf-errors.js';
import {
  AWS_CALL_UDF_NAME,
  awsCallUdfScript,
  checkedCaPem,
  luaBundle,
  predictionUdfBundle,
} from './aws-call-udf-script.js';
import { connectionAddressUdfScript } from './connection-address-udf.js';
import { luaStringLiteral } from './lua-literal.js';
import { DEPLOYED_VERSION_MARKER, smeVersion } from './version.js';

/** One statement of a deployment: the SQL text (no trailing `/`) and what it creates. */
export interface DeploymentStatement {
  readonly sql: string;
  readonly description: string;
}

/** What `sme deploy` was given. */
export interface DeploymentOptions {
  /** Target schema, as stored (e.g. `SME`); it is quoted in every statement. */
  readonly schema: string;
  /**
   * SageMaker endpoint override baked into the AWS-call UDF (`--aws-endpoint-url`), and into the prediction UDFs
   * the deploy-endpoint program creates (for InvokeEndpoint).
   */
  readonly awsEndpointUrl?: string;
  /** S3 endpoint override baked into the AWS-call UDF (path-style), for the drop program's ListObjectsV2/DeleteObject. */
  readonly s3EndpointUrl?: string;
  /** Socket timeout of the AWS-call UDF per operation, seconds (default 30). */
  readonly timeoutSeconds?: number;
  /**
   * PEM text of root certificates the in-database HTTPS calls trust besides AWS's own (`sme deploy --aws-ca-file`):
   * for private endpoints behind a corporate CA, or the sandbox's `--aws-tls`. Baked into the AWS-call UDF and the
   * prediction UDFs; AWS's roots are always trusted and verification cannot be turned off.
   */
  readonly extraCaPem?: string;
}

/** One deployed script: its name in the schema and how to write its CREATE statement. */
export interface DeployedScript {
  readonly name: string;
  readonly description: string;
  statement(options: DeploymentOptions): string;
}

/**
 * A scripting program: a small wrapper that imports the library script (`SME_LIBRARY`, which holds the scripting
 * bundle once for all programs) and hands its arguments to one entry function. Exasol's `import(name, alias)` runs
 * the library and exposes its globals as fields of the global `alias`.
 */
function scriptingProgram(
  name: string,
  parameters: readonly string[],
  entry: string,
  description: string,
  extra?: { readonly argument: (options: DeploymentOptions) => string },
): DeployedScript {
  return {
    name,
    description,
    statement: (options) => {
      const args = extra === undefined ? parameters : [...parameters, extra.argument(options)];
      return (
        `CREATE OR REPLACE LUA SCRIPT ${quoteIdentifier(options.schema)}.${quoteIdentifier(name)}(${parameters.join(', ')}) RETURNS TABLE AS\n` +
        importLibrary(options) +
        `exit(${LIBRARY_ALIAS}.SME.${entry}(${args.join(', ')}))\n`
      );
    },
  };
}

/** Global the library's globals appear under in a program (the alias of `import`). */
const LIBRARY_ALIAS = 'SME_LIBRARY';

/**
 * `import('SME.SME_LIBRARY', 'SME_LIBRARY')`: the schema unquoted when it is a regular upper-case name (the form
 * Exasol's own extensions use), quoted otherwise.
 */
function importLibrary(options: DeploymentOptions): string {
  const schema = /^[A-Z][A-Z0-9_]*$/.test(options.schema) ? options.schema : quoteIdentifier(options.schema);
  const library = `${schema}.${LIBRARY_SCRIPT_NAME}`;
  return `import(${luaStringLiteral(library)}, ${luaStringLiteral(LIBRARY_ALIAS)})\n`;
}

/**
 * `SME_LIBRARY`: the scripting bundle as the global `SME` (its entry functions), and the prediction UDF's bundle
 * text as the global `SME_PREDICTION_BUNDLE`, which the deploy-endpoint program makes each prediction UDF's body
 * (a UDF cannot import, and a script cannot read files). Never executed itself, only imported.
 */
function libraryStatement(options: DeploymentOptions): string {
  return (
    `CREATE OR REPLACE LUA SCRIPT ${quoteIdentifier(options.schema)}.${quoteIdentifier(LIBRARY_SCRIPT_NAME)}() AS\n` +
    `${DEPLOYED_VERSION_MARKER}${smeVersion()}\n` +
    `SME = (function(...)\n${luaBundle('scripting-programs.lua')}\nend)()\n` +
    `SME_PREDICTION_BUNDLE = ${luaStringLiteral(predictionUdfBundle())}\n`
  );
}

/**
 * The deploy-endpoint program's last argument: the prediction bundle (from the library), the endpoint override and
 * the extra CA roots.
 */
function predictionSource(options: DeploymentOptions): string {
  const fields = [`luaBundle = ${LIBRARY_ALIAS}.SME_PREDICTION_BUNDLE`];
  if (options.awsEndpointUrl !== undefined) fields.push(`awsEndpointUrl = ${luaStringLiteral(options.awsEndpointUrl)}`);
  if (options.extraCaPem !== undefined)
    fields.push(`extraRootsPem = ${luaStringLiteral(checkedCaPem(options.extraCaPem))}`);
  return `{ ${fields.join(', ')} }`;
}

const REF = ['aws_credentials_connection_name', 'aws_region'];

/**
 * Every script `deploymentStatements` creates, in creation order (UDFs before the programs that call them).
 * Further scripts are added here.
 */
export const DEPLOYED_SCRIPTS: readonly DeployedScript[] = [
  {
    name: AWS_CALL_UDF_NAME,
    description: 'UDF that signs and sends one SageMaker call with a CONNECTION’s credentials',
    statement: (options) =>
      awsCallUdfScript({
        schema: options.schema,
        ...(options.awsEndpointUrl === undefined ? {} : { awsEndpointUrl: options.awsEndpointUrl }),
        ...(options.s3EndpointUrl === undefined ? {} : { s3EndpointUrl: options.s3EndpointUrl }),
        ...(options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds }),
        ...(options.extraCaPem === undefined ? {} : { extraCaPem: options.extraCaPem }),
      }),
  },
  {
    name: CONNECTION_ADDRESS_UDF_NAME,
    description: 'UDF that returns a CONNECTION’s address (never its user or secret)',
    statement: (options) => connectionAddressUdfScript(options.schema),
  },
  {
    name: LIBRARY_SCRIPT_NAME,
    description: 'scripting library the programs import (the in-database code and the prediction UDF’s body)',
    statement: libraryStatement,
  },
  scriptingProgram(TRAIN_SCRIPT_NAME, ['json_params'], 'train', 'scripting program that starts an Autopilot job'),
  scriptingProgram(
    POLL_SCRIPT_NAME,
    ['job_name', 'aws_credentials_connection_name', 'aws_region'],
    'poll',
    'scripting program that polls a job’s status',
  ),
  scriptingProgram(
    DESCRIBE_SCRIPT_NAME,
    ['job_name', 'aws_credentials_connection_name', 'aws_region'],
    'describe',
    'scripting program that describes a job',
  ),
  scriptingProgram(
    STOP_SCRIPT_NAME,
    ['job_name', 'aws_credentials_connection_name', 'aws_region'],
    'stop',
    'scripting program that stops a job',
  ),
  scriptingProgram(
    DEPLOY_ENDPOINT_SCRIPT_NAME,
    ['job_name', 'endpoint_name', 'schema_name', 'instance_type', 'instance_count', ...REF],
    'deployEndpoint',
    'scripting program that deploys a job’s best model to an endpoint and creates its prediction UDF',
    { argument: predictionSource },
  ),
  scriptingProgram(
    PROMOTE_SCRIPT_NAME,
    ['job_name', 'model_name', 'endpoint_name'],
    'promoteModel',
    'scripting program that points a stable model name (and its UDF PREDICT_<NAME>) at a job',
    { argument: predictionSource },
  ),
  scriptingProgram(
    ENDPOINT_STATUS_SCRIPT_NAME,
    ['endpoint_name', ...REF],
    'endpointStatus',
    'scripting program that reports an endpoint’s status',
  ),
  scriptingProgram(
    DELETE_ENDPOINT_SCRIPT_NAME,
    ['endpoint_name', ...REF],
    'deleteEndpoint',
    'scripting program that deletes an endpoint and its prediction UDF',
  ),
  scriptingProgram(
    REAP_IDLE_ENDPOINTS_SCRIPT_NAME,
    ['json_params'],
    'reapIdleEndpoints',
    'scripting program that deletes the endpoints past their idle time-to-live',
  ),
  scriptingProgram(
    DROP_JOB_SCRIPT_NAME,
    ['job_name', ...REF],
    'dropJob',
    'scripting program that drops a job (stops it, deletes its endpoints and S3 data)',
  ),
  scriptingProgram(
    CANDIDATES_SCRIPT_NAME,
    ['job_name', ...REF],
    'candidates',
    'scripting program that lists a job’s candidates (leaderboard)',
  ),
  scriptingProgram(
    EVALUATE_SCRIPT_NAME,
    ['job_name', ...REF],
    'evaluate',
    'scripting program that returns the best candidate’s validation metrics',
  ),
  scriptingProgram(
    EXPLAIN_SCRIPT_NAME,
    ['job_name', ...REF],
    'explain',
    'scripting program that returns the best candidate’s feature importance',
  ),
  scriptingProgram(
    BATCH_PREDICT_SCRIPT_NAME,
    ['json_params'],
    'batchPredict',
    'scripting program that starts a batch prediction (a batch transform job on a table’s rows)',
  ),
  scriptingProgram(
    POLL_BATCH_PREDICTION_SCRIPT_NAME,
    ['batch_prediction_name', ...REF],
    'pollBatchPrediction',
    'scripting program that polls a batch prediction and imports its results once completed',
  ),
];

function checkSchema(schema: string): void {
  if (schema.length === 0 || schema.length > 128) {
    throw udfError(
      'SME-E-UDF-SCHEMA-INVALID',
      'the schema name must have 1 to 128 characters (received ' + String(schema.length) + ')',
      {
        key: 'schema',
        value: schema.substring(0, 140),
      },
    );
  }
}

/**
 * Everything `sme deploy` runs, in order: the schema, the jobs, endpoints, insight-cache and batch predictions tables (kept with their data
 * when they exist) and every script (replaced). Same options, same bytes.
 *
 * @example
 * await new ExasolDeployer(sql).deploy(deploymentStatements({ schema: 'SME' }));
 */
export function deploymentStatements(options: DeploymentOptions): DeploymentStatement[] {
  checkSchema(options.schema);
  const schema = quoteIdentifier(options.schema);
  return [
    { sql: `CREATE SCHEMA IF NOT EXISTS ${schema}`, description: `schema ${schema}` },
    { sql: createMetadataTableSql(options.schema), description: `table ${schema}.${quoteIdentifier(METADATA_TABLE)}` },
    {
      sql: createEndpointsTableSql(options.schema),
      description: `table ${schema}.${quoteIdentifier(ENDPOINTS_TABLE)}`,
    },
    { sql: createInsightsTableSql(options.schema), description: `table ${schema}.${quoteIdentifier(INSIGHTS_TABLE)}` },
    {
      sql: createBatchPredictionsTableSql(options.schema),
      description: `table ${schema}.${quoteIdentifier(BATCH_PREDICTIONS_TABLE)}`,
    },
    { sql: createModelsTableSql(options.schema), description: `table ${schema}.${quoteIdentifier(MODELS_TABLE)}` },
    ...DEPLOYED_SCRIPTS.map((s) => ({
      sql: s.statement(options),
      description: `${s.description}: ${schema}.${quoteIdentifier(s.name)}`,
    })),
  ];
}

/**
 * Brings the metadata tables of an older version up to date: one `ALTER TABLE … ADD COLUMN` per missing column,
 * jobs table first. Column names as EXA_ALL_COLUMNS stores them. `existingEndpointColumnNames` is optional so that
 * callers written before the endpoints table keep working: without it (or with an empty list, i.e. no such table
 * yet) the endpoints table is left alone — `deploymentStatements` creates it complete.
 *
 * @example
 * const cols = (table: string) => sql.query(`SELECT COLUMN_NAME FROM SYS.EXA_ALL_COLUMNS WHERE COLUMN_SCHEMA = 'SME' AND COLUMN_TABLE = '${table}'`);
 * const names = (r: { rows: unknown[][] }) => r.rows.map((row) => String(row[0]));
 * await deployer.deploy(upgradeStatements('SME', names(await cols(METADATA_TABLE)), names(await cols(ENDPOINTS_TABLE))));
 */
export function upgradeStatements(
  schema: string,
  existingColumnNames: readonly string[],
  existingEndpointColumnNames?: readonly string[],
): DeploymentStatement[] {
  checkSchema(schema);
  const jobs = addMissingMetadataColumnsSql(schema, existingColumnNames).map((sql) => ({
    sql,
    description: `column added to ${quoteIdentifier(schema)}.${quoteIdentifier(METADATA_TABLE)}`,
  }));
  if (existingEndpointColumnNames === undefined || existingEndpointColumnNames.length === 0) return jobs;
  const endpoints = addMissingEndpointColumnsSql(schema, existingEndpointColumnNames).map((sql) => ({
    sql,
    description: `column added to ${quoteIdentifier(schema)}.${quoteIdentifier(ENDPOINTS_TABLE)}`,
  }));
  return [...jobs, ...endpoints];
}
