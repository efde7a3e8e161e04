import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveExasolOptions, type ResolvedExasol } from '@sme/exasol-adapter';
import { resolveCliSettings, type CliSettings } from './settings.js';

const FP = '135A1D2DCE102DE866F6E7E1A3E9A4F8D1A3C8E1F2B4D6C8E0A2B4C6D8E0F2A4';

/** What the Exasol adapter makes of the settings: the one place their precedence is decided. */
function exasolOf(s: CliSettings): ResolvedExasol {
  return resolveExasolOptions({ password: 'pw', ...s.exasol }, s.exasolEnv, s.exasolConfigured);
}

const dir = mkdtempSync(join(tmpdir(), 'sme-cli-settings-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function configFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('resolveCliSettings: flag > environment > config file > default', () => {
  const file = configFile(
    'full.json',
    JSON.stringify({
      dsn: 'file-host:8563',
      user: 'file_user',
      schema: 'file_schema',
      region: 'eu-west-1',
      'aws-endpoint-url': 'http://file:1',
      fingerprint: FP,
    }),
  );

  it('takes the config file when neither flag nor env var is set', () => {
    const s = resolveCliSettings({ config: file }, {});
    expect(s.exasol).toEqual({});
    expect(s.exasolConfigured).toEqual({ dsn: 'file-host:8563', user: 'file_user', fingerprint: FP });
    expect(exasolOf(s)).toMatchObject({ host: 'file-host', port: 8563, user: 'file_user', schema: undefined });
    expect(exasolOf(s).tls).toEqual({ mode: 'fingerprint', fingerprint: FP });
    expect(s.awsConfigured).toEqual({ region: 'eu-west-1', endpointUrl: 'http://file:1' });
    expect(s.aws).toEqual({});
    expect(s.schema).toBe('FILE_SCHEMA');
    expect(s.configFile).toBe(file);
  });

  it('leaves a key to the adapters’ env handling when its env var is set (env beats the file)', () => {
    // AWS values go to the AWS resolver as its config-file layer, below the environment (tested there).
    const env = { SME_DSN: 'env-host', SME_USER: 'env_user', AWS_REGION: 'us-west-2', SME_SCHEMA: 'env_schema' };
    const s = resolveCliSettings({ config: file }, env);
    expect(s.exasol.dsn).toBeUndefined();
    expect(s.exasol.user).toBeUndefined();
    // The file's fingerprint stays (no env var sets one); its address and user give way to SME_DSN and SME_USER.
    expect(exasolOf(s)).toMatchObject({ host: 'env-host', user: 'env_user', schema: undefined });
    expect(s.aws.region).toBeUndefined();
    expect(s.awsConfigured.region).toBe('eu-west-1');
    expect(s.schema).toBe('ENV_SCHEMA');
    // The session opens without a schema: SME_SCHEMA names sme's schema, not the session's.
    expect(s.exasolEnv.SME_SCHEMA).toBeUndefined();
    expect(s.exasolEnv.SME_DSN).toBe('env-host');
  });

  it('lets flags win over both', () => {
    const s = resolveCliSettings(
      { config: file, dsn: 'flag-host', user: 'flag_user', region: 'ap-south-1', schema: '"Mixed"' },
      { SME_DSN: 'env-host', SME_USER: 'env_user', AWS_REGION: 'us-west-2', SME_SCHEMA: 'env' },
    );
    expect([s.exasol.dsn, s.exasol.user, s.aws.region, s.schema]).toEqual([
      'flag-host',
      'flag_user',
      'ap-south-1',
      'Mixed',
    ]);
    expect(exasolOf(s)).toMatchObject({ host: 'flag-host', user: 'flag_user' });
  });

  it('reads the file named by SME_CONFIG and defaults the schema to SME', () => {
    const s = resolveCliSettings({ user: 'u' }, { SME_CONFIG: configFile('min.json', '{"host": "h", "port": 9000}') });
    expect(exasolOf(s)).toMatchObject({ host: 'h', port: 9000 });
    expect(s.schema).toBe('SME');
  });

  it('never takes a password from anywhere but flags and SME_PASSWORD', () => {
    const s = resolveCliSettings({ password: 'flag-secret' }, {});
    expect(s.exasol.password).toBe('flag-secret');
    const fromEnv = resolveCliSettings({ dsn: 'h', user: 'u' }, { SME_PASSWORD: 'x' });
    expect(fromEnv.exasol.password).toBeUndefined();
    // The adapter reads SME_PASSWORD itself.
    expect(resolveExasolOptions(fromEnv.exasol, fromEnv.exasolEnv, fromEnv.exasolConfigured).password).toBe('x');
  });

  it('lets SME_DSN win over a host in the config file', () => {
    const s = resolveCliSettings(
      { config: configFile('host.json', '{"host": "file-host", "user": "u"}') },
      { SME_DSN: 'env-host:8563' },
    );
    expect(exasolOf(s)).toMatchObject({ host: 'env-host', port: 8563, user: 'u' });
  });
});

describe('resolveCliSettings: bad configuration is a coded error', () => {
  const cases: [string, () => unknown, string, string][] = [
    [
      'a missing file',
      () => resolveCliSettings({ config: join(dir, 'absent.json') }, {}),
      'SME-E-CLI-CONFIG',
      'ENOENT',
    ],
    [
      'invalid JSON',
      () => resolveCliSettings({ config: configFile('bad.json', '{dsn:') }, {}),
      'SME-E-CLI-CONFIG',
      'not valid JSON',
    ],
    [
      'an array',
      () => resolveCliSettings({ config: configFile('arr.json', '[]') }, {}),
      'SME-E-CLI-CONFIG',
      'JSON object',
    ],
    [
      'a password',
      () => resolveCliSettings({ config: configFile('pw.json', '{"password": "hunter22"}') }, {}),
      'SME-E-CLI-CONFIG',
      'holds a password',
    ],
    [
      'an unknown key',
      () => resolveCliSettings({ config: configFile('typo.json', '{"dns": "h"}') }, {}),
      'SME-E-CLI-CONFIG',
      'unknown key "dns"',
    ],
    [
      'a number as a string',
      () => resolveCliSettings({ config: configFile('port.json', '{"port": "8563"}') }, {}),
      'SME-E-CLI-CONFIG',
      'must be a number',
    ],
    ['a bad schema name', () => resolveCliSettings({ schema: 'my schema' }, {}), 'SME-E-CLI-SCHEMA', 'my schema'],
  ];
  it.each(cases)('%s', (_name, resolve, code, text) => {
    let caught: unknown;
    try {
      resolve();
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code, kind: 'InvalidInput' });
    expect((caught as Error).message).toContain(text);
    expect((caught as Error).message).not.toContain('hunter22');
  });
});
