/* global process */
/**
 * Builds the Lua 5.4 bundles (one per deployed script) with TypeScriptToLua into lua-build/, then copies
 * them to dist/lua-bundles/ so the published package carries them. Fails on any tstl diagnostic.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tstl from 'typescript-to-lua';
import ts from 'typescript';
import { exasolBundle } from '../../core/tools/exasol-lua.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--out <dir>` builds elsewhere without touching dist/ (used by the determinism test).
const outIndex = process.argv.indexOf('--out');
const outDir = outIndex > 0 ? process.argv[outIndex + 1] : join(root, 'lua-build');
const publish = outIndex < 0;

/**
 * Deployed bundles: file name → entry module. `colonSafe`: the text goes through the scripting API's `query()`
 * (the deploy-endpoint program creates prediction UDFs with it), so it must hold no `:name`.
 */
export const BUNDLES = [
  { file: 'aws-call-udf.lua', entry: 'src/lua/host/entries/aws-call-udf.ts' },
  { file: 'scripting-programs.lua', entry: 'src/lua/host/entries/scripting-programs.ts' },
  { file: 'prediction-udf.lua', entry: 'src/lua/host/entries/prediction-udf.ts', colonSafe: true },
];

let failed = false;
for (const bundle of BUNDLES) {
  const out = join(outDir, bundle.file);
  const result = tstl.transpileProject(join(root, 'tsconfig.lua.json'), {
    luaBundle: out,
    luaBundleEntry: join(root, bundle.entry),
  });
  if (result.diagnostics.length > 0) {
    failed = true;
    process.stderr.write(
      ts.formatDiagnostics(result.diagnostics, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => root,
        getNewLine: () => '\n',
      }),
    );
    continue;
  }
  // Paths in the bundle would make the output depend on the checkout location; tstl writes them relative, check it.
  // Then made fit for Exasol's Lua (core's tools/exasol-lua.mjs): error transport, no coroutine/debug, tree-shaken.
  const text = exasolBundle(readFileSync(out, 'utf8'), { colonSafe: bundle.colonSafe === true });
  writeFileSync(out, text);
  if (text.includes(root)) throw new Error(`${bundle.file} contains the absolute path ${root}`);
  if (publish) {
    mkdirSync(join(root, 'dist', 'lua-bundles'), { recursive: true });
    copyFileSync(out, join(root, 'dist', 'lua-bundles', bundle.file));
  }
}
writeFileSync(join(outDir, 'bundles.json'), JSON.stringify(BUNDLES, null, 2) + '\n');
if (failed) process.exit(1);
