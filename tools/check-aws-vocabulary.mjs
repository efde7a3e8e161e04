#!/usr/bin/env node
// The AWS vocabulary lives in @sme/core (packages/core/src/aws/): S3 URIs and bucket names, regions, IAM roles,
// SageMaker names, and the one table of what an AWS error answer means. The front doors (sagemaker-adapter, udf,
// exasol-adapter, cli) import it; none defines its own parser or error table, so SQL and the CLI cannot drift
// apart. dependency-cruiser checks imports, not what a file defines, so this check (run by `npm run layers`)
// reads each front door's sources with the TypeScript parser and reports:
//   - a function, constant, method or property whose name is one of the vocabulary's (parseS3Uri, isBucketName,
//     isRegionShape, …);
//   - whatever its name, a regular expression that accepts an S3 URI, region names or an IAM role ARN (tried on
//     samples), an `s3://` text used to take a URI apart (`uri.split('s3://')`, `'s3://'.length`), or an IAM
//     ARN built (`arn:aws:iam::…`, `` `arn:${partition}:iam::${account}:role/${name}` ``);
//   - a table of AWS error names: three or more distinct names of core's table in one file, two in one array or
//     object, one such name in the same array, object or property as an `SME-E-AWS-…` code, or one compared with
//     `===` or in a `case` (what an AWS answer means is looked up in core's table, not decided in a front door).
// The sandbox is not checked: it plays AWS, and what AWS accepts must not be decided by sme's own core there.
// `--json` prints the findings.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const ts = createRequire(import.meta.url)('typescript');

/** The packages that must use core's AWS vocabulary instead of their own. */
export const FRONT_DOORS = ['sagemaker-adapter', 'udf', 'exasol-adapter', 'cli'];

/** Names only core's AWS vocabulary may define (a re-export `export { x } from …` defines nothing). */
export const VOCABULARY_NAMES = [
  /^(parse|split|format)S3\w*$/,
  /S3Uri/,
  /^(isBucketName|bucketNameProblem|keyPrefixProblem)$/,
  /^is\w*Region(Name|Shape|Code)$/,
  /^partitionOfRegion$/,
  /^(isRoleArn|isRoleName|isRolePathName|roleArnFor)$/,
  /^(isSageMakerName|isEndpointName)$/,
  /^(awsErrorCode|awsErrorName|knownAwsErrorCode)$/,
];

/** Distinct AWS error names in one file from which on it counts as an error table. */
const TABLE_SIZE = 3;

/** AWS error names that are also sme's error kinds (`kind: 'NotFound'`): not counted towards a table. */
const KIND_NAMES = new Set(['NotFound', 'AccessDenied']);

/** The AWS error names of core's table (`['ThrottlingException', 'SME-E-AWS-THROTTLED']` rows). */
export function awsErrorNamesOf(coreTableSource) {
  return [...coreTableSource.matchAll(/\[\s*'([A-Za-z]+)',\s*'SME-E-AWS-[A-Z-]+'\s*\]/g)].map((m) => m[1]);
}

function nameText(node) {
  if (node === undefined) return undefined;
  if (ts.isIdentifier(node) || ts.isStringLiteral(node) || ts.isPrivateIdentifier(node)) return node.text;
  return undefined;
}

/**
 * Findings in the given sources (`{ file, text }`, paths relative to the repository).
 *
 * @returns {{ file: string, line: number, problem: string }[]}
 */
/** Samples a regular expression is tried on: one that accepts them is a parser or rule of the vocabulary. */
const REGEX_SAMPLES = [
  {
    accepts: ['s3://bucket/key', 's3://my-bucket/a/b.csv'],
    rejects: ['https://bucket/key', 'bucket/key', 'a file name'],
    problem: 'an S3-URI parser (parseS3Uri, parseS3ObjectUri, splitS3Uri)',
  },
  {
    accepts: ['eu-central-1', 'us-east-1', 'ap-southeast-2'],
    rejects: ['eu-central', 'bucket-name', 'hello'],
    problem: 'a region rule (isRegionName)',
  },
  {
    accepts: ['arn:aws:iam::123456789012:role/r'],
    rejects: ['arn:aws:s3:::bucket', 'a role name'],
    problem: 'a role-ARN rule (isRoleArn)',
  },
];

