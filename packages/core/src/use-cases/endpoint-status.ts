import type { EndpointStatus } from '../ports/endpoint-port.js';
import { updateEndpointSql } from '../sql/endpoints-sql.js';
import { textOrNull } from '../sql/statements.js';
import { endpointTarget, now, type EndpointContext, type EndpointDeps, type EndpointRef } from './endpoint-shared.js';

export interface EndpointStatusResult {
  readonly endpointName: string;
  readonly status: EndpointStatus;
  readonly failureReason?: string;
  /** Epoch milliseconds. */
  readonly creationTime: number;
  /** Whether the endpoints row was updated. */
  readonly recorded: boolean;
}

/**
 * Asks SageMaker for an endpoint's status and records it (STATUS, LAST_STATUS_UPDATE, FAILURE_REASON).
 *
 * @example
 * const { status } = await endpointStatus({ endpointName: 'churn-ep' }, deps, { metadataSchema: 'SME' });
 */
export async function endpointStatus(
  ref: EndpointRef,
  deps: EndpointDeps,
  context: EndpointContext,
): Promise<EndpointStatusResult> {
  const { port, row } = await endpointTarget(ref, deps, context);
  const d = await port.describeEndpoint(ref.endpointName);
  let recorded = false;
  if (row !== undefined) {
    const updated = await deps.sql.execute(
      updateEndpointSql(context.metadataSchema, ref.endpointName, {
        STATUS: { kind: 'text', value: d.EndpointStatus },
        LAST_STATUS_UPDATE: now(deps),
        FAILURE_REASON: textOrNull(d.FailureReason),
      }),
    );
    recorded = updated > 0;
  }
  return {
    endpointName: d.EndpointName,
    status: d.EndpointStatus,
    ...(d.FailureReason === undefined ? {} : { failureReason: d.FailureReason }),
    creationTime: d.CreationTime,
    recorded,
  };
}
