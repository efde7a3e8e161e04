import type { EndpointStatus, EndpointStatusResult } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { formatElapsed } from '../../runtime/follow-job.js';
import { abortableSleep, watchLoop } from '../../runtime/watch-loop.js';

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
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random numbers in [0, 1) for the jitter of retries after failed polls. */
  readonly random?: () => number;
  /** Ctrl-C: ends the watch with `WatchInterrupted` (the endpoint keeps running). */
  readonly signal?: AbortSignal;
  /** Printed on interruption; default `sme endpoint status <name> --watch`. */
  readonly followCommand?: string;
  /** Printed on interruption; default sme endpoint delete <name>. */
  readonly stopCommand?: string;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

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
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const live = options.tty && !output.json;
  let lastSeen = '';
  let frame = 0;
  try {
    return await watchLoop(poll, {
      kind: 'endpoint',
      name: endpointName,
      followCommand: options.followCommand ?? `sme endpoint status ${endpointName} --watch`,
      stopCommand: options.stopCommand ?? `sme endpoint delete ${endpointName}`,
      intervalMs: options.intervalMs,
      now,
      sleep,
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
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
