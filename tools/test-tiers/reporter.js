// A vitest reporter that counts each test for its tier (the `[tier] ` title prefix that describeTier/itTier
// give; tests without one are `sandbox` tests) and writes the counts into the run directory, one JSON file per
// vitest process. `node tools/tier-summary.mjs` adds them up at the end of `npm test`. Run on its own (no run
// directory given), it makes one, prints the summary itself and removes it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import process from 'node:process';
import { RUN_DIR_VARIABLE, missingTierReasons, summaryLines, tierOfTitle } from './tiers.js';

/** The tier of a test: the innermost `[tier] ` prefix on it or a suite around it; `sandbox` without one. */
export function tierOfTest(test) {
  for (let task = test; task !== undefined && task.type !== 'module'; task = task.parent) {
    const tier = tierOfTitle(task.name);
    if (tier !== undefined) return tier;
  }
  return 'sandbox';
}

/** Counts by tier: `ran` (passed or failed), `skipped` (skipped or never run), `failed`. */
export function countByTier(testModules) {
  const counts = {};
  for (const module of testModules) {
    for (const test of module.children.allTests()) {
      const tier = tierOfTest(test);
      const c = (counts[tier] ??= { ran: 0, skipped: 0, failed: 0 });
      const state = test.result().state;
      if (state === 'passed' || state === 'failed') c.ran++;
      else c.skipped++;
      if (state === 'failed') c.failed++;
    }
  }
  return counts;
}

export class TierReporter {
  constructor(env = process.env) {
    const given = env[RUN_DIR_VARIABLE];
    /** True when this process made the run directory (a plain `vitest run`): it then prints the summary. */
    this.ownsRunDir = given === undefined || given === '';
    this.runDir = this.ownsRunDir ? mkdtempSync(join(tmpdir(), 'sme-tiers-')) : given;
    // Test workers inherit it (and the config passes it on as test.env too).
    env[RUN_DIR_VARIABLE] = this.runDir;
  }

  onTestRunEnd(testModules) {
    const counts = countByTier(testModules);
    if (this.ownsRunDir) {
      const lines = summaryLines(counts, missingTierReasons(this.runDir));
      process.stdout.write(`\nTest tiers (this run):\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
      rmSync(this.runDir, { recursive: true, force: true });
      return;
    }
    const dir = join(this.runDir, 'results');
    mkdirSync(dir, { recursive: true });
    const file = `${basename(process.cwd())}-${process.pid}-${Date.now()}.json`;
    writeFileSync(join(dir, file), JSON.stringify({ cwd: process.cwd(), counts }));
  }
}
