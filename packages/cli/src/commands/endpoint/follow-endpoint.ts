import type { EndpointStatus, EndpointStatusResult } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { formatElapsed, SPINNER, watchBasics, type FollowCommonOptions } from '../../runtime/follow-job.js';
import { watchLoop } from '../../runtime/watch-loop.js';

/** Statuses an endpoint stays in until someone acts: following it stops there. */
const SETTLED: readonly EndpointStatus[] = ['InService', 'Failed', 'OutOfService', 'UpdateRollbackFailed'];

export function isSettled(status: EndpointStatus): boolean {
  return SETTLED.includes(status);
}

/** Exit code for an endpoint's status: 3 when it failed, else 0. */
export function exitCodeForEndpoint(status: EndpointStatus): ExitCodeValue {
  return status === 'Failed' || status === 'UpdateRollbackFailed' ? ExitCode.JobFailed : ExitCode.Ok;
}

export type FollowEndpointOptions = FollowCommonOptions<{ write(text: string): unknown }>;

/**
 * Polls an endpoint until it settles (InService, Failed, …). Every poll goes through `poll` (the core's
 * `endpointStatus`, which records what it sees in the endpoints table). JSON mode prints nothing while following.
 * Transient poll failures are retried with backoff (see `watchLoop`); others end the watch. An abort of
 * `options.signal` ends it with `WatchInterrupted`.
 */
export async function followEndpoint(
  endpointName: string,
  poll: () => Promise<EndpointStatusResult>,
  output: Output,
  options: FollowEndpointOptions,
): Promise<EndpointStatusResult> {
  const basics = watchBasics(options, {
    kind: 'endpoint',
    name: endpointName,
    followCommand: `sme endpoint status ${endpointName} --watch`,
    stopCommand: `sme endpoint delete ${endpointName}`,
  });
  const now = basics.now;
  const live = options.tty && !output.json;
  let lastSeen = '';
  let frame = 0;
  try {
    return await watchLoop(poll, {
      ...basics,
      describe: (result) => result.status,
      note: (text) => {
        if (live) options.stream.write('\r\x1b[2K');
        output.note(text);
      },
      onResult: (result) => {
        const elapsed = formatElapsed(now() - result.creationTime);
        if (live) {
          options.stream.write(
            `\r\x1b[2K${SPINNER[frame++ % SPINNER.length] ?? ''} ${result.endpointName}: ${result.status} ${elapsed}`,
          );
        } else if (!output.json && result.status !== lastSeen) {
          output.note(`${result.endpointName}: ${result.status} (${elapsed})`);
          lastSeen = result.status;
        }
        return isSettled(result.status);
      },
    });
  } finally {
    if (live) options.stream.write('\r\x1b[2K');
  }
}
