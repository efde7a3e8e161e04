import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SmeError } from '@sme/core';
import { errorCodesIn } from '@sme/core/testing';
import { describe, expect, it } from 'vitest';
import { CLI_ERROR_CODES } from './cli-error-codes.js';
import { exitCodeForError } from './handle-errors.js';

/** The package's non-test sources, less the catalog itself. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts') || entry.name === 'cli-error-codes.ts')
      return [];
    return [readFileSync(path, 'utf8')];
  });
}

describe('the error code catalog of the command line', () => {
  // Codes of other packages that the CLI names (doctor's advice, for one) are checked against their catalogs by
  // `npm run error-docs`.
  it('lists every SME-E-CLI-… code the sources raise, and only those', () => {
    const own = [...errorCodesIn(sources(import.meta.dirname))].filter(
      (code) => code.startsWith('SME-E-CLI-') || code === 'SME-E-INTERNAL',
    );
    expect(own.sort()).toEqual(Object.keys(CLI_ERROR_CODES).sort());
  });

  it('gives each code the exit status its kind maps to', () => {
    for (const [code, info] of Object.entries(CLI_ERROR_CODES)) {
      const exit = info.kind === undefined ? 1 : exitCodeForError(new SmeError(code, info.kind, 'm'));
      expect(exit, code).toBe(info.exit);
    }
  });
});
