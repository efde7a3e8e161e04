import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeExasol, needsPasswordPrompt, pickExasolOptions, resolveExasolOptions } from './exasol-config.js';
import type { ConfiguredExasolOptions, ExasolEnv, ExasolOptions } from './exasol-config.js';

const FP = '135A1D2DCE102DE866F6E7E1A3E9A4F8D1A3C8E1F2B4D6C8E0A2B4C6D8E0F2A4';
const FP_COLONS = FP.match(/../g)?.join(':').toLowerCase() ?? '';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('resolveExasolOptions', () => {
  const base: ExasolOptions = { user: 'sys', password: 'exasol' };

  it('applies defaults: port 8563, system CAs, no compression, frozen result', () => {
    const r = resolveExasolOptions({ ...base, dsn: 'db' });
    expect(r).toEqual({
      host: 'db',
      port: 8563,
      user: 'sys',
      password: 'exasol',
      schema: undefined,
      tls: { mode: 'system-ca' },
      compression: false,
      connectTimeoutMs: 10_000,
    });
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.tls)).toBe(true);
  });

  it('reads SME_DSN, SME_USER, SME_PASSWORD, SME_SCHEMA from the environment', () => {
    const env: ExasolEnv = { SME_DSN: `exa/${FP}:9563`, SME_USER: 'u', SME_PASSWORD: 'p', SME_SCHEMA: 'SME' };
    const r = resolveExasolOptions({}, env);
    expect(r).toMatchObject({ host: 'exa', port: 9563, user: 'u', password: 'p', schema: 'SME' });
    expect(r.tls).toEqual({ mode: 'fingerprint', fingerprint: FP });
  });

  it('prefers options over the environment', () => {
    const env: ExasolEnv = { SME_DSN: 'envhost', SME_USER: 'envuser', SME_PASSWORD: 'envpw', SME_SCHEMA: 'ENV' };
    const r = resolveExasolOptions({ dsn: 'opthost:1', user: 'optuser', password: 'optpw', schema: 'OPT' }, env);
    expect(r).toMatchObject({ host: 'opthost', port: 1, user: 'optuser', password: 'optpw', schema: 'OPT' });
  });

  it('uses --host/--port and then ignores SME_DSN', () => {
    const r = resolveExasolOptions({ ...base, host: 'h', port: 7000 }, { SME_DSN: 'other:1' });
    expect(r).toMatchObject({ host: 'h', port: 7000 });
  });

  it('maps each TLS choice', () => {
    expect(resolveExasolOptions({ ...base, dsn: 'h', fingerprint: FP_COLONS }).tls).toEqual({
      mode: 'fingerprint',
      fingerprint: FP,
    });
    expect(resolveExasolOptions({ ...base, dsn: 'h', caFile: '/ca.pem' }).tls).toEqual({
      mode: 'ca-file',
      caFile: '/ca.pem',
    });
    expect(resolveExasolOptions({ ...base, dsn: 'h', insecureSkipVerify: true }).tls).toEqual({ mode: 'insecure' });
    expect(resolveExasolOptions({ ...base, dsn: 'h/nocertcheck' }).tls).toEqual({ mode: 'insecure' });
    expect(resolveExasolOptions({ ...base, dsn: 'h', tls: false }).tls).toEqual({ mode: 'none' });
    expect(resolveExasolOptions({ ...base, dsn: `h/${FP}`, fingerprint: FP.toLowerCase() }).tls).toEqual({
      mode: 'fingerprint',
      fingerprint: FP,
    });
  });

  it.each<[string, ExasolOptions, ExasolEnv, string, string]>([
    ['no host at all', { user: 'u', password: 'p' }, {}, 'SME-E-EXA-OPTION-MISSING', 'dsn'],
    ['no user', { dsn: 'h', password: 'p' }, {}, 'SME-E-EXA-OPTION-MISSING', 'user'],
    ['no password', { dsn: 'h', user: 'u' }, {}, 'SME-E-EXA-OPTION-MISSING', 'password'],
    ['blank SME_PASSWORD', { dsn: 'h', user: 'u' }, { SME_PASSWORD: ' ' }, 'SME-E-EXA-OPTION-MISSING', 'password'],
    ['dsn and host', { ...base, dsn: 'a', host: 'b' }, {}, 'SME-E-EXA-OPTION-CONFLICT', 'dsn and host'],
    ['two ports', { ...base, dsn: 'a:1', port: 2 }, {}, 'SME-E-EXA-OPTION-CONFLICT', 'port and the DSN port'],
    ['bad port option', { ...base, dsn: 'a', port: 70000 }, {}, 'SME-E-EXA-OPTION-INVALID', 'port'],
    ['fractional port', { ...base, dsn: 'a', port: 85.5 }, {}, 'SME-E-EXA-OPTION-INVALID', 'port'],
    ['bad fingerprint', { ...base, dsn: 'a', fingerprint: 'abc' }, {}, 'SME-E-EXA-OPTION-INVALID', 'fingerprint'],
    ['bad SME_DSN', { ...base }, { SME_DSN: 'a:b' }, 'SME-E-EXA-OPTION-INVALID', 'SME_DSN'],
    ['bad host', { ...base, host: 'a b' }, {}, 'SME-E-EXA-OPTION-INVALID', 'host'],
    [
      'two different fingerprints',
      { ...base, dsn: `a/${FP}`, fingerprint: FP.replace('1', '2') },
      {},
      'SME-E-EXA-OPTION-CONFLICT',
      'fingerprint and the DSN fingerprint',
    ],
    [
      'fingerprint and CA file',
      { ...base, dsn: 'a', fingerprint: FP, caFile: 'x' },
      {},
      'SME-E-EXA-OPTION-CONFLICT',
      'fingerprint and caFile',
    ],
    [
      'nocertcheck and CA file',
      { ...base, dsn: 'a/nocertcheck', caFile: 'x' },
      {},
      'SME-E-EXA-OPTION-CONFLICT',
      'insecureSkipVerify (or /nocertcheck) and caFile',
    ],
    [
      'no TLS but pinning',
      { ...base, dsn: `a/${FP}`, tls: false },
      {},
      'SME-E-EXA-OPTION-CONFLICT',
      'tls=false and fingerprint',
    ],
    ['bad timeout', { ...base, dsn: 'a', connectTimeoutMs: 0 }, {}, 'SME-E-EXA-OPTION-INVALID', 'connectTimeoutMs'],
  ])('%s → %s naming %s', (_name, options, env, code, key) => {
    try {
      resolveExasolOptions(options, env);
      expect.unreachable('should throw');
    } catch (error) {
      const e = error as { code: string; kind: string; message: string; details: { key: string } };
      expect(e.code).toBe(code);
      expect(e.kind).toBe('InvalidInput');
      expect(e.details.key).toBe(key);
    }
  });

  it('never puts the password into an error', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6, maxLength: 30 }), fc.string({ maxLength: 30 }), (password, dsn) => {
        try {
          resolveExasolOptions({ dsn, user: 'u', password, port: 99999 });
        } catch (error) {
          expect(
            JSON.stringify({ m: (error as Error).message, d: (error as { details?: unknown }).details }),
          ).not.toContain(JSON.stringify(password).slice(1, -1));
        }
      }),
    );
  });

  it('describes settings without the password', () => {
    const r = resolveExasolOptions({ dsn: `h/${FP}`, user: 'u', password: 'Secret-123', schema: 'S' });
    const text = describeExasol(r);
    expect(text).toBe(`u@h:8563 (tls: fingerprint ${FP}, schema S)`);
    expect(text).not.toContain('Secret-123');
  });

  it('tells the CLI when to prompt', () => {
    expect(needsPasswordPrompt({}, {})).toBe(true);
    expect(needsPasswordPrompt({ password: '' }, {})).toBe(true);
    expect(needsPasswordPrompt({ password: 'x' }, {})).toBe(false);
    expect(needsPasswordPrompt({}, { SME_PASSWORD: 'x' })).toBe(false);
    expect(codeOf(() => resolveExasolOptions({ dsn: 'h', user: 'u' }, {}))).toBe('SME-E-EXA-OPTION-MISSING');
  });
});

