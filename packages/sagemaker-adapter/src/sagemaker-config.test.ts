import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AWS_ERROR_CODES, isSmeError, type AwsErrorCode } from './core-api.js';
import { defaultRegionOf, partitionOfRegion, resolveSageMakerOptions } from './sagemaker-config.js';
import { SAGEMAKER_ERROR_CODES, type SageMakerErrorCode } from './sagemaker-error-codes.js';
import type { AwsSharedConfig, SageMakerEnv, SageMakerOptions } from './sagemaker-config.js';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isSmeError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

function errorOf(f: () => unknown): Error & { code?: string; details?: Record<string, unknown> } {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const shared: AwsSharedConfig = {
  configFile: {
    default: { region: 'eu-west-1' },
    ml: { region: 'eu-central-1', max_attempts: '5' },
    noregion: { sso_session: 'corp' },
  },
  credentialsFile: { keysonly: { aws_access_key_id: 'AKIA', aws_secret_access_key: 'x', region: 'ap-south-1' } },
};

describe('resolveSageMakerOptions: region precedence (option > AWS_REGION > AWS_DEFAULT_REGION > profile)', () => {
  const cases: readonly [string, SageMakerOptions, SageMakerEnv, AwsSharedConfig | undefined, string, string][] = [
    ['option wins over env', { region: 'us-east-1' }, { AWS_REGION: 'us-west-2' }, shared, 'us-east-1', 'region'],
    [
      'AWS_REGION over AWS_DEFAULT_REGION',
      {},
      { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-north-1' },
      shared,
      'us-west-2',
      'AWS_REGION',
    ],
    [
      'AWS_DEFAULT_REGION over profile',
      {},
      { AWS_DEFAULT_REGION: 'eu-north-1' },
      shared,
      'eu-north-1',
      'AWS_DEFAULT_REGION',
    ],
    ['default profile', {}, {}, shared, 'eu-west-1', 'profile:default'],
    ['named profile by option', { profile: 'ml' }, { AWS_PROFILE: 'default' }, shared, 'eu-central-1', 'profile:ml'],
    ['named profile by AWS_PROFILE', {}, { AWS_PROFILE: 'ml' }, shared, 'eu-central-1', 'profile:ml'],
    ['profile from the credentials file', { profile: 'keysonly' }, {}, shared, 'ap-south-1', 'profile:keysonly'],
    ['blank option falls through', { region: '  ' }, { AWS_REGION: 'us-west-2' }, undefined, 'us-west-2', 'AWS_REGION'],
  ];
  it.each(cases)('%s', (_name, options, env, files, region, source) => {
    const r = resolveSageMakerOptions(options, env, files);
    expect(r.region).toBe(region);
    expect(r.regionSource).toBe(source);
  });
});

describe('resolveSageMakerOptions: config file values sit below the environment, above the profile', () => {
  const configured = { region: 'sa-east-1', profile: 'ml', endpointUrl: 'http://file.local:1', maxAttempts: 4 };
  it('takes the configured values when neither option nor env var is set', () => {
    const r = resolveSageMakerOptions({}, {}, shared, configured);
    expect([r.region, r.regionSource, r.profile, r.endpoints.sagemaker, r.maxAttempts]).toEqual([
      'sa-east-1',
      'config:region',
      'ml',
      'http://file.local:1',
      4,
    ]);
  });
  it('lets env vars and options win over them', () => {
    const env = { AWS_REGION: 'us-west-2', AWS_PROFILE: 'default', AWS_ENDPOINT_URL: 'http://env.local:2' };
    const r = resolveSageMakerOptions({ maxAttempts: 2 }, env, shared, configured);
    expect([r.region, r.profile, r.endpoints.sagemaker, r.maxAttempts]).toEqual([
      'us-west-2',
      'default',
      'http://env.local:2',
      2,
    ]);
  });
  it('names the config key of a bad configured value', () => {
    expect(errorOf(() => resolveSageMakerOptions({}, {}, undefined, { region: 'Mars' })).details?.key).toBe(
      'config:region',
    );
  });
});

describe('resolveSageMakerOptions: endpoints (specific option > specific env > AWS_ENDPOINT_URL)', () => {
  it('uses the general env var for every service', () => {
    const r = resolveSageMakerOptions({ region: 'us-east-1' }, { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' });
    expect(r.endpoints).toEqual({
      sagemaker: 'http://127.0.0.1:5000',
      runtime: 'http://127.0.0.1:5000',
      s3: 'http://127.0.0.1:5000',
      sts: 'http://127.0.0.1:5000',
    });
    expect(r.s3ForcePathStyle).toBe(true);
  });
  it('prefers service env vars and options', () => {
    const r = resolveSageMakerOptions(
      { region: 'us-east-1', endpointUrl: 'http://sm.local:1' },
      {
        AWS_ENDPOINT_URL: 'http://all.local:9',
        AWS_ENDPOINT_URL_SAGEMAKER: 'http://sm-env.local:2',
        AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: 'http://rt.local:3',
        AWS_ENDPOINT_URL_S3: 'https://s3.local:4',
      },
    );
    expect(r.endpoints).toEqual({
      sagemaker: 'http://sm.local:1',
      runtime: 'http://rt.local:3',
      s3: 'https://s3.local:4',
      sts: 'http://all.local:9',
    });
  });
  it('ignores env endpoints when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true, but not options', () => {
    const r = resolveSageMakerOptions(
      { region: 'us-east-1', s3EndpointUrl: 'http://s3.local:4' },
      { AWS_ENDPOINT_URL: 'http://all.local:9', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
    );
    expect(r.endpoints).toEqual({ sagemaker: undefined, runtime: undefined, s3: 'http://s3.local:4', sts: undefined });
  });
  it('uses virtual-host S3 addressing against AWS unless told otherwise', () => {
    expect(resolveSageMakerOptions({ region: 'us-east-1' }).s3ForcePathStyle).toBe(false);
    expect(resolveSageMakerOptions({ region: 'us-east-1', s3ForcePathStyle: true }).s3ForcePathStyle).toBe(true);
  });
});

describe('resolveSageMakerOptions: retries', () => {
  it('defaults to 3 attempts, 100 ms base, 20 s cap', () => {
    const r = resolveSageMakerOptions({ region: 'us-east-1' });
    expect([r.maxAttempts, r.retryBaseDelayMs, r.retryMaxDelayMs]).toEqual([3, 100, 20_000]);
  });
  it('retries throttled calls in the SDK unless retryThrottling is false; takes nothing but a boolean', () => {
    expect(resolveSageMakerOptions({}).retryThrottling).toBe(true);
    expect(resolveSageMakerOptions({ retryThrottling: false }).retryThrottling).toBe(false);
    expect(() => resolveSageMakerOptions({ retryThrottling: 'no' as unknown as boolean })).toThrow(
      expect.objectContaining({
        code: 'SME-E-AWS-OPTION-INVALID',
        details: expect.objectContaining({ key: 'retryThrottling' }) as unknown,
      }),
    );
  });
  it('takes option > AWS_MAX_ATTEMPTS > profile max_attempts', () => {
    expect(resolveSageMakerOptions({ maxAttempts: 1 }, { AWS_MAX_ATTEMPTS: '7' }, shared).maxAttempts).toBe(1);
    expect(resolveSageMakerOptions({}, { AWS_MAX_ATTEMPTS: '7' }, shared).maxAttempts).toBe(7);
    expect(resolveSageMakerOptions({ profile: 'ml' }, {}, shared).maxAttempts).toBe(5);
  });
});

describe('resolveSageMakerOptions: coded errors naming the key and value', () => {
  const cases: readonly [string, SageMakerOptions, SageMakerEnv, AwsSharedConfig | undefined, string, string][] = [
    ['no region anywhere', {}, {}, undefined, 'SME-E-AWS-REGION-MISSING', 'region'],
    ['profile without region', { profile: 'noregion' }, {}, shared, 'SME-E-AWS-REGION-MISSING', 'region'],
    ['bad region option', { region: 'EU Central' }, {}, undefined, 'SME-E-AWS-REGION-INVALID', 'region'],
    ['bad AWS_REGION', {}, { AWS_REGION: 'eu_central_1' }, undefined, 'SME-E-AWS-REGION-INVALID', 'AWS_REGION'],
    ['unknown profile', { profile: 'nope' }, {}, shared, 'SME-E-AWS-PROFILE-NOT-FOUND', 'profile'],
    ['unknown AWS_PROFILE', {}, { AWS_PROFILE: 'nope' }, shared, 'SME-E-AWS-PROFILE-NOT-FOUND', 'AWS_PROFILE'],
    [
      'endpoint not a URL',
      { region: 'us-east-1', endpointUrl: 'localhost' },
      {},
      undefined,
      'SME-E-AWS-ENDPOINT-INVALID',
      'endpointUrl',
    ],
    [
      'endpoint env ftp',
      { region: 'us-east-1' },
      { AWS_ENDPOINT_URL_S3: 'ftp://x' },
      undefined,
      'SME-E-AWS-ENDPOINT-INVALID',
      'AWS_ENDPOINT_URL_S3',
    ],
    [
      'endpoint with query',
      { region: 'us-east-1', runtimeEndpointUrl: 'http://h/?a=1' },
      {},
      undefined,
      'SME-E-AWS-ENDPOINT-INVALID',
      'runtimeEndpointUrl',
    ],
    [
      'maxAttempts 0',
      { region: 'us-east-1', maxAttempts: 0 },
      {},
      undefined,
      'SME-E-AWS-OPTION-INVALID',
      'maxAttempts',
    ],
    [
      'maxAttempts 2.5',
      { region: 'us-east-1', maxAttempts: 2.5 },
      {},
      undefined,
      'SME-E-AWS-OPTION-INVALID',
      'maxAttempts',
    ],
    [
      'AWS_MAX_ATTEMPTS text',
      { region: 'us-east-1' },
      { AWS_MAX_ATTEMPTS: 'many' },
      undefined,
      'SME-E-AWS-OPTION-INVALID',
      'AWS_MAX_ATTEMPTS',
    ],
    [
      'negative base delay',
      { region: 'us-east-1', retryBaseDelayMs: -1 },
      {},
      undefined,
      'SME-E-AWS-OPTION-INVALID',
      'retryBaseDelayMs',
    ],
    [
      'empty secret',
      { region: 'us-east-1', credentials: { accessKeyId: 'AKIA', secretAccessKey: '' } },
      {},
      undefined,
      'SME-E-AWS-CREDENTIALS-INVALID',
      'credentials.secretAccessKey',
    ],
  ];
  // A missing region is no error of the options (a job or endpoint brings its own): the default region's is.
  it.each(cases)('%s', (_name, options, env, files, code, key) => {
    const e = errorOf(() => defaultRegionOf(resolveSageMakerOptions(options, env, files)));
    expect(e.code).toBe(code);
    expect(e.details?.key).toBe(key);
    // The catalog's one remedy beside the message; the message does not repeat the code.
    const catalog =
      code in SAGEMAKER_ERROR_CODES
        ? SAGEMAKER_ERROR_CODES[code as SageMakerErrorCode]
        : AWS_ERROR_CODES[code as AwsErrorCode];
    expect(e.details?.remedy).toBe(catalog.remedy);
    expect(e.message.startsWith('SME-E-')).toBe(false);
    expect(e.message).toContain(key);
  });

  it('resolves without a region, and says how to set one when the default region is needed', () => {
    const resolved = resolveSageMakerOptions({}, {});
    expect(resolved.region).toBeUndefined();
    const e = errorOf(() => defaultRegionOf(resolved));
    expect(e.message).toContain('profile [default]');
    expect(e.details?.remedy).toMatch(/--region.*AWS_REGION.*~\/\.aws\/config/);
  });

  it('names the value received', () => {
    expect(errorOf(() => resolveSageMakerOptions({}, { AWS_REGION: 'Mars-1' })).message).toContain("'Mars-1'");
  });
});

describe('resolveSageMakerOptions: secrets', () => {
  it('keeps credentials out of printing and serialisation', () => {
    const r = resolveSageMakerOptions({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'TOPSECRET', sessionToken: 'TOKEN' },
    });
    expect(r.credentials).toEqual({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'TOPSECRET', sessionToken: 'TOKEN' });
    expect(JSON.stringify(r)).not.toContain('TOPSECRET');
    expect(Object.keys(r)).not.toContain('credentials');
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.endpoints)).toBe(true);
  });

  it('never echoes a password given inside an endpoint URL', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{6,20}$/), (password) => {
        for (const raw of [`ftp://user:${password}@host`, `http://user:${password}@host:1`]) {
          const e = errorOf(() => resolveSageMakerOptions({ region: 'us-east-1', s3EndpointUrl: raw }));
          expect(e.message).not.toContain(password);
          expect(JSON.stringify(e.details)).not.toContain(password);
        }
      }),
    );
  });

  it('never echoes credential values in errors', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9/+]{8,40}$/), (secret) => {
        const e = errorOf(() =>
          resolveSageMakerOptions({ region: 'us-east-1', credentials: { accessKeyId: '', secretAccessKey: secret } }),
        );
        expect(e.message).not.toContain(secret);
      }),
    );
  });
});

describe('region validation (property)', () => {
  it('either accepts a region verbatim or rejects it with SME-E-AWS-REGION-INVALID', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (region) => {
        fc.pre(region.trim() !== '');
        const code = codeOf(() => resolveSageMakerOptions({ region }));
        if (code === 'no error') expect(resolveSageMakerOptions({ region }).region).toBe(region.trim());
        else expect(code).toBe('SME-E-AWS-REGION-INVALID');
      }),
    );
  });
  it('accepts every real-looking region', () => {
    const region = fc
      .tuple(
        fc.constantFrom('us', 'eu', 'ap', 'cn', 'us-gov', 'il', 'mx'),
        fc.constantFrom('east', 'west', 'central', 'southeast', 'north'),
        fc.integer({ min: 1, max: 9 }),
      )
      .map(([a, b, n]) => `${a}-${b}-${n}`);
    fc.assert(fc.property(region, (r) => resolveSageMakerOptions({ region: r }).region === r));
  });
});

describe('partitionOfRegion', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('%s → %s', (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
    expect(resolveSageMakerOptions({ region }).partition).toBe(partition);
  });
});
