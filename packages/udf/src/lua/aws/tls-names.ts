/**
 * Does a server certificate name the host the client asked for? RFC 6125 §6.4 as Node's `tls.checkServerIdentity`
 * applies it (the reference the differential test compares against, so that the in-database check and the CLI's
 * agree): an IPv4 host matches only iPAddress entries; a DNS host matches the dNSName entries, and the subject's CN
 * only when there is no dNSName at all (§6.4.4); comparison is ASCII case-insensitive and ignores one trailing dot.
 * A wildcard is allowed only in the left-most label, at most one, not in an A-label (`xn--`), and not directly
 * under a top-level domain (`*.com`); it may be part of a label (`w*.example.com`, §6.4.3 item 3) and then matches
 * one or more characters there, never across a dot. Labels with bytes outside `!`…DEL (blanks, controls, UTF-8)
 * never match. Portable: runs in Node and, compiled, in the AWS-call UDF.
 */
import { lowerAscii } from '@sme/core';

/** What a certificate says it is for: SAN dNSName and iPAddress entries and the subject's common names. */
export interface CertificateNames {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly commonNames: readonly string[];
}

function withoutTrailingDot(s: string): string {
  return s.length > 0 && s.charAt(s.length - 1) === '.' ? s.substring(0, s.length - 1) : s;
}

function split(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (;;) {
    const at = text.indexOf(separator, start);
    if (at < 0) break;
    parts.push(text.substring(start, at));
    start = at + separator.length;
  }
  parts.push(text.substring(start));
  return parts;
}

function labels(name: string): string[] {
  return split(lowerAscii(withoutTrailingDot(name)), '.');
}

/** Dotted-quad IPv4 in canonical form (no leading zeros), as `net.isIPv4` accepts it. */
export function isIpv4(text: string): boolean {
  const parts = split(text, '.');
  if (parts.length !== 4) return false;
  for (const part of parts) {
    if (part.length === 0 || part.length > 3) return false;
    if (part.length > 1 && part.charAt(0) === '0') return false;
    let n = 0;
    for (let i = 0; i < part.length; i++) {
      const b = part.charCodeAt(i);
      if (b < 48 || b > 57) return false;
      n = n * 10 + (b - 48);
    }
    if (n > 255) return false;
  }
  return true;
}

function hasBadByte(label: string): boolean {
  for (let i = 0; i < label.length; i++) {
    const b = label.charCodeAt(i);
    if (b < 0x21 || b > 0x7f) return true;
  }
  return false;
}

/** One certificate name (`pattern`, perhaps with a wildcard) against the host's labels. */
function nameMatches(hostLabels: readonly string[], pattern: string): boolean {
  if (pattern === '') return false;
  const patternLabels = labels(pattern);
  if (patternLabels.length !== hostLabels.length) return false;
  for (const label of patternLabels) {
    if (label === '' || hasBadByte(label)) return false;
  }
  for (let i = hostLabels.length - 1; i > 0; i--) {
    if (hostLabels[i] !== patternLabels[i]) return false;
  }
  const host = hostLabels[0] ?? '';
  const first = patternLabels[0] ?? '';
  const star = first.indexOf('*');
  if (star < 0 || first.indexOf('xn--') >= 0) return host === first;
  if (first.indexOf('*', star + 1) >= 0) return false;
  if (patternLabels.length <= 2) return false;
  const prefix = first.substring(0, star);
  const suffix = first.substring(star + 1);
  if (prefix.length + suffix.length > host.length) return false;
  return host.substring(0, prefix.length) === prefix && host.substring(host.length - suffix.length) === suffix;
}

/**
 * Why `names` do not cover `host`, or undefined when they do. The reason lists what the certificate is for.
 *
 * @example
 * hostNameMismatch('api.sagemaker.eu-west-1.amazonaws.com', { dnsNames: ['*.sagemaker.eu-west-1.amazonaws.com'], ipAddresses: [], commonNames: [] }) // undefined
 */
export function hostNameMismatch(host: string, names: CertificateNames): string | undefined {
  const hostname = withoutTrailingDot(host);
  if (isIpv4(hostname)) {
    for (const ip of names.ipAddresses) if (ip === hostname) return undefined;
    return 'the certificate is for ' + describe(names) + ', not the address ' + hostname;
  }
  const hostLabels = labels(hostname);
  const candidates = names.dnsNames.length > 0 ? names.dnsNames : names.commonNames;
  for (const name of candidates) if (nameMatches(hostLabels, name)) return undefined;
  return 'the certificate is for ' + describe(names) + ', not ' + hostname;
}

function describe(names: CertificateNames): string {
  const all: string[] = [];
  for (const n of names.dnsNames) all.push('DNS:' + n);
  for (const n of names.ipAddresses) all.push('IP:' + n);
  if (names.dnsNames.length === 0) for (const n of names.commonNames) all.push('CN=' + n);
  if (all.length === 0) return 'no name';
  const shown = all.length > 5 ? all.slice(0, 5).join(', ') + ', …' : all.join(', ');
  return shown.length > 300 ? shown.substring(0, 297) + '...' : shown;
}
