import { describe, expect, it } from 'vitest';
import { SmeError, startTraining, pollJob, type AutoMLPortFactory, type JobDeps } from '@sme/core';
import {
  FakeAutoML,
  FakeObjectStore,
  FixedClock,
  InMemoryMetadataStores,
  MemoryLog,
  EXAMPLE_PARAMS_JSON,
  exampleTablesSql,
  StaticConnections,
  nodeJson,
} from '@sme/core/testing';
import type { EndpointStatusResult } from '@sme/core';
import { followEndpoint } from '../commands/endpoint/follow-endpoint.js';
import { ExitCode } from '../exit-codes.js';
import { exitCodeForError, handleErrors } from '../handle-errors.js';
import { createOutput } from '../output.js';
import { followJob } from './follow-job.js';
import { abortableSleep, isTransientPollError, pollFailureText, retryDelay, WatchInterrupted } from './watch-loop.js';
import { shellWord, smeCommand, withInterrupt } from './interrupt.js';

const THROTTLED = new SmeError(
  'SME-E-AWS-THROTTLED',
  'Throttled',
  "SageMaker DescribeAutoMLJobV2 'j': AWS throttled the request (ThrottlingException: Rate exceeded; HTTP 400)",
);
const SERVICE = new SmeError('SME-E-AWS-SERVICE', 'ServiceError', 'AWS answered with a server error (HTTP 503)');
const UNREACHABLE = new SmeError('SME-E-AWS-UNREACHABLE', 'Unreachable', 'could not reach the AWS endpoint');
const ACCESS_DENIED = new SmeError('SME-E-AWS-ACCESS-DENIED', 'AccessDenied', 'access denied (AccessDeniedException)');
const NOT_FOUND = new SmeError('SME-E-AWS-NOT-FOUND', 'NotFound', 'Could not find job j');

/** A job started through the core with the fake AutoML port, and a port factory that fails `describeJob` on demand. */
async function trainingJob() {
  const clock = new FixedClock(1_700_000_000_000);
  const fake = new FakeAutoML(() => clock.nowMillis());
  const failures: Error[] = [];
  let describes = 0;
  const automl: AutoMLPortFactory = (target) => {
    const port = fake.factory(target);
    return {
      ...port,
      describeJob: (name) => {
        describes++;
        const failure = failures.shift();
        return failure === undefined ? port.describeJob(name) : Promise.reject(failure);
      },
    };
  };
  const sql = exampleTablesSql();
  const stores = new InMemoryMetadataStores();
  const deps: JobDeps = { sql, stores, automl, clock, log: new MemoryLog() };
  const { jobName } = await startTraining(
    EXAMPLE_PARAMS_JSON,
    {
      ...deps,
      objects: new FakeObjectStore().factory,
      json: nodeJson,
      connections: new StaticConnections({ AWS_CONNECTION: 's3://sme-training-data' }),
    },
    { sessionId: '7', user: 'U', metadataSchema: 'SME' },
  );
  const poll = () => pollJob({ jobName }, deps, { metadataSchema: 'SME' });
  return { fake, jobName, poll, stores, failures, describes: () => describes };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const output = createOutput(false, {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
  });
  return { out, err, output };
}

/** A sleep that records its delays and runs `onSleep` (to move the fake job on) instead of waiting. */
function fakeTime(onSleep: (n: number) => void = () => undefined) {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms: number) => {
      slept.push(ms);
      now += ms;
      onSleep(slept.length);
      return Promise.resolve();
    },
  };
}

