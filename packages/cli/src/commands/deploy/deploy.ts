import {
  addMissingMetadataColumnsSql,
  createMetadataTableSql,
  METADATA_TABLE,
  quoteIdentifier,
  quoteLiteral,
} from '@sme/core';
import { ExasolDeployer, type DeploymentStatement } from '@sme/exasol-adapter';
import { awsCallUdfScript, AWS_CALL_UDF_NAME } from '@sme/udf';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { processRuntime, withExasol, type Runtime } from '../../runtime/session.js';
import { resolveCliSettings } from '../../settings/settings.js';
import type { DeployArgs } from './deploy-args.js';

/**
 * What `sme deploy` installs: the schema, the metadata table and the in-database scripts that @sme/udf provides
 * today (the AWS-call UDF, with the endpoint override baked in).
 */
export function deploymentStatements(schema: string, awsEndpointUrl: string | undefined): DeploymentStatement[] {
  return [
    { sql: `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`, description: `schema ${schema}` },
    { sql: createMetadataTableSql(schema), description: `table ${schema}.${METADATA_TABLE}` },
    {
      sql: awsCallUdfScript({ schema, ...(awsEndpointUrl === undefined ? {} : { awsEndpointUrl }) }),
      description: `UDF ${schema}.${AWS_CALL_UDF_NAME}`,
    },
  ];
}

export async function run(
  args: DeployArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  const settings = resolveCliSettings(args, runtime.env);
  const statements = deploymentStatements(settings.schema, args.awsEndpointUrl);
  if (args.print) {
    const printed = await new ExasolDeployer().deploy(statements, { print: true });
    if (printed.mode === 'printed') {
      output.result({ schema: settings.schema, statements: printed.statements }, () => {
        output.line(printed.text);
      });
    }
    return ExitCode.Ok;
  }
  const result = await withExasol(settings, output, runtime, async (sql) => {
    const deployed = await new ExasolDeployer(sql).deploy(statements);
    // A table made by an older version gets the columns added since (the seed's 14 come first either way).
    const existing = await sql.query(
      'SELECT COLUMN_NAME FROM EXA_ALL_COLUMNS WHERE COLUMN_SCHEMA = ' +
        quoteLiteral(settings.schema) +
        ' AND COLUMN_TABLE = ' +
        quoteLiteral(METADATA_TABLE),
    );
    const upgrades = addMissingMetadataColumnsSql(
      settings.schema,
      existing.rows.map((row) => String(row[0])),
    );
    for (const statement of upgrades) await sql.execute(statement);
    return { deployed, upgrades };
  });
  const created = result.deployed.mode === 'executed' ? result.deployed.created : [];
  output.result({ schema: settings.schema, created, addedColumns: result.upgrades.length }, () => {
    for (const item of created) output.line(`created ${item}`);
    if (result.upgrades.length > 0) output.line(`added ${result.upgrades.length} columns to ${METADATA_TABLE}`);
    output.line(`sme is deployed in schema ${settings.schema}`);
  });
  return ExitCode.Ok;
}
