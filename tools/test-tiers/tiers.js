// Test tiers: the external judges a test can need, how to tell whether this machine has them, and how to install
// them. Plain JavaScript (no build) so that vitest configs, the reporter, tools/tier-summary.mjs and tests share it.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import process from 'node:process';

/** Every tier, in the order the summary prints them. `sandbox` is the default: it needs nothing outside npm. */
export const TIERS = ['sandbox', 'native-lua', 'wasm', 'moto', 'containers', 'luacheck', 'chromium', 'pty'];

/** The environment variable naming the directory where one test run collects skip reasons and results. */
export const RUN_DIR_VARIABLE = 'SME_TIER_RUN_DIR';

const MIN_NODE_FOR_CONTAINERS = [22, 22];
const LUA_MODULES = ['cjson', 'socket', 'ssl', 'openssl'];

/** What each tier needs and how to get it; `probe` returns why the tier is unavailable, or undefined. */
const DEFINITIONS = {
  sandbox: {
    label: 'sandbox',
    needs: 'Node.js and the npm dependencies',
    install: 'npm ci',
    probe: () => undefined,
  },
  'native-lua': {
    label: 'native Lua',
    needs: `lua5.4 with ${LUA_MODULES.join(', ')}`,
    install: 'apt-get install lua5.4 lua-cjson lua-socket lua-sec lua-luaossl',
    probe: probeNativeLua,
  },
  wasm: {
    label: 'wasm',
    needs: 'wasmoon (an npm dependency)',
    install: 'npm ci',
    probe: () => undefined,
  },
  moto: {
    label: 'moto',
    needs: 'moto_server on PATH',
    install:
      "moto ships with this machine image's Python: put its bin directory (the one holding moto_server) on PATH, " +
      "or install it there with pip install 'moto[server]'",
    probe: () => (findOnPath('moto_server') === undefined ? 'moto_server is not on PATH' : undefined),
  },
  containers: {
    label: 'containers',
    needs: `a running Docker engine, Node.js >= ${MIN_NODE_FOR_CONTAINERS.join('.')} and LOCALSTACK_AUTH_TOKEN`,
    install:
      `start a Docker engine (docker info must answer), use Node.js >= ${MIN_NODE_FOR_CONTAINERS.join('.')} and ` +
      'set LOCALSTACK_AUTH_TOKEN (the localstack image refuses to start without one)',
    probe: probeContainers,
  },
  luacheck: {
    label: 'luacheck',
    needs: 'luacheck on PATH',
    install: 'apt-get install lua-check',
    probe: () => {
      const r = spawnSync('luacheck', ['--version'], { encoding: 'utf8' });
      return r.status === 0 ? undefined : 'luacheck is not on PATH';
    },
  },
  chromium: {
    label: 'chromium',
    needs: 'Debian chromium (headless) on PATH',
    install: 'apt-get install chromium',
    probe: () => {
      const r = spawnSync('chromium', ['--version'], { encoding: 'utf8', timeout: 30_000 });
      return r.status === 0 ? undefined : 'chromium is not on PATH';
    },
  },
  pty: {
    label: 'pty',
    needs: 'python3 with its standard pty module (runs a command on a pseudo-terminal)',
    install: 'apt-get install python3',
    probe: () => {
      const r = spawnSync('python3', ['-c', 'import pty, termios'], { encoding: 'utf8', timeout: 30_000 });
      return r.status === 0 ? undefined : 'python3 with the pty module is not on PATH';
    },
  },
};

function definition(tier) {
  const d = DEFINITIONS[tier];
  if (d === undefined) throw new Error(`unknown test tier ${JSON.stringify(tier)}; known: ${TIERS.join(', ')}`);
  return d;
}

