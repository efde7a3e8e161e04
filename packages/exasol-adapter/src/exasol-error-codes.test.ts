import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_ERROR_CODES } from '@sme/core';
import { documentedErrors, errorCodesIn } from '@sme/core/testing';
import { describe, expect, it } from 'vitest';
import { EXASOL_ERROR_CODES, exasolError, type ExasolErrorCode } from './exasol-error-codes.js';

const packageDir = join(import.meta.dirname, '..');

/** The package's non-test sources, less the catalog itself. */
function sources(): string[] {
  const dir = join(packageDir, 'src');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('exasol-error-codes.ts'))
    .map((file) => readFileSync(join(dir, file), 'utf8'));
}

describe('error code catalog', () => {
  it('is exactly what ERRORS.md documents, entry by entry', () => {
    const docs = documentedErrors(readFileSync(join(packageDir, 'ERRORS.md'), 'utf8'));
    expect([...docs.keys()].sort()).toEqual(Object.keys(EXASOL_ERROR_CODES).sort());
    for (const [code, info] of Object.entries(EXASOL_ERROR_CODES)) {
      expect(docs.get(code), code).toEqual({ kind: info.kind, meaning: info.meaning, remedy: info.remedy });
    }
  });

  it("lists every code the sources raise, and only those (SME-E-SQL is core's, shared with the UDFs)", () => {
    const own = [...errorCodesIn(sources())].filter((code) => !(code in CORE_ERROR_CODES));
    expect(own.sort()).toEqual(Object.keys(EXASOL_ERROR_CODES).sort());
  });

  it('makes every code with its catalogued kind, and the catalogued remedy unless a more precise one is given', () => {
    for (const code of Object.keys(EXASOL_ERROR_CODES) as ExasolErrorCode[]) {
      const plain = exasolError(code, 'what was wrong', { key: 'dsn' });
      expect([plain.code, plain.kind, plain.message, plain.details]).toEqual([
        code,
        EXASOL_ERROR_CODES[code].kind,
        'what was wrong',
        { key: 'dsn', remedy: EXASOL_ERROR_CODES[code].remedy },
      ]);
      expect(exasolError(code, 'what was wrong', { remedy: 'do this' }).details.remedy).toBe('do this');
    }
  });
});
