import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseFingerprint, parseDsn } from './exasol-dsn.js';

const FP = '135A1D2DCE102DE866F6E7E1A3E9A4F8D1A3C8E1F2B4D6C8E0A2B4C6D8E0F2A4';
const FP_COLONS = FP.match(/../g)?.join(':').toLowerCase() ?? '';

describe('normaliseFingerprint', () => {
  it('accepts upper/lower case with or without colons and gives 64 upper-case hex digits', () => {
    expect(normaliseFingerprint(FP)).toBe(FP);
    expect(normaliseFingerprint(FP_COLONS)).toBe(FP);
    expect(normaliseFingerprint(` ${FP.toLowerCase()} `)).toBe(FP);
  });

  it('rejects anything that is not 32 bytes of hex', () => {
    expect(normaliseFingerprint(FP.slice(1))).toBeUndefined();
    expect(normaliseFingerprint(`${FP}00`)).toBeUndefined();
    expect(normaliseFingerprint(FP.replace('A', 'G'))).toBeUndefined();
    expect(normaliseFingerprint('')).toBeUndefined();
  });

  it('is idempotent and insensitive to case and colon placement (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.boolean(),
        fc.boolean(),
        (bytes, colons, lower) => {
          const hex = Buffer.from(bytes).toString('hex').toUpperCase();
          let text = colons ? (hex.match(/../g) ?? []).join(':') : hex;
          if (lower) text = text.toLowerCase();
          const normal = normaliseFingerprint(text);
          expect(normal).toBe(hex);
          expect(normaliseFingerprint(normal ?? '')).toBe(hex);
        },
      ),
    );
  });
});

describe('parseDsn', () => {
  it.each([
    ['localhost', { host: 'localhost', port: undefined, certCheck: undefined }],
    ['localhost:8563', { host: 'localhost', port: 8563, certCheck: undefined }],
    ['10.0.0.5:1', { host: '10.0.0.5', port: 1, certCheck: undefined }],
    [`exa.example.com/${FP}:8563`, { host: 'exa.example.com', port: 8563, certCheck: { fingerprint: FP } }],
    [
      `exa.example.com/${FP.toLowerCase()}`,
      { host: 'exa.example.com', port: undefined, certCheck: { fingerprint: FP } },
    ],
    ['db/nocertcheck:9000', { host: 'db', port: 9000, certCheck: 'nocertcheck' }],
    ['db/NoCertCheck', { host: 'db', port: undefined, certCheck: 'nocertcheck' }],
    ['[::1]:8563', { host: '[::1]', port: 8563, certCheck: undefined }],
    [`[fe80::1]/${FP}:8563`, { host: '[fe80::1]', port: 8563, certCheck: { fingerprint: FP } }],
  ])('parses %s', (dsn, expected) => {
    expect(parseDsn(dsn)).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['host:0', 'port 0'],
    ['host:65536', 'port too large'],
    ['host:85x', 'port not digits'],
    ['host:', 'empty port'],
    ['host/ABC:8563', 'short fingerprint'],
    ['exa1..3:8563', 'host range'],
    ['exa1,exa2:8563', 'host list'],
    ['ho st:8563', 'space in host'],
    ['::1', 'bare IPv6'],
  ])('rejects %s (%s) with SME-E-EXA-OPTION-INVALID naming the key', (dsn) => {
    try {
      parseDsn(dsn, 'SME_DSN');
      expect.unreachable('should throw');
    } catch (error) {
      expect((error as { code: string }).code).toBe('SME-E-EXA-OPTION-INVALID');
      expect((error as Error).message).toContain('SME_DSN');
      expect((error as { details: { key: string } }).details.key).toBe('SME_DSN');
    }
  });

  const hostArb = fc
    .array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/), { minLength: 1, maxLength: 4 })
    .map((labels) => labels.join('.'));
  const certArb = fc.oneof(
    fc.constant(undefined),
    fc.constant('nocertcheck' as const),
    fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((b) => ({ fingerprint: Buffer.from(b).toString('hex').toUpperCase() })),
  );

  it('round-trips every well-formed DSN (property)', () => {
    fc.assert(
      fc.property(
        hostArb,
        fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        certArb,
        (host, port, cert) => {
          const certText = cert === undefined ? '' : cert === 'nocertcheck' ? '/nocertcheck' : `/${cert.fingerprint}`;
          const dsn = `${host}${certText}${port === undefined ? '' : `:${port}`}`;
          expect(parseDsn(dsn)).toEqual({ host, port, certCheck: cert });
        },
      ),
    );
  });

  it('either parses or throws a coded error, never anything else (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        try {
          const parsed = parseDsn(text);
          expect(parsed.host.length).toBeGreaterThan(0);
        } catch (error) {
          expect((error as { code?: string }).code).toBe('SME-E-EXA-OPTION-INVALID');
        }
      }),
    );
  });
});
