/**
 * The reaping every `sme` command that opens Exasol and AWS does first, once per invocation: endpoints deployed with
 * an idle time-to-live (`sme endpoint deploy --idle-ttl 2h`) and unused past their deadline are deleted (core's
 * reapIdleEndpoints: one query of the endpoints table, AWS calls only for those past it). It never fails the
 * command: a problem becomes a warning on stderr. `SME_NO_REAP=1` turns it off.
 *
 * Who calls it: withJobDeps (packages/cli/src/runtime/jobs-runtime.ts) and withEndpointDeps
 * (packages/cli/src/commands/endpoint/endpoint-runtime.ts) for the commands built on them, and `sme train`,
 * `sme predict` (every path that opens Exasol) and `sme doctor` themselves. `sme deploy` and `sme models` open no AWS
 * adapters; `sme predict --file` without `--header` opens no Exasol.
 */
import {
  ENDPOINTS_TABLE,
  isSmeError,
  quoteLiteral,
  reapIdleEndpoints,
  recordEndpointUse,
  type Clock,
  type EndpointPortFactory,
  type MetadataStores,
  type ReapFilter,
  type SqlPort,
} from '@sme/core';
import type { SageMakerAdapters } from '@sme/sagemaker-adapter';
import type { Output } from '../../output.js';
import { nodePorts, openAws, type Runtime } from '../../runtime/session.js';
import type { CliEnv, CliSettings } from '../../settings/settings.js';

/** The environment variable that turns the reaping before each command off (`1`, `true` or `yes`). */
export const NO_REAP_ENV = 'SME_NO_REAP';

export function reapingDisabled(env: CliEnv): boolean {
  const value = (env[NO_REAP_ENV] ?? '').trim().toLowerCase();
  return value === '1' || value === 'true' || value === 'yes';
}

/**
 * Reaps the idle endpoints of the schema (only those of `filter`'s region when the command's AWS adapters are bound
 * to one), saying on stderr what it deleted.
 */
export async function reapBeforeCommand(
  deps: {
    readonly sql: SqlPort;
    readonly endpoints: EndpointPortFactory;
    readonly clock: Clock;
    /** The metadata tables; by default those of `schema` over `sql` (tests pass a double). */
    readonly stores?: MetadataStores;
  },
  schema: string,
  output: Output,
  env: CliEnv,
  filter: ReapFilter = {},
): Promise<void> {
  if (reapingDisabled(env)) return;
  const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
  try {
    const result = await reapIdleEndpoints({ ...deps, log: quiet }, { metadataSchema: schema }, filter);
    for (const e of result.reaped) {
      output.note(`reaped idle endpoint ${e.endpointName}: unused since ${e.idleDeadline} UTC (its idle TTL)`);
    }
    for (const f of result.failed) output.note(`warning: idle endpoint ${f.endpointName} not reaped: ${f.problem}`);
  } catch (e: unknown) {
    output.note(
      `warning: idle endpoints not reaped (${problemOf(e)}); sme deploy brings an older schema up to date, ${NO_REAP_ENV}=1 turns reaping off`,
    );
  }
}

/**
 * The AWS adapters for a command that needs them only to reap (`sme predict --table`, which predicts through the
 * UDF inside Exasol): undefined when reaping is off, or, with a warning, when they cannot be opened (the command
 * goes on without reaping).
 */
export async function openAwsForReaping(
  settings: CliSettings,
  output: Output,
  runtime: Runtime,
): Promise<SageMakerAdapters | undefined> {
  if (reapingDisabled(runtime.env)) return undefined;
  try {
    return await openAws(settings, output, runtime);
  } catch (e: unknown) {
    output.note(`warning: idle endpoints not reaped (${problemOf(e)}); ${NO_REAP_ENV}=1 turns reaping off`);
    return undefined;
  }
}

/** Whether the schema has the endpoints table (read-only commands then list nothing instead of failing). */
export async function hasEndpointsTable(sql: SqlPort, schema: string): Promise<boolean> {
  const result = await sql.query(
    'SELECT TABLE_NAME FROM EXA_ALL_TABLES WHERE TABLE_SCHEMA = ' +
      quoteLiteral(schema) +
      ' AND TABLE_NAME = ' +
      quoteLiteral(ENDPOINTS_TABLE),
  );
  return result.rows.length > 0;
}

/**
 * Reaping for a command that needs no AWS of its own (`sme models`, `sme deploy`): AWS is opened only for this and
 * closed again; a schema without the endpoints table (before `sme deploy`) has nothing to reap.
 */
export async function reapWithOwnAws(
  sql: SqlPort,
  settings: CliSettings,
  output: Output,
  runtime: Runtime,
): Promise<void> {
  const aws = await openAwsForReaping(settings, output, runtime);
  if (aws === undefined) return;
  try {
    if (!(await hasEndpointsTable(sql, settings.schema))) return;
    const { clock } = nodePorts(output, false);
    await reapBeforeCommand({ sql, endpoints: aws.endpoints, clock }, settings.schema, output, runtime.env);
  } finally {
    aws.close();
  }
}

function problemOf(e: unknown): string {
  return isSmeError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
}

/**
 * Records that `sme predict` used an endpoint, so that its idle deadline moves on (core's recordEndpointUse). Like the
 * reaping, it never fails the command: a schema from before idle TTLs has nothing to record.
 */
export async function recordUseQuietly(
  sql: SqlPort,
  schema: string,
  endpointName: string,
  output: Output,
): Promise<void> {
  try {
    await recordEndpointUse(endpointName, { sql, clock: { nowMillis: () => Date.now() } }, { metadataSchema: schema });
  } catch (e: unknown) {
    output.note(`warning: the use of ${endpointName} was not recorded for its idle TTL (${problemOf(e)})`);
  }
}
