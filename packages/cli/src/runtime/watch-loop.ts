import { isSmeError, type SmeError } from '@sme/core';

/**
 * Codes of poll failures that pass by themselves (the sagemaker adapter's, after the SDK's own retries): AWS
 * throttled, answered 5xx, or could not be reached / timed out. The job or endpoint keeps running meanwhile, so a
 * watcher asks again. Everything else (not found, access denied, validation, SQL errors, bugs) ends the watch.
 */
export const TRANSIENT_POLL_CODES: ReadonlySet<string> = new Set([
  'SME-E-AWS-THROTTLED',
  'SME-E-AWS-SERVICE',
  'SME-E-AWS-UNREACHABLE',
]);

/** True for an error a watcher retries (see {@link TRANSIENT_POLL_CODES}). */
export function isTransientPollError(error: unknown): error is SmeError {
  return isSmeError(error) && TRANSIENT_POLL_CODES.has(error.code);
}

/**
 * Delay before retry `retry` (1 = first) after failed polls: "full jitter" exponential backoff, uniformly random
 * in [0, min(maxMs, baseMs · 2^(retry-1))), so that many watchers throttled at the same moment spread out.
 *
 * @example retryDelay(3, 5000, 60_000, () => 0.5) // 10000
 */
export function retryDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const exponent = Math.max(0, Math.min(retry - 1, 30));
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** exponent));
}

/** Ceiling of the backoff between failed polls unless the poll interval is longer. */
export const DEFAULT_RETRY_MAX_MS = 60_000;

/** Raised when the user interrupts a watch (Ctrl-C); the command layer answers it with exit code 130. */
export class WatchInterrupted extends Error {
  override readonly name = 'WatchInterrupted';

  constructor(
    /** What was watched, e.g. `job churn-251201` or `endpoint churn-ep`. */
    readonly subject: string,
    /** The command that follows it again. */
    readonly followCommand: string,
    /** The command that stops (or deletes) it, for who would rather not pay for it any longer. */
    readonly stopCommand: string,
    /** The last status seen, when there was one. */
    readonly lastStatus: string | undefined,
  ) {
    super(`stopped watching ${subject}`);
  }
}

export interface WatchLoopOptions<T> {
  /** Time between successful polls. */
  readonly intervalMs: number;
  /** What is watched, for the messages. */
  readonly kind: 'job' | 'endpoint';
  readonly name: string;
  /** The commands that follow it again and that stop it, printed when the watch is interrupted. */
  readonly followCommand: string;
  readonly stopCommand: string;
  /** Called with every successful poll; true ends the watch. */
  readonly onResult: (result: T) => boolean;
  /** Short text of the last status seen, for the interruption message. */
  readonly describe: (result: T) => string;
  /** Prints a line on stderr (the caller clears a live line first). */
  readonly note: (text: string) => void;
  /** Ends the watch with {@link WatchInterrupted} (Ctrl-C). */
  readonly signal?: AbortSignal;
  readonly now: () => number;
  /** Waits; resolves early when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random numbers in [0, 1) for the backoff jitter; default Math.random. */
  readonly random?: () => number;
  /** Backoff ceiling; default {@link DEFAULT_RETRY_MAX_MS} or the interval when that is longer. */
  readonly retryMaxMs?: number;
}

/** Sleeps with a timer that an abort clears, so that an interrupted watch does not keep the process alive. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

const ABORTED = Symbol('aborted');

/** Races `work` against the signal; an abandoned `work` may still fail later, which must not surface. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (signal === undefined) return work;
  work.catch(() => undefined);
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      resolve(ABORTED);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** The first sentence of an error message: the warning stays one readable line. */
export function pollFailureText(error: SmeError): string {
  const message = error.message;
  let depth = 0;
  for (let i = 0; i < message.length; i++) {
    const c = message[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '.' && depth === 0 && (i + 1 === message.length || message[i + 1] === ' ')) {
      return message.slice(0, i);
    }
  }
  return message;
}

/**
 * Polls until `onResult` says done. Transient failures ({@link isTransientPollError}) are retried with capped
 * exponential backoff and full jitter: one warning per run of failures, one note when polling works again.
 * Other failures end the watch as they are. An abort of `signal` ends it with {@link WatchInterrupted}.
 */
export async function watchLoop<T>(poll: () => Promise<T>, options: WatchLoopOptions<T>): Promise<T> {
  const { signal } = options;
  const random = options.random ?? Math.random;
  const retryMaxMs = options.retryMaxMs ?? Math.max(DEFAULT_RETRY_MAX_MS, options.intervalMs);
  let last: T | undefined;
  let failures = 0;
  let failingSince = 0;
  const subject = `${options.kind} ${options.name}`;
  const interrupted = (): WatchInterrupted =>
    new WatchInterrupted(
      subject,
      options.followCommand,
      options.stopCommand,
      last === undefined ? undefined : options.describe(last),
    );
  for (;;) {
    let outcome: T | typeof ABORTED;
    try {
      outcome = await unlessAborted(poll(), signal);
    } catch (error: unknown) {
      if (!isTransientPollError(error)) throw error;
      failures++;
      if (failures === 1) {
        failingSince = options.now();
        options.note(
          `warning: polling ${subject} failed (${error.code}: ${pollFailureText(error)}); ` +
            `retrying — the ${options.kind} keeps running`,
        );
      }
      const delay = retryDelay(failures, Math.max(1, options.intervalMs), retryMaxMs, random);
      if ((await unlessAborted(options.sleep(delay, signal), signal)) === ABORTED) throw interrupted();
      continue;
    }
    if (outcome === ABORTED) throw interrupted();
    if (failures > 0) {
      options.note(
        `polling ${subject} works again after ${failures} failed ${failures === 1 ? 'poll' : 'polls'} ` +
          `over ${String(Math.round((options.now() - failingSince) / 1000))} s`,
      );
      failures = 0;
    }
    last = outcome;
    if (options.onResult(outcome)) return outcome;
    if ((await unlessAborted(options.sleep(options.intervalMs, signal), signal)) === ABORTED) throw interrupted();
  }
}
