import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE_ERROR_CODES, coreError } from './error-codes.js';
import { PACKAGE_DIR } from './testing/lua-differential.js';

const DOC = join(PACKAGE_DIR, '..', '..', 'docs', 'errors.md');

function coreSection(): string {
  const text = readFileSync(DOC, 'utf8');
  const begin = text.indexOf('<!-- core-codes:begin -->');
  const end = text.indexOf('<!-- core-codes:end -->');
  expect(begin).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(begin);
  return text.slice(begin, end);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('error code catalog', () => {
  it("is exactly the set of codes in docs/errors.md's @sme/core section, with the same meaning and remedy", () => {
    const section = coreSection();
    const documented = [...section.matchAll(/^### (SME-E-[A-Z0-9-]+)$/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(CORE_ERROR_CODES).sort());
    for (const [code, info] of Object.entries(CORE_ERROR_CODES)) {
      const entry = section.slice(section.indexOf(`### ${code}\n`)).split('\n### ')[0] ?? '';
      expect(entry).toContain(info.meaning);
      expect(entry).toContain(info.remedy);
    }
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
