import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeTier } from '@sme/test-tiers';
import { predictionUdfSql } from '@sme/core';
import { deploymentStatements } from '../src/deploy/deployment.js';
import { predictionUdfBundle } from '../src/deploy/aws-call-udf-script.js';

/**
 * A judge that is not ours: luacheck, with std definitions (.luacheckrc) that list exactly the globals and fields
 * Exasol's Lua offers, over every Lua text as it is deployed — each CREATE SCRIPT body of `deploymentStatements`
 * and the prediction UDF the deploy-endpoint program creates.
 */
const config = fileURLToPath(new URL('../.luacheckrc', import.meta.url));

type Std = 'exasol_script' | 'exasol_udf';

/** luacheck's global-variable warnings (1xx) and syntax errors for one text; empty when clean. */
function luacheck(text: string, std: Std, extra: { globals?: string[]; readGlobals?: string[] } = {}): string {
  const args = ['--config', config, '--std', std, '--only', '1', '--codes', '--formatter', 'plain'];
  if (extra.globals !== undefined) args.push('--globals', ...extra.globals);
  if (extra.readGlobals !== undefined) args.push('--read-globals', ...extra.readGlobals);
  const r = spawnSync('luacheck', ['-', ...args], { input: text, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return (r.stdout + r.stderr).trim();
}

/** The Lua body of a CREATE SCRIPT statement and the std it runs under. */
function body(sql: string): { lua: string; std: Std } {
  const head = sql.slice(0, sql.indexOf('\n'));
  const std: Std = / LUA (SCALAR|SET) SCRIPT /.test(head) ? 'exasol_udf' : 'exasol_script';
  return { lua: sql.slice(sql.indexOf(' AS\n') + 4), std };
}

const statements = deploymentStatements({ schema: 'SME', awsEndpointUrl: 'http://127.0.0.1:4566' });
const scripts = statements.filter((s) => s.sql.startsWith('CREATE OR REPLACE LUA '));
const predictionUdf = predictionUdfSql(
  {
    schema: 'ML',
    endpointName: 'churn-ep',
    features: [
      { name: 'AGE', type: 'DECIMAL(3,0)' },
      { name: 'PLAN', type: 'VARCHAR(20) UTF8' },
    ],
    target: { name: 'CHURNED', type: 'BOOLEAN' },
    problemType: 'BinaryClassification',
    connectionName: 'AWS',
    region: 'eu-central-1',
    awsEndpointUrl: 'http://127.0.0.1:4566',
  },
  predictionUdfBundle(),
);

describeTier('luacheck', 'luacheck with Exasol’s globals', () => {
  it.each(scripts.map((s) => [s.description, s.sql] as const))('%s', (_description, sql) => {
    const { lua, std } = body(sql);
    // The library defines the globals the programs read through `import(…, 'SME_LIBRARY')`.
    const library = sql.includes('."SME_LIBRARY"() AS');
    // A scripting program's parameters are globals of its body.
    const head = sql.slice(0, sql.indexOf('\n'));
    const parameters = head
      .slice(head.lastIndexOf('(') + 1, head.lastIndexOf(')'))
      .split(', ')
      .filter((p) => p !== '');
    const extra = library
      ? { globals: ['SME', 'SME_PREDICTION_BUNDLE'] }
      : { readGlobals: ['SME_LIBRARY', ...parameters] };
    expect(luacheck(lua, std, std === 'exasol_udf' ? {} : extra)).toBe('');
  });

  it('the prediction UDF the deploy-endpoint program creates', () => {
    expect(body(predictionUdf).std).toBe('exasol_udf');
    // It goes through the scripting API's query(): no `:name` that would be taken for a parameter.
    expect(predictionUdf).not.toMatch(/:[A-Za-z_]/);
    expect(luacheck(body(predictionUdf).lua, 'exasol_udf')).toBe('');
  });

  it.each([
    ['load', 'local f = load("return 1")', "undefined variable 'load'"],
    ['coroutine.wrap', 'local f = coroutine.wrap(function() end)', "undefined variable 'coroutine'"],
    ['io.open', 'local f = io.open("x")', "undefined variable 'io'"],
    ['os.date', 'local d = os.date()', "undefined field 'date' of global 'os'"],
    ['math.random', 'local r = math.random()', "undefined field 'random' of global 'math'"],
    ['debug.traceback', 'local t = debug.traceback()', "undefined variable 'debug'"],
    ['a stray global', 'x = 1', "setting non-standard global variable 'x'"],
    ['exa.get_connection in a scripting program', 'local c = exa.get_connection("A")', "field 'get_connection'"],
  ])('bites: %s fails the check', (_what, lua, message) => {
    const std: Std = lua.includes('get_connection') ? 'exasol_script' : 'exasol_udf';
    expect(luacheck(lua, std)).toContain(message);
    if (std === 'exasol_udf') expect(luacheck(lua, 'exasol_script')).toContain(message);
  });
});
