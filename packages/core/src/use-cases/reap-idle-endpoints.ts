/**
 * Deletes the endpoints whose idle deadline has passed (deployed with an idle time-to-live), so that a forgotten
 * endpoint stops costing money. Idle means: no use sme saw since the deadline was set. sme sees the deploy and each
 * `sme predict` against the endpoint (recordEndpointUse moves the deadline); calls of the prediction UDF go from
 * Exasol straight to SageMaker's runtime and are not seen, so a TTL counts from the deploy and from the last recorded use.
 */
import { coreError } from '../error-codes.js';
import { isSmeError } from '../errors.js';
import { exasolTimestamp } from '../job-name.js';
import { deleteEndpoint } from './delete-endpoint.js';
import { checkEndpointName, identifier, type EndpointContext, type EndpointDeps } from './endpoint-shared.js';
import { textOf } from './metadata-rows.js';
import { storesOf } from './stores.js';

/** STATUS of an endpoint row that reapIdleEndpoints deleted. */
export const REAPED_STATUS = 'Reaped';

export interface ReapedEndpoint {
  readonly endpointName: string;
  /** The deadline it passed (Exasol timestamp text, UTC). */
  readonly idleDeadline: string;
  readonly jobName?: string;
}

export interface ReapFailure {
  readonly endpointName: string;
  readonly idleDeadline: string;
  readonly jobName?: string;
  /** `SME-E-…: message` of what went wrong; the endpoint stays and is tried again next time. */
  readonly problem: string;
}

/** Reap only the endpoints recorded with this connection and/or region (all when absent). */
export interface ReapFilter {
  readonly connectionName?: string;
  readonly region?: string;
}

export interface ReapResult {
  readonly reaped: readonly ReapedEndpoint[];
  readonly failed: readonly ReapFailure[];
}

/**
 * One query for the endpoints past their deadline; each is deleted like deleteEndpoint does (endpoint, config,
 * model, prediction UDF) and its row marked STATUS `Reaped`. A failure to delete one is reported and the rest go on.
 *
 * @example
 * const { reaped } = await reapIdleEndpoints(deps, { metadataSchema: 'SME' });
 */
export async function reapIdleEndpoints(
  deps: EndpointDeps,
  context: EndpointContext,
  filter: ReapFilter = {},
): Promise<ReapResult> {
  const stamp = exasolTimestamp(deps.clock.nowMillis());
  const connection = filter.connectionName === undefined ? undefined : identifier(filter.connectionName, 'connection');
  const stores = storesOf(deps, context.metadataSchema);
  const rows = (await stores.endpoints.list({ idleBefore: stamp })).filter(
    (row) =>
      (connection === undefined || textOf(row, 'AWS_CREDENTIALS_CONNECTION_NAME') === connection) &&
      (filter.region === undefined || textOf(row, 'AWS_REGION') === filter.region),
  );
  const reaped: ReapedEndpoint[] = [];
  const failed: ReapFailure[] = [];
  for (const row of rows) {
    const endpointName = textOf(row, 'ENDPOINT_NAME') ?? '';
    const jobName = textOf(row, 'JOB_NAME');
    const idleDeadline = textOf(row, 'IDLE_DEADLINE') ?? '';
    const about = { endpointName, idleDeadline, ...(jobName === undefined ? {} : { jobName }) };
    try {
      await deleteEndpoint({ endpointName }, deps, context);
      await stores.endpoints.update(endpointName, { STATUS: { kind: 'text', value: REAPED_STATUS } });
      reaped.push(about);
      deps.log.info(
        'reaped idle endpoint ' + endpointName + ' (idle deadline ' + (textOf(row, 'IDLE_DEADLINE') ?? '') + ')',
      );
    } catch (e: unknown) {
      const problem = isSmeError(e) ? e.code + ': ' + e.message : 'unexpected error: ' + String(e);
      deps.log.warn('could not reap idle endpoint ' + endpointName + ': ' + problem);
      failed.push({ ...about, problem });
    }
  }
  return { reaped, failed };
}

/**
 * Records a use of an endpoint that has an idle time-to-live: its deadline becomes now + TTL. Answers the new
 * deadline, or undefined when the endpoint has no TTL (or is not recorded, or deleted).
 *
 * @example
 * await recordEndpointUse('churn-ep', deps, { metadataSchema: 'SME' });
 */
export async function recordEndpointUse(
  endpointName: string,
  deps: Pick<EndpointDeps, 'sql' | 'stores' | 'clock'>,
  context: EndpointContext,
): Promise<string | undefined> {
  checkEndpointName(endpointName);
  const stores = storesOf(deps, context.metadataSchema);
  const row = await stores.endpoints.find(endpointName);
  const ttl = row?.['IDLE_TTL_SECONDS'];
  if (row === undefined || textOf(row, 'DELETED_AT') !== undefined || ttl === null || ttl === undefined) {
    return undefined;
  }
  const seconds = Number(ttl);
  if (!(seconds > 0)) {
    throw coreError(
      'SME-E-ENDPOINT-IDLE-TTL',
      'the recorded idle time-to-live of ' + endpointName + ' is not positive',
      {
        key: 'IDLE_TTL_SECONDS',
      },
    );
  }
  const deadline = exasolTimestamp(deps.clock.nowMillis() + seconds * 1000);
  await stores.endpoints.update(endpointName, { IDLE_DEADLINE: { kind: 'timestamp', value: deadline } });
  return deadline;
}
