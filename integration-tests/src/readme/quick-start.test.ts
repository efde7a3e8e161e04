/**
 * README.md's quick start, command by command, as a user runs it. The block is parsed, so a changed command fails
 * here until this file proves the new one. `npx …` lines run literally in a project where the packed packages are
 * installed (tools/pack-packages.mjs); `npm ci` and `npm run demo` are proven through what they depend on (a
 * fresh `npm ci` plus a build is minutes, too slow for every run); `npm test` is what CI runs (.ci/run).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { smeInstall } from '../cli/sme-binary.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The commands of each `sh` block under `## Quick start`, each line split at `&&`, comments dropped. */
function quickStartBlocks(readme: string): string[][][] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Quick start\n'));
  if (section === undefined) throw new Error('README.md has no "## Quick start" section');
  const blocks = [...section.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? '');
  if (blocks.length === 0) throw new Error('the quick start has no ```sh block');
  return blocks.map((block) =>
    block
      .split('\n')
      .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
      .filter((line) => line !== '')
      .map((line) => line.split('&&').map((command) => command.trim())),
  );
}

interface PackageJson {
  name: string;
  bin?: Record<string, string>;
  files?: string[];
  scripts?: Record<string, string>;
  workspaces?: string[];
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command line through the shell, as typed; npm offline, so a missing bin fails fast instead of fetching. */
function shell(line: string, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], {
      cwd,
      env: { ...process.env, npm_config_offline: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

const work = mkdtempSync(join(tmpdir(), 'sme-quick-start-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("README's quick start", () => {
  const rootPackage = readJson(join(root, 'package.json')) as PackageJson;
  const workspaces = (rootPackage.workspaces ?? []).map((dir) => ({
    dir,
    pkg: readJson(join(root, dir, 'package.json')) as PackageJson,
  }));
  const cli = workspaces.find((w) => w.pkg.name === '@sme/cli');

  it('is two commands (demo, tests), then the two bins, exactly as proven below', () => {
    expect(quickStartBlocks(readFileSync(join(root, 'README.md'), 'utf8'))).toEqual([
      [
        ['npm ci', 'npm run demo'],
        ['npm ci', 'npm test'],
      ],
      [['npx sme --help'], ['npx sme-sandbox --help']],
    ]);
  });

  it('npm ci links every workspace bin on a fresh clone: each target is committed, executable and packed', () => {
    const lock = readJson(join(root, 'package-lock.json')) as {
      packages: Record<string, { bin?: Record<string, string> }>;
    };
    const bins = workspaces.flatMap(({ dir, pkg }) =>
      Object.entries(pkg.bin ?? {}).map(([name, target]) => ({ dir, pkg, name, target: posix.normalize(target) })),
    );
    expect(bins.map((b) => b.name).sort()).toEqual(['sme', 'sme-sandbox']);
    for (const { dir, pkg, name, target } of bins) {
      // npm links a bin only when its target exists at install time: dist/ does not exist on a fresh clone.
      const tracked = execFileSync('git', ['ls-files', '--stage', '--', posix.join(dir, target)], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(tracked, `${name} → ${dir}/${target} must be committed`).toMatch(/^100755 /);
      expect(lock.packages[dir]?.bin?.[name], `package-lock.json's bin of ${pkg.name}`).toBe(target);
      expect(pkg.files, `${pkg.name}'s files must ship ${target}`).toContain(target.split('/')[0]);
    }
  });

  it('a bin before the build says to run `npm run build`, in one line, with exit 1', () => {
    for (const { dir, pkg } of workspaces) {
      for (const [name, target] of Object.entries(pkg.bin ?? {})) {
        const copy = join(work, name);
        mkdirSync(join(copy, 'bin'), { recursive: true });
        writeFileSync(join(copy, 'package.json'), JSON.stringify({ type: 'module' }));
        copyFileSync(join(root, dir, target), join(copy, target));
        // A launcher may declare its own module type beside it (packages/cli/bin/package.json: CommonJS).
        const ownType = join(root, dir, dirname(target), 'package.json');
        if (existsSync(ownType)) copyFileSync(ownType, join(copy, dirname(target), 'package.json'));
        const run = spawnSyncNode(join(copy, target));
        expect(run.code, name).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(new RegExp(`^${name} is not built yet .*: run \`npm run build\` first\\n$`));
      }
    }
  });

  it('npm run demo builds the demo package (and with it the cli) and runs the same launcher that npx sme runs', () => {
    const script = rootPackage.scripts?.demo ?? '';
    const launcher = posix.join('packages/cli', posix.normalize(cli?.pkg.bin?.sme ?? '?'));
    const demo = workspaces.find((w) => w.pkg.name === '@sme/demo');
    // nx builds a project's dependencies first: the demo package depends on the cli.
    expect(Object.keys((demo?.pkg as { dependencies?: object } | undefined)?.dependencies ?? {})).toContain('@sme/cli');
    expect(script).toMatch(/^nx run @sme\/demo:build\b.* && node (\S+) demo$/);
    expect(/ && node (\S+) demo$/.exec(script)?.[1]).toBe(launcher);
  });

  it('npm test is what CI runs after npm ci on a fresh clone', () => {
    expect(rootPackage.scripts?.test).toMatch(/^npm run check && .*\bnx run-many -t test\b/);
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8')
      .trim()
      .split('\n')
      .slice(-2);
    expect(ci).toEqual(['npm ci', 'npm test']);
  });

  it('npx sme --help, npx sme-sandbox --help and the demo work where the packed packages are installed', async () => {
    const { project } = smeInstall();
    const [sme, sandbox, demo] = await Promise.all([
      shell('npx sme --help', project),
      shell('npx sme-sandbox --help', project),
      // What `npm run demo` runs after its build, as installed; 600 rows keeps it short (Autopilot needs 500).
      shell('npx sme demo --rows 600', project),
    ]);
    expect(sme.stderr).toBe('');
    expect(sme.code).toBe(0);
    expect(sme.stdout).toMatch(/^sme <command> \[options\]/);
    expect(sme.stdout).toContain('sme deploy');
    expect(sandbox.stderr).toBe('');
    expect(sandbox.code).toBe(0);
    expect(sandbox.stdout).toMatch(/^sme-sandbox \[options\]/);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('✔ demo finished');
  }, 180_000);
});

function spawnSyncNode(file: string): Run {
  const run = spawnSync(process.execPath, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
