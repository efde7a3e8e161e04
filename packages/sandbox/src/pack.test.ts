/**
 * The packed package works on its own: `npm pack` of @sme/sandbox, extracted, imported from its entry point,
 * runs a Lua UDF (Lua host sources) and starts the AWS part (API-model JSON) in a fresh Node process.
 * Needs `npm run build` first (the package ships `dist`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { itTier } from '@sme/test-tiers';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// Under the package's node_modules so the extracted copy resolves its dependencies from the workspace.
mkdirSync(join(packageDir, 'node_modules'), { recursive: true });
const work = mkdtempSync(join(packageDir, 'node_modules', '.pack-test-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function sourceModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceModules(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [relative(packageDir, path)] : [];
  });
}

const CHILD = `
import { pathToFileURL } from 'node:url';
const root = process.argv[1];
const runtimes = process.argv[2].split(',');
const m = await import(pathToFileURL(root + '/dist/index.js').href);
const { connectRaw } = await import(pathToFileURL(root + '/dist/exasol/testing/raw-client.js').href);
const aws = await m.startAwsSandbox();
const out = { exports: Object.keys(m).sort() };
for (const lua of runtimes) {
  const exa = await m.startExasolSandbox({ tls: false, lua, s3Endpoint: aws.s3Endpoint });
  const c = await connectRaw(exa.url, exa.user, exa.password);
  await c.send({ command: 'execute', sqlText: 'CREATE SCHEMA p' });
  await c.send({ command: 'execute', sqlText: "CREATE LUA SCALAR SCRIPT p.hello(who VARCHAR(20)) RETURNS VARCHAR(40) AS\\nfunction run(ctx) return 'hello ' .. ctx.who end" });
  out[lua] = JSON.parse(await c.send({ command: 'execute', sqlText: "SELECT p.hello('pack') AS h FROM dual" })).responseData.results[0].resultSet.data;
  await c.close();
  await exa.stop();
}
const res = await fetch(aws.sagemakerEndpoint, { method: 'POST', headers: { 'x-amz-target': 'SageMaker.ListEndpoints', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
out.unsignedStatus = res.status;
await aws.stop();
process.stdout.write(JSON.stringify(out));
`;

/** Runs CHILD in the extracted package under the given Lua runtimes. */
function runExtracted(runtimes: readonly string[]): Record<string, unknown> {
  const text = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', CHILD, join(work, 'package'), runtimes.join(',')],
    { cwd: work, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
  );
  return JSON.parse(text) as Record<string, unknown>;
}

describe('npm pack of @sme/sandbox', () => {
  let extracted = false;

  it('contains every runtime module and the API-model JSON, and runs from the extracted copy', () => {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: packageDir, encoding: 'utf8' }),
    ) as { filename: string; files: { path: string }[] }[];
    const info = packed[0];
    if (!info) throw new Error('npm pack printed no result');
    const files = new Set(info.files.map((f) => f.path));
    const missing = sourceModules(join(packageDir, 'src'))
      .map((p) => p.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'))
      .filter((p) => !files.has(p));
    expect(missing, 'run `npm run build` first; these modules are not in the package').toEqual([]);
    expect(files).toContain('dist/aws/api-model/sagemaker-2017-07-24.subset.json');
    expect(files).toContain('dist/aws/api-model/sagemaker-runtime-2017-05-13.subset.json');
    expect(files).toContain('dist/bin/sme-sandbox.js');
    expect(files).toContain('bin/sme-sandbox.js');
    expect([...files].filter((p) => p.includes('.test.'))).toEqual([]);

    execFileSync('tar', ['-xzf', join(work, info.filename), '-C', work]);
    extracted = true;
    const out = runExtracted(['wasm']);
    expect(out.exports).toEqual(
      expect.arrayContaining([
        'startExasolSandbox',
        'startAwsSandbox',
        'SANDBOX_CREDENTIALS',
        'createLuaRuntime',
        'isNativeLuaAvailable',
        'predictRows',
        'parseCsv',
      ]),
    );
    expect(out.wasm).toEqual([['hello pack']]);
    expect(out.unsignedStatus).toBe(403);
  }, 60_000);

  itTier(
    'native-lua',
    'the extracted copy runs a Lua UDF under native lua5.4 too',
    () => {
      if (!extracted) throw new Error('the packing test above did not get as far as extracting the package');
      expect(runExtracted(['native']).native).toEqual([['hello pack']]);
    },
    60_000,
  );
});
