/**
 * TLS material of the AWS sandbox's `--aws-tls` mode: a CA made fresh for each start, and server certificates it
 * signs. Keys come from Node (native, fast); node-forge builds and signs the certificates (Node cannot).
 * The deliberately bad certificates (another host name, expired) exist so tests can watch the in-database check
 * refuse them; they are signed by the same CA, so the chain itself is trusted.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** Which server certificate the SageMaker endpoint presents. */
export type AwsTlsCertificateKind = 'valid' | 'other-host' | 'expired';

export const AWS_TLS_CERTIFICATE_KINDS: readonly AwsTlsCertificateKind[] = ['valid', 'other-host', 'expired'];

/** The host name the `other-host` certificate is issued for (a reserved name, RFC 2606). */
export const OTHER_HOST_NAME = 'other-host.invalid';

export interface AwsTlsMaterial {
  /** The CA's certificate: what clients must trust (`sme deploy --aws-ca-file`). */
  readonly caPem: string;
  /** Key and certificate of the S3 endpoint (always valid for `hostNames`). */
  readonly s3: { readonly key: string; readonly cert: string };
  /** Key and certificate of the SageMaker endpoint (as `kind` asks). */
  readonly sagemaker: { readonly key: string; readonly cert: string };
}

const DAY_MS = 86_400_000;

function rsaKeys(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function altName(name: string): { type: number; value?: string; ip?: string } {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) ? { type: 7, ip: name } : { type: 2, value: name };
}

/**
 * A fresh CA and server certificates for `hostNames` (DNS names or IPv4 addresses). `kind` decides the SageMaker
 * endpoint's certificate: `other-host` names only {@link OTHER_HOST_NAME}; `expired` ended yesterday.
 */
export function createAwsTlsMaterial(
  hostNames: readonly string[],
  kind: AwsTlsCertificateKind = 'valid',
): AwsTlsMaterial {
  const now = Date.now();
  const caKeys = rsaKeys();
  const caKey = forge.pki.privateKeyFromPem(caKeys.privateKey);
  const ca = forge.pki.createCertificate();
  ca.publicKey = forge.pki.publicKeyFromPem(caKeys.publicKey);
  ca.serialNumber = '01' + randomBytes(8).toString('hex');
  ca.validity.notBefore = new Date(now - DAY_MS);
  ca.validity.notAfter = new Date(now + 30 * DAY_MS);
  const caName = [
    { name: 'commonName', value: 'sme sandbox AWS CA ' + randomBytes(4).toString('hex') },
    { name: 'organizationName', value: 'sme sandbox' },
  ];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKey, forge.md.sha256.create());

  const leaf = (names: readonly string[], notBefore: number, notAfter: number): { key: string; cert: string } => {
    const keys = rsaKeys();
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
    cert.serialNumber = '02' + randomBytes(8).toString('hex');
    cert.validity.notBefore = new Date(notBefore);
    cert.validity.notAfter = new Date(notAfter);
    cert.setSubject([{ name: 'commonName', value: names[0] ?? 'localhost' }]);
    cert.setIssuer(ca.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map(altName) },
      { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
    ]);
    cert.sign(caKey, forge.md.sha256.create());
    return { key: keys.privateKey, cert: forge.pki.certificateToPem(cert) };
  };

  const good = leaf(hostNames, now - DAY_MS, now + 30 * DAY_MS);
  const sagemaker =
    kind === 'other-host'
      ? leaf([OTHER_HOST_NAME], now - DAY_MS, now + 30 * DAY_MS)
      : kind === 'expired'
        ? leaf(hostNames, now - 30 * DAY_MS, now - DAY_MS)
        : good;
  return { caPem: forge.pki.certificateToPem(ca), s3: good, sagemaker };
}
