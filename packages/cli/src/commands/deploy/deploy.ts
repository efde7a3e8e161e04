import { ENDPOINTS_TABLE, METADATA_TABLE, quoteLiteral } from '@sme/core';
import { ExasolDeployer } from '@sme/exasol-adapter';
import { deploymentStatements, upgradeStatements } from '@sme/udf';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { processRuntime, withExasol, type Runtime } from '../../runtime/session.js';
import { reapWithOwnAws } from '../endpoint/reap-hook.js';
import { resolveCliSettings } from '../../settings/settings.js';
import { readCaFile } from '../ca-file.js';
import type { DeployArgs } from './deploy-args.js';

/** What a deployment did to each object: made it, replaced a script that was there, or kept what existed. */
export interface DeployReport {
  readonly created: readonly string[];
  readonly replaced: readonly string[];
  readonly kept: readonly string[];
}

/** The objects that existed before a deployment: the schema, and its tables' and scripts' names. */
export interface ExistingObjects {
  readonly schema: boolean;
  readonly names: ReadonlySet<string>;
}

/**
 * Sorts the deployed objects (descriptions `schema "S"`, `table "S"."T"`, `…: "S"."SCRIPT"`) by what existed
 * before: a redeploy says `replaced` for scripts and `kept` for the schema and tables, never `created`.
 */
export function deployReport(descriptions: readonly string[], existing: ExistingObjects): DeployReport {
  const created: string[] = [];
  const replaced: string[] = [];
  const kept: string[] = [];
  for (const description of descriptions) {
    const name = /"((?:[^"]|"")+)"$/.exec(description)?.[1]?.replace(/""/g, '"');
    const isSchema = description.startsWith('schema ');
    const existed = isSchema ? existing.schema : name !== undefined && existing.names.has(name);
    if (!existed) created.push(description);
    else if (isSchema || description.startsWith('table ')) kept.push(description);
    else replaced.push(description);
  }
  return { created, replaced, kept };
}

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
    const schema = quoteLiteral(settings.schema);
    const namesOf = async (query: string): Promise<string[]> => (await sql.query(query)).rows.map((r) => String(r[0]));
    const existing: ExistingObjects = {
      schema: (await namesOf(`SELECT SCHEMA_NAME FROM SYS.EXA_ALL_SCHEMAS WHERE SCHEMA_NAME = ${schema}`)).length > 0,
      names: new Set([
        ...(await namesOf(`SELECT TABLE_NAME FROM SYS.EXA_ALL_TABLES WHERE TABLE_SCHEMA = ${schema}`)),
        ...(await namesOf(`SELECT SCRIPT_NAME FROM SYS.EXA_ALL_SCRIPTS WHERE SCRIPT_SCHEMA = ${schema}`)),
      ]),
    };
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
    // Deploying needs no AWS; it is opened only to reap idle endpoints, as every command that connects does.
    await reapWithOwnAws(sql, settings, output, runtime);
    return { deployed, upgrades, existing };
  });
  const report = deployReport(result.deployed.mode === 'executed' ? result.deployed.created : [], result.existing);
  output.result({ schema: settings.schema, ...report, addedColumns: result.upgrades.length }, () => {
    for (const item of report.created) output.line(`created ${item}`);
    for (const item of report.replaced) output.line(`replaced ${item}`);
    for (const item of report.kept) output.line(`kept ${item} (it existed; its data is unchanged)`);
    if (result.upgrades.length > 0) output.line(`added ${result.upgrades.length} columns to ${METADATA_TABLE}`);
    output.line(`sme is deployed in schema ${settings.schema}`);
  });
  return ExitCode.Ok;
}
