import { describe, expect, it } from 'vitest';
import type { EndpointStatus, EndpointStatusResult } from '@sme/core';
import { createOutput } from '../../output.js';
import { exitCodeForEndpoint, followEndpoint } from './follow-endpoint.js';

function streams() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    streams: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } },
  };
}

function poller(statuses: EndpointStatus[]) {
  let calls = 0;
  const poll = (): Promise<EndpointStatusResult> => {
    const status = statuses[Math.min(calls, statuses.length - 1)] ?? 'Creating';
    calls++;
    return Promise.resolve({ endpointName: 'ep', status, creationTime: 0, recorded: true });
  };
  return { poll, calls: () => calls };
}

describe('followEndpoint', () => {
  it('polls until the endpoint settles, printing one plain line per change when not on a terminal', async () => {
    const s = streams();
    const { poll, calls } = poller(['Creating', 'Creating', 'InService']);
    const slept: number[] = [];
    const result = await followEndpoint('ep', poll, createOutput(false, s.streams), {
      intervalMs: 250,
      tty: false,
      stream: s.streams.stderr,
      now: () => 65_000,
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    });
    expect(result.status).toBe('InService');
    expect(calls()).toBe(3);
    expect(slept).toEqual([250, 250]);
    expect(s.err).toEqual(['ep: Creating (1:05)\n', 'ep: InService (1:05)\n']);
  });

  it('stops on Failed; JSON mode prints nothing while following', async () => {
    const s = streams();
    const result = await followEndpoint('ep', poller(['Creating', 'Failed']).poll, createOutput(true, s.streams), {
      intervalMs: 1,
      tty: true,
      stream: s.streams.stderr,
      sleep: () => Promise.resolve(),
    });
    expect(result.status).toBe('Failed');
    expect([...s.out, ...s.err]).toEqual([]);
  });

  it('rewrites one live line on a terminal and clears it at the end', async () => {
    const s = streams();
    await followEndpoint('ep', poller(['Creating', 'InService']).poll, createOutput(false, s.streams), {
      intervalMs: 1,
      tty: true,
      stream: s.streams.stderr,
      now: () => 3000,
      sleep: () => Promise.resolve(),
    });
    expect(s.err.every((t) => t.startsWith('\r'))).toBe(true);
    expect(s.err.at(-2)).toContain('ep: InService 0:03');
    expect(s.err.at(-1)).toBe('\r\x1b[2K');
  });
});

describe('exitCodeForEndpoint', () => {
  it.each<[EndpointStatus, number]>([
    ['InService', 0],
    ['OutOfService', 0],
    ['Failed', 3],
    ['UpdateRollbackFailed', 3],
  ])('%s → %d', (status, code) => {
    expect(exitCodeForEndpoint(status)).toBe(code);
  });
});
