import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createSageMakerAdapters } from './sagemaker-adapters.js';
import { defaultRegionOf, loadSageMakerOptions, resolveSageMakerOptions } from './sagemaker-config.js';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');

describe('lazy loading of the AWS SDK', () => {
  it('has no static value import of an AWS SDK or smithy module in the sources', () => {
    for (const file of readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const text = readFileSync(join(here, file), 'utf8');
      const staticImports = [...text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(@aws-sdk|@smithy)\/[^']+';/gms)];
      expect(staticImports.map((m) => `${file}: ${m[0]}`)).toEqual([]);
    }
  });

  it('loads no SDK module when the built package is imported', () => {
    // Needs the build (nx runs it before the tests): a missing build is an error here, not a silent skip.
    if (!existsSync(join(dist, 'index.js')))
      throw new Error(`${dist} is missing: run npx nx run @sme/sagemaker-adapter:build first`);
    const script = `
      import { createRequire } from 'node:module';
      const m = await import(${JSON.stringify(join(dist, 'index.js'))});
      m.createSageMakerAdapters(m.resolveSageMakerOptions({ region: 'us-east-1' }));
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => /@aws-sdk|@smithy/.test(k));
      process.stdout.write(JSON.stringify(loaded));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });
});

describe('loadSageMakerOptions reads the AWS profile files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sme-aws-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const config = join(dir, 'config');
  const creds = join(dir, 'credentials');
  writeFileSync(config, '[default]\nregion = eu-west-3\n\n[profile ml]\nregion = eu-central-1\nmax_attempts = 6\n');
  writeFileSync(creds, '[ml]\naws_access_key_id = AKIAFILE\naws_secret_access_key = filesecret\n');
  const env = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: creds };

  it('takes region and max_attempts from the named profile', async () => {
    const r = await loadSageMakerOptions({ profile: 'ml' }, env);
    expect([r.region, r.regionSource, r.maxAttempts, r.profile]).toEqual(['eu-central-1', 'profile:ml', 6, 'ml']);
    expect(JSON.stringify(r)).not.toContain('filesecret');
  });
  it('falls back to the default profile, and env beats the file', async () => {
    expect((await loadSageMakerOptions({}, env)).region).toBe('eu-west-3');
    expect((await loadSageMakerOptions({}, { ...env, AWS_REGION: 'us-west-1' })).region).toBe('us-west-1');
  });
  it('rejects an unknown profile with SME-E-AWS-PROFILE-NOT-FOUND', async () => {
    await expect(loadSageMakerOptions({}, { ...env, AWS_PROFILE: 'typo' })).rejects.toMatchObject({
      code: 'SME-E-AWS-PROFILE-NOT-FOUND',
      details: { key: 'AWS_PROFILE', value: 'typo' },
    });
  });
  it('resolves without a region when no file has one; the default region is then missing', async () => {
    const r = await loadSageMakerOptions(
      {},
      { AWS_CONFIG_FILE: join(dir, 'absent'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'absent2') },
    );
    expect(r.region).toBeUndefined();
    expect(() => defaultRegionOf(r)).toThrow(expect.objectContaining({ code: 'SME-E-AWS-REGION-MISSING' }));
  });
});

describe('createSageMakerAdapters: a port per (connection, region)', () => {
  const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };

  it('makes one port per region for every service, whatever the connection name', () => {
    const aws = createSageMakerAdapters(resolveSageMakerOptions({ region: 'eu-west-1', credentials }));
    try {
      for (const factory of [aws.automl, aws.endpoints, aws.transforms, aws.inference, aws.objects, aws.identity]) {
        const eu = factory({ connectionName: 'A', region: 'eu-west-1' });
        expect(factory({ connectionName: 'B', region: 'eu-west-1' })).toBe(eu);
        // No region (or an empty one) is the default region's port.
        expect(factory()).toBe(eu);
        expect(factory({ connectionName: '', region: '' })).toBe(eu);
        expect(factory({ region: 'us-east-1' })).not.toBe(eu);
      }
    } finally {
      aws.close();
    }
  });

  it('without a default region, only calls that name no region fail (SME-E-AWS-REGION-MISSING)', () => {
    const aws = createSageMakerAdapters(resolveSageMakerOptions({ credentials }));
    try {
      expect(aws.options.region).toBeUndefined();
      expect(() => aws.endpoints()).toThrow(expect.objectContaining({ code: 'SME-E-AWS-REGION-MISSING' }));
      expect(() => aws.objects({ connectionName: 'C', region: '' })).toThrow(
        expect.objectContaining({ code: 'SME-E-AWS-REGION-MISSING' }),
      );
      expect(aws.endpoints({ region: 'eu-central-1' })).toBeDefined();
    } finally {
      aws.close();
    }
  });

  it('fails every call after close with SME-E-AWS-CLOSED', async () => {
    const aws = createSageMakerAdapters(resolveSageMakerOptions({ region: 'eu-west-1', credentials }));
    const endpoints = aws.endpoints();
    aws.close();
    await expect(endpoints.describeEndpoint('x')).rejects.toMatchObject({
      code: 'SME-E-AWS-CLOSED',
      details: { remedy: 'Create new adapters with createSageMakerAdapters().' },
    });
  });
});
