#!/usr/bin/env node
// The `sme` command. This launcher is committed (the command itself is bundled into dist/bundle/ by `npm run build`,
// see bundle.mjs), so that `npm ci` on a fresh clone links `node_modules/.bin/sme`: npm links a workspace's bin only
// when its target file exists. For stack traces that point into src/, run with NODE_OPTIONS=--enable-source-maps.
//
// It is CommonJS (bin/package.json), as is the bundle dist/bundle/sme.cjs: node starts a CommonJS file without its
// ESM loader, which saves a good part of the start of `sme --help`. It compiles the bundle with V8's code cache
// (dist/bundle/sme.cjs.cache, written by the first run after a build, and again whenever V8 rejects it, e.g. after a
// Node upgrade), so a start skips most of the parsing and compiling of the bundle. Without a usable cache, or where
// it cannot be written, it runs the bundle as any module (slower, same result).
'use strict';
const { readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const process = require('node:process');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'bundle', 'sme.cjs');
const cacheFile = bundle + '.cache';

function readOrNothing(file, encoding) {
  try {
    return readFileSync(file, encoding);
  } catch {
    return undefined;
  }
}

const source = readOrNothing(bundle, 'utf8');
if (source === undefined) {
  process.stderr.write('sme is not built yet (packages/cli/dist/bundle is missing): run `npm run build` first\n');
  process.exit(1);
}

// Source maps (--enable-source-maps) are applied by the module loader only.
if (process.sourceMapsEnabled) {
  require(bundle);
} else {
  // The module wrapper, plus the import() of the bundle (vm's own needs an experimental flag): bundle.mjs makes the
  // bundle's import() of a command implementation call __smeI.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __smeI) {${source}\n})`, {
    filename: bundle,
    cachedData: readOrNothing(cacheFile),
  });
  if (script.cachedDataRejected !== false) {
    // No cache yet, or one V8 cannot use (another Node version): write one when the command is done (then it holds
    // the functions this run compiled too), to a new file renamed over the old, so no start reads half a cache.
    process.once('exit', () => {
      const partial = `${cacheFile}.${process.pid}`;
      try {
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
      } catch {
        // A read-only install: every start compiles the bundle.
        rmSync(partial, { force: true });
      }
    });
  }
  const module = new Module(bundle, undefined);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(dirname(bundle));
  Module._cache[bundle] = module;
  const importFromBundle = (specifier) => import(pathToFileURL(join(dirname(bundle), specifier)).href);
  script
    .runInThisContext()
    .call(
      module.exports,
      module.exports,
      Module.createRequire(bundle),
      module,
      bundle,
      dirname(bundle),
      importFromBundle,
    );
  module.loaded = true;
}
