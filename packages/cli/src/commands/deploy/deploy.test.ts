import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSmeError } from '@sme/core';
import { createOutput } from '../../output.js';
import type { Runtime } from '../../runtime/session.js';
import type { DeployArgs } from './deploy-args.js';
import { run as runEndpointDeploy } from '../endpoint/deploy.js';
import { deployReport, run } from './deploy.js';

const runtime: Runtime = {
  env: {},
  stdin: { isTTY: false } as Runtime['stdin'],
  stderr: { write: () => true },
};

function printed(args: Partial<DeployArgs>): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const output = createOutput(false, { stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => true } });
  return run({ json: false, verbose: false, print: true, schema: 'SME', ...args }, output, runtime).then((code) => ({
    code,
    text: out.join(''),
  }));
}

describe('sme deploy --aws-ca-file', () => {
  let dir: string;
  let caPem: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sme-deploy-ca-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Deploy Test CA'].concat([
        '-keyout',
        join(dir, 'ca.key'),
        '-out',
        join(dir, 'ca.pem'),
      ]),
      { stdio: 'ignore' },
    );
    caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
  });

  it('bakes the file’s certificates into the AWS-call UDF next to AWS’s roots', async () => {
    const base64Line = caPem.split('\n')[1] ?? '';
    const without = await printed({});
    expect(without.text).not.toContain(base64Line);
    expect(without.text).not.toContain('extraRootsPem = "-----BEGIN CERTIFICATE-----');
    const withCa = await printed({ awsCaFile: join(dir, 'ca.pem') });
    expect(withCa.code).toBe(0);
    expect(withCa.text).toContain('extraRootsPem = "-----BEGIN CERTIFICATE-----');
    expect(withCa.text).toContain(base64Line);
  });

  it('refuses an unreadable file with SME-E-CLI-CA-FILE and a private key with SME-E-UDF-CA-INVALID', async () => {
    const missing = await printed({ awsCaFile: join(dir, 'nope.pem') }).catch((e: unknown) => e);
    expect(isSmeError(missing) && missing.code).toBe('SME-E-CLI-CA-FILE');
    writeFileSync(join(dir, 'with-key.pem'), caPem + readFileSync(join(dir, 'ca.key'), 'utf8'));
    const withKey = await printed({ awsCaFile: join(dir, 'with-key.pem') }).catch((e: unknown) => e);
    expect(isSmeError(withKey) && withKey.code).toBe('SME-E-UDF-CA-INVALID');
    expect((withKey as Error).message).not.toContain('PRIVATE KEY-----\nMII');
  });

  it('sme endpoint deploy --udf-aws-ca-file checks the file the same way, before any connection opens', async () => {
    const output = createOutput(false, { stdout: { write: () => true }, stderr: { write: () => true } });
    const endpointDeploy = (file: string) =>
      runEndpointDeploy(
        {
          json: false,
          verbose: false,
          job: 'churn-202601020304',
          endpointName: 'churn-ep',
          instanceType: 'ml.m5.large',
          instanceCount: 1,
          udfSchema: 'ML',
          udfAwsCaFile: file,
        },
        output,
        runtime,
      ).catch((e: unknown) => e);
    const missing = await endpointDeploy(join(dir, 'nope.pem'));
    expect(isSmeError(missing) && missing.code).toBe('SME-E-CLI-CA-FILE');
    expect((missing as Error).message).toContain("--udf-aws-ca-file '");
    writeFileSync(join(dir, 'ca-and-key.pem'), caPem + readFileSync(join(dir, 'ca.key'), 'utf8'));
    const withKey = await endpointDeploy(join(dir, 'ca-and-key.pem'));
    expect(isSmeError(withKey) && withKey.code).toBe('SME-E-UDF-CA-INVALID');
  });
});

describe('sme deploy says what existed', () => {
  const descriptions = [
    'schema "SME"',
    'table "SME"."SME_METADATA_AUTOPILOT_JOBS"',
    'table "SME"."SME_METADATA_AUTOPILOT_INSIGHTS"',
    'scripting program that starts an Autopilot job: "SME"."SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT"',
    'scripting library: "SME"."SME_LIBRARY"',
  ];

  it('a first deployment creates everything', () => {
    expect(deployReport(descriptions, { schema: false, names: new Set() })).toEqual({
      created: descriptions,
      replaced: [],
      kept: [],
    });
  });

  it('a redeployment keeps the schema and tables and replaces the scripts; a new object is created', () => {
    const existing = {
      schema: true,
      names: new Set(['SME_METADATA_AUTOPILOT_JOBS', 'SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT']),
    };
    expect(deployReport(descriptions, existing)).toEqual({
      created: [descriptions[2], descriptions[4]],
      replaced: [descriptions[3]],
      kept: [descriptions[0], descriptions[1]],
    });
  });
});
