#!/usr/bin/env node
// Comments and docs may point only at files of this repository: a reader of a clone (or of a published package)
// must be able to open what a comment cites. Every file-like path in a comment of a source file (TypeScript,
// JavaScript, Lua, .luacheckrc) and in the text of a Markdown file must name a file of the repository; an outside
// source is cited by its URL (or the fact is written out). `npm run comment-paths`; `--json` prints the findings.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ts = createRequire(import.meta.url)('typescript');

/**
 * Known findings in files that other work changes at the moment, each with the fix it needs; the check reports
 * them as pending instead of failing. Remove an entry once its file is fixed (an entry that no longer matches
 * fails the check, so the list cannot go stale).
 */
/** @type {{ file: string, path: string, fix: string }[]} */
const PENDING = [];

const SCRIPT = /\.(ts|mts|cts|js|mjs|cjs)$/;
const LUA = /(\.lua|\.luacheckrc)$/;
const MARKDOWN = /\.md$/;

/**
 * A file-like token: a path or file name ending in an extension of the kinds this repository holds, or a path that
 * climbs out (`../x`) or starts at the file system's root.
 */
const PATH =
  /(?<![\w@/.:%~*-])(?:(?:\.{1,2}\/)+[\w@.-][\w@./-]*|\/(?:[\w@.-]+\/)+[\w@.-]*|(?:[\w@.-]+\/)*[\w@][\w@.-]*\.(?:md|ts|mts|mjs|cjs|js|json|lua|luacheckrc|sh|yml|yaml))(?![\w/-])/g;

/** The comments of a TypeScript/JavaScript text, with the line each starts on. */
function scriptComments(text) {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const comments = [];
  let previous;
  // Brace depth, and the depths at which an open template literal's `${` expressions started.
  let depth = 0;
  const templates = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      comments.push({ offset: scanner.getTokenStart(), text: scanner.getTokenText() });
    } else if (kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) {
      // A `/` where an expression may start opens a regular expression literal.
      const opensRegex =
        previous === undefined ||
        ![
          ts.SyntaxKind.Identifier,
          ts.SyntaxKind.NumericLiteral,
          ts.SyntaxKind.StringLiteral,
          ts.SyntaxKind.CloseParenToken,
          ts.SyntaxKind.CloseBracketToken,
          ts.SyntaxKind.CloseBraceToken,
          ts.SyntaxKind.ThisKeyword,
        ].includes(previous);
      if (opensRegex) kind = scanner.reScanSlashToken();
    } else if (kind === ts.SyntaxKind.OpenBraceToken) {
      depth++;
    } else if (kind === ts.SyntaxKind.CloseBraceToken) {
      if (templates.at(-1) === depth) {
        kind = scanner.reScanTemplateToken(false);
        if (kind === ts.SyntaxKind.TemplateTail) templates.pop();
      } else {
        depth--;
      }
    }
    if (kind === ts.SyntaxKind.TemplateHead) templates.push(depth);
    if (kind !== ts.SyntaxKind.WhitespaceTrivia && kind !== ts.SyntaxKind.NewLineTrivia) previous = kind;
  }
  return comments;
}

/** The `--` comments of a Lua text (a `--` inside a string literal is rare enough to accept). */
function luaComments(text) {
  const comments = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const at = line.indexOf('--');
    if (at >= 0) comments.push({ offset: offset + at, text: line.slice(at) });
    offset += line.length + 1;
  }
  return comments;
}

/** Markdown: everything but fenced code blocks (commands, not citations). */
function markdownText(text) {
  const parts = [];
  let offset = 0;
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) parts.push({ offset, text: line });
    offset += line.length + 1;
  }
  return parts;
}

function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Checks `files` (paths relative to `root`) and returns one finding per path that names no file of the
 * repository. `tracked` lists the repository's files (relative, `/`-separated).
 */
