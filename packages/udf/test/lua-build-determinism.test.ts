import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { luaBundlePath } from './support/lua-build.js';

const script = fileURLToPath(new URL('../scripts/build-lua.mjs', import.meta.url));

describe('Lua build', () => {
  it('is deterministic: a fresh build in another directory gives the same bytes, for every bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sme-lua-build-'));
    execFileSync(process.execPath, [script, '--out', dir], { stdio: 'pipe' });
    for (const file of ['aws-call-udf.lua', 'scripting-programs.lua', 'prediction-udf.lua']) {
      const reference = readFileSync(luaBundlePath(file));
      const fresh = readFileSync(join(dir, file));
      expect(fresh.equals(reference)).toBe(true);
      expect(fresh.toString('utf8')).not.toContain(dir);
    }
    // Three tstl runs over the whole program: minutes on a loaded two-core machine.
  }, 600_000);
});
