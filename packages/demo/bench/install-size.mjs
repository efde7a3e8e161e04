// `npm run bench -w @sme/demo`: what installing `sme` costs, without and with this package. Packs (`npm pack
// --dry-run`, nothing written) @sme/cli and every package it needs at run time, then the same for @sme/demo, and
// prints the tarball bytes and the unpacked bytes of each set. Workspace packages are packed from their folders as
// they are published; third-party packages are packed from node_modules as installed on this machine (so
// platform-specific binaries count for this platform only). Fails when @sme/sandbox is among the CLI's run-time
// dependencies.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The folder Node would load `name` from when `from` requires it (nearest node_modules upwards), or undefined. */
function resolvePackage(name, from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every package folder `start` needs at run time: dependencies, installed optional and peer dependencies. */
function runtimeClosure(start) {
  const seen = new Map();
  const visit = (dir) => {
    if (seen.has(dir)) return;
    const pkg = readJson(join(dir, 'package.json'));
    seen.set(dir, pkg.name);
    const optionalPeers = new Set(
      Object.entries(pkg.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta.optional === true)
        .map(([name]) => name),
    );
    const wanted = [
      ...Object.keys(pkg.dependencies ?? {}).map((name) => ({ name, optional: false })),
      ...Object.keys(pkg.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
      ...Object.keys(pkg.peerDependencies ?? {}).map((name) => ({ name, optional: optionalPeers.has(name) })),
    ];
    for (const { name, optional } of wanted) {
      const found = resolvePackage(name, dir);
      if (found !== undefined) visit(found);
      else if (!optional) throw new Error(`${pkg.name} needs ${name}, which is not installed: run npm ci`);
    }
  };
  visit(realpathSync(start));
  return seen;
}

/** `npm pack --dry-run` of each folder: name, tarball bytes, unpacked bytes. */
function packSizes(dirs) {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', ...dirs], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out).map((p) => ({ name: p.name, size: p.size, unpackedSize: p.unpackedSize }));
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

function summary(packs) {
  const size = packs.reduce((sum, p) => sum + p.size, 0);
  const unpacked = packs.reduce((sum, p) => sum + p.unpackedSize, 0);
  return { count: packs.length, size, unpacked };
}

const started = Date.now();
const cli = runtimeClosure(join(root, 'packages', 'cli'));
// The sandbox (an embedded DuckDB) is the demo's, never the CLI's: a run-time dependency path to it is a regression.
if ([...cli.values()].includes('@sme/sandbox')) {
  process.stderr.write('@sme/cli needs @sme/sandbox at run time: it must stay a dependency of @sme/demo only\n');
  process.exit(1);
}
const demo = runtimeClosure(join(root, 'packages', 'demo'));
const added = [...demo.keys()].filter((dir) => !cli.has(dir));
const cliPacks = packSizes([...cli.keys()]);
const addedPacks = packSizes(added);
const without = summary(cliPacks);
const extra = summary(addedPacks);
const line = (label, s) =>
  `  ${label} ${String(s.count).padStart(4)} packages, ${mb(s.size).padStart(9)} packed, ${mb(s.unpacked).padStart(9)} unpacked\n`;
const heaviest = (packs) =>
  [...packs]
    .sort((a, b) => b.size - a.size)
    .slice(0, 3)
    .map((p) => `${p.name} ${mb(p.size)}`)
    .join(', ');
process.stdout.write(
  `sme install size (npm pack of @sme/cli and its run-time dependencies; ${process.platform}-${process.arch}):\n` +
    line('sme without @sme/demo:', without) +
    line('sme with @sme/demo:   ', summary([...cliPacks, ...addedPacks])) +
    `  @sme/demo adds ${extra.count} packages, ${mb(extra.size)} packed (heaviest: ${heaviest(addedPacks)}); ` +
    `heaviest without it: ${heaviest(cliPacks)} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
);