export function findOutsidePaths(root, files, tracked, read = (file) => readFileSync(join(root, file), 'utf8')) {
  const trackedSet = new Set(tracked);
  const trackedDirs = new Set();
  for (const file of tracked) for (let d = dirname(file); d !== '.'; d = dirname(d)) trackedDirs.add(d);
  const inRepo = (path) => path !== '' && !path.startsWith('..') && !isAbsolute(path);
  const known = (path) => {
    const p = path.split(sep).join('/').replace(/\/$/, '');
    return trackedSet.has(p) || trackedDirs.has(p);
  };
  const suffixes = (name) => tracked.some((file) => file === name || file.endsWith(`/${name}`));
  const packageRoot = (file) => {
    for (let d = dirname(file); d !== '.'; d = dirname(d)) if (trackedSet.has(`${d}/package.json`)) return d;
    return '.';
  };

  const findings = [];
  for (const file of files) {
    const text = read(file);
    const parts = SCRIPT.test(file)
      ? scriptComments(text)
      : LUA.test(file)
        ? luaComments(text)
        : MARKDOWN.test(file)
          ? markdownText(text)
          : [];
    for (const part of parts) {
      for (const match of part.text.matchAll(PATH)) {
        const token = match[0].replace(/[.,:;]+$/, '');
        const before = part.text.slice(0, match.index);
        // Part of a URL (`https://host/path/file.md`) or of an npm package name (`@scope/name`): not a file here.
        if (/\S*:\/\/\S*$/.test(before) || /^@[\w-]+\/[\w.-]+$/.test(token)) continue;
        if (isOutside(token, file))
          findings.push({ file, line: lineOf(text, part.offset + (match.index ?? 0)), path: token });
      }
    }
  }
  return findings;

  /** Whether `token`, cited in `file`, names something that is not in the repository. */
  function isOutside(token, file) {
    // Someone's machine: a workspace or home directory (the file system's other paths are facts, not citations).
    if (token.startsWith('/')) return /^\/(work|home|Users|root)\//.test(token);
    const bare = token.replace(/\/$/, '');
    // Build outputs and installed packages are not tracked but are the repository's own.
    if (/(^|\/)(dist|lua-build|node_modules|coverage)(\/|$)/.test(bare)) return false;
    const markdown = /\.md$/.test(bare);
    if (token.startsWith('./') || token.startsWith('../')) {
      const resolved = normalize(join(dirname(file), bare));
      if (!inRepo(resolved)) return true;
      // `./x.js` in a comment is usually a module specifier of an example; a cited document must exist.
      return markdown && !known(resolved);
    }
    // A bare name: a document, or a path with folders, must be a file or folder of the repository.
    if (!markdown && !bare.includes('/')) return false;
    return !(
      known(normalize(join(dirname(file), bare))) ||
      known(normalize(join(packageRoot(file), bare))) ||
      known(bare) ||
      suffixes(bare) ||
      (token.endsWith('/') && [...trackedDirs].some((d) => d === bare || d.endsWith(`/${bare}`)))
    );
  }
}

/** The files checked: the repository's sources and Markdown docs (not vendored data, not lockfiles). */
export function checkedFiles(tracked) {
  return tracked.filter(
    (file) =>
      (SCRIPT.test(file) || LUA.test(file) || MARKDOWN.test(file)) &&
      !/(^|\/)(node_modules|dist|lua-build)\//.test(file) &&
      !file.endsWith('.d.ts'),
  );
}

function trackedFiles(root) {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(root, file)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const tracked = trackedFiles(root);
  const all = findOutsidePaths(root, checkedFiles(tracked), tracked);
  const isPending = (f) => PENDING.some((p) => p.file === f.file && p.path === f.path);
  const findings = all.filter((f) => !isPending(f));
  const stale = PENDING.filter((p) => !all.some((f) => f.file === p.file && f.path === p.path));
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(findings, null, 2) + '\n');
  for (const { file, line, path } of findings) {
    process.stderr.write(`${file}:${line}: ${path} is not a file of this repository\n`);
  }
  for (const { file, path } of stale) {
    process.stderr.write(
      `${file}: no longer cites ${path}: remove its entry from PENDING in tools/check-comment-paths.mjs\n`,
    );
  }
  if (findings.length > 0 || stale.length > 0) {
    process.stderr.write(
      `${findings.length} references to files outside the repository: cite the public source (a URL) or a file of ` +
        'the repository, or write the fact itself\n',
    );
    process.exit(1);
  }
  const pending = all.length > 0 ? ` (${all.length} pending, listed in PENDING)` : '';
  process.stdout.write(`comments and docs reference only files of this repository${pending}\n`);
}
