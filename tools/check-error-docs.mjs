#!/usr/bin/env node
// docs/errors.md is generated from the error catalogs of the packages (read from their built dist/, so run
// `npm run build` first): `--write` renders it, without it this script checks that the committed file is exactly
// the rendering (so docs and catalogs agree both ways), that each code has one entry (one meaning, one remedy) even
// when two packages raise it, and that every `SME-E-…` code the shipped sources name is in a catalog.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { pathToFileURL, URL } from 'node:url';
import * as prettier from 'prettier';

const root = new URL('..', import.meta.url).pathname;
const DOC = join(root, 'docs/errors.md');
const write = process.argv.includes('--write');

/** The catalogs, in the order their codes are listed within an area: [package, built module, export]. */
const CATALOGS = [
  ['@sme/core', 'packages/core/dist/error-codes.js', 'CORE_ERROR_CODES'],
  ['@sme/exasol-adapter', 'packages/exasol-adapter/dist/exasol-error-codes.js', 'EXASOL_ERROR_CODES'],
  ['@sme/sagemaker-adapter', 'packages/sagemaker-adapter/dist/sagemaker-error-codes.js', 'SAGEMAKER_ERROR_CODES'],
  ['@sme/udf', 'packages/udf/dist/lua/aws/aws-errors.js', 'AWS_CALL_ERRORS'],
  ['@sme/udf', 'packages/udf/dist/lua/scripting/udf-errors.js', 'UDF_ERRORS'],
  ['@sme/cli', 'packages/cli/dist/cli-error-codes.js', 'CLI_ERROR_CODES'],
  ['@sme/sandbox', 'packages/sandbox/dist/sandbox-error-codes.js', 'SANDBOX_ERROR_CODES'],
];

/** Areas of the user-facing codes, in order; a code goes to the first area whose pattern matches. */
const AREAS = [
  ['Training parameters', /^SME-E-(PARAMS?|JOB-NAME)(-|$)/],
  [
    'Training data, connection and bucket',
    /^SME-E-(CONNECTION-ADDRESS|CONNECTION-NOT-FOUND|BUCKET-MISMATCH|ROLE-ARN-REQUIRED|TABLE-NOT-FOUND|TARGET-|NO-FEATURES|TOO-|PROBLEM-TYPE-MISMATCH|SUSPECT-FEATURES|INPUT-TOO-LARGE|SAMPLE-TOO-SMALL|S3-URI$)/,
  ],
  ['Jobs: start, stop, drop, insight', /^SME-E-(START|JOB|DROP|INSIGHT)-/],
  ['Endpoints and real-time predictions', /^SME-E-(ENDPOINT|PROMOTE|COLUMN-TYPE|DEPLOY|PREDICT)(-|$)/],
  ['Batch predictions', /^SME-E-BATCH-/],
  ['Exasol: connection and SQL', /^SME-E-(EXA-|SQL)/],
  ['AWS: answers, settings, TLS', /^SME-E-(AWS|S3)-/],
  ['In-database scripts', /^SME-E-(UDF|CONNECTION-ACCESS)/],
  ['Command line', /^SME-E-CLI-/],
  ['Sandbox', /^SME-E-SANDBOX-/],
  ['Other', /./],
];

const INTRO = `# sme error codes

Every error sme reports carries a stable code \`SME-E-…\`, says what was wrong and what to do, and never shows a
secret. From SQL the code starts the text of the Exasol error; the CLI prints \`error <code>: <message>\` (or
\`{"error": {…}}\` with \`--output json\`) and exits with the status of the error's kind (see
[cli.md](cli.md#exit-codes)). In code, an \`SmeError\` has \`code\`, \`kind\`, \`details.key\`, \`details.value\` and
\`details.remedy\`. Codes are never reused for another meaning.

Each entry gives the code, its kind and what happened, then the one remedy. Codes that mean a bug in sme are listed
apart at the end. This file is generated from the error catalogs of the packages (\`CORE_ERROR_CODES\`,
\`AWS_ERROR_CODES\` in \`packages/core/src/\`, and the catalogs of the adapters, the UDFs, the CLI and the sandbox) by
\`npm run error-docs:write\`; \`npm run error-docs\` checks it. Do not edit it by hand.
`;

async function loadCatalogs() {
  const entries = new Map();
  const problems = [];
  for (const [pkg, file, name] of CATALOGS) {
    const catalog = (await import(pathToFileURL(join(root, file)).href))[name];
    if (catalog === undefined) throw new Error(`${file} exports no ${name}: run npm run build`);
    for (const [code, info] of Object.entries(catalog)) {
      const entry = { code, pkg, ...info };
      const seen = entries.get(code);
      if (seen === undefined) entries.set(code, entry);
      else if (seen.meaning !== info.meaning || seen.remedy !== info.remedy || seen.kind !== info.kind) {
        problems.push(
          `${code} is in the catalogs of ${seen.pkg} and ${pkg} with different texts: one code has one kind, ` +
            `meaning and remedy; keep it in core's catalog and refer to that entry`,
        );
      }
    }
  }
  return { entries, problems };
}

