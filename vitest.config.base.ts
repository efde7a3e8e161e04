import { defineConfig } from 'vitest/config';

/** Shared test settings; each package merges its own over these. */
export const baseTestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
    onConsoleLog(log: string, type: 'stdout' | 'stderr'): false | undefined {
      // Stray console output from code under test is a bug: surface it as a failure-like note.
      process.stderr.write(`[stray ${type}] ${log}`);
      return false;
    },
  },
});
