#!/usr/bin/env node
// The `sme` command. This launcher is committed (the command itself is bundled into dist/bundle/ by `npm run build`,
// see bundle.mjs), so that `npm ci` on a fresh clone links `node_modules/.bin/sme`: npm links a workspace's bin only
// when its target file exists. For stack traces that point into src/, run with NODE_OPTIONS=--enable-source-maps.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const target = new URL('../dist/bundle/sme.js', import.meta.url);
if (!existsSync(target)) {
  process.stderr.write('sme is not built yet (packages/cli/dist/bundle is missing): run `npm run build` first\n');
  process.exit(1);
}
await import(target.href);