/** Escapes Markdown outside code spans, so that `<job>`, `AWS_ENDPOINT_URL*` or `sample_*` print as written. */
function inline(text) {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replaceAll('\\', '\\\\')
            .replaceAll('*', '\\*')
            .replaceAll('<', '\\<')
            .replaceAll('[', '\\[')
            .replace(/(^|[^A-Za-z0-9])_|_(?=[^A-Za-z0-9]|$)/g, (m) => m.replace('_', '\\_')),
    )
    .join('');
}

/** The words of a text, a code span (which may hold spaces) counting as one word. */
function words(text) {
  return text.match(/(?:`[^`]*`|[^\s`])+/g) ?? [];
}

/** Wraps words to lines of at most `width` characters, never starting a line with what Markdown reads as a block. */
function wrap(text, width, indent) {
  const lines = [];
  let line = '';
  for (const word of words(text)) {
    const startsBlock = /^([-+*]|#{1,6}|>.*|\d+[.)]|=+|-+)$/.test(word);
    if (line !== '' && line.length + 1 + word.length > width - indent.length && !startsBlock) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}

function renderEntry(e) {
  const kind = e.kind === undefined ? '' : ` (${e.kind}${e.exit === undefined ? '' : `, exit ${e.exit}`})`;
  const head = wrap(`- **\`${e.code}\`**${kind}: ${inline(e.meaning)}`, 116, '  ');
  return `${head}\\\n  ${wrap(`Remedy: ${inline(e.remedy)}`, 116, '  ')}`;
}

function render(entries) {
  const all = [...entries.values()];
  const user = all.filter((e) => e.internal !== true);
  const internal = all.filter((e) => e.internal === true);
  const parts = [INTRO];
  for (const [title, pattern] of AREAS) {
    const here = user.filter((e) => AREAS.find(([, p]) => p.test(e.code))?.[1] === pattern);
    if (here.length === 0) continue;
    parts.push(`## ${title}\n\n${here.map(renderEntry).join('\n')}\n`);
  }
  parts.push(
    '## Internal codes\n\nThese mean a bug in sme, or a program calling its packages wrongly, not something to set up ' +
      'differently.\nPlease report them with the message (it holds no secret) and, from the CLI, the output of ' +
      '`--verbose`.\n\n' +
      `${internal.map(renderEntry).join('\n')}\n`,
  );
  return parts.join('\n');
}

async function formatted(text) {
  const options = (await prettier.resolveConfig(DOC)) ?? {};
  return prettier.format(text, { ...options, filepath: DOC });
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'lua-build') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mjs|lua)$/.test(name) && !/\.(test|bench)\.ts$/.test(name) && !path.includes('/testing/'))
      yield path;
  }
}

/** Codes named in the shipped sources (a prefix such as `'SME-E-AWS-' + kind` ends with a hyphen: no code). */
function usedCodes() {
  const used = new Map();
  for (const file of sourceFiles(join(root, 'packages'))) {
    for (const code of readFileSync(file, 'utf8').match(/SME-E-[A-Z0-9]+(?:-[A-Z0-9]+)*(?![-A-Z0-9])/g) ?? []) {
      if (!used.has(code)) used.set(code, relative(root, file));
    }
  }
  return used;
}

const { entries, problems } = await loadCatalogs();
for (const [code, file] of usedCodes()) {
  if (!entries.has(code)) problems.push(`${code} (named in ${file}) is in no error catalog: add it with one remedy`);
}
const text = await formatted(render(entries));
if (write) {
  writeFileSync(DOC, text);
  process.stdout.write(`wrote docs/errors.md: ${entries.size} codes\n`);
} else {
  const committed = readFileSync(DOC, 'utf8');
  if (committed !== text) {
    const a = committed.split('\n');
    const b = text.split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    problems.push(
      `docs/errors.md differs from the catalogs (first at line ${at + 1}: ${JSON.stringify(a[at] ?? '')} should be ` +
        `${JSON.stringify(b[at] ?? '')}); run npm run build && npm run error-docs:write`,
    );
  }
}
for (const problem of problems) process.stderr.write(`${problem}\n`);
if (problems.length > 0) process.exit(1);
if (!write) process.stdout.write(`docs/errors.md is the rendering of the ${entries.size} catalogued error codes\n`);
