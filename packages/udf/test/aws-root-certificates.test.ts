import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSmeError } from '@sme/core';
import { checkedCaPem } from '../src/deploy/aws-call-udf-script.js';
import { AWS_ROOT_CERTIFICATES, awsRootCertificatesPem } from '../src/lua/aws/aws-root-certificates.js';
import { pemBlocks } from '../src/lua/aws/pem-blocks.js';

describe('AWS root certificates baked into the UDFs', () => {
  it.each(AWS_ROOT_CERTIFICATES.map((r) => [r.name, r] as const))(
    '%s: the PEM is that root, with the noted fingerprint and expiry, self-signed and a CA',
    (name, root) => {
      const cert = new X509Certificate(root.pem);
      expect(cert.subject).toContain(`CN=${name}`);
      expect(cert.fingerprint256).toBe(root.sha256);
      expect(new Date(cert.validTo).toISOString().replace('.000', '')).toBe(root.expires);
      expect(cert.ca).toBe(true);
      expect(cert.checkIssued(cert) && cert.verify(cert.publicKey)).toBe(true);
    },
  );

  it('are the five roots AWS endpoints chain to, all as one PEM text', () => {
    expect(AWS_ROOT_CERTIFICATES.map((r) => r.name)).toEqual([
      'Amazon Root CA 1',
      'Amazon Root CA 2',
      'Amazon Root CA 3',
      'Amazon Root CA 4',
      'Starfield Services Root Certificate Authority - G2',
    ]);
    expect(pemBlocks(awsRootCertificatesPem())).toEqual(AWS_ROOT_CERTIFICATES.map((r) => r.pem));
  });
});

describe('checkedCaPem (sme deploy --aws-ca-file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sme-ca-check-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Good CA',
    '-keyout',
    join(dir, 'ca.key'),
    '-out',
    join(dir, 'ca.pem'),
  );
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=leaf',
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-keyout',
    join(dir, 'leaf.key'),
    '-out',
    join(dir, 'leaf.pem'),
  );
  const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
  const leaf = readFileSync(join(dir, 'leaf.pem'), 'utf8');

  it('keeps only the certificates of a valid CA file (text around them dropped)', () => {
    expect(checkedCaPem(`# corporate CA\n${ca}\ntrailing words`)).toBe(pemBlocks(ca).join(''));
    expect(checkedCaPem(ca + ca)).toBe(pemBlocks(ca).join('').repeat(2));
  });

  const refused: [string, () => string, RegExp, Date?][] = [
    ['an empty file', () => '', /holds no PEM certificate/],
    ['a damaged certificate', () => ca.replace(/^M.{10}/m, 'MIIBroken!!'), /certificate 1 cannot be parsed/],
    ['a certificate that is not a CA', () => ca + leaf, /certificate 2 \(CN=leaf\) is not a CA certificate/],
    ['an expired CA', () => ca, /certificate 1 \(CN=Good CA\) expired on/, new Date(Date.now() + 5 * 86_400_000)],
    ['a private key', () => ca + readFileSync(join(dir, 'ca.key'), 'utf8'), /holds a private key/],
  ];
  it.each(refused)('refuses %s with SME-E-UDF-CA-INVALID', (_what, text, message, now) => {
    let error: unknown;
    try {
      checkedCaPem(text(), now);
    } catch (e) {
      error = e;
    }
    expect(isSmeError(error) && error.code).toBe('SME-E-UDF-CA-INVALID');
    expect((error as Error).message).toMatch(message);
  });
});
