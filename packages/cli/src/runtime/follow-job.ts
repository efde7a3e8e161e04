import cliProgress from 'cli-progress';
import type { AutoMLJobSecondaryStatus, PollResult } from '@sme/core';
import type { Output } from '../output.js';
import { abortableSleep, watchLoop, type WatchLoopOptions } from './watch-loop.js';

/** The steps an Autopilot job walks through, for the live step line. */
const STEPS: readonly (readonly AutoMLJobSecondaryStatus[])[] = [
  ['Starting'],
  ['AnalyzingData'],
  ['FeatureEngineering'],
  ['ModelTuning', 'TrainingModels', 'PreTraining'],
  [
    'CandidateDefinitionsGenerated',
    'MaxCandidatesReached',
    'MaxAutoMLJobRuntimeReached',
    'GeneratingExplainabilityReport',
    'GeneratingModelInsightsReport',
    'ExplainabilityError',
    'ModelInsightsError',
    'DeployingModel',
    'ModelDeploymentError',
  ],
  ['Completed', 'Failed', 'Stopped', 'Stopping'],
];

/** 1-based step of a secondary status (unknown statuses count as the first step). */
export function stepOf(secondary: string): number {
  const index = STEPS.findIndex((names) => (names as readonly string[]).includes(secondary));
  return index < 0 ? 1 : index + 1;
}

export const STEP_COUNT = STEPS.length;

/** `1:05:09`, `4:02`, `0:07` — elapsed time as people read it. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** What following a job or an endpoint takes besides the thing followed; `Stream` is where the live line goes. */
export interface FollowCommonOptions<Stream> {
  readonly intervalMs: number;
  /** One live line on a terminal; one plain line per change otherwise. */
  readonly tty: boolean;
  readonly stream: Stream;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random numbers in [0, 1) for the jitter of retries after failed polls. */
  readonly random?: () => number;
  /** Ctrl-C: ends the watch with `WatchInterrupted` (what is followed keeps running in AWS). */
  readonly signal?: AbortSignal;
  /** Printed on interruption; default the command that follows it again (`sme status <job> --watch`, …). */
  readonly followCommand?: string;
  /** Printed on interruption; default the command that stops it (`sme stop <job>`, …). */
  readonly stopCommand?: string;
}

export interface FollowOptions extends FollowCommonOptions<NodeJS.WritableStream> {
  /** Epoch ms the job was created (for the elapsed time); now when unknown. */
  readonly startedAt?: number | (() => number | undefined);
}

/** The frames of the live line's spinner. */
export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The parts of the watch loop's options that every follower fills the same way from its own options. */
export function watchBasics(
  options: FollowCommonOptions<unknown>,
  watched: Pick<WatchLoopOptions<unknown>, 'kind' | 'name' | 'followCommand' | 'stopCommand'>,
): Omit<WatchLoopOptions<never>, 'onResult' | 'describe' | 'note'> {
  return {
    ...watched,
    followCommand: options.followCommand ?? watched.followCommand,
    stopCommand: options.stopCommand ?? watched.stopCommand,
    intervalMs: options.intervalMs,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? abortableSleep,
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}

/**
 * Polls a job until it reaches a terminal status. On a terminal the progress shows as one live line (spinner,
 * step bar, status / secondary status, elapsed time); elsewhere one plain line per status change. JSON mode
 * prints nothing while following. Every poll goes through `poll` (the core's `pollJob`, which records the
 * status in the metadata row). Transient poll failures (throttling, 5xx, network) are retried with backoff
 * (see `watchLoop`); others end the watch. An abort of `options.signal` ends it with `WatchInterrupted`.
 */
export async function followJob(
  jobName: string,
  poll: () => Promise<PollResult>,
  output: Output,
  options: FollowOptions,
): Promise<PollResult> {
  const basics = watchBasics(options, {
    kind: 'job',
    name: jobName,
    followCommand: `sme status ${jobName} --watch`,
    stopCommand: `sme stop ${jobName}`,
  });
  const now = basics.now;
  const t0 = now();
  // A function when the creation time is only learnt by the first successful poll.
  const startedAt = (): number =>
    (typeof options.startedAt === 'function' ? options.startedAt() : options.startedAt) ?? t0;
  const live = options.tty && !output.json;
  const bar = live
    ? new cliProgress.SingleBar({
        stream: options.stream,
        hideCursor: true,
        clearOnComplete: false,
        barsize: STEP_COUNT * 3,
        fps: 8,
        format: (opts, params, payload: { status?: string; secondary?: string; done?: boolean }) => {
          // The last frame stays on screen: a mark for how it ended, not a frozen spinner.
          const frame =
            payload.done === true
              ? payload.status === 'Completed'
                ? '✔'
                : '✖'
              : (SPINNER[Math.floor(now() / 125) % SPINNER.length] ?? '');
          const filled = Math.round((params.value / params.total) * (opts.barsize ?? 18));
          const barText = '█'.repeat(filled) + '░'.repeat(Math.max(0, (opts.barsize ?? 18) - filled));
          return (
            `${frame} ${jobName} ${barText} step ${params.value}/${params.total} ` +
            `${payload.status ?? '…'} / ${payload.secondary ?? '…'} ${formatElapsed(now() - startedAt())}`
          );
        },
      })
    : undefined;
  bar?.start(STEP_COUNT, 0, {});
  let lastSeen = '';
  try {
    return await watchLoop(poll, {
      ...basics,
      describe: (result) => `${result.status} / ${result.secondaryStatus}`,
      note: (text) => {
        // The live line is redrawn below the note by the bar's next frame.
        if (bar !== undefined) options.stream.write('\r\x1b[2K');
        output.note(text);
      },
      onResult: (result) => {
        const step = stepOf(result.secondaryStatus);
        if (bar !== undefined) {
          bar.update(step, { status: result.status, secondary: result.secondaryStatus, done: result.terminal });
        } else if (!output.json) {
          const seen = `${result.status}/${result.secondaryStatus}`;
          if (seen !== lastSeen) {
            output.note(
              `${jobName}: ${result.status} / ${result.secondaryStatus} (${formatElapsed(now() - startedAt())})`,
            );
            lastSeen = seen;
          }
        }
        return result.terminal;
      },
    });
  } finally {
    bar?.stop();
  }
}
