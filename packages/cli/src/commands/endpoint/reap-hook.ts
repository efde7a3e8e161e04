/**
 * The reaping every `sme` command that opens Exasol and AWS does first: endpoints deployed with an idle time-to-live
 * (`sme endpoint deploy --idle-ttl 2h`) and unused past their deadline are deleted (core's reapIdleEndpoints: one
 * query of the endpoints table, AWS calls only for those past it). It never fails the command: a problem becomes a
 * warning on stderr. `SME_NO_REAP=1` turns it off.
 */
import {
  isSmeError,
  reapIdleEndpoints,
  recordEndpointUse,
  type Clock,
  type EndpointPortFactory,
  type ReapFilter,
  type SqlPort,
} from '@sme/core';
import type { Output } from '../../output.js';
import type { CliEnv } from '../../settings/settings.js';

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
  deps: { readonly sql: SqlPort; readonly endpoints: EndpointPortFactory; readonly clock: Clock },
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
    const problem = isSmeError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
    output.note(
      `warning: idle endpoints not reaped (${problem}); sme deploy brings an older schema up to date, ${NO_REAP_ENV}=1 turns reaping off`,
    );
  }
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
    const problem = isSmeError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
    output.note(`warning: the use of ${endpointName} was not recorded for its idle TTL (${problem})`);
  }
}
