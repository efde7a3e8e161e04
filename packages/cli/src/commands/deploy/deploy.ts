import { ENDPOINTS_TABLE, METADATA_TABLE, quoteLiteral } from '@sme/core';
import { ExasolDeployer } from '@sme/exasol-adapter';
import { deploymentStatements, upgradeStatements } from '@sme/udf';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { processRuntime, withExasol, type Runtime } from '../../runtime/session.js';
import { resolveCliSettings } from '../../settings/settings.js';
import { readCaFile } from '../ca-file.js';
import type { DeployArgs } from './deploy-args.js';

export async function run(
  args: DeployArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  const settings = resolveCliSettings(args, runtime.env);
  const extraCaPem = args.awsCaFile === undefined ? undefined : readCaFile(args.awsCaFile, '--aws-ca-file');
  const statements = deploymentStatements({
    schema: settings.schema,
    ...(args.awsEndpointUrl === undefined ? {} : { awsEndpointUrl: args.awsEndpointUrl }),
    ...(args.s3EndpointUrl === undefined ? {} : { s3EndpointUrl: args.s3EndpointUrl }),
    ...(extraCaPem === undefined ? {} : { extraCaPem }),
  });
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
    // A table made by an older version gets the columns added since (the original extension's 14 come first either
    // way).
    const columnsOf = async (table: string): Promise<string[]> => {
      const found = await sql.query(
        'SELECT COLUMN_NAME FROM EXA_ALL_COLUMNS WHERE COLUMN_SCHEMA = ' +
          quoteLiteral(settings.schema) +
          ' AND COLUMN_TABLE = ' +
          quoteLiteral(table),
      );
      return found.rows.map((row) => String(row[0]));
    };
    const upgrades = upgradeStatements(
      settings.schema,
      await columnsOf(METADATA_TABLE),
      await columnsOf(ENDPOINTS_TABLE),
    );
    for (const statement of upgrades) await sql.execute(statement.sql);
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
