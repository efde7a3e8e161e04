import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const dir = mkdtempSync(join(tmpdir(), 'sme-cli-sigint-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// A watch of a job that never ends, run through the command layer as `sme status --watch` runs it, with the
// process's real SIGINT. Uses the built modules: the child is plain Node.
const script = join(dir, 'watch.mjs');
const url = (path: string): string => pathToFileURL(join(dist, path)).href;
writeFileSync(
  script,
  `import { runCommand } from '${url('run-command.js')}';
import { followJob } from '${url('runtime/follow-job.js')}';
import { processInterrupts, withInterrupt } from '${url('runtime/interrupt.js')}';
const result = { jobName: 'job-1', status: 'InProgress', secondaryStatus: 'Starting', terminal: false, recorded: true };
await runCommand({ json: false, verbose: false }, async () => ({
  run: (_args, output) =>
    withInterrupt(processInterrupts, (signal) =>
      followJob('job-1', async () => result, output, { intervalMs: 60_000, tty: false, stream: process.stderr, signal }),
    ).then(() => 0),
}));
`,
);

describe('Ctrl-C in a real process', () => {
  it('ends the watch at once with exit code 130 and the command to follow again', async () => {
    // Needs the build (nx runs it before the tests): a missing build is an error here, not a silent skip.
    if (!existsSync(join(dist, 'runtime', 'interrupt.js')))
      throw new Error(`${dist} is not built: run npx nx run @sme/cli:build first`);
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const watching = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('job-1: InProgress / Starting')) resolve();
      });
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve({ code, signal });
      });
    });
    await watching;
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    // The 60 s poll timer must not keep the process alive.
    expect(await exited).toEqual({ code: 130, signal: null });
    expect(Date.now() - interruptedAt).toBeLessThan(5000);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'interrupted: stopped watching job job-1 (last seen InProgress / Starting); it is still running in AWS.\n' +
        '  follow it again with: sme status job-1 --watch\n' +
        '  to stop it instead:   sme stop job-1\n',
    );
  });
});
