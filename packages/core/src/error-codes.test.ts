import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE_ERROR_CODES, coreError } from './error-codes.js';
import { generatedDocCodes } from './testing/error-docs.js';
import { PACKAGE_DIR } from './testing/lua-differential.js';

const DOC = join(PACKAGE_DIR, '..', '..', 'docs', 'errors.md');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('error code catalog', () => {
  it('is in docs/errors.md, code by code (npm run error-docs checks the texts)', () => {
    const documented = generatedDocCodes(readFileSync(DOC, 'utf8'));
    for (const code of Object.keys(CORE_ERROR_CODES)) expect(documented.has(code), code).toBe(true);
  });

  it('every code core raises is in the catalog', () => {
    const used = new Set<string>();
    for (const file of sources(join(PACKAGE_DIR, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'(SME-E-[A-Z0-9-]+)'/g)) used.add(m[1] ?? '');
    }
    expect([...used].filter((c) => !(c in CORE_ERROR_CODES))).toEqual([]);
  });

  it('coreError takes kind and default remedy from the catalog', () => {
    const e = coreError('SME-E-TOO-FEW-ROWS', 'x has 3 rows', { key: 'input_table_or_view_name' });
    expect(e.kind).toBe('Precondition');
    expect(e.details.remedy).toBe(CORE_ERROR_CODES['SME-E-TOO-FEW-ROWS'].remedy);
    expect(coreError('SME-E-ARGUMENT', 'm', { remedy: 'own' }).details.remedy).toBe('own');
  });
});