describe('followJob through pollJob and a fake AutoML port', () => {
  it('rides out transient failures: one warning, one note when it works again, the completion reported', async () => {
    const { fake, jobName, poll, failures, describes, stores } = await trainingJob();
    failures.push(THROTTLED, SERVICE, UNREACHABLE);
    const time = fakeTime((n) => {
      if (n === 5) fake.update(jobName, { AutoMLJobStatus: 'Completed', AutoMLJobSecondaryStatus: 'Completed' });
    });
    const { err, output } = capture();
    const final = await followJob(jobName, poll, output, {
      intervalMs: 5000,
      tty: false,
      stream: process.stderr,
      startedAt: 0,
      random: () => 0.5,
      ...time,
    });
    expect(final).toMatchObject({ status: 'Completed', terminal: true, recorded: true });
    expect(describes()).toBe(6);
    // Full jitter at 0.5 of min(cap, 5 s · 2^(n-1)), then the normal interval again.
    expect(time.slept).toEqual([2500, 5000, 10000, 5000, 5000]);
    expect(err).toEqual([
      `warning: polling job ${jobName} failed (SME-E-AWS-THROTTLED: SageMaker DescribeAutoMLJobV2 'j': AWS throttled ` +
        'the request (ThrottlingException: Rate exceeded; HTTP 400)); retrying — the job keeps running\n',
      `polling job ${jobName} works again after 3 failed polls over 18 s\n`,
      `${jobName}: InProgress / Starting (0:17)\n`,
      `${jobName}: Completed / Completed (0:27)\n`,
    ]);
    expect(stores.jobs.rows[0]).toMatchObject({ JOB_STATUS: 'Completed' });
  });

  it('warns once per run of failures', async () => {
    const { fake, jobName, poll, failures } = await trainingJob();
    const time = fakeTime((n) => {
      if (n === 1) failures.push(SERVICE, SERVICE);
      if (n === 4) failures.push(THROTTLED);
      if (n === 6) fake.update(jobName, { AutoMLJobStatus: 'Failed', AutoMLJobSecondaryStatus: 'Failed' });
    });
    const { err, output } = capture();
    const final = await followJob(jobName, poll, output, {
      intervalMs: 1000,
      tty: false,
      stream: process.stderr,
      random: () => 0,
      ...time,
    });
    expect(final.status).toBe('Failed');
    expect(err.filter((l) => l.startsWith('warning: '))).toHaveLength(2);
    expect(err.filter((l) => l.includes('works again'))).toEqual([
      `polling job ${jobName} works again after 2 failed polls over 0 s\n`,
      `polling job ${jobName} works again after 1 failed poll over 0 s\n`,
    ]);
  });

  it.each([
    [ACCESS_DENIED, ExitCode.ConnectionProblem],
    [NOT_FOUND, ExitCode.InvalidInput],
    [new SmeError('SME-E-AWS-VALIDATION', 'Validation', 'bad'), ExitCode.ServiceError],
    [new SmeError('SME-E-SQL', 'SqlError', 'insufficient privileges'), ExitCode.ServiceError],
  ])('ends the watch at once on %s, with the error’s exit code', async (error, exit) => {
    const { jobName, poll, failures, describes } = await trainingJob();
    failures.push(error);
    const { err, output } = capture();
    const code = await handleErrors(output, false, () =>
      followJob(jobName, poll, output, { intervalMs: 1, tty: false, stream: process.stderr, ...fakeTime() }).then(
        () => ExitCode.Ok,
      ),
    );
    expect(code).toBe(exit);
    expect(describes()).toBe(1);
    expect(err[0]).toMatch(new RegExp(`^error ${error.code}: `));
    expect(err.some((l) => l.startsWith('warning: '))).toBe(false);
  });

  it('stops on Ctrl-C, says the job still runs and how to follow it again; exit code 130', async () => {
    const { jobName, poll } = await trainingJob();
    const controller = new AbortController();
    const time = fakeTime((n) => {
      if (n === 2) controller.abort();
    });
    const { out, err, output } = capture();
    const code = await handleErrors(output, false, () =>
      followJob(jobName, poll, output, {
        intervalMs: 1000,
        tty: false,
        stream: process.stderr,
        signal: controller.signal,
        ...time,
      }).then(() => ExitCode.Ok),
    );
    expect(code).toBe(ExitCode.Interrupted);
    expect(out).toEqual([]);
    expect(err.slice(1)).toEqual([
      `interrupted: stopped watching job ${jobName} (last seen InProgress / Starting); it is still running in AWS.\n`,
      `  follow it again with: sme status ${jobName} --watch\n`,
      `  to stop it instead:   sme stop ${jobName}\n`,
    ]);
  });

  it('stops on Ctrl-C during a poll that hangs, and during the backoff after a failure', async () => {
    const controller = new AbortController();
    const { output } = capture();
    const hanging = followJob('j', () => new Promise<never>(() => undefined), output, {
      intervalMs: 1000,
      tty: false,
      stream: process.stderr,
      signal: controller.signal,
    });
    controller.abort();
    await expect(hanging).rejects.toBeInstanceOf(WatchInterrupted);

    const second = new AbortController();
    const failing = followJob('j', () => Promise.reject(THROTTLED), output, {
      intervalMs: 60_000,
      tty: false,
      stream: process.stderr,
      signal: second.signal,
      random: () => 0.99,
    });
    setTimeout(() => {
      second.abort();
    }, 20);
    const started = Date.now();
    await expect(failing).rejects.toMatchObject({ followCommand: 'sme status j --watch', lastStatus: undefined });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports JSON on interruption with --json', async () => {
    const out: string[] = [];
    const output = createOutput(true, { stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => true } });
    const code = await handleErrors(output, false, () =>
      Promise.reject(new WatchInterrupted('job j', 'sme status j --watch', 'sme stop j', 'InProgress / Starting')),
    );
    expect(code).toBe(130);
    expect(JSON.parse(out.join(''))).toEqual({
      interrupted: {
        watching: 'job j',
        lastStatus: 'InProgress / Starting',
        followCommand: 'sme status j --watch',
        stopCommand: 'sme stop j',
      },
    });
  });
});

