import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AutoMLJobSecondaryStatus, AutoMLJobStatus, PollResult } from '@sme/core';
import { createOutput } from '../output.js';
import { followJob, formatElapsed, stepOf, STEP_COUNT } from './follow-job.js';

function result(status: AutoMLJobStatus, secondaryStatus: AutoMLJobSecondaryStatus): PollResult {
  const terminal = status === 'Completed' || status === 'Failed' || status === 'Stopped';
  return { jobName: 'j', status, secondaryStatus, terminal, recorded: true, creationTime: 0 };
}

const sequence: PollResult[] = [
  result('InProgress', 'Starting'),
  result('InProgress', 'Starting'),
  result('InProgress', 'AnalyzingData'),
  result('InProgress', 'ModelTuning'),
  result('Completed', 'Completed'),
];

describe('followJob', () => {
  it('polls until a terminal status, printing one plain line per change when not on a terminal', async () => {
    const lines: string[] = [];
    const output = createOutput(false, {
      stdout: { write: () => true },
      stderr: { write: (t: string) => lines.push(t) },
    });
    let polls = 0;
    let clock = 0;
    const sleeps: number[] = [];
    const final = await followJob('j', () => Promise.resolve(sequence[polls++] ?? result('Failed', 'Failed')), output, {
      intervalMs: 5000,
      tty: false,
      stream: process.stderr,
      startedAt: 0,
      now: () => clock,
      sleep: (ms) => {
        sleeps.push(ms);
        clock += ms;
        return Promise.resolve();
      },
    });
    expect(final.status).toBe('Completed');
    expect(polls).toBe(5);
    expect(sleeps).toEqual([5000, 5000, 5000, 5000]);
    expect(lines).toEqual([
      'j: InProgress / Starting (0:00)\n',
      'j: InProgress / AnalyzingData (0:10)\n',
      'j: InProgress / ModelTuning (0:15)\n',
      'j: Completed / Completed (0:20)\n',
    ]);
  });

  it('draws a live step line on a terminal', async () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    Object.assign(stream, {
      isTTY: true,
      columns: 200,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    });
    const output = createOutput(false, { stdout: { write: () => true }, stderr: { write: () => true } });
    let polls = 0;
    await followJob('job-1', () => Promise.resolve(sequence[polls++] ?? result('Failed', 'Failed')), output, {
      intervalMs: 1,
      tty: true,
      stream,
      sleep: () => Promise.resolve(),
    });
    const drawn = chunks.join('');
    expect(drawn).toContain('job-1');
    expect(drawn).toContain(`step ${STEP_COUNT}/${STEP_COUNT} Completed / Completed`);
  });
});

describe('steps and elapsed time', () => {
  it('orders the secondary statuses', () => {
    expect(
      [
        'Starting',
        'AnalyzingData',
        'FeatureEngineering',
        'ModelTuning',
        'GeneratingExplainabilityReport',
        'Completed',
      ].map(stepOf),
    ).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('formats elapsed time', () => {
    expect([formatElapsed(0), formatElapsed(65_000), formatElapsed(3_725_000)]).toEqual(['0:00', '1:05', '1:02:05']);
  });
});
