import { X509Certificate } from 'node:crypto';

/**
 * Node's half of the wasm runtime's luaossl X.509 stand-in (`openssl.x509`, `.store`, `.chain` in
 * lua-src/wasm-modules-lua.ts): certificates parsed with `crypto.X509Certificate`, and a store's `verify` done as
 * OpenSSL's `X509_verify_cert` does it, against the roots the Lua code added and the chain it passed — never
 * Node's own CA store. Failure reasons are OpenSSL 3's texts (`X509_verify_cert_error_string`), in OpenSSL's order:
 * the chain is built first (issuer names and signatures), then CA constraints, then validity dates from the root
 * down, so an untrusted expired certificate reads "unable to get local issuer certificate" as with Debian's luaossl.
 */

/** One subject entry as luaossl's `name:all()` gives it. */
export interface X509NameEntry {
  readonly sn: string;
  readonly blob: string;
}

/** What the Lua side of a parsed certificate holds. */
export interface ParsedX509 {
  readonly pem: string;
  readonly subject: readonly X509NameEntry[];
  /** SAN entries as (type, value), types as luaossl names them: `DNS`, `IP`, `email`, `URI`, `DirName`. */
  readonly alt: readonly (readonly [string, string])[];
  /** Seconds since the epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
}

const ALT_TYPES: Readonly<Record<string, string>> = {
  DNS: 'DNS',
  'IP Address': 'IP',
  email: 'email',
  URI: 'URI',
  DirName: 'DirName',
};

/** Node's `subjectAltName` text (`DNS:a, IP Address:1.2.3.4`, values with `,` or `"` JSON-quoted) as pairs. */
export function altNames(text: string | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (text === undefined) return out;
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const type = text.slice(i, colon);
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      let j = colon + 2;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      value = JSON.parse(text.slice(colon + 1, j + 1)) as string;
      next = text.indexOf(', ', j);
    } else {
      next = text.indexOf(', ', colon);
      value = text.slice(colon + 1, next < 0 ? text.length : next);
    }
    const luaType = ALT_TYPES[type];
    if (luaType !== undefined) out.push([luaType, value]);
    if (next < 0) break;
    i = next + 2;
  }
  return out;
}

function subjectEntries(subject: string): X509NameEntry[] {
  const entries: X509NameEntry[] = [];
  for (const line of subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) entries.push({ sn: line.slice(0, eq), blob: line.slice(eq + 1) });
  }
  return entries;
}

/** Parses one PEM certificate; throws with luaossl-like text when it is none. */
export function parseX509(pem: string): ParsedX509 {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new Error('x509.new: unable to load certificate');
  }
  return {
    pem: cert.toString(),
    subject: subjectEntries(cert.subject),
    alt: altNames(cert.subjectAltName),
    notBefore: Math.floor(Date.parse(cert.validFrom) / 1000),
    notAfter: Math.floor(Date.parse(cert.validTo) / 1000),
  };
}

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

/**
 * `store:verify(cert, chain)`: a path from `leafPem` through `chainPems` (untrusted, as the server sent them) to one
 * of `rootPems`, each link's signature checked, every issuer a CA, every certificate valid at `nowMs`.
 */
export function verifyX509Chain(
  rootPems: readonly string[],
  leafPem: string,
  chainPems: readonly string[],
  nowMs: number = Date.now(),
): VerifyResult {
  const roots = rootPems.map((p) => new X509Certificate(p));
  const untrusted = chainPems.map((p) => new X509Certificate(p));
  const leaf = new X509Certificate(leafPem);
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; ; depth++) {
    if (depth > 10) return { ok: false, reason: 'certificate chain too long' };
    if (roots.some((r) => r.raw.equals(current.raw))) break;
    const root = roots.find((r) => issuedBy(current, r));
    if (root !== undefined) {
      path.push(root);
      break;
    }
    const next = untrusted.find((c) => !path.includes(c) && !c.raw.equals(current.raw) && issuedBy(current, c));
    if (next === undefined) {
      if (issuedBy(current, current)) {
        return {
          ok: false,
          reason: depth === 0 ? 'self-signed certificate' : 'self-signed certificate in certificate chain',
        };
      }
      return { ok: false, reason: 'unable to get local issuer certificate' };
    }
    path.push(next);
    current = next;
  }
  for (let i = 1; i < path.length; i++) {
    if (path[i]?.ca !== true) return { ok: false, reason: 'invalid CA certificate' };
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const cert = path[i];
    if (cert === undefined) continue;
    if (nowMs < Date.parse(cert.validFrom)) return { ok: false, reason: 'certificate is not yet valid' };
    if (nowMs > Date.parse(cert.validTo)) return { ok: false, reason: 'certificate has expired' };
  }
  return { ok: true };
}
