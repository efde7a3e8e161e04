import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { describeTier } from '@sme/test-tiers';
import { expect, it } from 'vitest';

const support = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-support');
const RED = '\u001b[31m';
const GREEN = '\u001b[32m';

/** The environment of a scene: this one without the colour switches Nx and CI set, plus `extra`. */
function sceneEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...rest } = process.env;
  return { ...rest, ...extra };
}

/** A scene run on a pseudo-terminal (python3's pty module): everything the terminal showed. */
function onTerminal(
  scene: string,
  extra: Record<string, string> = {},
  answer?: { after: string; line: string },
  sceneArgs: readonly string[] = [],
) {
  const args = [join(support, 'pty-run.py')];
  if (answer !== undefined) args.push('--answer-after', answer.after, '--answer', answer.line);
  args.push('--', process.execPath, join(support, 'terminal-scenes.mjs'), scene, ...sceneArgs);
  const run = spawnSync('python3', args, { env: sceneEnv(extra), encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { output: string; status: number };
}

/** The same scene with stdout and stderr piped. */
function piped(scene: string, extra: Record<string, string> = {}, sceneArgs: readonly string[] = []) {
  const run = spawnSync(process.execPath, [join(support, 'terminal-scenes.mjs'), scene, ...sceneArgs], {
    env: sceneEnv(extra),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { output: run.stdout + run.stderr, stdout: run.stdout, stderr: run.stderr, status: run.status };
}

describeTier('pty', 'sme on a terminal (pseudo-terminal)', () => {
  it('colours status words and errors on a terminal, aligned as without colour', () => {
    const { output } = onTerminal('colour');
    expect(output).toContain(`${RED}Failed`);
    expect(output).toContain(`${GREEN}Completed`);
    expect(output).toContain(`${RED}error SME-E-JOB-NOT-FOUND`);
    expect(stripVTControlCharacters(output)).toMatch(/churn-261201000000 {2}Failed {5}Failed/);
  });

  it('has no colour with NO_COLOR on a terminal, nor when piped; FORCE_COLOR colours a pipe', () => {
    expect(onTerminal('colour', { NO_COLOR: '1' }).output).not.toContain('\u001b[');
    expect(piped('colour').output).not.toContain('\u001b[');
    expect(piped('colour').output).toContain('error SME-E-JOB-NOT-FOUND');
    const forced = piped('colour', { FORCE_COLOR: '1' }).output;
    expect(forced).toContain(`${RED}Failed`);
    expect(forced).toContain(`${RED}error SME-E-JOB-NOT-FOUND`);
  });

  const prompts = [
    {
      command: 'drop',
      asks: /would delete s3:\/\/b\/out\/churn-261201000000\/ \(3 objects\)\r?\n(?: {2}s3:\S+\r?\n){3}Drop job churn-261201000000\? \[y\/N\] /,
    },
    {
      command: 'endpoint-delete',
      asks: /would delete endpoint churn-ep with its endpoint config and model, and drop its prediction UDF\r?\nDelete endpoint churn-ep\? \[y\/N\] /,
    },
    {
      command: 'stop',
      asks: /would stop job churn-261201000000 \(InProgress \/ ModelTuning\); it cannot be resumed\r?\nStop job churn-261201000000\? \[y\/N\] /,
    },
  ];

  it.each(prompts)('sme $command shows what would change, asks, and goes ahead on y', ({ command, asks }) => {
    const { output, status } = onTerminal('confirm', {}, { after: '[y/N]', line: 'y' }, [command]);
    expect(status).toBe(0);
    expect(output).toMatch(asks);
    expect(output).toMatch(/\[y\/N\] y\r?\nconfirmed/);
  });

  it.each(prompts)(
    'sme $command changes nothing on any other answer, and refuses without a terminal',
    ({ command }) => {
      const no = onTerminal('confirm', {}, { after: '[y/N]', line: 'n' }, [command]);
      expect(no.status).toBe(2);
      expect(no.output).toContain('error SME-E-CLI-CONFIRM');
      expect(no.output).toContain('not confirmed; nothing changed');
      expect(no.output).not.toContain('confirmed\r\n');
      const pipedRun = piped('confirm', {}, [command]);
      expect(pipedRun.status).toBe(2);
      expect(pipedRun.output).toContain('not confirmed (no terminal to ask)');
      expect(pipedRun.output).not.toContain('[y/N]');
    },
  );

  it.each(prompts)('sme $command --yes goes ahead without asking, on a terminal and without one', ({ command }) => {
    const onPty = onTerminal('confirm-yes', {}, undefined, [command]);
    expect(onPty.status).toBe(0);
    expect(onPty.output).not.toContain('[y/N]');
    expect(onPty.output).toContain('confirmed');
    const pipedRun = piped('confirm-yes', {}, [command]);
    expect(pipedRun.status).toBe(0);
    expect(pipedRun.stdout).toBe('confirmed\n');
  });

  it('--watch draws one live line that ends with a mark, not a spinner frame; piped, one line per change', () => {
    const { output } = onTerminal('watch');
    const frames = output.split('\u001b[1G').map((f) => stripVTControlCharacters(f).trim());
    expect(frames.some((f) => /^\S churn-261201000000 .*step 3\/6 InProgress \/ FeatureEngineering/.test(f))).toBe(
      true,
    );
    const last = frames.at(-1) ?? '';
    expect(last).toMatch(/^✔ churn-261201000000 █+ step 6\/6 Completed \/ Completed \d+:\d{2}\s+done: Completed$/);
    // The cursor is hidden while it draws and shown again afterwards.
    expect(output.indexOf('\u001b[?25l')).toBeLessThan(output.indexOf('\u001b[?25h'));
    const watched = piped('watch');
    expect(watched.stdout).toBe('done: Completed\n');
    expect(watched.stderr).not.toContain('\u001b[');
    expect(watched.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^churn-261201000000: InProgress \/ AnalyzingData \(\d+:\d{2}\)$/),
      expect.stringMatching(/FeatureEngineering/),
      expect.stringMatching(/ModelTuning/),
      expect.stringMatching(/Completed \/ Completed/),
    ]);
  });

  it('endpoint --watch draws one live line and clears it when the endpoint settles; piped, one line per change', () => {
    const { output } = onTerminal('watch-endpoint');
    const frames = output.split('\r\u001b[2K').map((f) => stripVTControlCharacters(f).trim());
    expect(frames.some((f) => /^\S churn-ep: Creating \d+:\d{2}$/.test(f))).toBe(true);
    expect(frames.at(-1)).toBe('done: InService');
    const watched = piped('watch-endpoint');
    expect(watched.stdout).toBe('done: InService\n');
    expect(watched.stderr).not.toContain('\u001b[');
    expect(watched.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^churn-ep: Creating \(\d+:\d{2}\)$/),
      expect.stringMatching(/^churn-ep: InService \(\d+:\d{2}\)$/),
    ]);
  });
});
