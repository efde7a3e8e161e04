// Bundles the `sme` command into dist/bundle/ (run by `npm run build` after tsc); bin/sme.js runs dist/bundle/sme.js.
// - sme.js: one file with what every start needs (yargs, the command objects, the few @sme/core parts they use), so
//   `sme --help` reads one file instead of ~130.
// - commands/…: each command implementation (a dynamic import of a command object), bundled apart with shared
//   chunks in chunks/, loaded when its command runs. They are a second build because in one split build esbuild
//   puts all of @sme/core into a chunk that the start would load too.
// The adapters (with the AWS SDK and the Exasol driver), @sme/udf, @sme/sandbox and @sme/demo stay packages of their
// own, imported from node_modules when a command needs them (they read files next to their own modules).
import { build } from 'esbuild';
import { realpathSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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
};

rmSync(outdir, { recursive: true, force: true });
await build({ ...common, entryPoints: { sme: entry }, plugins: [coreWithoutSideEffects, commandsApart] });
await build({
  ...common,
  entryPoints: [...commands],
  outbase: src,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [coreWithoutSideEffects],
});
