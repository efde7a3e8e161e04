/**
 * Verifies an HTTPS peer in memory, because Exasol's Lua cannot read a CA file (Exasol's Lua rule L3, packages/sandbox/README.md): the roots are
 * PEM text baked into the deployed UDF, the server's chain comes from LuaSec (`conn:getpeerchain()`), and luaossl's
 * X.509 store checks signatures, CA constraints and validity dates. Then the host name is matched against the
 * certificate's names (`tls-names.ts`, RFC 6125). Any failure throws `TlsVerificationError` before a byte is sent.
 */
import { pemBlocks } from '../aws/pem-blocks.js';
import { hostNameMismatch, type CertificateNames } from '../aws/tls-names.js';
import { TlsVerificationError } from '../aws/http-port.js';
import { amzDate } from '../sigv4/sigv4.js';
import type {
  LuaSslConnection,
  OpensslX509ChainModule,
  OpensslX509Cert,
  OpensslX509Module,
  OpensslX509Store,
  OpensslX509StoreModule,
} from './lua-libs.js';

// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- `this: void`: called by Lua's pcall without self
function opensslModule<T>(loadPublic: (this: void) => T, loadCore: (this: void) => T): T {
  const [ok, found] = pcall(loadPublic);
  return ok ? found : loadCore();
}

interface X509Modules {
  readonly x509: OpensslX509Module;
  readonly store: OpensslX509StoreModule;
  readonly chain: OpensslX509ChainModule;
}

/** luaossl's X.509 modules by their documented names, else by their C cores' (`_openssl.x509.cert`, …; §3b L4). */
function x509Modules(): X509Modules {
  /* eslint-disable @typescript-eslint/no-require-imports -- Lua's own require of native modules */
  return {
    x509: opensslModule(
      () => require('openssl.x509') as OpensslX509Module,
      () => require('_openssl.x509.cert') as OpensslX509Module,
    ),
    store: opensslModule(
      () => require('openssl.x509.store') as OpensslX509StoreModule,
      () => require('_openssl.x509.store') as OpensslX509StoreModule,
    ),
    chain: opensslModule(
      () => require('openssl.x509.chain') as OpensslX509ChainModule,
      () => require('_openssl.x509.chain') as OpensslX509ChainModule,
    ),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** The certificate's SAN DNS and IP entries and its subject CNs. */
function certificateNames(cert: OpensslX509Cert): CertificateNames {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  const commonNames: string[] = [];
  const alt = cert.getSubjectAlt();
  if (alt !== undefined) {
    for (const [kind, value] of alt) {
      if (kind === 'DNS') dnsNames.push(value);
      else if (kind === 'IP') ipAddresses.push(value);
    }
  }
  for (const entry of cert.getSubject().all()) {
    if (entry.sn === 'CN' && entry.blob !== undefined) commonNames.push(entry.blob);
  }
  return { dnsNames, ipAddresses, commonNames };
}

/** A verifier built once per UDF call from the baked-in roots. */
export interface TlsVerifier {
  /** Throws `TlsVerificationError` unless `conn`'s peer is trusted, valid now and named `host`. */
  verify(conn: LuaSslConnection, host: string): void;
}

/** `20260102T030405Z` (no `os.date` in Exasol's Lua, §3b L9). */
function isoDate(seconds: number): string {
  return amzDate(Math.floor(seconds) * 1000);
}

/**
 * @param rootsPem PEM text of the trusted roots (the embedded AWS roots plus `--aws-ca-file`).
 * @param now Seconds since the epoch (the database clock).
 */
export function luaTlsVerifier(rootsPem: string, now: () => number): TlsVerifier {
  let cached: { modules: X509Modules; store: OpensslX509Store } | undefined;
  const trust = (): { modules: X509Modules; store: OpensslX509Store } => {
    if (cached !== undefined) return cached;
    const modules = x509Modules();
    const store = modules.store.new();
    for (const pem of pemBlocks(rootsPem)) store.add(modules.x509.new(pem, 'PEM'));
    cached = { modules, store };
    return cached;
  };
  return {
    verify(conn: LuaSslConnection, host: string): void {
      const { modules, store } = trust();
      const presented = conn.getpeerchain() ?? [];
      const first = presented[0];
      if (first === undefined) {
        throw new TlsVerificationError('SME-E-AWS-TLS-UNTRUSTED', host, 'the server presented no certificate');
      }
      const leaf = modules.x509.new(first.pem(), 'PEM');
      const chain = modules.chain.new();
      for (let i = 1; i < presented.length; i++) {
        const cert = presented[i];
        if (cert !== undefined) chain.add(modules.x509.new(cert.pem(), 'PEM'));
      }
      const [trusted, why] = store.verify(leaf, chain);
      if (!trusted) {
        const reason = typeof why === 'string' ? why : 'verification failed';
        const dated = reason.indexOf('expired') >= 0 || reason.indexOf('not yet valid') >= 0;
        throw new TlsVerificationError(dated ? 'SME-E-AWS-TLS-EXPIRED' : 'SME-E-AWS-TLS-UNTRUSTED', host, reason);
      }
      // The store checked the dates already; said again here so the message names them and a clock is visible.
      const [notBefore, notAfter] = leaf.getLifetime();
      const t = now();
      if (t < notBefore || t > notAfter) {
        throw new TlsVerificationError(
          'SME-E-AWS-TLS-EXPIRED',
          host,
          'the certificate is valid from ' +
            isoDate(notBefore) +
            ' to ' +
            isoDate(notAfter) +
            ', the database clock says ' +
            isoDate(t),
        );
      }
      const mismatch = hostNameMismatch(host, certificateNames(leaf));
      if (mismatch !== undefined) throw new TlsVerificationError('SME-E-AWS-TLS-NAME-MISMATCH', host, mismatch);
    },
  };
}
