#!/usr/bin/env node
// The `sme-sandbox` command. This launcher is committed (the command itself is compiled to dist/), so that
// `npm ci` on a fresh clone links `node_modules/.bin/sme-sandbox`: npm links a workspace's bin only when its
// target file exists.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const target = new URL('../dist/bin/sme-sandbox.js', import.meta.url);
if (!existsSync(target)) {
  process.stderr.write('sme-sandbox is not built yet (packages/sandbox/dist is missing): run `npm run build` first\n');
  process.exit(1);
}
await import(target.href);
