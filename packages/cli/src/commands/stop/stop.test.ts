import { describe, expect, it } from 'vitest';
import { startTraining, type JobDeps } from '@sme/core';
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
import { isSmeError } from '@sme/core';
import { ExitCode } from '../../exit-codes.js';
import { createOutput } from '../../output.js';
import type { PromptTerminal, Runtime } from '../../runtime/session.js';
import { stopConfirmed } from './stop.js';

const CONTEXT = { metadataSchema: 'SME' };

async function runningJob() {
  const clock = new FixedClock(1_700_000_000_000);
  const fake = new FakeAutoML(() => clock.nowMillis());
  const sql = exampleTablesSql();
  const stores = new InMemoryMetadataStores();
  const deps: JobDeps = { sql, stores, automl: fake.factory, clock, log: new MemoryLog() };
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
  return { fake, jobName, deps };
}

/** A runtime whose terminal (if any) answers `answer` to the question. */
function runtimeWith(tty: boolean, answer = '') {
  const stderr: string[] = [];
  let listener: ((chunk: string) => void) | undefined;
  const stdin: PromptTerminal = {
    isTTY: tty,
    on: (_event, l) => {
      listener = l;
    },
    removeListener: () => {
      listener = undefined;
    },
    resume: () => {
      queueMicrotask(() => listener?.(`${answer}\n`));
    },
    pause: () => undefined,
  };
  const runtime: Runtime = { env: {}, stdin, stderr: { write: (t: string) => stderr.push(t), isTTY: tty } };
  return { runtime, stderr: () => stderr.join('') };
}

function quietOutput() {
  const out: string[] = [];
  return {
    output: createOutput(false, { stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => true } }),
    stdout: () => out.join(''),
  };
}

const args = (job: string, yes?: boolean) => ({ json: false, verbose: false, job, ...(yes ? { yes } : {}) });

describe('sme stop', () => {
  it('without a terminal and without --yes refuses with SME-E-CLI-CONFIRM and stops nothing', async () => {
    const { fake, jobName, deps } = await runningJob();
    const error: unknown = await stopConfirmed(
      args(jobName),
      deps,
      CONTEXT,
      quietOutput().output,
      runtimeWith(false).runtime,
    ).catch((e: unknown) => e);
    expect(isSmeError(error) && error.code).toBe('SME-E-CLI-CONFIRM');
    expect(isSmeError(error) && error.message).toContain('no terminal');
    expect(fake.job(jobName)?.AutoMLJobStatus).toBe('InProgress');
  });

  it('with --yes stops a running job', async () => {
    const { fake, jobName, deps } = await runningJob();
    const out = quietOutput();
    expect(await stopConfirmed(args(jobName, true), deps, CONTEXT, out.output, runtimeWith(false).runtime)).toBe(
      ExitCode.Ok,
    );
    expect(fake.job(jobName)?.AutoMLJobStatus).toMatch(/^Stopp/);
    expect(out.stdout()).toContain(`${jobName}: Stopping`);
  });

  it('on a terminal shows what it will do, asks, and stops on y; a no changes nothing', async () => {
    const { fake, jobName, deps } = await runningJob();
    const no = runtimeWith(true, 'n');
    const refused: unknown = await stopConfirmed(args(jobName), deps, CONTEXT, quietOutput().output, no.runtime).catch(
      (e: unknown) => e,
    );
    expect(isSmeError(refused) && refused.code).toBe('SME-E-CLI-CONFIRM');
    expect(no.stderr()).toContain(`would stop job ${jobName} (InProgress`);
    expect(no.stderr()).toContain(`Stop job ${jobName}? [y/N]`);
    expect(fake.job(jobName)?.AutoMLJobStatus).toBe('InProgress');

    const yes = runtimeWith(true, 'y');
    expect(await stopConfirmed(args(jobName), deps, CONTEXT, quietOutput().output, yes.runtime)).toBe(ExitCode.Ok);
    expect(fake.job(jobName)?.AutoMLJobStatus).toMatch(/^Stopp/);
  });

  it('a job that has ended is a success that says there is nothing to stop (no --yes needed)', async () => {
    const { fake, jobName, deps } = await runningJob();
    fake.update(jobName, { AutoMLJobStatus: 'Completed', AutoMLJobSecondaryStatus: 'Completed' });
    const out = quietOutput();
    expect(await stopConfirmed(args(jobName), deps, CONTEXT, out.output, runtimeWith(false).runtime)).toBe(ExitCode.Ok);
    expect(out.stdout()).toBe(`${jobName}: already ended Completed; nothing to stop\n`);
    expect(fake.job(jobName)?.AutoMLJobStatus).toBe('Completed');
  });
});
