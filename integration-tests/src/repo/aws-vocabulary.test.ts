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

  it('reports, whatever its name, a regular expression that parses S3 URIs or checks regions or role ARNs', () => {
    expect(
      check(
        [
          'const at = /^s3:\\/\\/([^/]+)\\/?(.*)$/.exec(uri);',
          "const ok = new RegExp('^[a-z]{2}(-gov)?-[a-z]+-\\\\d+$').test(region);",
          'const role = /^arn:aws[a-z-]*:iam::\\d{12}:role\\/.+$/.test(arn);',
          'const word = /^[A-Za-z0-9_./:@%+=,-]+$/.test(w) && /[^0-9]/.test(v) && /^[a-z0-9-]+$/.test(n);',
        ].join('\n'),
      ),
    ).toEqual([
      '1 a regular expression that is an S3-URI parser (parseS3Uri, parseS3ObjectUri, splitS3Uri)',
      '2 a regular expression that is a region rule (isRegionName)',
      '3 a regular expression that is a role-ARN rule (isRoleArn)',
    ]);
  });

  it('reports an S3 URI taken apart by hand and an IAM ARN built, not a prefix test or a sentence', () => {
    expect(
      check(
        [
          "const rest = uri.slice('s3://'.length);",
          "const [, path] = uri.split('s3://');",
          'const arn = `arn:${partition}:iam::${account}:role/${name}`;',
          "const given = uri.startsWith('s3://') ? uri : 's3://' + uri;",
          "const remedy = 'Give arn:aws:iam::<account>:role/<name>.';",
        ].join('\n'),
      ),
    ).toEqual(['1 takes an S3 URI apart by hand', '2 takes an S3 URI apart by hand', '3 writes an IAM ARN out']);
  });

  it('reports a property or class field named like the vocabulary', () => {
    expect(
      check(
        ['const helpers = { splitS3Uri: (u: string) => u };', 'class B { isRoleArn = (v: string) => v; }'].join('\n'),
      ),
    ).toEqual(['1 defines splitS3Uri', '2 defines isRoleArn']);
  });

  it('reports two AWS error names in one list and an AWS error name compared', () => {
    expect(check("const RETRYABLE = new Set(['ThrottlingException', 'ServiceUnavailable']);")).toEqual([
      '1 lists the AWS errors ThrottlingException, ServiceUnavailable',
    ]);
    expect(check("if (name === 'ValidationException') return 'bad';")).toEqual([
      '1 decides what the AWS error ValidationException means',
    ]);
    expect(check("switch (name) { case 'SlowDown': return 1; }")).toEqual([
      '1 decides what the AWS error SlowDown means',
    ]);
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
    ).toEqual([
      '2 lists the AWS errors Throttling, SlowDown, ModelError',
      '2 names 3 AWS errors (Throttling, SlowDown, ModelError)',
    ]);
  });

  it('finds nothing in the repository as it is', () => {
    expect(findVocabularyViolations(frontDoorSources(root), names)).toEqual([]);
  });
});
