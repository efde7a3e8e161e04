#!/usr/bin/env node
// docs/errors.md and the sources agree both ways: every stable error code used in the shipped sources is
// documented (so users can look up any code sme prints), and every documented code is still used somewhere (no
// stale entries). It also lists each code documented in more than one package section with different remedies:
// one code should have one remedy. `--strict` makes those a failure too (for after the remedies are reconciled).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const CODE = /SME-E-[A-Z0-9]+(?:-[A-Z0-9]+)*(?![-A-Z0-9])/g;
const strict = process.argv.includes('--strict');

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

/** The documented entries: `### CODE` blocks with a `- Remedy:` line, and table rows with a `remedy` column. */
function documentedEntries(text) {
  const entries = [];
  let section = '';
  let header;
  let block;
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) {
      section = line.slice(3).trim();
      header = undefined;
    }
    const heading = /^### (SME-E-[A-Z0-9-]+)\s*$/.exec(line);
    if (heading) {
      block = { code: heading[1], section, remedy: undefined };
      entries.push(block);
      continue;
    }
    const remedy = /^- Remedy: (.*)$/.exec(line);
    if (remedy && block) block.remedy = remedy[1].trim();
    if (!line.startsWith('|')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells[0] === 'code') header = cells;
    const code = cells[0]?.replaceAll('`', '');
    if (header !== undefined && code?.startsWith('SME-E-')) {
      const at = header.indexOf('remedy');
      entries.push({ code, section, remedy: at < 0 ? undefined : cells[at] });
    }
  }
  return entries;
}

const text = readFileSync(join(root, 'docs/errors.md'), 'utf8');
const documented = new Set(text.match(CODE) ?? []);
const entries = documentedEntries(text);
let failed = false;

const missing = [...used].filter(([code]) => !documented.has(code));
for (const [code, file] of missing) process.stderr.write(`undocumented error code ${code} (used in ${file})\n`);
if (missing.length > 0) {
  process.stderr.write(`${missing.length} error codes are missing from docs/errors.md\n`);
  failed = true;
}

const stale = [...new Set(entries.map((e) => e.code))].filter((code) => !used.has(code));
for (const code of stale) process.stderr.write(`documented error code ${code} is used nowhere in the sources\n`);
if (stale.length > 0) {
  process.stderr.write(`${stale.length} documented error codes no longer exist: remove their entries\n`);
  failed = true;
}

const byCode = new Map();
for (const e of entries) byCode.set(e.code, [...(byCode.get(e.code) ?? []), e]);
const twoRemedies = [...byCode].filter(([, es]) => new Set(es.map((e) => e.remedy)).size > 1);
for (const [code, es] of twoRemedies) {
  process.stderr.write(`${strict ? '' : 'warning: '}${code} has ${es.length} different remedies:\n`);
  for (const e of es) process.stderr.write(`  ${e.section}: ${e.remedy ?? '(none)'}\n`);
}
if (twoRemedies.length > 0 && strict) failed = true;

if (failed) process.exit(1);
process.stdout.write(
  `docs/errors.md documents all ${used.size} error codes used in the sources, and only those` +
    (twoRemedies.length > 0 ? ` (${twoRemedies.length} codes with more than one remedy, listed above)\n` : '\n'),
);
