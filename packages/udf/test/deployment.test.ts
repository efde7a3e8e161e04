import { describe, expect, it } from 'vitest';
import { ENDPOINT_COLUMNS, METADATA_COLUMNS, isSmeError } from '@sme/core';
import { DEPLOYED_SCRIPTS, deploymentStatements, upgradeStatements } from '../src/deploy/deployment.js';
import { luaBundle, predictionUdfBundle } from '../src/deploy/aws-call-udf-script.js';
import { luaStringLiteral } from '../src/deploy/lua-literal.js';
import { deployedVersionOf, smeVersion } from '../src/deploy/version.js';

describe('deploymentStatements', () => {
  it('gives the same bytes for the same options, and different bytes for another endpoint', () => {
    const a = deploymentStatements({ schema: 'SME', awsEndpointUrl: 'http://127.0.0.1:4566' });
    const b = deploymentStatements({ schema: 'SME', awsEndpointUrl: 'http://127.0.0.1:4566' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const c = deploymentStatements({ schema: 'SME' });
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it('creates the schema, keeps the jobs, endpoints, insights and batch predictions tables, then replaces every script, UDFs first', () => {
    const sqls = deploymentStatements({ schema: 'SME' }).map((s) => s.sql);
    expect(sqls[0]).toBe('CREATE SCHEMA IF NOT EXISTS "SME"');
    expect(sqls[1]).toMatch(
      /^CREATE TABLE IF NOT EXISTS "SME"\."SME_METADATA_AUTOPILOT_JOBS" \("DATETIME" TIMESTAMP, "JOB_NAME" VARCHAR\(32\) PRIMARY KEY/,
    );
    expect(sqls[2]).toMatch(
      /^CREATE TABLE IF NOT EXISTS "SME"\."SME_METADATA_AUTOPILOT_ENDPOINTS" \("CREATED" TIMESTAMP, "ENDPOINT_NAME" VARCHAR\(63\) PRIMARY KEY/,
    );
    expect(sqls[3]).toBe(
      'CREATE TABLE IF NOT EXISTS "SME"."SME_METADATA_AUTOPILOT_INSIGHTS" ("JOB_NAME" VARCHAR(32), "KIND" VARCHAR(16), "CONTENT" VARCHAR(2000000), "CACHED_AT" TIMESTAMP)',
    );
    expect(sqls[4]).toMatch(
      /^CREATE TABLE IF NOT EXISTS "SME"\."SME_METADATA_AUTOPILOT_BATCH_PREDICTIONS" \("CREATED" TIMESTAMP, "BATCH_PREDICTION_NAME" VARCHAR\(63\) PRIMARY KEY/,
    );
    expect(sqls[5]).toMatch(
      /^CREATE TABLE IF NOT EXISTS "SME"\."SME_METADATA_AUTOPILOT_MODELS" \("MODEL_NAME" VARCHAR\(64\)/,
    );
    const heads = sqls.slice(6).map((s) => s.slice(0, s.indexOf('(')));
    expect(heads).toEqual([
      'CREATE OR REPLACE LUA SCALAR SCRIPT "SME"."SME_AWS_SAGEMAKER_CALL"',
      'CREATE OR REPLACE LUA SCALAR SCRIPT "SME"."SME_CONNECTION_ADDRESS"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_LIBRARY"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_POLL_SAGEMAKER_AUTOPILOT_JOB_STATUS"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_DESCRIBE_SAGEMAKER_AUTOPILOT_JOB"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_STOP_SAGEMAKER_AUTOPILOT_JOB"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_PROMOTE_SAGEMAKER_AUTOPILOT_MODEL"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_SAGEMAKER_AUTOPILOT_ENDPOINT_STATUS"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_DELETE_SAGEMAKER_AUTOPILOT_ENDPOINT"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_REAP_IDLE_ENDPOINTS"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_DROP_SAGEMAKER_AUTOPILOT_JOB"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_LIST_SAGEMAKER_AUTOPILOT_CANDIDATES"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_EVALUATE_SAGEMAKER_AUTOPILOT_JOB"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_EXPLAIN_SAGEMAKER_AUTOPILOT_JOB"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_BATCH_PREDICT_SAGEMAKER_AUTOPILOT"',
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_POLL_SAGEMAKER_BATCH_PREDICTION"',
    ]);
    expect(DEPLOYED_SCRIPTS.map((s) => s.name)).toHaveLength(heads.length);
    for (const sql of sqls) expect(sql.trimEnd().endsWith('/')).toBe(false);
    expect(sqls[9]).toBe(
      'CREATE OR REPLACE LUA SCRIPT "SME"."SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT"(json_params) RETURNS TABLE AS\n' +
        'import("SME.SME_LIBRARY", "SME_LIBRARY")\n' +
        'exit(SME_LIBRARY.SME.train(json_params))\n',
    );
    expect(
      sqls[10]?.endsWith('exit(SME_LIBRARY.SME.poll(job_name, aws_credentials_connection_name, aws_region))\n'),
    ).toBe(true);
  });

  it('bakes the endpoint override into the AWS-call UDF and the programs that create prediction UDFs only', () => {
    const url = 'http://127.0.0.1:39999/sm';
    const statements = deploymentStatements({ schema: 'SME', awsEndpointUrl: url });
    const holding = statements.filter((s) => s.sql.includes(url)).map((s) => s.description);
    expect(holding).toEqual([
      expect.stringContaining('"SME"."SME_AWS_SAGEMAKER_CALL"'),
      expect.stringContaining('"SME"."SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT"'),
      expect.stringContaining('"SME"."SME_PROMOTE_SAGEMAKER_AUTOPILOT_MODEL"'),
    ]);
  });

  it('bakes the S3 endpoint override into the AWS-call UDF only, and refuses one that is not http(s)', () => {
    const url = 'http://127.0.0.1:39998';
    const statements = deploymentStatements({ schema: 'SME', s3EndpointUrl: url });
    const holding = statements.filter((s) => s.sql.includes(url)).map((s) => s.description);
    expect(holding).toEqual([expect.stringContaining('"SME"."SME_AWS_SAGEMAKER_CALL"')]);
    expect(() => deploymentStatements({ schema: 'SME', s3EndpointUrl: 's3://x' })).toThrow(
      expect.objectContaining({ code: 'SME-E-AWS-ENDPOINT-INVALID' }),
    );
    expect(() => deploymentStatements({ schema: 'SME', s3EndpointUrl: 's3://x' })).toThrow(
      "the S3 endpoint override: the AWS endpoint override is not an http(s) URL (got 's3://x')",
    );
  });

  it('keeps the scripting bundle and the prediction bundle once, in the library the programs import', () => {
    const statements = deploymentStatements({ schema: 'SME' });
    const library = statements.find((s) => s.description.endsWith('"SME"."SME_LIBRARY"'))?.sql ?? '';
    expect(
      library.startsWith(
        `CREATE OR REPLACE LUA SCRIPT "SME"."SME_LIBRARY"() AS\n-- sme-version: ${smeVersion()}\nSME = (function(...)\n`,
      ),
    ).toBe(true);
    expect(library).toContain(luaBundle('scripting-programs.lua'));
    expect(library.endsWith(`SME_PREDICTION_BUNDLE = ${luaStringLiteral(predictionUdfBundle())}\n`)).toBe(true);
    const deploy = statements.find((s) => s.description.includes('SME_DEPLOY_SAGEMAKER_AUTOPILOT_ENDPOINT'));
    expect(
      deploy?.sql.endsWith(
        'exit(SME_LIBRARY.SME.deployEndpoint(job_name, endpoint_name, schema_name, instance_type, instance_count, aws_credentials_connection_name, aws_region, { luaBundle = SME_LIBRARY.SME_PREDICTION_BUNDLE }))\n',
      ),
    ).toBe(true);
  });

  it('records the deploying version in the library, where sme doctor reads it back (also from a prefix)', () => {
    const library = deploymentStatements({ schema: 'SME' }).find((s) => s.description.endsWith('"SME_LIBRARY"'));
    expect(smeVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(deployedVersionOf(library?.sql ?? '')).toBe(smeVersion());
    expect(deployedVersionOf((library?.sql ?? '').slice(0, 300))).toBe(smeVersion());
    expect(deployedVersionOf('CREATE LUA SCRIPT "SME"."SME_LIBRARY"() AS\nSME = (function(...)')).toBeUndefined();
    expect(deployedVersionOf('-- sme-version: 9.8.7-rc.1')).toBe('9.8.7-rc.1');
  });

  it('stays small: at most 1.5 MB in all, no script but the library and the AWS-call UDF over 2 KB', () => {
    const statements = deploymentStatements({ schema: 'SME', awsEndpointUrl: 'http://127.0.0.1:4566' });
    const bytes = statements.map((s) => Buffer.byteLength(s.sql));
    expect(bytes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.5 * 1024 * 1024);
    const big = statements.filter((s) => Buffer.byteLength(s.sql) > 2048).map((s) => s.description);
    expect(big).toEqual([expect.stringContaining('SME_AWS_SAGEMAKER_CALL'), expect.stringContaining('SME_LIBRARY')]);
  });

  it('ships no Lua that needs load, coroutine, debug, io, os.date, math.random or unpack', () => {
    for (const file of ['aws-call-udf.lua', 'scripting-programs.lua', 'prediction-udf.lua']) {
      const text = luaBundle(file);
      for (const banned of [
        /\bload\s*\(/,
        /\bloadstring\b/,
        /\bdofile\b/,
        /\bcoroutine\./,
        /\bdebug\./,
        /\bio\./,
        /\bos\.date\b/,
        /\bmath\.random/,
        /[^.]\bunpack\b/,
        /_G\.\w/,
      ]) {
        expect([file, banned.test(text)]).toEqual([file, false]);
      }
    }
  });

  it('builds the prediction bundle colon-safe: no `:name`, which query() would take for a parameter', () => {
    expect(predictionUdfBundle()).not.toMatch(/:[A-Za-z_]/);
  });

  it('quotes the schema everywhere', () => {
    const statements = deploymentStatements({ schema: 'my "ml" schema' });
    expect(statements[0]?.sql).toBe('CREATE SCHEMA IF NOT EXISTS "my ""ml"" schema"');
    for (const s of statements) expect(s.sql).toContain('"my ""ml"" schema"');
    expect(statements.at(-1)?.sql).toContain(
      'import("\\034my \\034\\034ml\\034\\034 schema\\034.SME_LIBRARY", "SME_LIBRARY")\n',
    );
  });

  it.each([
    ['an empty schema', { schema: '' }, 'SME-E-UDF-SCHEMA-INVALID'],
    ['a schema name over 128 characters', { schema: 'S'.repeat(129) }, 'SME-E-UDF-SCHEMA-INVALID'],
    ['an endpoint that is not http(s)', { schema: 'SME', awsEndpointUrl: 'ftp://x' }, 'SME-E-AWS-ENDPOINT-INVALID'],
    ['a timeout of 0 s', { schema: 'SME', timeoutSeconds: 0 }, 'SME-E-UDF-TIMEOUT-INVALID'],
  ])('refuses %s with its code', (_what, options, code) => {
    let caught: unknown;
    try {
      deploymentStatements(options);
    } catch (e) {
      caught = e;
    }
    expect(isSmeError(caught) && caught.code).toBe(code);
  });
});

describe('upgradeStatements', () => {
  it('adds every column a table of the original 14 lacks, in catalog order, and nothing to a current table', () => {
    const original = METADATA_COLUMNS.slice(0, 14).map((c) => c.name);
    const upgrade = upgradeStatements('SME', original).map((s) => s.sql);
    expect(upgrade).toEqual(
      METADATA_COLUMNS.slice(14).map(
        (c) => `ALTER TABLE "SME"."SME_METADATA_AUTOPILOT_JOBS" ADD COLUMN "${c.name}" ${c.type}`,
      ),
    );
    expect(
      upgradeStatements(
        'SME',
        METADATA_COLUMNS.map((c) => c.name),
      ),
    ).toEqual([]);
  });

  it('also adds the columns an older endpoints table lacks, after the jobs table, when given its columns', () => {
    const jobs = METADATA_COLUMNS.map((c) => c.name);
    const older = ENDPOINT_COLUMNS.slice(0, 12).map((c) => c.name);
    const upgrade = upgradeStatements('SME', jobs, older);
    expect(upgrade.map((s) => s.sql)).toEqual(
      ENDPOINT_COLUMNS.slice(12).map(
        (c) => `ALTER TABLE "SME"."SME_METADATA_AUTOPILOT_ENDPOINTS" ADD COLUMN "${c.name}" ${c.type}`,
      ),
    );
    for (const s of upgrade) expect(s.description).toContain('"SME_METADATA_AUTOPILOT_ENDPOINTS"');
    const both = upgradeStatements(
      'SME',
      METADATA_COLUMNS.slice(0, 14).map((c) => c.name),
      older,
    ).map((s) => s.sql);
    expect(both[0]).toContain('"SME_METADATA_AUTOPILOT_JOBS"');
    expect(both.at(-1)).toContain('"SME_METADATA_AUTOPILOT_ENDPOINTS"');
  });

  it('leaves the endpoints table alone when its columns are not given (the two-argument call) or it has none', () => {
    const jobs = METADATA_COLUMNS.map((c) => c.name);
    expect(upgradeStatements('SME', jobs)).toEqual([]);
    expect(upgradeStatements('SME', jobs, [])).toEqual([]);
    expect(
      upgradeStatements(
        'SME',
        jobs,
        ENDPOINT_COLUMNS.map((c) => c.name),
      ),
    ).toEqual([]);
  });
});
