import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build tool without type declarations
import { compactLua, EXASOL_PRELUDE } from '../../core/tools/exasol-lua.mjs';
import { describeTier } from '@sme/test-tiers';

const compact = compactLua as (text: string, options?: { colonSafe?: boolean }) => string;
const prelude = EXASOL_PRELUDE as string;

/**
 * Runs Lua after a global pcall/xpcall that, like Exasol's (rule L1 in packages/sandbox/README.md), turns a thrown
 * table into a string.
 */
function lua(body: string): string {
  const exasolish = `
local raw_pcall, raw_xpcall = pcall, xpcall
local function s(e) if type(e) ~= 'string' then return 'error object is a ' .. type(e) .. ' value' end return e end
local function settle(ok, ...) if ok then return true, ... end return false, s((...)) end
pcall = function(f, ...) return settle(raw_pcall(f, ...)) end
xpcall = function(f, h, ...) return raw_xpcall(f, function(e) return h(s(e)) end, ...) end
RAW_PCALL = raw_pcall
`;
  const r = spawnSync('lua5.4', ['-'], { input: exasolish + compact(prelude) + body, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout;
}

describeTier('native-lua', 'the error prelude under an Exasol-like pcall', () => {
  it('gives pcall and xpcall the thrown object back', () => {
    const out = lua(`
local t = { code = 'SME-E-X', message = 'boom' }
local ok, e = pcall(function() error(t, 0) end)
io.write(tostring(ok), ' ', tostring(e == t), ' ')
local ok2, e2 = xpcall(function() error(t, 0) end, function(x) return x end)
io.write(tostring(ok2), ' ', tostring(e2 == t))
`);
    expect(out).toBe('false true false true');
  });

  it('raises a string that starts with the code and message, for callers outside the bundle', () => {
    const out = lua(`
local ok, e = RAW_PCALL(function() error({ code = 'SME-E-X', message = 'boom' }, 0) end)
io.write(e, '|')
ok, e = RAW_PCALL(function() error({ code = 'SME-E-Y', message = 'SME-E-Y: said once' }, 0) end)
io.write(e)
`);
    expect(out).toBe('SME-E-X: boom \u0001SME-ERR:1\u0001|SME-E-Y: said once \u0001SME-ERR:2\u0001');
  });

  it('leaves string errors alone, with the caller’s position for level 1', () => {
    const out = lua(`
local ok, e = pcall(function() error('plain') end)
io.write(e, '|')
ok, e = pcall(function() error('bare', 0) end)
io.write(e)
`);
    expect(out).toMatch(/^stdin:\d+: plain\|bare$/);
  });
});

describe('compactLua', () => {
  it('drops comments and indentation, and writes quotes inside strings as decimal escapes', () => {
    expect(compact('-- c\nlocal a = "x\\"y\'z" --[[ k ]] .. \'q\'\n    return a\n')).toBe(
      'local a = "x\\034y\\039z"   .. "q"\nreturn a\n',
    );
  });

  it('colon-safe: no `:name` in code or strings', () => {
    const out = compact('local s = "a:b"\n::top::\nreturn obj:method(s)\n', { colonSafe: true });
    expect(out).toBe('local s = "a\\058b"\n:: top::\nreturn obj: method(s)\n');
    expect(out).not.toMatch(/:[A-Za-z_]/);
  });
});
