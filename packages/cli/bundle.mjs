// Bundles the `sme` command into dist/bundle/ (run by `npm run build` after tsc); bin/sme.js runs dist/bundle/sme.cjs.
// - sme.cjs: one file with what every start needs (yargs, the command objects, the few @sme/core parts they use), so
//   `sme --help` reads one file instead of ~130. CommonJS, so that node starts it without its ESM loader; its
//   import() of a command implementation loads that ESM module as usual. Minified (without renaming: names show in
//   stack traces) and with V8's code cache (sme.cjs.cache, written by the run of `sme --help` at the end of this
//   build): the less a start parses and compiles, the sooner `sme --help` answers.
// - commands/…: each command implementation (a dynamic import of a command object), bundled apart with shared
//   chunks in chunks/, loaded when its command runs. They are a second build because in one split build esbuild
//   puts all of @sme/core into a chunk that the start would load too.
// The adapters (with the AWS SDK and the Exasol driver), @sme/udf, @sme/sandbox and @sme/demo stay packages of their
// own, imported from node_modules when a command needs them (they read files next to their own modules).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const outdir = join(here, 'dist', 'bundle');
const coreDir = dirname(realpathSync(fileURLToPath(import.meta.resolve('@sme/core/package.json'))));
const entry = join(src, 'bin', 'sme.ts');

/**
 * @sme/core has no module-level side effects (portable code: constants and functions), but its package.json does not
 * say so; marking its modules side-effect free lets a bundle leave out the core modules it does not use.
 */
const coreWithoutSideEffects = {
  name: 'core-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolved' || !(args.path.startsWith('@sme/core') || args.importer.startsWith(coreDir))) {
        return undefined;
      }
      const result = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolved',
      });
      return result.errors.length > 0 || !result.path.startsWith(coreDir) ? result : { ...result, sideEffects: false };
    });
  },
};

/**
 * yargs checks two of its own invariants with node:assert (notStrictEqual, strictEqual in its platform shim); loading
 * node:assert is a good part of what a start adds to node's own. The same two checks, without it.
 */
const yargsAssert = {
  name: 'yargs-assert',
  setup(b) {
    b.onResolve({ filter: /^(node:)?assert$/ }, (args) =>
      args.importer.includes('/node_modules/yargs/') ? { path: 'yargs-assert', namespace: 'yargs-assert' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'yargs-assert' }, () => ({
      contents: `
        const fail = (actual, expected, message, operator) => {
          throw new Error(message ?? \`yargs: expected \${String(actual)} \${operator} \${String(expected)}\`);
        };
        export function strictEqual(actual, expected, message) {
          if (actual !== expected) fail(actual, expected, message, '===');
        }
        export function notStrictEqual(actual, expected, message) {
          if (actual === expected) fail(actual, expected, message, '!==');
        }`,
      loader: 'js',
    }));
  },
};

/** Leaves the command implementations (dynamic imports of the CLI's own modules) to the second build. */
const commands = new Set();
const commandsApart = {
  name: 'commands-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.importer === entry || args.pluginData === 'resolved') return undefined;
      const result = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolved',
      });
      if (result.errors.length > 0) return result;
      commands.add(result.path);
      return { path: './' + relative(src, result.path).replace(/\.ts$/, '.js'), external: true };
    });
  },
};

const common = {
  absWorkingDir: here,
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Stack traces can map back to src/ (node --enable-source-maps).
  sourcemap: true,
  external: [
    '@sme/exasol-adapter',
    '@sme/sagemaker-adapter',
    '@sme/udf',
    '@sme/sandbox',
    '@sme/demo',
    '@aws-sdk/*',
    '@smithy/*',
    '@exasol/*',
  ],
  // CommonJS dependencies (picocolors, cli-progress) call require(): give the ESM output one.
  banner: {
    js: "import { createRequire as __smeCreateRequire } from 'node:module'; const require = __smeCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
};

rmSync(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { sme: entry },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // The bundled modules are ESM: import.meta.url is this file's URL.
  define: { 'import.meta.url': '__smeModuleUrl' },
  banner: {
    js:
      "const __smeModuleUrl = require('node:url').pathToFileURL(__filename).href; " +
      'var __smeI = __smeI ?? ((specifier) => import(specifier));',
  },
  plugins: [coreWithoutSideEffects, commandsApart, yargsAssert],
});
// bin/sme.js runs the bundle with V8's code cache (vm.Script), where import() is not available: the bundle's import()
// of a command implementation calls __smeI, which the launcher passes in (it imports relative to the bundle); run as
// a plain module, the banner's own import() stands in. Same length as `import`, so the source map stays right.
const bundled = join(outdir, 'sme.cjs');
const dynamicImport = /\bimport\((?="\.\/)/g;
const text = readFileSync(bundled, 'utf8');
const found = text.match(dynamicImport)?.length ?? 0;
if (found !== commands.size) {
  throw new Error(`bundle.mjs: ${found} import() of command implementations in sme.cjs, expected ${commands.size}`);
}
writeFileSync(bundled, text.replace(dynamicImport, '__smeI('));
await build({
  ...common,
  entryPoints: [...commands],
  outbase: src,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [coreWithoutSideEffects],
});
// Writes dist/bundle/sme.cjs.cache (bin/sme.js writes it when it finds none).
execFileSync(process.execPath, [join(here, 'bin', 'sme.js'), '--help'], { stdio: 'ignore' });
