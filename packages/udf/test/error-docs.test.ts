import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AWS_CALL_ERRORS } from '../src/lua/aws/aws-errors.js';
import { UDF_ERRORS } from '../src/lua/scripting/udf-errors.js';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8');

/** Rows of the `## @sme/udf` table: code → [kind, remedy]. */
function documented(): Map<string, [string, string]> {
  const start = doc.indexOf('\n## @sme/udf\n');
  const next = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, next < 0 ? undefined : next);
  const rows = new Map<string, [string, string]>();
  for (const line of section.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim().replaceAll('\\|', '|'));
    const code = /^`(SME-E-[A-Z0-9-]+)`$/.exec(cells[1] ?? '')?.[1];
    if (code !== undefined) rows.set(code, [(cells[2] ?? '').replaceAll('`', ''), cells[4] ?? '']);
  }
  return rows;
}

describe('docs/errors.md, section @sme/udf', () => {
  it('lists exactly the codes of UDF_ERRORS and AWS_CALL_ERRORS, with their kinds and remedies', () => {
    const expected = new Map<string, [string, string]>();
    for (const [code, info] of Object.entries(AWS_CALL_ERRORS)) expected.set(code, [info.kind, info.remedy]);
    for (const [code, info] of Object.entries(UDF_ERRORS)) expected.set(code, [info.kind, info.remedy]);
    expect(Object.fromEntries(documented())).toEqual(Object.fromEntries(expected));
  });
});
