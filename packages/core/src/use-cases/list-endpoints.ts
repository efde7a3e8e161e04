import { isSmeError } from '../errors.js';
import { mapLimit } from '../map-limit.js';
import type { RateLimiter } from '../rate-limit.js';
import type { AwsTarget } from '../ports/automl-port.js';
import type { EndpointStatus } from '../ports/endpoint-port.js';
import type { EndpointStore } from '../ports/metadata-store.js';
import type { EndpointContext, EndpointDeps } from './endpoint-shared.js';
import { numberOf, textOf } from './metadata-rows.js';
import { storesOf } from './stores.js';

/** One line of `listEndpoints`. */
export interface EndpointListEntry {
  readonly endpointName: string;
  readonly jobName?: string;
  readonly instanceType?: string;
  readonly instanceCount?: number;
  /** Memory (MB) of a serverless endpoint; absent for one on instances. */
  readonly serverlessMemoryMb?: number;
  /** When it is reaped unless used (an idle TTL was given), as Exasol returns it. */
  readonly idleDeadline?: string;
  /** CREATED of the row, as Exasol returns it. */
  readonly createdAt?: string;
  readonly recordedStatus?: string;
  /** Live values from AWS. */
  readonly status?: EndpointStatus;
  /** Milliseconds since SageMaker created the endpoint: what it has cost so far is proportional to this. */
  readonly runningMillis?: number;
  /** False for endpoints AWS lists that sme did not record here. */
  readonly tracked: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * The endpoints recorded here and not deleted (newest first) with their live status and how long they have run.
 * With `untrackedIn`, endpoints that exist in that account/region but are not recorded are listed too.
 *
 * @example
 * const running = await listEndpoints(deps, { metadataSchema: 'SME' });
 */
export async function listEndpoints(
  deps: EndpointDeps,
  context: EndpointContext,
  options: {
    readonly live?: boolean;
    readonly concurrency?: number;
    readonly untrackedIn?: AwsTarget;
    /** Paces the DescribeEndpoint calls (and the ListEndpoints of `untrackedIn`) and retries throttled ones. */
    readonly limiter?: RateLimiter;
  } = {},
): Promise<EndpointListEntry[]> {
  const rows = await storesOf(deps, context.metadataSchema).endpoints.list({ activeOnly: true });
  const nowMillis = deps.clock.nowMillis();
  const entries = await mapLimit(rows, options.concurrency ?? 4, async (row): Promise<EndpointListEntry> => {
    const memory = numberOf(row, 'SERVERLESS_MEMORY_MB');
    const idleDeadline = textOf(row, 'IDLE_DEADLINE');
    const entry: EndpointListEntry = {
      endpointName: textOf(row, 'ENDPOINT_NAME') ?? '',
      jobName: textOf(row, 'JOB_NAME'),
      instanceType: textOf(row, 'INSTANCE_TYPE'),
      instanceCount: numberOf(row, 'INSTANCE_COUNT'),
      createdAt: textOf(row, 'CREATED'),
      recordedStatus: textOf(row, 'STATUS'),
      tracked: true,
      ...(memory === undefined ? {} : { serverlessMemoryMb: memory }),
      ...(idleDeadline === undefined ? {} : { idleDeadline }),
    };
    const connectionName = textOf(row, 'AWS_CREDENTIALS_CONNECTION_NAME');
    const region = textOf(row, 'AWS_REGION');
    if (options.live === false || connectionName === undefined || region === undefined) return entry;
    try {
      const describe = () => deps.endpoints({ connectionName, region }).describeEndpoint(entry.endpointName);
      const d = await (options.limiter === undefined ? describe() : options.limiter.run(describe));
      return { ...entry, status: d.EndpointStatus, runningMillis: nowMillis - d.CreationTime };
    } catch (e: unknown) {
      if (!isSmeError(e)) throw e;
      return { ...entry, error: { code: e.code, message: e.message } };
    }
  });
  if (options.untrackedIn !== undefined) {
    const known = entries.map((e) => e.endpointName.toUpperCase());
    const target = options.untrackedIn;
    const list = () => deps.endpoints(target).listEndpoints();
    for (const d of await (options.limiter === undefined ? list() : options.limiter.run(list))) {
      if (known.includes(d.EndpointName.toUpperCase())) continue;
      entries.push({
        endpointName: d.EndpointName,
        status: d.EndpointStatus,
        runningMillis: nowMillis - d.CreationTime,
        tracked: false,
      });
    }
  }
  return entries;
}

/** A job's recorded endpoints that are not deleted (for dropJob). */
export async function activeEndpointsOfJob(endpoints: EndpointStore, jobName: string): Promise<string[]> {
  const rows = await endpoints.list({ jobName, activeOnly: true });
  const out: string[] = [];
  for (const row of rows) {
    const name = textOf(row, 'ENDPOINT_NAME');
    if (name !== undefined) out.push(name);
  }
  return out;
}
