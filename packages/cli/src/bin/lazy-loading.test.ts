import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The published bin: a launcher that runs the bundle dist/bundle/sme.cjs (bundle.mjs builds it).
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'sme.js');
const dir = mkdtempSync(join(tmpdir(), 'sme-cli-lazy-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// A module-resolution hook that logs every resolved URL of the child process to a file.
writeFileSync(
  join(dir, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, resolved.url + '\\n');
  return resolved;
}`,
);
writeFileSync(
  join(dir, 'register.mjs'),
  `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url, { data: { log: process.env.SME_TEST_LOAD_LOG } });`,
);

// CommonJS modules (the launcher and the bundle are CommonJS): the ones loaded, logged when the process ends.
writeFileSync(
  join(dir, 'loaded.cjs'),
  `const { appendFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
process.once('exit', () => {
  const loaded = Object.keys(require.cache).filter((file) => file !== __filename);
  appendFileSync(process.env.SME_TEST_LOAD_LOG, loaded.map((file) => pathToFileURL(file).href + '\\n').join(''));
});`,
);

/** The modules the child process loaded: ESM ones as resolved, then the CommonJS ones. */
function modulesLoadedBy(args: string[]): string[] {
  const log = join(dir, `${args.join('_').replace(/\W/g, '')}.log`);
  writeFileSync(log, '');
  execFileSync(
    process.execPath,
    ['--require', join(dir, 'loaded.cjs'), '--import', join(dir, 'register.mjs'), bin, ...args],
    {
      env: { ...process.env, SME_TEST_LOAD_LOG: log },
      stdio: ['ignore', 'pipe', 'pipe'],
      // `deploy --print` writes every script (about 1.5 MB of SQL).
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
}

const HEAVY =
  /@aws-sdk|@smithy|exasol-driver-ts|\/ws\/|@sme\/exasol-adapter|@sme\/sagemaker-adapter|@sme\/udf|@sme\/sandbox|@sme\/demo/;

const bundle = join(dirname(bin), '..', 'dist', 'bundle', 'sme.cjs');

// Needs the build (nx runs it before the tests): a missing build is an error here, not a silent skip.
describe('sme --help starts from one bundled file, without the heavy modules', () => {
  beforeAll(() => {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npx nx run @sme/cli:build first`);
  });

  it.each([['--help'], ['train', '--help'], ['jobs', '--help'], ['demo', '--help'], ['--version']])(
    'sme %s',
    (...args) => {
      const files = modulesLoadedBy(args).filter((url) => url.startsWith('file:'));
      // The launcher and the bundle (yargs and the command objects are inside it), nothing from node_modules.
      expect(files.map((url) => fileURLToPath(url))).toEqual([bin, bundle]);
      expect(files.filter((url) => HEAVY.test(url))).toEqual([]);
    },
  );

  it('loads a command’s implementation (and its adapters) when the command runs', () => {
    const loaded = modulesLoadedBy(['deploy', '--print']);
    expect(loaded.some((url) => url.includes('exasol-adapter'))).toBe(true);
    expect(loaded.some((url) => url.includes('dist/bundle/commands/deploy/deploy.js'))).toBe(true);
  });
});

describe('the code cache of the bundle', () => {
  const cache = `${bundle}.cache`;
  const version = () =>
    execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('is used as it is when V8 accepts it, and rewritten when V8 cannot use it', () => {
    // The build wrote one; a start that can use it leaves it alone.
    const written = readFileSync(cache);
    expect(version().trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(readFileSync(cache).equals(written)).toBe(true);
    // One V8 rejects (as after a Node upgrade): the start still works and writes a usable one again.
    writeFileSync(cache, 'not a code cache');
    expect(version().trim()).toMatch(/^\d+\.\d+\.\d+/);
    const rewritten = readFileSync(cache);
    expect(rewritten.toString('latin1')).not.toBe('not a code cache');
    expect(rewritten.length).toBeGreaterThan(10_000);
    version();
    expect(readFileSync(cache).equals(rewritten)).toBe(true);
  });
});