/** What a regular expression of a front door re-implements, or undefined. */
function regexProblem(source, flags) {
  let re;
  try {
    re = new RegExp(source, flags.replace(/[gy]/g, ''));
  } catch {
    return undefined;
  }
  const hit = REGEX_SAMPLES.find((s) => s.accepts.every((a) => re.test(a)) && !s.rejects.some((r) => re.test(r)));
  return hit?.problem;
}

/**
 * String methods that take a text apart: `'s3://'` as their argument is URI parsing (a test such as
 * `startsWith('s3://')` before calling core's parser is not).
 */
const PARSING_METHODS = new Set([
  'indexOf',
  'lastIndexOf',
  'replace',
  'replaceAll',
  'split',
  'slice',
  'substring',
  'match',
]);

function isFunctionLike(node) {
  return node !== undefined && (ts.isArrowFunction(node) || ts.isFunctionExpression(node));
}

export function findVocabularyViolations(sources, awsErrorNames) {
  const errorNames = new Set(awsErrorNames);
  const findings = [];
  for (const { file, text } of sources) {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const lineOf = (node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    const seen = new Map();
    const visit = (node) => {
      let defined;
      if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) defined = nameText(node.name);
      else if (ts.isVariableDeclaration(node)) defined = nameText(node.name);
      else if ((ts.isPropertyDeclaration(node) || ts.isPropertyAssignment(node)) && isFunctionLike(node.initializer)) {
        defined = nameText(node.name);
      }
      if (defined !== undefined && VOCABULARY_NAMES.some((re) => re.test(defined))) {
        findings.push({
          file,
          line: lineOf(node),
          problem: `defines ${defined}: S3 URIs, bucket names, regions, roles and SageMaker names are core's AWS vocabulary (import it from @sme/core)`,
        });
      }
      const pattern = ts.isRegularExpressionLiteral(node)
        ? /^\/(.*)\/([a-z]*)$/s.exec(node.text)
        : ts.isNewExpression(node) &&
            ts.isIdentifier(node.expression) &&
            node.expression.text === 'RegExp' &&
            node.arguments?.[0] !== undefined &&
            ts.isStringLiteralLike(node.arguments[0])
          ? [undefined, node.arguments[0].text, '']
          : undefined;
      const rule = pattern === undefined || pattern === null ? undefined : regexProblem(pattern[1], pattern[2]);
      if (rule !== undefined) {
        findings.push({
          file,
          line: lineOf(node),
          problem: `a regular expression that is ${rule}: core's AWS vocabulary has it (import it from @sme/core)`,
        });
      }
      if (ts.isStringLiteralLike(node) && node.text.startsWith('s3://')) {
        const parent = node.parent;
        const parses =
          (ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.name.text === 'length') ||
          (ts.isCallExpression(parent) &&
            parent.arguments.includes(node) &&
            ts.isPropertyAccessExpression(parent.expression) &&
            PARSING_METHODS.has(parent.expression.name.text));
        if (parses) {
          findings.push({
            file,
            line: lineOf(node),
            problem: `takes an S3 URI apart by hand: S3 URIs are core's AWS vocabulary (parseS3Uri, parseS3ObjectUri, splitS3Uri)`,
          });
        }
      }
      const textPart =
        ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)
          ? node.text
          : undefined;
      // A sentence that shows an ARN (`Give arn:aws:iam::<account>:role/<name>.`) is prose, not an ARN built.
      if (textPart !== undefined && /(^|:)iam::/.test(textPart) && !/\s/.test(textPart)) {
        findings.push({
          file,
          line: lineOf(node),
          problem: `writes an IAM ARN out: role ARNs are core's AWS vocabulary (roleArnFor, isRoleArn)`,
        });
      }
      const literal =
        ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
          ? node.text
          : ts.isPropertyAssignment(node)
            ? nameText(node.name)
            : undefined;
      if (literal !== undefined && errorNames.has(literal)) {
        if (!seen.has(literal) && !KIND_NAMES.has(literal)) seen.set(literal, lineOf(node));
        const group = node.parent;
        const siblings = ts.isPropertyAssignment(node)
          ? [node.initializer]
          : group !== undefined && (ts.isArrayLiteralExpression(group) || ts.isPropertyAssignment(group))
            ? ts.isArrayLiteralExpression(group)
              ? group.elements
              : [group.initializer]
            : [];
        const compared =
          !KIND_NAMES.has(literal) &&
          !ts.isPropertyAssignment(node) &&
          group !== undefined &&
          (ts.isCaseClause(group) ||
            (ts.isBinaryExpression(group) &&
              [
                ts.SyntaxKind.EqualsEqualsEqualsToken,
                ts.SyntaxKind.ExclamationEqualsEqualsToken,
                ts.SyntaxKind.EqualsEqualsToken,
                ts.SyntaxKind.ExclamationEqualsToken,
              ].includes(group.operatorToken.kind)));
        if (compared) {
          findings.push({
            file,
            line: lineOf(node),
            problem: `decides what the AWS error ${literal} means: look the name up in core's AWS error table (knownAwsErrorCode, awsErrorCode)`,
          });
        }
        if (siblings.some((s) => s !== node && ts.isStringLiteral(s) && s.text.startsWith('SME-E-AWS-'))) {
          findings.push({
            file,
            line: lineOf(node),
            problem: `maps the AWS error ${literal} to a code: what an AWS answer means is core's AWS error table (knownAwsErrorCode, awsErrorCode)`,
          });
        }
      }
      if (ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node)) {
        const members = ts.isArrayLiteralExpression(node)
          ? node.elements.map((e) => (ts.isStringLiteralLike(e) ? e.text : undefined))
          : node.properties.map((p) => (ts.isPropertyAssignment(p) ? nameText(p.name) : undefined));
        const named = new Set(members.filter((m) => m !== undefined && errorNames.has(m) && !KIND_NAMES.has(m)));
        if (named.size >= 2) {
          findings.push({
            file,
            line: lineOf(node),
            problem: `lists the AWS errors ${[...named].join(', ')}: an AWS error table belongs in core's AWS vocabulary`,
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    if (seen.size >= TABLE_SIZE) {
      findings.push({
        file,
        line: Math.min(...seen.values()),
        problem: `names ${seen.size} AWS errors (${[...seen.keys()].join(', ')}): an AWS error table belongs in core's AWS vocabulary`,
      });
    }
  }
  return findings;
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist' && name !== 'testing') yield* sourceFiles(path);
    } else if (/\.ts$/.test(name) && !/\.(test|bench)\.ts$/.test(name) && !/\.d\.ts$/.test(name)) {
      yield path;
    }
  }
}

/** The shipped sources of the front doors (tests and test helpers may name AWS errors freely). */
export function frontDoorSources(root) {
  const sources = [];
  for (const pkg of FRONT_DOORS) {
    for (const path of sourceFiles(join(root, 'packages', pkg, 'src'))) {
      sources.push({ file: relative(root, path), text: readFileSync(path, 'utf8') });
    }
  }
  return sources;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const names = awsErrorNamesOf(readFileSync(join(root, 'packages/core/src/aws/aws-errors.ts'), 'utf8'));
  if (names.length < TABLE_SIZE) {
    process.stderr.write('check-aws-vocabulary: found no AWS error table in packages/core/src/aws/aws-errors.ts\n');
    process.exit(1);
  }
  const findings = findVocabularyViolations(frontDoorSources(root), names);
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(findings, null, 2) + '\n');
  else for (const f of findings) process.stderr.write(`${f.file}:${f.line}: ${f.problem}\n`);
  if (findings.length > 0) {
    process.stderr.write(`${findings.length} AWS vocabulary findings: use @sme/core's src/aws/ instead\n`);
    process.exit(1);
  }
  process.stdout.write(`AWS vocabulary: ${FRONT_DOORS.join(', ')} define none of their own\n`);
}
