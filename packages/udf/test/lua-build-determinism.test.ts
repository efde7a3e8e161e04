import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { luaBundlePath } from './support/lua-build.js';

const script = fileURLToPath(new URL('../scripts/build-lua.mjs', import.meta.url));

describe('Lua build', () => {
  it('is deterministic: a fresh build in another directory gives the same bytes', () => {
    const reference = readFileSync(luaBundlePath('aws-call-udf.lua'));
    const dir = mkdtempSync(join(tmpdir(), 'sme-lua-build-'));
    execFileSync(process.execPath, [script, '--out', dir], { stdio: 'pipe' });
    const fresh = readFileSync(join(dir, 'aws-call-udf.lua'));
    expect(fresh.equals(reference)).toBe(true);
    expect(fresh.toString('utf8')).not.toContain(dir);
  });
});
