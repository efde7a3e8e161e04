import type { EndpointStatus, EndpointStatusResult } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { formatElapsed } from '../../runtime/follow-job.js';

/** Statuses an endpoint stays in until someone acts: following it stops there. */
const SETTLED: readonly EndpointStatus[] = ['InService', 'Failed', 'OutOfService', 'UpdateRollbackFailed'];

export function isSettled(status: EndpointStatus): boolean {
  return SETTLED.includes(status);
}

/** Exit code for an endpoint's status: 3 when it failed, else 0. */
export function exitCodeForEndpoint(status: EndpointStatus): ExitCodeValue {
  return status === 'Failed' || status === 'UpdateRollbackFailed' ? ExitCode.JobFailed : ExitCode.Ok;
}

export interface FollowEndpointOptions {
  readonly intervalMs: number;
  /** One live line on a terminal; one plain line per change otherwise. */
  readonly tty: boolean;
  readonly stream: { write(text: string): unknown };
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Polls an endpoint until it settles (InService, Failed, …). Every poll goes through `poll` (the core's
 * `endpointStatus`, which records what it sees in the endpoints table). JSON mode prints nothing while following.
 */
export async function followEndpoint(
  poll: () => Promise<EndpointStatusResult>,
  output: Output,
  options: FollowEndpointOptions,
): Promise<EndpointStatusResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const live = options.tty && !output.json;
  let lastSeen = '';
  let frame = 0;
  try {
    for (;;) {
      const result = await poll();
      const elapsed = formatElapsed(now() - result.creationTime);
      if (live) {
        options.stream.write(
          `\r\x1b[2K${SPINNER[frame++ % SPINNER.length] ?? ''} ${result.endpointName}: ${result.status} ${elapsed}`,
        );
      } else if (!output.json && result.status !== lastSeen) {
        output.note(`${result.endpointName}: ${result.status} (${elapsed})`);
        lastSeen = result.status;
      }
      if (isSettled(result.status)) return result;
      await sleep(options.intervalMs);
    }
  } finally {
    if (live) options.stream.write('\r\x1b[2K');
  }
}
