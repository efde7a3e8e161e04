import { describe, expect, it } from 'vitest';
import { resolveExasolOptions } from './exasol-config.js';
import type { ExasolOptions } from './exasol-config.js';
import { exasolUrl, loadDriver, socketOptions } from './exasol-driver.js';

const FP = 'AB'.repeat(32);
const resolved = (extra: ExasolOptions) => resolveExasolOptions({ dsn: 'db:9563', user: 'u', password: 'p', ...extra });

describe('exasolUrl', () => {
  it('uses wss:// unless TLS is off', () => {
    expect(exasolUrl(resolved({}))).toBe('wss://db:9563');
    expect(exasolUrl(resolved({ fingerprint: FP }))).toBe('wss://db:9563');
    expect(exasolUrl(resolved({ tls: false }))).toBe('ws://db:9563');
    expect(exasolUrl(resolveExasolOptions({ dsn: '[::1]:8563', user: 'u', password: 'p' }))).toBe('wss://[::1]:8563');
  });
});

describe('socketOptions', () => {
  it('keeps certificate verification on for system CAs and a CA file', () => {
    const system = socketOptions(resolved({}), undefined);
    expect(system.rejectUnauthorized).toBeUndefined();
    expect(system.handshakeTimeout).toBe(10_000);
    expect(system.perMessageDeflate).toBe(false);
    const ca = socketOptions(resolved({ caFile: '/ca.pem' }), 'PEM');
    expect(ca).toMatchObject({ ca: 'PEM' });
    expect(ca.rejectUnauthorized).toBeUndefined();
  });

  it('replaces chain verification by the fingerprint check when pinning', () => {
    const pinned = socketOptions(resolved({ fingerprint: FP, connectTimeoutMs: 500 }), undefined);
    expect(pinned.rejectUnauthorized).toBe(false);
    expect(typeof pinned.createConnection).toBe('function');
    expect(pinned.handshakeTimeout).toBe(500);
  });

  it('turns verification off only when asked to', () => {
    expect(socketOptions(resolved({ insecureSkipVerify: true }), undefined).rejectUnauthorized).toBe(false);
    expect(socketOptions(resolved({ dsn: 'db/nocertcheck' }), undefined).rejectUnauthorized).toBe(false);
  });
});

describe('loadDriver', () => {
  it('loads the CommonJS build once (the ESM build cannot log in under Node ESM)', () => {
    const driver = loadDriver();
    expect(typeof driver.ExasolDriver).toBe('function');
    expect(typeof driver.CreatePreparedStatementCommand).toBe('function');
    expect(loadDriver()).toBe(driver);
  });
});