describe('resolveExasolOptions: option > environment variable > configured value > default', () => {
  // What a config file gives (the `sme` CLI's --config): the layer below the environment.
  const configured: ConfiguredExasolOptions = {
    dsn: 'file-host:8563',
    user: 'file_user',
    schema: 'FILE_SCHEMA',
    fingerprint: FP,
    compression: true,
  };

  it('takes the configured values when neither option nor env var is set', () => {
    const r = resolveExasolOptions({ password: 'p' }, {}, configured);
    expect(r).toMatchObject({ host: 'file-host', port: 8563, user: 'file_user', schema: 'FILE_SCHEMA' });
    expect(r.tls).toEqual({ mode: 'fingerprint', fingerprint: FP });
    expect(r.compression).toBe(true);
  });

  it('lets the environment beat the configured values', () => {
    const env: ExasolEnv = { SME_DSN: 'env-host', SME_USER: 'env_user', SME_SCHEMA: 'ENV', SME_PASSWORD: 'p' };
    expect(resolveExasolOptions({}, env, configured)).toMatchObject({
      host: 'env-host',
      user: 'env_user',
      schema: 'ENV',
    });
    // The address comes whole from one layer: SME_DSN also wins over a configured host and port.
    expect(resolveExasolOptions({}, env, { host: 'file-host', user: 'u' })).toMatchObject({
      host: 'env-host',
      port: 8563,
    });
  });

  it('lets options beat both', () => {
    const env: ExasolEnv = { SME_DSN: 'env-host', SME_USER: 'env_user', SME_SCHEMA: 'ENV' };
    const r = resolveExasolOptions(
      { host: 'flag-host', port: 9000, user: 'flag_user', password: 'p', schema: 'FLAG', compression: false },
      env,
      configured,
    );
    expect(r).toMatchObject({ host: 'flag-host', port: 9000, user: 'flag_user', schema: 'FLAG', compression: false });
  });

  it('takes a configured host and port', () => {
    expect(resolveExasolOptions({ user: 'u', password: 'p' }, {}, { host: 'h', port: 9000 })).toMatchObject({
      host: 'h',
      port: 9000,
    });
  });

  it('names the configured key in its errors', () => {
    let caught: unknown;
    try {
      resolveExasolOptions({ user: 'u', password: 'p' }, {}, { dsn: 'a..b' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'SME-E-EXA-OPTION-INVALID', details: { key: 'config:dsn' } });
    expect(codeOf(() => resolveExasolOptions({ user: 'u', password: 'p' }, {}, { dsn: 'a', host: 'b' }))).toBe(
      'SME-E-EXA-OPTION-CONFLICT',
    );
  });

  it('takes a password from the option or SME_PASSWORD only', () => {
    const withPassword = { ...configured, password: 'from-file' } as ConfiguredExasolOptions;
    expect(pickExasolOptions({}, {}, withPassword).password).toBeUndefined();
    expect(pickExasolOptions({ password: 'flag' }, { SME_PASSWORD: 'env' }).password).toBe('flag');
    expect(pickExasolOptions({}, { SME_PASSWORD: 'env' }, withPassword).password).toBe('env');
  });

  it('picks each setting from its first layer, unvalidated, for a caller that needs one before connecting', () => {
    expect(pickExasolOptions({ user: 'flag' }, { SME_SCHEMA: 'ENV', SME_USER: 'env' }, configured)).toEqual({
      dsn: 'file-host:8563',
      user: 'flag',
      schema: 'ENV',
      fingerprint: FP,
      compression: true,
    });
  });
});
