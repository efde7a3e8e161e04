import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAGEMAKER_ERROR_CODES } from './sagemaker-error-codes.js';

const packageDir = join(import.meta.dirname, '..');

/** Rows of the table in ERRORS.md: `| code | kind | meaning | remedy |`. */
function documented(): Map<string, { kind: string; meaning: string; remedy: string }> {
  const rows = new Map<string, { kind: string; meaning: string; remedy: string }>();
  for (const line of readFileSync(join(packageDir, 'ERRORS.md'), 'utf8').split('\n')) {
    const cells = line.split(' | ').map((c) => c.replace(/^\|\s*|\s*\|$/g, '').trim());
    const code = cells[0]?.replaceAll('`', '');
    if (code?.startsWith('SME-E-') === true) {
      rows.set(code, { kind: cells[1]?.replaceAll('`', '') ?? '', meaning: cells[2] ?? '', remedy: cells[3] ?? '' });
    }
  }
  return rows;
}

/** Every `'SME-E-…'` literal in the package's non-test sources. */
function usedInSources(): Set<string> {
  const used = new Set<string>();
  const dir = join(packageDir, 'src');
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file === 'sagemaker-error-codes.ts') continue;
    for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/'(SME-E-[A-Z0-9-]+)'/g))
      used.add(match[1] ?? '');
  }
  return used;
}

describe('error code catalog', () => {
  it('is exactly what ERRORS.md documents, entry by entry', () => {
    const docs = documented();
    expect([...docs.keys()].sort()).toEqual(Object.keys(SAGEMAKER_ERROR_CODES).sort());
    for (const [code, info] of Object.entries(SAGEMAKER_ERROR_CODES)) {
      expect(docs.get(code), code).toEqual({ kind: info.kind, meaning: info.meaning, remedy: info.remedy });
    }
  });

  it('lists every code the sources raise, and only those', () => {
    expect([...usedInSources()].sort()).toEqual(Object.keys(SAGEMAKER_ERROR_CODES).sort());
  });
});
