import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isSmeError } from '@sme/core';
import { ExitCode } from '../exit-codes.js';
import { handleErrors } from '../handle-errors.js';
import { createOutput } from '../output.js';
import { DEMO_PACKAGE, loadDemo } from './load-demo.js';

const dir = mkdtempSync(join(tmpdir(), 'sme-load-demo-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function moduleFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return pathToFileURL(file).href;
}

describe('sme demo loads @sme/demo only when it is installed', () => {
  it('names the package it loads', () => {
    expect(DEMO_PACKAGE).toBe('@sme/demo');
  });

  it('a package that is not installed: a coded error with the install command, exit 2', async () => {
    const missing = '@sme/demo-that-is-not-installed';
    const error: unknown = await loadDemo(missing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSmeError(error) && error.code).toBe('SME-E-CLI-DEMO-NOT-INSTALLED');
    let stderr = '';
    const output = createOutput(false, { stdout: { write: () => true }, stderr: { write: (t) => (stderr += t) } });
    const code = await handleErrors(output, false, () => loadDemo(missing).then(() => ExitCode.Ok));
    expect(code).toBe(ExitCode.InvalidInput);
    expect(stderr).toContain(`error SME-E-CLI-DEMO-NOT-INSTALLED: sme demo needs the package ${missing}`);
    expect(stderr).toContain(`what to do: Install it where sme is installed: npm install ${missing} `);
  });

  it('a failure inside an installed package is not taken for a missing package', async () => {
    const broken = moduleFile('broken.mjs', "import 'sme-no-such-dependency';\nexport const run = () => 0;\n");
    const error = (await loadDemo(broken).then(
      () => undefined,
      (e: unknown) => e,
    )) as { code?: string; message?: string };
    expect(isSmeError(error)).toBe(false);
    expect(error.code).toBe('ERR_MODULE_NOT_FOUND');
    expect(error.message).toContain("'sme-no-such-dependency'");
  });

  it('an installed package is loaded and its run is the command', async () => {
    const ok = moduleFile('demo.mjs', 'export async function run(args) { return args.rows === 600 ? 0 : 1; }\n');
    const demo = await loadDemo(ok);
    expect(await demo.run({ json: false, verbose: false, keep: false, rows: 600 }, createOutput(true))).toBe(0);
  });
});
