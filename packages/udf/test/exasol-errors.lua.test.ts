import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { deploymentStatements } from '../src/deploy/deployment.js';
import { describeTier } from '@sme/test-tiers';
import { EXASOL_PCALL_LUA } from '@sme/core/testing';

/**
 * Exasol's `pcall` hands back a string when a table was thrown (Exasol's Lua rule L1, packages/sandbox/README.md). This
 * driver makes real lua5.4 do the same, stands in for the scripting API (pquery, import, exit, exa.meta, NULL), and
 * runs the deployed texts as Exasol would: the program body, which imports the library body.
 */
const DRIVER = `${EXASOL_PCALL_LUA}

local function read(path) local f = assert(io.open(path, 'rb')); local t = f:read('a'); f:close(); return t end
local library, program, answer = read(arg[1]), read(arg[2]), arg[3]
NULL = setmetatable({}, { __tostring = function() return 'NULL' end })
null = NULL
exa = { meta = { script_schema = 'SME', session_id = '1', current_user = 'SYS' } }
output = function() end
pquery = function(sql)
  if answer == 'fail' then
    return false, { error_code = '42000', error_message = 'object SME.SME_METADATA_AUTOPILOT_JOBS not found' }
  end
  return true, { { 1 } }
end
query = function(sql) local ok, r = pquery(sql); if not ok then error(r.error_message, 0) end; return r end
import = function(name, alias)
  assert(name == 'SME.SME_LIBRARY', 'import of ' .. name)
  local env = setmetatable({}, { __index = _G })
  assert(load(library, '=SME_LIBRARY', 't', env))()
  _G[alias] = env
end
exit = function(rows) io.write('exit with ', #rows, ' rows') end
json_params = '{}'
job_name, aws_credentials_connection_name, aws_region = 'job-1', 'AWS', 'eu-west-1'
local ok, err = raw_pcall(assert(load(program, '=program')))
if not ok then io.write('error: ', tostring(err)) end
`;

const statements = deploymentStatements({ schema: 'SME' });
const bodyOf = (name: string): string => {
  const sql = statements.find((s) => s.sql.includes(`."${name}"(`))?.sql ?? '';
  return sql.slice(sql.indexOf(' AS\n') + 4);
};

function run(program: string, answer: 'ok' | 'fail'): string {
  const dir = mkdtempSync(join(tmpdir(), 'sme-exasol-errors-'));
  writeFileSync(join(dir, 'driver.lua'), DRIVER);
  writeFileSync(join(dir, 'library.lua'), bodyOf('SME_LIBRARY'));
  writeFileSync(join(dir, 'program.lua'), bodyOf(program));
  const r = spawnSync('lua5.4', [join(dir, 'driver.lua'), join(dir, 'library.lua'), join(dir, 'program.lua'), answer], {
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  return r.stdout;
}

describeTier('native-lua', 'coded errors reach the SQL caller when pcall stringifies tables (Exasol L1)', () => {
  it('a parameter error raised inside the training use case keeps its code and message', () => {
    const out = run('SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT', 'ok');
    expect(out).toMatch(/^error: SME-E-PARAMS: /);
    expect(out).toContain('SME-E-PARAM-MISSING');
    expect(out).not.toContain('UDF-INTERNAL');
    expect(out).not.toContain('\u0001');
  });

  it('a failing statement deep in the polling use case reaches the caller as SME-E-SQL with Exasol’s message', () => {
    const out = run('SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS', 'fail');
    expect(out).toMatch(/^error: SME-E-SQL: \[42000\] object SME\.SME_METADATA_AUTOPILOT_JOBS not found/);
    expect(out).not.toContain('UDF-INTERNAL');
  });
});
