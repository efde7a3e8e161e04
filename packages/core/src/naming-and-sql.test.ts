import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSmeError } from './errors.js';
import { parseExasolIdentifier, quoteIdentifier, quoteLiteral } from './identifiers.js';
import { exasolTimestamp, jobNameFor, utcDateTime } from './job-name.js';
import {
  bucketOfConnectionAddress,
  checkConnectionBucket,
  jobS3Layout,
  attemptIdFor,
  parseS3Uri,
  partFileNames,
} from './s3-layout.js';
import { METADATA_COLUMNS, addMissingMetadataColumnsSql, createMetadataTableSql } from './sql/metadata-table.js';
import { exportToS3Sql, insertJobSql, tableColumnsSql } from './sql/statements.js';
import { modelNameArb } from './testing/arbitraries.js';
import { tokenize } from './testing/tables-sql.js';
import { describeValue, maskUserinfo } from './text.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e: unknown) {
    return isSmeError(e) ? e.code : 'not an SmeError';
  }
  return undefined;
}

describe('job naming', () => {
  it('is <model>-<yyMMddHHmmss> in UTC', () => {
    expect(jobNameFor('churn', Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('churn-240229235959');
    expect(exasolTimestamp(Date.UTC(2000, 0, 1))).toBe('2000-01-01 00:00:00.000');
  });

  it('property: calendar math agrees with Date, names fit AWS (≤ 32, pattern)', () => {
    fc.assert(
      fc.property(modelNameArb, fc.integer({ min: 0, max: 253402300799999 }), (model, ms) => {
        const d = new Date(ms);
        expect(utcDateTime(ms)).toEqual({
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
          second: d.getUTCSeconds(),
          millisecond: d.getUTCMilliseconds(),
        });
        const name = jobNameFor(model, ms);
        expect(name.length).toBeLessThanOrEqual(32);
        expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/);
        expect(exasolTimestamp(ms)).toBe(d.toISOString().replace('T', ' ').replace('Z', ''));
      }),
    );
  });

  it('rejects bad model names and unusable clocks with SME-E-JOB-NAME-INVALID', () => {
    expect(codeOf(() => jobNameFor('bad_name', 0))).toBe('SME-E-JOB-NAME-INVALID');
    expect(codeOf(() => jobNameFor('ok', -1))).toBe('SME-E-JOB-NAME-INVALID');
    expect(codeOf(() => jobNameFor('ok', Number.NaN))).toBe('SME-E-JOB-NAME-INVALID');
  });
});

describe('S3 layout', () => {
  it('gives each job its own input and output prefix, ending with /', () => {
    const l = jobS3Layout({ bucket: 'b', prefix: 'team', outputPath: 'runs/x', jobName: 'm-1' });
    expect(l).toEqual({
      bucket: 'b',
      jobPrefixUri: 's3://b/team/runs/x/m-1/',
      attemptPrefixUri: 's3://b/team/runs/x/m-1/',
      inputPrefixUri: 's3://b/team/runs/x/m-1/input/',
      outputPrefixUri: 's3://b/team/runs/x/m-1/output/',
      inputKeyPrefix: 'team/runs/x/m-1/input/',
    });
    const a = jobS3Layout({
      bucket: 'b',
      prefix: '',
      outputPath: 'runs',
      jobName: 'm-1',
      attemptId: attemptIdFor('42', 7),
    });
    expect(a).toEqual({
      bucket: 'b',
      jobPrefixUri: 's3://b/runs/m-1/',
      attemptPrefixUri: 's3://b/runs/m-1/attempt-42-7/',
      inputPrefixUri: 's3://b/runs/m-1/attempt-42-7/input/',
      outputPrefixUri: 's3://b/runs/m-1/attempt-42-7/output/',
      inputKeyPrefix: 'runs/m-1/attempt-42-7/input/',
    });
    expect(partFileNames(3)).toEqual(['part-001.csv', 'part-002.csv', 'part-003.csv']);
    expect(codeOf(() => partFileNames(0))).toBe('SME-E-ARGUMENT');
  });

  it('parses s3:// URIs and CONNECTION addresses', () => {
    expect(parseS3Uri('s3://my-bucket')).toEqual({ bucket: 'my-bucket', prefix: '' });
    expect(parseS3Uri('s3://my-bucket/a/b/')).toEqual({ bucket: 'my-bucket', prefix: 'a/b' });
    expect(codeOf(() => parseS3Uri('s3://My_Bucket'))).toBe('SME-E-S3-URI');
    expect(bucketOfConnectionAddress('https://my-bucket.s3.eu-central-1.amazonaws.com/')).toEqual({
      bucket: 'my-bucket',
      region: 'eu-central-1',
    });
    expect(bucketOfConnectionAddress('https://my.s3.bucket.s3.amazonaws.com')).toEqual({ bucket: 'my.s3.bucket' });
    expect(bucketOfConnectionAddress('s3://b-1')).toEqual({ bucket: 'b-1' });
    expect(codeOf(() => bucketOfConnectionAddress('http://localhost:9000/b'))).toBe('SME-E-CONNECTION-ADDRESS');
  });

  it('never shows the user information (a secret) of a CONNECTION address in its messages', () => {
    const address = 'https://AKIAKEY:SECRET/x+y@my-bucket.s3.eu-central-1.amazonaws.com/';
    let message = '';
    try {
      bucketOfConnectionAddress(address);
    } catch (e: unknown) {
      message = (e as Error).message + ' ' + String((e as { details?: { value?: string } }).details?.value);
    }
    expect(message).toContain('https://***@my-bucket.s3.eu-central-1.amazonaws.com/');
    expect(message).not.toContain('SECRET');
    expect(message).not.toContain('AKIAKEY');
  });

  it('maskUserinfo masks every URL of a text up to the last @ of the word, and nothing else', () => {
    expect(maskUserinfo("open 'https://K:S@b.s3.amazonaws.com/p' failed")).toBe(
      "open 'https://***@b.s3.amazonaws.com/p' failed",
    );
    expect(maskUserinfo('a https://K:S/+@b/x@y b s3://u@c')).toBe('a https://***@y b s3://***@c');
    expect(maskUserinfo('https://b.s3.amazonaws.com/ and mail@x')).toBe('https://b.s3.amazonaws.com/ and mail@x');
    expect(describeValue('https://K:S@b')).toBe('"https://***@b"');
    expect(codeOf(() => bucketOfConnectionAddress('https://b.example.com'))).toBe('SME-E-CONNECTION-ADDRESS');
    expect(codeOf(() => checkConnectionBucket('https://aaa.s3.amazonaws.com', 'bbb'))).toBe('SME-E-BUCKET-MISMATCH');
  });
});

describe('identifiers and SQL', () => {
  it('folds unquoted identifiers, keeps quoted ones, refuses injection', () => {
    expect(parseExasolIdentifier('sales_2024')).toEqual({
      ok: true,
      identifier: { name: 'SALES_2024', quoted: false },
    });
    expect(parseExasolIdentifier('"Sales 2024"')).toEqual({
      ok: true,
      identifier: { name: 'Sales 2024', quoted: true },
    });
    for (const bad of ['a b', 'a;b', '"a"b"', "a'", '"', '""', '1a', 'a.b', '"a\u0000b"', 'a€', '_a', 'straße'])
      expect(parseExasolIdentifier(bad).ok).toBe(false);
  });

  it('accepts Unicode names where Exasol does, folding unquoted ones as Exasol does', () => {
    const name = (raw: string) => {
      const parsed = parseExasolIdentifier(raw);
      return parsed.ok ? parsed.identifier.name : 'refused: ' + parsed.reason;
    };
    expect(name('kunden_ä')).toBe('KUNDEN_Ä');
    expect(name('ÿ_łódź')).toBe('Ÿ_ŁÓDŹ');
    expect(name('данные_2024')).toBe('ДАННЫЕ_2024');
    expect(name('αβγ')).toBe('ΑΒΓ');
    expect(name('売上')).toBe('売上');
    expect(name('"Straße ""x"" 😀"')).toBe('Straße "x" 😀');
    expect(name('"' + 'é'.repeat(128) + '"')).toBe('é'.repeat(128));
    expect(name('é'.repeat(129))).toBe('refused: it is longer than 128 characters');
    expect(name('straße')).toContain('ß');
    expect(describeValue('Kunden_ä\u0001')).toBe('"Kunden_ä?"');
  });

  it('property: quoting round-trips any text through the tokenizer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(tokenize(quoteIdentifier(text))).toEqual([{ t: 'ident', v: text }]);
        expect(tokenize(quoteLiteral(text))).toEqual([{ t: 'string', v: text }]);
      }),
    );
  });

  it('builds the EXPORT with an ordinal-ordered explicit column list and N files', () => {
    expect(
      exportToS3Sql({
        schema: 'S',
        table: 'T"x',
        columns: ['B', 'a'],
        connection: 'AWS',
        fileKeys: ["p/it's/part-001.csv", 'p/part-002.csv'],
      }),
    ).toBe(
      `EXPORT (SELECT "B", "a" FROM "S"."T""x") INTO CSV AT "AWS" FILE 'p/it''s/part-001.csv' FILE 'p/part-002.csv' ENCODING = 'UTF-8' WITH COLUMN NAMES`,
    );
    expect(tableColumnsSql("O'S", 'T')).toBe(
      `SELECT "COLUMN_NAME", "COLUMN_TYPE" FROM "SYS"."EXA_ALL_COLUMNS" WHERE "COLUMN_SCHEMA" = 'O''S' AND "COLUMN_TABLE" = 'T' ORDER BY "COLUMN_ORDINAL_POSITION"`,
    );
  });

  it("metadata table: the original extension's 14 columns first, in order; upgrades add only what is missing", () => {
    expect(METADATA_COLUMNS.slice(0, 14).map((c) => c.name)).toEqual([
      'DATETIME',
      'JOB_NAME',
      'AWS_CREDENTIALS_CONNECTION_NAME',
      'IAM_SAGEMAKER_ROLE',
      'S3_BUCKET_URI',
      'S3_OUTPUT_PATH',
      'TARGET_ATTRIBUTE_NAME',
      'PROBLEM_TYPE',
      'OBJECTIVE',
      'MAX_RUNTIME_FOR_AUTOML_JOB_IN_SECONDS',
      'MAX_CANDIDATES',
      'MAX_RUNTIME_PER_TRAINING_JOB_IN_SECONDS',
      'SESSION_ID',
      'SCRIPT_USER',
    ]);
    expect(METADATA_COLUMNS.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'AWS_REGION',
        'COLUMN_NAMES',
        'COLUMN_TYPES',
        'JOB_STATUS',
        'JOB_SECONDARY_STATUS',
        'LAST_STATUS_UPDATE',
        'FAILURE_REASON',
      ]),
    );
    expect(createMetadataTableSql('SME')).toContain('"JOB_NAME" VARCHAR(32) PRIMARY KEY');
    expect(createMetadataTableSql('SME')).toContain('"SESSION_ID" DECIMAL(20,0)');
    const upgrade = addMissingMetadataColumnsSql(
      'SME',
      METADATA_COLUMNS.slice(0, 14).map((c) => c.name),
    );
    expect(upgrade[0]).toBe('ALTER TABLE "SME"."SME_METADATA_AUTOPILOT_JOBS" ADD COLUMN "AWS_REGION" VARCHAR(32)');
    expect(upgrade).toHaveLength(METADATA_COLUMNS.length - 14);
  });

  it('INSERT writes exact values and refuses unknown columns', () => {
    expect(
      insertJobSql('SME', {
        JOB_NAME: { kind: 'text', value: "o'k" },
        SESSION_ID: { kind: 'integer', value: '12345678901234567890' },
        BEST_METRIC_VALUE: { kind: 'double', value: 0.25 },
        DATETIME: { kind: 'timestamp', value: '2024-01-01 00:00:00.000' },
      }),
    ).toBe(
      `INSERT INTO "SME"."SME_METADATA_AUTOPILOT_JOBS" ("DATETIME", "JOB_NAME", "SESSION_ID", "BEST_METRIC_VALUE") VALUES (TIMESTAMP '2024-01-01 00:00:00.000', 'o''k', 12345678901234567890, 0.25)`,
    );
    expect(codeOf(() => insertJobSql('SME', { NOPE: { kind: 'null' } }))).toBe('SME-E-ARGUMENT');
    expect(codeOf(() => insertJobSql('SME', { SESSION_ID: { kind: 'integer', value: '1; DROP' } }))).toBe(
      'SME-E-ARGUMENT',
    );
  });
});
