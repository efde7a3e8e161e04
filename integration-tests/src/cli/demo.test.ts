import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '@sme/sandbox';
import { smeInstall } from './sme-binary.js';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

function runDemo(
  bin: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['demo', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

describe('sme demo (the packed binary, no configuration)', () => {
  it('trains through EXECUTE SCRIPT, beats the baseline, predicts from SQL and cleans up', async () => {
    const { bin } = smeInstall();
    const run = await runDemo(bin, ['--rows', '2000']);
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    // The user guide's statement, printed as run.
    expect(run.stdout).toContain('EXECUTE SCRIPT SME.SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT(');
    expect(run.stdout).toContain('"target_attribute_name"');
    const metric = /Accuracy (\d\.\d+) \(baseline, always predicting the majority class: (\d\.\d+)\)/.exec(run.stdout);
    expect(metric).not.toBeNull();
    expect(Number(metric?.[1])).toBeGreaterThan(Number(metric?.[2]) + 0.05);
    const accuracy = /accuracy on (\d+) new customers: (\d\.\d+) \(baseline (\d\.\d+)\)/.exec(run.stdout);
    expect(accuracy?.[1]).toBe('1000');
    expect(Number(accuracy?.[2])).toBeGreaterThan(Number(accuracy?.[3]) + 0.05);
    expect(run.stdout).toContain('prediction UDF dropped');
    expect(run.stdout).toMatch(/dropped churn-\d{12}: \d+ objects deleted, metadata row marked/);
    expect(run.stdout).toContain('✔ demo finished');
    expect(run.stdout + run.stderr).not.toContain(SANDBOX_CREDENTIALS.secretAccessKey);
    // The whole flow takes ~10 s alone; a busy 2-core CI machine can triple that.
  }, 120_000);

  it('--keep prints a block that works when pasted into a shell: sme jobs lists the demo job', async () => {
    const { bin } = smeInstall();
    const child = spawn(bin, ['demo', '--keep', '--rows', '2000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const closed = new Promise((resolve) => child.once('close', resolve));
    try {
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('Press Ctrl-C to stop.')) resolve();
        });
        child.once('close', (code) => {
          reject(new Error(`the demo ended (${String(code)}) before it kept the sandbox: ${stderr}`));
        });
      });
      const start = stdout.indexOf('\nunset AWS_PROFILE');
      const end = stdout.indexOf('\nsme jobs\n', start);
      expect(start, stdout).toBeGreaterThan(0);
      const block = stdout.slice(start + 1, end + '\nsme jobs'.length);
      expect(block).toContain(`export AWS_SECRET_ACCESS_KEY='${SANDBOX_CREDENTIALS.secretAccessKey}'`);
      // A clean shell: no settings of the user's, `sme` on the PATH, nothing but the pasted block.
      const home = mkdtempSync(join(tmpdir(), 'sme-keep-home-'));
      try {
        const pasted = spawnSync('bash', ['-c', block], {
          env: { PATH: `${dirname(bin)}:${process.env.PATH ?? ''}`, HOME: home },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(pasted.status, pasted.stderr).toBe(0);
        expect(pasted.stdout).toMatch(/^jobName,status,/);
        expect(pasted.stdout).toMatch(/\nchurn-\d{12},Completed,/);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    } finally {
      child.kill('SIGINT');
      await closed;
    }
  }, 180_000);

  it('refuses a sample table below the Autopilot minimum with a usage error', async () => {
    const { bin } = smeInstall();
    const run = await runDemo(bin, ['--rows', '100']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SME-E-CLI-USAGE');
  }, 120_000);
});

/** The names of every package `dir` needs at run time, as installed (nearest node_modules upwards). */
function runtimeClosure(dir: string, seen = new Map<string, string>()): Map<string, string> {
  if (seen.has(dir)) return seen;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
  };
  seen.set(dir, pkg.name);
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    let found: string | undefined;
    for (let at = dir; found === undefined; at = dirname(at)) {
      if (existsSync(join(at, 'node_modules', name, 'package.json'))) found = join(at, 'node_modules', name);
      else if (dirname(at) === at) throw new Error(`${pkg.name} needs ${name}, which is not installed`);
    }
    runtimeClosure(found, seen);
  }
  return seen;
}

describe('sme without @sme/demo (the packed packages)', () => {
  it('needs neither the sandbox nor DuckDB at run time', () => {
    const { project } = smeInstall();
    const cli = [...runtimeClosure(join(project, 'node_modules', '@sme', 'cli')).values()];
    expect(cli).toContain('yargs');
    expect(cli.filter((name) => /^@sme\/(sandbox|demo)$|duckdb/.test(name))).toEqual([]);
    const demo = [...runtimeClosure(join(project, 'node_modules', '@sme', 'demo')).values()];
    expect(demo).toEqual(expect.arrayContaining(['@sme/cli', '@sme/sandbox', '@duckdb/node-api']));
  });

  it('sme demo says how to get the demo package, with a code and exit 2', () => {
    const { project } = smeInstall();
    // The same install without @sme/demo: every other package linked in, resolved where the links are.
    const bare = mkdtempSync(join(tmpdir(), 'sme-without-demo-'));
    try {
      const modules = join(project, 'node_modules');
      for (const entry of readdirSync(modules)) {
        if (entry.startsWith('.')) continue;
        const names = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
        for (const name of names) {
          if (name === '@sme/demo') continue;
          mkdirSync(dirname(join(bare, 'node_modules', name)), { recursive: true });
          symlinkSync(join(modules, name), join(bare, 'node_modules', name));
        }
      }
      const bin = join(bare, 'node_modules', '@sme', 'cli', 'bin', 'sme.js');
      // Nx runs the tests with FORCE_COLOR set; the message is compared as plain text.
      const { FORCE_COLOR: _forced, ...plainEnv } = process.env;
      const run = spawnSync(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', bin, 'demo'], {
        cwd: bare,
        encoding: 'utf8',
        env: plainEnv,
      });
      expect(run.status, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('error SME-E-CLI-DEMO-NOT-INSTALLED: sme demo needs the package @sme/demo');
      expect(run.stderr).toContain('npm install @sme/demo');
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
