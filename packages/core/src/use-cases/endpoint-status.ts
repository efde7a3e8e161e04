import type { EndpointStatus } from '../ports/endpoint-port.js';
import type { SqlValue } from '../ports/sql-port.js';
import { textOrNull } from '../sql/statements.js';
import { endpointTarget, now, type EndpointContext, type EndpointDeps, type EndpointRef } from './endpoint-shared.js';
import { numberOf, textOf } from './metadata-rows.js';
import { storesOf } from './stores.js';

export interface EndpointStatusResult {
  readonly endpointName: string;
  readonly status: EndpointStatus;
  readonly failureReason?: string;
  /** Epoch milliseconds. */
  readonly creationTime: number;
  /** Whether the endpoints row was updated. */
  readonly recorded: boolean;
  /** What it was deployed on, as recorded (absent for an endpoint sme did not record): instances… */
  readonly instanceType?: string;
  readonly instanceCount?: number;
  /** …or serverless capacity: memory (MB) and the most concurrent invocations. */
  readonly serverlessMemoryMb?: number;
  readonly serverlessMaxConcurrency?: number;
  /** When it is reaped unless used (deployed with an idle TTL), as Exasol returns it. */
  readonly idleDeadline?: string;
}

/** The recorded capacity and idle deadline of an endpoints row, the fields it has. */
function recordedCapacity(row: Readonly<Record<string, SqlValue>> | undefined): Partial<EndpointStatusResult> {
  const memory = numberOf(row, 'SERVERLESS_MEMORY_MB');
  const concurrency = numberOf(row, 'SERVERLESS_MAX_CONCURRENCY');
  const type = textOf(row, 'INSTANCE_TYPE');
  const count = numberOf(row, 'INSTANCE_COUNT');
  const deadline = textOf(row, 'IDLE_DEADLINE');
  return {
    ...(type === undefined ? {} : { instanceType: type }),
    ...(count === undefined ? {} : { instanceCount: count }),
    ...(memory === undefined ? {} : { serverlessMemoryMb: memory }),
    ...(concurrency === undefined ? {} : { serverlessMaxConcurrency: concurrency }),
    ...(deadline === undefined ? {} : { idleDeadline: deadline }),
  };
}

/**
 * Asks SageMaker for an endpoint's status and records it (STATUS, LAST_STATUS_UPDATE, FAILURE_REASON); the
 * answer carries what the endpoint was deployed on (instances or serverless capacity) and its idle deadline, as
 * recorded.
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
    const updated = await storesOf(deps, context.metadataSchema).endpoints.update(ref.endpointName, {
      STATUS: { kind: 'text', value: d.EndpointStatus },
      LAST_STATUS_UPDATE: now(deps),
      FAILURE_REASON: textOrNull(d.FailureReason),
    });
    recorded = updated > 0;
  }
  return {
    endpointName: d.EndpointName,
    status: d.EndpointStatus,
    ...(d.FailureReason === undefined ? {} : { failureReason: d.FailureReason }),
    creationTime: d.CreationTime,
    recorded,
    ...recordedCapacity(row),
  };
}
