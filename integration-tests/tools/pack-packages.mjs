// Packs the workspace packages (`npm pack`) and installs the tarballs into a temporary project, so that the
// integration suite runs the packages exactly as users get them, including the real `sme` binary.
// Use as vitest globalSetup (`setup` provides `smeInstall`), or run it: `node tools/pack-packages.mjs`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The published packages, in dependency order (`@sme/demo` is optional for users; `sme demo` needs it). */
export const PACKAGES = [
  '@sme/core',
  '@sme/exasol-adapter',
  '@sme/sagemaker-adapter',
  '@sme/udf',
  '@sme/sandbox',
  '@sme/cli',
  '@sme/demo',
];

function npm(args, cwd) {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A directory lock shared by test workers (mkdir is atomic); a lock older than 10 minutes is stale. */
function withLock(path, fn) {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(path, { recursive: true, force: true });
      sleepSync(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Packs every package and installs the tarballs into `<tmp>/sme-packed-<hash>/project` (reused while the
 * tarballs are byte-identical: `npm pack` writes fixed timestamps). Returns the project and its `sme` bin.
 */
export function packAndInstall({ log = () => {} } = {}) {
  const base = join(tmpdir(), 'sme-packed');
  mkdirSync(base, { recursive: true });
  return withLock(join(base, '.lock'), () => {
    const tarballs = join(base, `tarballs-${process.pid}`);
    rmSync(tarballs, { recursive: true, force: true });
    mkdirSync(tarballs, { recursive: true });
    const started = Date.now();
    npm(['pack', '--pack-destination', tarballs, ...PACKAGES.flatMap((p) => ['-w', p])], root);
    const files = readdirSync(tarballs)
      .filter((f) => f.endsWith('.tgz'))
      .sort();
    if (files.length !== PACKAGES.length) throw new Error(`npm pack wrote ${files.join(', ')}`);
    const hash = createHash('sha256');
    for (const f of files) hash.update(f).update(readFileSync(join(tarballs, f)));
    const dir = join(base, hash.digest('hex').slice(0, 16));
    const project = join(dir, 'project');
    const bin = join(project, 'node_modules', '.bin', 'sme');
    if (existsSync(join(dir, 'complete'))) {
      rmSync(tarballs, { recursive: true, force: true });
      log(`sme: packed packages unchanged, reusing ${project}`);
      return { project, bin };
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(project, { recursive: true });
    const deps = {};
    for (const [i, name] of PACKAGES.entries()) {
      const file = files.find((f) => f.startsWith(name.slice(1).replace('/', '-') + '-'));
      if (file === undefined) throw new Error(`no tarball for ${name} (${files.join(', ')}; ${i})`);
      deps[name] = `file:${join(tarballs, file)}`;
    }
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify(
        { name: 'sme-packed-test', private: true, type: 'module', dependencies: deps, overrides: deps },
        null,
        2,
      ),
    );
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project);
    writeFileSync(join(dir, 'complete'), new Date().toISOString());
    rmSync(tarballs, { recursive: true, force: true });
    log(`sme: packed and installed ${PACKAGES.length} packages in ${Date.now() - started} ms into ${project}`);
    return { project, bin };
  });
}

/** vitest globalSetup: one pack + install per run, handed to the tests as `inject('smeInstall')`. */
export function setup(project) {
  const install = packAndInstall({ log: (m) => process.stderr.write(m + '\n') });
  project.provide('smeInstall', install);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const install = packAndInstall({ log: (m) => process.stderr.write(m + '\n') });
  process.stdout.write(JSON.stringify(install) + '\n');
}
