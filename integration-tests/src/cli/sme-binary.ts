import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { packAndInstall, type SmeInstall } from '../../tools/pack-packages.mjs';
import { smeEnv, type Environment } from '../environment/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    smeInstall?: SmeInstall;
  }
}

/**
 * The packed-and-installed `sme`: from the run's globalSetup when configured, else packed here (under a lock
 * and keyed by the tarballs' content, so test files share one install).
 */
export function smeInstall(): SmeInstall {
  return inject('smeInstall') ?? packAndInstall();
}

export interface SmeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the installed `sme` binary as a user would, with the environment's settings in its env. */
export function runSme(
  bin: string,
  env: Environment,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): Promise<SmeRun> {
  const home = mkdtempSync(join(tmpdir(), 'sme-home-'));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...smeEnv(env, home), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses the one JSON document `--json` prints; fails the test with the output when it is not JSON. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
export function jsonOf<T>(run: SmeRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${String(run.code)}):\n${run.stdout}\n${run.stderr}`);
  }
}
