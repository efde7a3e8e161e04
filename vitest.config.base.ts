import { defineConfig } from 'vitest/config';
import { TierReporter } from './tools/test-tiers/reporter.js';

/** Counts tests per tier (tools/test-tiers); `npm test` prints the totals at the end. */
const tierReporter = new TierReporter();

/** Shared test settings; each package merges its own over these. */
export const baseTestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', tierReporter],
    // Where describeTier/itTier record missing tiers, so each reason is printed once per run.
    env: { SME_TIER_RUN_DIR: tierReporter.runDir },
    onConsoleLog(log: string, type: 'stdout' | 'stderr'): false | undefined {
      // Stray console output from code under test is a bug: surface it as a failure-like note.
      process.stderr.write(`[stray ${type}] ${log}`);
      return false;
    },
  },
});