/** Executable `name` in a directory of PATH, or undefined. */
export function findOnPath(name, path = process.env.PATH ?? '') {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function probeNativeLua() {
  const script = `local missing = {}
for _, m in ipairs({${LUA_MODULES.map((m) => `'${m}'`).join(', ')}}) do
  if not pcall(require, m) then missing[#missing + 1] = m end
end
io.write(table.concat(missing, ' '))`;
  const r = spawnSync('lua5.4', ['-e', script], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) return 'lua5.4 is not on PATH';
  const missing = r.stdout.trim();
  return missing === '' ? undefined : `lua5.4 cannot load ${missing.split(' ').join(', ')}`;
}

function probeContainers() {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const [needMajor, needMinor] = MIN_NODE_FOR_CONTAINERS;
  if (major < needMajor || (major === needMajor && minor < needMinor))
    return `Node.js ${process.versions.node} is older than ${MIN_NODE_FOR_CONTAINERS.join('.')}`;
  const r = spawnSync('docker', ['info'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error !== undefined) return 'the docker client is not on PATH';
  if (r.status !== 0) return 'docker info finds no running Docker engine';
  return (process.env.LOCALSTACK_AUTH_TOKEN ?? '') === '' ? 'LOCALSTACK_AUTH_TOKEN is not set' : undefined;
}

/** The tier's name as people read it: `native Lua` for `native-lua`. */
export function tierLabel(tier) {
  return definition(tier).label;
}

/** How to get what the tier needs, e.g. `apt-get install lua-check`. */
export function tierInstallHint(tier) {
  return definition(tier).install;
}

const probed = new Map();

/** Why `tier` cannot run on this machine, or undefined when it can (probed once per process). */
export function tierUnavailableReason(tier) {
  if (!probed.has(tier)) probed.set(tier, definition(tier).probe());
  return probed.get(tier);
}

/** True when this machine has what `tier` needs. */
export function tierAvailable(tier) {
  return tierUnavailableReason(tier) === undefined;
}

/** True when the process runs under CI (`CI=true`): a missing tier is then a failure, not a skip. */
export function isCi(env = process.env) {
  const v = (env.CI ?? '').toLowerCase();
  return v !== '' && v !== 'false' && v !== '0';
}

/**
 * Tiers that CI may skip (with the reason printed and counted in the summary): `SME_CI_OPTIONAL_TIERS`, a
 * comma-separated list, default `containers` (CI machines here have no Docker engine). A tier the run asks for
 * explicitly (`SME_TEST_ENV=containers`) is never optional.
 */
export function ciOptionalTiers(env = process.env) {
  const list = env.SME_CI_OPTIONAL_TIERS ?? 'containers';
  const tiers = list
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '' && t !== env.SME_TEST_ENV);
  for (const t of tiers) definition(t); // an unknown name is a typo: say so
  return tiers;
}

/** True when a missing `tier` fails this run: under CI, unless the tier is CI-optional. */
export function missingTierFails(tier, env = process.env) {
  return isCi(env) && !ciOptionalTiers(env).includes(tier);
}

/** The full message for a missing tier: what is missing and how to install it. */
export function missingTierMessage(tier, reason = tierUnavailableReason(tier) ?? 'unavailable') {
  const d = definition(tier);
  return `${d.label} tier unavailable: ${reason} (needs ${d.needs}; to install: ${d.install})`;
}

/**
 * Records that `tier` is missing in this run (directory of `SME_TIER_RUN_DIR`). Returns true for the first
 * caller of the run, across files and processes: that one prints the reason.
 */
export function recordMissingTier(tier, reason, runDir = process.env[RUN_DIR_VARIABLE]) {
  if (runDir === undefined || runDir === '') return !announcedInProcess.has(tier) && announcedInProcess.add(tier);
  const dir = join(runDir, 'missing');
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, `${tier}.txt`), reason, { flag: 'wx' });
    return true;
  } catch (e) {
    if (e && e.code === 'EEXIST') return false;
    throw e;
  }
}
const announcedInProcess = new Set();

/** The reasons recorded for missing tiers in a run directory, by tier. */
export function missingTierReasons(runDir) {
  const reasons = {};
  let files;
  try {
    files = readdirSync(join(runDir, 'missing'));
  } catch {
    return reasons;
  }
  for (const file of files) {
    if (!file.endsWith('.txt')) continue;
    reasons[file.slice(0, -'.txt'.length)] = readFileSync(join(runDir, 'missing', file), 'utf8');
  }
  return reasons;
}

/** `[moto] name`: the prefix by which the reporter counts a suite or test for its tier. */
export function tierTitle(tier, name) {
  definition(tier);
  return `[${tier}] ${name}`;
}

/** The tier named by a title's `[tier] ` prefix, or undefined. */
export function tierOfTitle(title) {
  const m = /^\[([a-z-]+)\] /.exec(title);
  return m !== null && TIERS.includes(m[1]) ? m[1] : undefined;
}

/**
 * The summary lines: one per tier, `ran N, skipped M (reason)`, with `failed F` when tests of the tier failed.
 * `counts` maps tier → { ran, skipped, failed }.
 */
export function summaryLines(counts, reasons) {
  const width = Math.max(...TIERS.map((t) => tierLabel(t).length));
  return TIERS.map((tier) => {
    const c = counts[tier] ?? { ran: 0, skipped: 0, failed: 0 };
    let line = `${tierLabel(tier).padEnd(width)}  ran ${c.ran}, skipped ${c.skipped}`;
    if (c.failed > 0) line += `, failed ${c.failed}`;
    const reason = reasons[tier];
    if (reason !== undefined) line += ` (${reason}; to install: ${tierInstallHint(tier)})`;
    return line;
  });
}
