import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorCodesIn, generatedDocCodes } from '@sme/core/testing';
import { describe, expect, it } from 'vitest';
import { SANDBOX_ERROR_CODES } from './sandbox-error-codes.js';

const packageDir = join(import.meta.dirname, '..');

/** The package's non-test sources, in every folder, less the catalog itself. */
function sources(): string[] {
  const dir = join(packageDir, 'src');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('sandbox-error-codes.ts'))
    .map((file) => readFileSync(join(dir, file), 'utf8'));
}

describe('sandbox error code catalog', () => {
  it('is in docs/errors.md, code by code (npm run error-docs checks the texts)', () => {
    const docs = generatedDocCodes(readFileSync(join(packageDir, '..', '..', 'docs', 'errors.md'), 'utf8'));
    for (const code of Object.keys(SANDBOX_ERROR_CODES)) expect(docs.has(code), code).toBe(true);
  });

  it('lists every code the sources raise, and only those', () => {
    expect([...errorCodesIn(sources())].sort()).toEqual(Object.keys(SANDBOX_ERROR_CODES).sort());
  });
});
