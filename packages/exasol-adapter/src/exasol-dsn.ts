/**
 * DSN parsing (`host[:port]`, `host/FINGERPRINT[:port]`, `host/nocertcheck[:port]`) and the errors of malformed,
 * contradictory or missing connection settings; exasol-config.ts layers and validates the settings with them.
 */
import type { SmeError } from './core-api.js';
import { exasolError } from './exasol-error-codes.js';

/** The parts of a DSN. `certCheck` is what came after the slash, if anything. */
export interface ParsedDsn {
  readonly host: string;
  readonly port: number | undefined;
  readonly certCheck: { readonly fingerprint: string } | 'nocertcheck' | undefined;
}

const DSN_FORMS = 'host[:port], host/FINGERPRINT[:port] or host/nocertcheck[:port]';

export function invalid(key: string, value: string, message: string, remedy: string): SmeError {
  return exasolError('SME-E-EXA-OPTION-INVALID', `${message} (${key}: received '${value}')`, { key, value, remedy });
}

export function conflict(keys: string, value: string, remedy: string): SmeError {
  return exasolError('SME-E-EXA-OPTION-CONFLICT', `${keys} cannot be combined (received ${value})`, {
    key: keys,
    value,
    remedy,
  });
}

export function missing(key: string, remedy: string): SmeError {
  return exasolError('SME-E-EXA-OPTION-MISSING', `${key} is required`, { key, remedy });
}

/** Shortens a received value for messages; options never hold secrets except the password, which is never shown. */
export function shown(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

const HEX = /^[0-9A-F]+$/;

/**
 * Normalises a SHA-256 certificate fingerprint to 64 upper-case hex digits without colons, the form pyexasol
 * prints and that Node's `fingerprint256` becomes once its colons are dropped. Returns `undefined` when the
 * text is not a SHA-256 fingerprint.
 *
 * @example normaliseFingerprint('ab:cd:…') // 'ABCD…'
 */
export function normaliseFingerprint(text: string): string | undefined {
  const compact = text.trim().replaceAll(':', '').toUpperCase();
  return compact.length === 64 && HEX.test(compact) ? compact : undefined;
}

function parsePort(key: string, text: string): number {
  if (!/^[0-9]{1,5}$/.test(text)) {
    throw invalid(key, shown(text), 'port must be a number from 1 to 65535', 'write the port as digits, e.g. 8563');
  }
  const port = Number(text);
  if (port < 1 || port > 65535) {
    throw invalid(
      key,
      text,
      'port must be a number from 1 to 65535',
      'use the port of the Exasol WebSocket API, e.g. 8563',
    );
  }
  return port;
}

// Host names, IPv4 and bracketed IPv6. pyexasol's host ranges (`host1..3`) and comma lists are refused: one
// connection goes to one node, and Exasol redirects nothing for us.
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/;
const HOST_IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

export function checkHost(key: string, host: string): string {
  if (HOST_NAME.test(host) || HOST_IPV6.test(host)) return host;
  const remedy =
    host.includes('..') || host.includes(',')
      ? 'host ranges and lists are not supported: give one host'
      : `give a host name or IP address, as in ${DSN_FORMS}`;
  throw invalid(key, shown(host), 'not a valid host', remedy);
}

/**
 * Parses a DSN: `host[:port]`, `host/FINGERPRINT[:port]` (pin the certificate) or `host/nocertcheck[:port]`,
 * as pyexasol writes them (https://github.com/exasol/pyexasol/blob/master/docs/user_guide/configuration/security.rst).
 * IPv6 addresses go in brackets: `[::1]:8563`.
 *
 * @throws SmeError `SME-E-EXA-OPTION-INVALID` naming `key` and the text received.
 * @example parseDsn('db.example.com/135A1D2D…:8563', 'dsn')
 */
export function parseDsn(text: string, key = 'dsn'): ParsedDsn {
  const dsn = text.trim();
  if (dsn === '') throw invalid(key, text, 'the DSN is empty', `give ${DSN_FORMS}`);
  let rest = dsn;
  let port: number | undefined;
  const lastColon = rest.lastIndexOf(':');
  const closingBracket = rest.lastIndexOf(']');
  if (lastColon > closingBracket) {
    // A colon after any IPv6 bracket separates the port.
    port = parsePort(key, rest.slice(lastColon + 1));
    rest = rest.slice(0, lastColon);
  }
  let certCheck: ParsedDsn['certCheck'];
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const check = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
    if (check.toLowerCase() === 'nocertcheck') {
      certCheck = 'nocertcheck';
    } else {
      const fingerprint = normaliseFingerprint(check);
      if (fingerprint === undefined) {
        throw invalid(
          key,
          shown(dsn),
          'the part after / must be a SHA-256 certificate fingerprint (64 hex digits) or nocertcheck',
          'copy the fingerprint the server prints, e.g. with: openssl x509 -noout -fingerprint -sha256',
        );
      }
      certCheck = { fingerprint };
    }
  }
  const host = checkHost(key, rest);
  return Object.freeze({ host, port, certCheck });
}
