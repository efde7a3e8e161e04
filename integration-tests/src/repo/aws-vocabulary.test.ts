/**
 * tools/check-aws-vocabulary.mjs (run by `npm run layers`): the front doors define no S3-URI parser, no region or
 * role rule and no AWS error table of their own; core's AWS vocabulary (packages/core/src/aws/) is the one place.
 * Here on made-up sources, so that each kind of violation is shown once, and on the repository as it is.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The tool's exports (a plain .mjs script outside this package, so typed here). */
interface AwsVocabularyTool {
  findVocabularyViolations: (
    sources: readonly { file: string; text: string }[],
    awsErrorNames: readonly string[],
  ) => { file: string; line: number; problem: string }[];
  awsErrorNamesOf: (coreTableSource: string) => string[];
  frontDoorSources: (root: string) => { file: string; text: string }[];
}
const toolUrl = new URL('../../../tools/check-aws-vocabulary.mjs', import.meta.url).href;
const { awsErrorNamesOf, findVocabularyViolations, frontDoorSources } = (await import(toolUrl)) as AwsVocabularyTool;

const root = new URL('../../../', import.meta.url).pathname;
const names = awsErrorNamesOf(readFileSync(`${root}packages/core/src/aws/aws-errors.ts`, 'utf8'));

function check(text: string): string[] {
  return findVocabularyViolations([{ file: 'packages/udf/src/x.ts', text }], names).map(
    (f) => `${String(f.line)} ${f.problem.split(':')[0] ?? ''}`,
  );
}

describe("the front doors use core's AWS vocabulary", () => {
  it("reads the AWS error names from core's table", () => {
    expect(names).toContain('ThrottlingException');
    expect(names).toContain('NoSuchBucket');
    expect(names.length).toBeGreaterThan(30);
  });

  it('accepts imports, re-exports, calls and error kinds', () => {
    expect(
      check(
        [
          "import { parseS3ObjectUri, awsErrorCode } from '@sme/core';",
          "export { isRoleArn, isRolePathName as isRoleName } from '@sme/core';",
          "const at = parseS3ObjectUri('s3://b/k');",
          "const code = awsErrorCode('ThrottlingException', '', 400);",
          "const kinds = ['NotFound', 'AccessDenied', 'Throttled'];",
          "if (first.Code === 'AccessDenied') throw awsError('SME-E-AWS-ACCESS-DENIED', { subject: 's' });",
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('reports an S3-URI parser, a region rule or a role rule defined in a front door', () => {
    expect(
      check(
        [
          'export function parseS3Uri(uri: string) { return uri; }',
          'const splitS3Location = (uri: string) => uri;',
          'function isRegionName(r: string) { return r.length > 0; }',
          'class A { isRoleArn(v: string) { return v.startsWith("arn:"); } }',
        ].join('\n'),
      ),
    ).toEqual(['1 defines parseS3Uri', '2 defines splitS3Location', '3 defines isRegionName', '4 defines isRoleArn']);
  });

  it('reports an AWS error table: a name mapped to a code, or three names in one file', () => {
    expect(check("const BY_TYPE = new Map([['SlowDown', 'SME-E-AWS-THROTTLED']]);")).toEqual([
      '1 maps the AWS error SlowDown to a code',
    ]);
    expect(check("const RULES = { ExpiredToken: 'SME-E-AWS-CREDENTIALS' };")).toEqual([
      '1 maps the AWS error ExpiredToken to a code',
    ]);
    expect(
      check(
        [
          'const THROTTLED = rule();',
          'const T = { Throttling: THROTTLED,',
          '  SlowDown: THROTTLED,',
          '  ModelError: S };',
        ].join('\n'),
      ),
    ).toEqual(['2 names 3 AWS errors (Throttling, SlowDown, ModelError)']);
  });

  it('finds nothing in the repository as it is', () => {
    expect(findVocabularyViolations(frontDoorSources(root), names)).toEqual([]);
  });
});
