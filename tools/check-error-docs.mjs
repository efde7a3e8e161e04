#!/usr/bin/env node
// Every stable error code used in the shipped sources must be documented in docs/errors.md (and every documented
// code must still exist somewhere), so users can look up any code sme prints.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const CODE = /SME-E-[A-Z0-9]+(?:-[A-Z0-9]+)*(?![-A-Z0-9])/g;

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'lua-build') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mjs|lua)$/.test(name) && !/\.(test|bench)\.ts$/.test(name) && !path.includes('/testing/'))
      yield path;
  }
}

const used = new Map();
for (const file of sourceFiles(join(root, 'packages'))) {
  for (const code of readFileSync(file, 'utf8').match(CODE) ?? []) {
    // Prefix constants such as 'SME-E-AWS-' + kind end with a hyphen and are not codes themselves.
    if (!used.has(code)) used.set(code, relative(root, file));
  }
}
const documented = new Set(readFileSync(join(root, 'docs/errors.md'), 'utf8').match(CODE) ?? []);
const missing = [...used].filter(([code]) => !documented.has(code));
for (const [code, file] of missing) process.stderr.write(`undocumented error code ${code} (used in ${file})\n`);
if (missing.length > 0) {
  process.stderr.write(`${missing.length} error codes are missing from docs/errors.md\n`);
  process.exit(1);
}
process.stdout.write(`docs/errors.md documents all ${used.size} error codes used in the sources\n`);
