/**
 * tools/check-comment-paths.mjs (`npm run comment-paths`, part of `npm run check`): comments and docs cite only
 * files of the repository. Here on a small made-up repository, so that each kind of citation is shown once.
 */
import { describe, expect, it } from 'vitest';

/** The tool's exports (a plain .mjs script outside this package, so typed here). */
interface CommentPathsTool {
  findOutsidePaths: (
    root: string,
    files: readonly string[],
    tracked: readonly string[],
    read: (file: string) => string,
  ) => { file: string; line: number; path: string }[];
  checkedFiles: (tracked: readonly string[]) => string[];
}
const toolUrl = new URL('../../../tools/check-comment-paths.mjs', import.meta.url).href;
const { checkedFiles, findOutsidePaths } = (await import(toolUrl)) as CommentPathsTool;

const tracked = [
  'README.md',
  'docs/cli.md',
  'packages/a/package.json',
  'packages/a/README.md',
  'packages/a/src/a.ts',
  'packages/a/src/b.ts',
  'packages/a/.luacheckrc',
];

function check(files: Readonly<Record<string, string>>): string[] {
  const names = Object.keys(files);
  return findOutsidePaths('/repo', checkedFiles([...tracked, ...names]), [...tracked, ...names], (file) => {
    return files[file] ?? '';
  }).map((f) => `${f.file}:${String(f.line)} ${f.path}`);
}

describe('comments cite only files of the repository', () => {
  it('accepts repository files, public URLs, package names and code that merely looks like a path', () => {
    expect(
      check({
        'packages/a/src/c.ts': [
          "import { b } from './b.js';",
          '/** As README.md and docs/cli.md say; the rule in packages/a/README.md; see ./b.ts and src/a.ts. */',
          '// https://github.com/exasol/websocket-api/blob/master/docs/WebsocketAPIV3.md (@exasol/exasol-driver-ts)',
          "const text = 'not a comment: ../shared/reference/exasol.md';",
          'const re = /\\/\\/ exasol\\.md/;',
          'const t = `${text} // toolchain.md ${String(re)}`;',
          '// writes dist/index.js and s3://bucket/x/analysis.json; /etc/ssl/certs on the host',
        ].join('\n'),
      }),
    ).toEqual([]);
  });

  it('reports team notes outside the repository, by file and line, in comments, Lua and Markdown', () => {
    expect(
      check({
        'packages/a/src/c.ts': [
          'const a = 1; // fine',
          '/**',
          ' * Summary in exasol.md §1, details in ../../../../shared/reference/aws.md.',
          ' */',
          '// /work/shared/design/STYLE.md',
        ].join('\n'),
        'packages/a/src/d.lua': '-- see toolchain.md\nlocal x = 1\n',
        'docs/more.md': 'Text (reference/exasol.md §3b L8).\n\n```sh\ncat notes.md\n```\n',
      }),
    ).toEqual([
      'packages/a/src/c.ts:3 exasol.md',
      'packages/a/src/c.ts:3 ../../../../shared/reference/aws.md',
      'packages/a/src/c.ts:5 /work/shared/design/STYLE.md',
      'packages/a/src/d.lua:1 toolchain.md',
      'docs/more.md:1 reference/exasol.md',
    ]);
  });
});
