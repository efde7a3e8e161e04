import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_ERROR_CODES } from './sandbox-error-codes.js';

const packageDir = join(import.meta.dirname, '..');
const errorsDoc = join(packageDir, '..', '..', 'docs', 'errors.md');

/** Rows of the table in the `## @sme/sandbox` section of docs/errors.md: `| code | kind | meaning | remedy |`. */
function documented(): Map<string, { kind: string; meaning: string; remedy: string }> {
  const text = readFileSync(errorsDoc, 'utf8');
  const start = text.indexOf('\n## @sme/sandbox\n');
  expect(start, 'docs/errors.md has a "## @sme/sandbox" section').toBeGreaterThanOrEqual(0);
  const after = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, after === -1 ? undefined : after);
  const rows = new Map<string, { kind: string; meaning: string; remedy: string }>();
  for (const line of section.split('\n')) {
    const cells = line.split(' | ').map((c) => c.replace(/^\|\s*|\s*\|$/g, '').trim());
    const code = cells[0]?.replaceAll('`', '');
    if (code?.startsWith('SME-E-') === true) {
      rows.set(code, { kind: cells[1]?.replaceAll('`', '') ?? '', meaning: cells[2] ?? '', remedy: cells[3] ?? '' });
    }
  }
  return rows;
}

/** Every `'SME-E-…'` literal in the package's non-test sources, in every folder. */
function usedInSources(): Set<string> {
  const used = new Set<string>();
  const files = readdirSync(join(packageDir, 'src'), { recursive: true, encoding: 'utf8' });
  for (const file of files) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.endsWith('sandbox-error-codes.ts')) continue;
    for (const match of readFileSync(join(packageDir, 'src', file), 'utf8').matchAll(/['"`](SME-E-[A-Z0-9-]+)/g))
      used.add(match[1] ?? '');
  }
  return used;
}

describe('sandbox error code catalog', () => {
  it('is exactly what docs/errors.md documents, entry by entry', () => {
    const docs = documented();
    expect([...docs.keys()].sort()).toEqual(Object.keys(SANDBOX_ERROR_CODES).sort());
    for (const [code, info] of Object.entries(SANDBOX_ERROR_CODES)) {
      expect(docs.get(code), code).toEqual({ kind: info.kind, meaning: info.meaning, remedy: info.remedy });
    }
  });

  it('lists every code the sources raise, and only those', () => {
    expect([...usedInSources()].sort()).toEqual(Object.keys(SANDBOX_ERROR_CODES).sort());
  });
});
