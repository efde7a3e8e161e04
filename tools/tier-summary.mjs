#!/usr/bin/env node
// The last step of `npm test`: adds up the per-process tier counts that the vitest reporter
// (tools/test-tiers/reporter.js) wrote into the run directory, prints one line per tier and clears the directory.
// `--reset` only clears it (the first step, so that an aborted earlier run does not count).
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { RUN_DIR_VARIABLE, missingTierReasons, summaryLines } from './test-tiers/tiers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const runDir = process.env[RUN_DIR_VARIABLE] || join(root, 'node_modules', '.cache', 'sme-tiers');

if (process.argv.includes('--reset')) {
  rmSync(runDir, { recursive: true, force: true });
  process.exit(0);
}

const counts = {};
const resultsDir = join(runDir, 'results');
const files = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')) : [];
for (const file of files) {
  const result = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
  for (const [tier, c] of Object.entries(result.counts)) {
    const total = (counts[tier] ??= { ran: 0, skipped: 0, failed: 0 });
    total.ran += c.ran;
    total.skipped += c.skipped;
    total.failed += c.failed;
  }
}
const lines = summaryLines(counts, missingTierReasons(runDir));
process.stdout.write(`\nTest tiers (${files.length} vitest runs):\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
rmSync(runDir, { recursive: true, force: true });