describe('followEndpoint', () => {
  it('retries transient failures and follows with the endpoint command', async () => {
    const statuses: (EndpointStatusResult | Error)[] = [
      SERVICE,
      { endpointName: 'ep', status: 'Creating', creationTime: 0, recorded: true },
      UNREACHABLE,
      { endpointName: 'ep', status: 'InService', creationTime: 0, recorded: true },
    ];
    const { err, output } = capture();
    const result = await followEndpoint(
      'ep',
      () => {
        const next = statuses.shift();
        return next instanceof Error || next === undefined
          ? Promise.reject(next ?? new Error('none'))
          : Promise.resolve(next);
      },
      output,
      { intervalMs: 100, tty: false, stream: { write: () => true }, random: () => 0.5, ...fakeTime() },
    );
    expect(result.status).toBe('InService');
    expect(err).toEqual([
      'warning: polling endpoint ep failed (SME-E-AWS-SERVICE: AWS answered with a server error (HTTP 503)); retrying — the endpoint keeps running\n',
      'polling endpoint ep works again after 1 failed poll over 0 s\n',
      'ep: Creating (0:00)\n',
      'warning: polling endpoint ep failed (SME-E-AWS-UNREACHABLE: could not reach the AWS endpoint); retrying — the endpoint keeps running\n',
      'polling endpoint ep works again after 1 failed poll over 0 s\n',
      'ep: InService (0:00)\n',
    ]);
  });

  it('names the endpoint commands on Ctrl-C', async () => {
    const controller = new AbortController();
    controller.abort();
    const { output } = capture();
    await expect(
      followEndpoint('ep', () => new Promise<never>(() => undefined), output, {
        intervalMs: 1,
        tty: false,
        stream: { write: () => true },
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({
      subject: 'endpoint ep',
      followCommand: 'sme endpoint status ep --watch',
      stopCommand: 'sme endpoint delete ep',
    });
  });
});

describe('classification and backoff', () => {
  it.each([
    [THROTTLED, true],
    [SERVICE, true],
    [UNREACHABLE, true],
    [ACCESS_DENIED, false],
    [NOT_FOUND, false],
    [new SmeError('SME-E-AWS-VALIDATION', 'Validation', 'x'), false],
    [new SmeError('SME-E-AWS-CREDENTIALS', 'AccessDenied', 'x'), false],
    [new SmeError('SME-E-EXA-CONNECTION-LOST', 'ServiceError', 'x'), false],
    [new Error('socket hang up'), false],
  ])('%s is transient: %s', (error, transient) => {
    expect(isTransientPollError(error)).toBe(transient);
  });

  it('keeps the exit codes of permanent errors', () => {
    expect(exitCodeForError(ACCESS_DENIED)).toBe(ExitCode.ConnectionProblem);
  });

  it('grows exponentially under the cap, with full jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 40].map((n) => retryDelay(n, 5000, 60_000, () => 0.5))).toEqual([
      2500, 5000, 10000, 20000, 30000, 30000, 30000,
    ]);
    expect(retryDelay(3, 5000, 60_000, () => 0)).toBe(0);
    expect(retryDelay(30, 5000, 60_000, () => 0.999999)).toBeLessThan(60_000);
  });

  it('shortens the warning to the first sentence without the code', () => {
    expect(pollFailureText(THROTTLED)).toBe(
      "SageMaker DescribeAutoMLJobV2 'j': AWS throttled the request (ThrottlingException: Rate exceeded; HTTP 400)",
    );
    expect(pollFailureText(new SmeError('X', 'Internal', 'no sentence end'))).toBe('no sentence end');
  });
});

describe('Ctrl-C plumbing', () => {
  it('aborts the signal on the first interrupt and unsubscribes afterwards', async () => {
    const listeners = new Set<() => void>();
    const source = (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
    const seen = await withInterrupt(source, (signal) => {
      expect(listeners.size).toBe(1);
      for (const l of listeners) l();
      return Promise.resolve(signal.aborted);
    });
    expect(seen).toBe(true);
    expect(listeners.size).toBe(0);
  });

  it('ends a sleep early on abort', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = abortableSleep(10_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('quotes the commands it prints for the shell', () => {
    expect(smeCommand(['status', 'churn-1', '--watch'], { '--schema': '"Ml"', '--region': undefined })).toBe(
      `sme status churn-1 --watch --schema '"Ml"'`,
    );
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });
});
