/**
 * Helpers for the tests that keep a package's error-code catalog, its documentation table and the codes its
 * sources raise in step. Pure text functions: each test reads its own files.
 */

export interface DocumentedError {
  readonly kind: string;
  readonly meaning: string;
  readonly remedy: string;
}

/**
 * Rows `| code | kind | meaning | remedy |` of a Markdown error table, by code. With `section` (e.g.
 * `@sme/sandbox`), only the rows under the `## <section>` heading up to the next `## ` heading.
 */
export function documentedErrors(markdown: string, section?: string): Map<string, DocumentedError> {
  let text = markdown;
  if (section !== undefined) {
    const start = markdown.indexOf('\n## ' + section + '\n');
    if (start < 0) throw new Error('no "## ' + section + '" section');
    const after = markdown.indexOf('\n## ', start + 1);
    text = markdown.slice(start, after === -1 ? undefined : after);
  }
  const rows = new Map<string, DocumentedError>();
  for (const line of text.split('\n')) {
    const cells = line.split(' | ').map((c) => c.replace(/^\|\s*|\s*\|$/g, '').trim());
    const code = cells[0]?.replaceAll('`', '');
    if (code?.startsWith('SME-E-') === true) {
      rows.set(code, { kind: cells[1]?.replaceAll('`', '') ?? '', meaning: cells[2] ?? '', remedy: cells[3] ?? '' });
    }
  }
  return rows;
}

/**
 * The codes docs/errors.md lists, one entry `- **\`CODE\`** (…): …` each (the file is generated from the
 * catalogs by `npm run error-docs:write`, and `npm run error-docs` checks that meanings and remedies match).
 */
export function generatedDocCodes(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^- \*\*`(SME-E-[A-Z0-9-]+)`\*\*/gm)].map((m) => m[1] ?? ''));
}

/** Every quoted `SME-E-…` code literal in the given source texts. */
export function errorCodesIn(sources: readonly string[]): Set<string> {
  const used = new Set<string>();
  for (const text of sources) {
    // A code ends where no further letter, digit or hyphen follows (`'SME-E-AWS-' + kind` is a prefix, not a code).
    for (const match of text.matchAll(/['"`](SME-E-[A-Z0-9]+(?:-[A-Z0-9]+)*)(?![-A-Z0-9])/g)) used.add(match[1] ?? '');
  }
  return used;
}
