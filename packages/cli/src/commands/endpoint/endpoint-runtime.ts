import {
  coreError,
  createEndpointsTableSql,
  ENDPOINTS_TABLE,
  quoteLiteral,
  type AutoMLPortFactory,
  type AwsTarget,
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
import { nodePorts, openAws, runtimeAwsOptions, withExasol, type Runtime } from '../../runtime/session.js';
import { resolveCliSettings, type CliSettings, type CliSettingsArgs } from '../../settings/settings.js';
import { reapBeforeCommand } from './reap-hook.js';

/** The ports the endpoint, predict and drop commands hand to the core's use cases. */
export interface EndpointCommandDeps {
  readonly sql: ExasolSqlPort;
  readonly automl: AutoMLPortFactory;
  readonly endpoints: EndpointPortFactory;
  readonly objects: ObjectStorePortFactory;
  readonly clock: Clock;
  readonly json: Json;
  readonly log: Log;
  /** The adapters of the default region (inference, resolved endpoint overrides). */
  readonly aws: SageMakerAdapters;
}

/**
 * Node's adapters are bound to one region, while every endpoint and job carries its own (its row says where it
 * lives). This opens one set of adapters per region asked for, reusing the default region's.
 */
export class RegionalAws {
  readonly #byRegion = new Map<string, Promise<SageMakerAdapters>>();
  readonly #opened: SageMakerAdapters[] = [];

  constructor(
    readonly main: SageMakerAdapters,
    private readonly open: (region: string) => Promise<SageMakerAdapters>,
  ) {
    this.#byRegion.set(main.options.region, Promise.resolve(main));
  }

  /** The adapters of `region` (the Node adapters take credentials from the AWS chain, not from the CONNECTION). */
  forRegion(region: string): Promise<SageMakerAdapters> {
    const key = region === '' ? this.main.options.region : region;
    let adapters = this.#byRegion.get(key);
    if (adapters === undefined) {
      adapters = this.open(key).then((opened) => {
        this.#opened.push(opened);
        return opened;
      });
      this.#byRegion.set(key, adapters);
    }
    return adapters;
  }

  /** Port factories for the core: each call resolves the region's adapters lazily. */
  endpointPorts(): EndpointPortFactory {
    return (target: AwsTarget) => {
      const at = async () => (await this.forRegion(target.region)).endpoints;
      return {
        createModel: async (request) => (await at()).createModel(request),
        deleteModel: async (name) => (await at()).deleteModel(name),
        createEndpointConfig: async (request) => (await at()).createEndpointConfig(request),
        deleteEndpointConfig: async (name) => (await at()).deleteEndpointConfig(name),
        createEndpoint: async (request) => (await at()).createEndpoint(request),
        describeEndpoint: async (name) => (await at()).describeEndpoint(name),
        deleteEndpoint: async (name) => (await at()).deleteEndpoint(name),
        listEndpoints: async () => (await at()).listEndpoints(),
      };
    };
  }

  objectPorts(): ObjectStorePortFactory {
    return (target: AwsTarget) => {
      const at = async () => (await this.forRegion(target.region)).objects;
      return {
        list: async (uri) => (await at()).list(uri),
        deletePrefix: async (uri) => (await at()).deletePrefix(uri),
      };
    };
  }

  close(): void {
    this.main.close();
    for (const adapters of this.#opened) adapters.close();
  }
}

/**
 * Runs `fn` with an Exasol session and the AWS adapters wired as the core's endpoint/drop ports; closes both
 * afterwards, whatever happens.
 */
export async function withEndpointDeps<T>(
  args: CliSettingsArgs & { readonly verbose: boolean },
  output: Output,
  runtime: Runtime,
  fn: (deps: EndpointCommandDeps, context: EndpointContext, settings: CliSettings) => Promise<T>,
): Promise<T> {
  const settings = resolveCliSettings(args, runtime.env);
  const main = await openAws(settings, output, runtime, { regionFromJobs: true });
  const { createSageMakerAdapters, loadSageMakerOptions } = await import('@sme/sagemaker-adapter');
  const regional = new RegionalAws(main, async (region) =>
    createSageMakerAdapters(await loadSageMakerOptions(runtimeAwsOptions(settings, runtime, region), runtime.env)),
  );
  try {
    return await withExasol(settings, output, runtime, async (sql) => {
      const { clock, json, log } = nodePorts(output, args.verbose);
      const deps: EndpointCommandDeps = {
        sql,
        automl: main.automl,
        endpoints: regional.endpointPorts(),
        objects: regional.objectPorts(),
        clock,
        json,
        log,
        aws: main,
      };
      await reapBeforeCommand(deps, settings.schema, output, runtime.env);
      return fn(deps, { metadataSchema: settings.schema }, settings);
    });
  } finally {
    regional.close();
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

/** Whether the schema has the endpoints table (read-only commands then list nothing instead of failing). */
export async function hasEndpointsTable(sql: ExasolSqlPort, schema: string): Promise<boolean> {
  const result = await sql.query(
    'SELECT TABLE_NAME FROM EXA_ALL_TABLES WHERE TABLE_SCHEMA = ' +
      quoteLiteral(schema) +
      ' AND TABLE_NAME = ' +
      quoteLiteral(ENDPOINTS_TABLE),
  );
  return result.rows.length > 0;
}
