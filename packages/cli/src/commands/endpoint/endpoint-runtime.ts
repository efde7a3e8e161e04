import {
  coreError,
  createEndpointsTableSql,
  ENDPOINTS_TABLE,
  type AutoMLPortFactory,
  type Clock,
  type EndpointContext,
  type EndpointPortFactory,
  type Json,
  type Log,
  type ObjectStorePortFactory,
} from '@sme/core';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import type { SageMakerAdapters } from '@sme/sagemaker-adapter';
import type { Output } from '../../output.js';
import { nodePorts, openAws, withExasol, type Runtime } from '../../runtime/session.js';
import { resolveCliSettings, type CliSettings, type CliSettingsArgs } from '../../settings/settings.js';
import { hasEndpointsTable, reapBeforeCommand } from './reap-hook.js';

export { hasEndpointsTable };

/** The ports the endpoint, predict and drop commands hand to the core's use cases. */
export interface EndpointCommandDeps {
  readonly sql: ExasolSqlPort;
  readonly automl: AutoMLPortFactory;
  readonly endpoints: EndpointPortFactory;
  readonly objects: ObjectStorePortFactory;
  readonly clock: Clock;
  readonly json: Json;
  readonly log: Log;
  /** The AWS adapters (resolved endpoint overrides, ports of other services). */
  readonly aws: SageMakerAdapters;
}

/**
 * Runs `fn` with an Exasol session and the AWS adapters' port factories as the core's endpoint/drop ports (each
 * endpoint and job is called in the region its row records); closes both afterwards, whatever happens.
 */
export async function withEndpointDeps<T>(
  args: CliSettingsArgs & { readonly verbose: boolean },
  output: Output,
  runtime: Runtime,
  fn: (deps: EndpointCommandDeps, context: EndpointContext, settings: CliSettings) => Promise<T>,
): Promise<T> {
  const settings = resolveCliSettings(args, runtime.env);
  const aws = await openAws(settings, output, runtime);
  try {
    return await withExasol(settings, output, runtime, async (sql) => {
      const { clock, json, log } = nodePorts(output, args.verbose);
      const deps: EndpointCommandDeps = {
        sql,
        automl: aws.automl,
        endpoints: aws.endpoints,
        objects: aws.objects,
        clock,
        json,
        log,
        aws,
      };
      await reapBeforeCommand(deps, settings.schema, output, runtime.env);
      return fn(deps, { metadataSchema: settings.schema }, settings);
    });
  } finally {
    aws.close();
  }
}

/**
 * Creates SME_METADATA_AUTOPILOT_ENDPOINTS when the schema was deployed by a version of sme that had no
 * endpoints yet (`CREATE TABLE IF NOT EXISTS`: a no-op otherwise).
 */
export async function ensureEndpointsTable(sql: ExasolSqlPort, schema: string): Promise<void> {
  await sql.execute(createEndpointsTableSql(schema));
}

/**
 * For commands that act on one recorded endpoint: a schema without the endpoints table has recorded none.
 *
 * @throws SmeError `SME-E-ENDPOINT-NOT-FOUND` when the table is missing.
 */
export async function requireEndpointsTable(sql: ExasolSqlPort, schema: string, endpointName: string): Promise<void> {
  if (await hasEndpointsTable(sql, schema)) return;
  throw coreError(
    'SME-E-ENDPOINT-NOT-FOUND',
    `endpoint '${endpointName}' is not recorded: schema ${schema} has no ${ENDPOINTS_TABLE} table`,
    {
      key: 'endpoint',
      value: endpointName.slice(0, 80),
      remedy: 'Check --schema; deploy sme there (sme deploy) and the endpoint (sme endpoint deploy).',
    },
  );
}
