import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ciOptionalTiers,
  missingTierFails,
  missingTierMessage,
  recordMissingTier,
  summaryLines,
  tierOfTitle,
  tierTitle,
} from '../tiers.js';
import { countByTier } from '../reporter.js';

const here = fileURLToPath(new URL('.', import.meta.url));
// Under the package's node_modules so that the fake test files below resolve vitest from the workspace.
mkdirSync(join(here, '..', 'node_modules'), { recursive: true });
const work = mkdtempSync(join(here, '..', 'node_modules', '.tiers-test-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('tier rules', () => {
  it('fails a missing tier under CI unless it is CI-optional (containers by default, unless selected)', () => {
    expect(missingTierFails('moto', {})).toBe(false);
    expect(missingTierFails('moto', { CI: 'true' })).toBe(true);
    expect(missingTierFails('containers', { CI: 'true' })).toBe(false);
    expect(missingTierFails('containers', { CI: 'true', SME_TEST_ENV: 'containers' })).toBe(true);
    expect(missingTierFails('containers', { CI: 'true', SME_CI_OPTIONAL_TIERS: '' })).toBe(true);
    expect(() => ciOptionalTiers({ SME_CI_OPTIONAL_TIERS: 'mot' })).toThrow(/unknown test tier "mot"/);
  });

  it('says what is missing and how to install it', () => {
    expect(missingTierMessage('native-lua', 'lua5.4 cannot load ssl')).toBe(
      'native Lua tier unavailable: lua5.4 cannot load ssl (needs lua5.4 with cjson, socket, ssl, openssl; ' +
        'to install: apt-get install lua5.4 lua-cjson lua-socket lua-sec lua-luaossl)',
    );
    expect(missingTierMessage('luacheck', 'luacheck is not on PATH')).toContain('apt-get install lua-check');
  });

  it('lets the first caller of a run announce a missing tier, and only the first', () => {
    const runDir = join(work, 'once');
    expect(recordMissingTier('moto', 'moto_server is not on PATH', runDir)).toBe(true);
    expect(recordMissingTier('moto', 'moto_server is not on PATH', runDir)).toBe(false);
    expect(recordMissingTier('luacheck', 'luacheck is not on PATH', runDir)).toBe(true);
  });

  it('round-trips a tier through a title prefix', () => {
    expect(tierOfTitle(tierTitle('native-lua', 'x'))).toBe('native-lua');
    expect(tierOfTitle('[nope] x')).toBeUndefined();
    expect(tierOfTitle('plain')).toBeUndefined();
  });

  it('prints one line per tier with counts and the reason for skips', () => {
    const lines = summaryLines(
      { sandbox: { ran: 3, skipped: 0, failed: 0 }, moto: { ran: 0, skipped: 2, failed: 0 } },
      { moto: 'moto_server is not on PATH' },
    );
    expect(lines[0]).toBe('sandbox     ran 3, skipped 0');
    expect(lines[3]).toMatch(/^moto {8}ran 0, skipped 2 \(moto_server is not on PATH; to install: moto ships/);
    expect(lines).toHaveLength(8);
    expect(lines[6]).toBe('chromium    ran 0, skipped 0');
    expect(lines[7]).toBe('pty         ran 0, skipped 0');
  });

  it('counts tests by the innermost tier prefix, untagged ones as sandbox', () => {
    const module = { type: 'module', name: 'm' };
    const suite = { type: 'suite', name: '[moto] against moto', parent: module };
    const test = (name, parent, state) => ({ type: 'test', name, parent, result: () => ({ state }) });
    const counts = countByTier([
      {
        children: {
          allTests: () => [
            test('a', suite, 'passed'),
            test('b', suite, 'skipped'),
            test('[wasm] c', suite, 'failed'),
            test('d', module, 'passed'),
          ],
        },
      },
    ]);
    expect(counts).toEqual({
      moto: { ran: 1, skipped: 1, failed: 0 },
      wasm: { ran: 1, skipped: 0, failed: 1 },
      sandbox: { ran: 1, skipped: 0, failed: 0 },
    });
  });
});

describe('describeTier in a vitest run', () => {
  // Two files (two worker processes) that both need moto, run where moto_server is not on PATH.
  for (const name of ['a', 'b']) {
    writeFileSync(
      join(work, `${name}.test.js`),
      `import { describeTier } from ${JSON.stringify(join(here, '..', 'index.js'))};
import { it } from 'vitest';
describeTier('moto', 'needs moto (${name})', () => { it('runs', () => {}); });
`,
    );
  }
  writeFileSync(join(work, 'vitest.config.js'), "export default { test: { include: ['*.test.js'], exclude: [] } };\n");
  let runs = 0;
  const run = (env) =>
    spawnSync(process.execPath, [join(here, '..', '..', '..', 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: '/usr/bin:/bin',
        HOME: process.env.HOME,
        SME_TIER_RUN_DIR: join(work, `run-${String(++runs)}`),
        ...env,
      },
    });

  it('skips a missing tier outside CI and prints the reason once', () => {
    const r = run({});
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out.match(/skipping the moto tier: moto tier unavailable: moto_server is not on PATH/g)).toHaveLength(1);
  }, 60_000);

  it('fails a missing tier with CI=true, saying what is missing and how to install it', () => {
    const r = run({ CI: 'true' });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(
      'CI is set and a required test tier is missing: moto tier unavailable: moto_server is not on PATH',
    );
  }, 60_000);
});
