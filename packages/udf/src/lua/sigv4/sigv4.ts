import { utcDateTime } from '@sme/core';
import { asciiLower, compareBytes, padDigits, startsWithBytes, toHex, uriEncode, type ByteString } from './bytes.js';
import type { Sha256Crypto } from './crypto.js';

/** A header or query parameter as a name/value pair of byte strings. Order and repeats are kept. */
export type BytePair = readonly [ByteString, ByteString];

/** What is signed. Every string is a byte string (see `bytes.ts`). */
export interface SigV4Request {
  /** HTTP method, upper case as sent. */
  readonly method: string;
  /**
   * The path as it goes on the wire. The signer normalises it (`.`/`..`/empty segments) and URI-encodes it
   * once more, as SigV4 requires for every service except S3.
   */
  readonly path: ByteString;
  /** Decoded query parameters; the signer encodes them. */
  readonly query?: readonly BytePair[];
  /** Request headers; must contain `host`. Repeated names are joined with `,` in order. */
  readonly headers: readonly BytePair[];
  readonly body: ByteString;
}

export interface SigV4Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: ByteString;
  /** Present for temporary credentials; sent and signed as `x-amz-security-token`. */
  readonly sessionToken?: string;
}

export interface SigV4Options {
  readonly region: string;
  readonly service: string;
  /** Signing time as `YYYYMMDDTHHMMSSZ` (see `amzDate`). */
  readonly amzDate: string;
  /** Adds a signed `x-amz-content-sha256` header (default true; AWS's published test vectors predate it). */
  readonly contentSha256Header?: boolean;
}

/** The signature and every intermediate, for tests and for diagnostics (none of it is secret). */
export interface SignedRequest {
  /** The headers to send: the request's own (minus any stale auth headers) plus the SigV4 headers. */
  readonly headers: readonly BytePair[];
  readonly authorization: string;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Headers re-created by signing: an existing value would be stale. */
const GENERATED_HEADERS: readonly string[] = ['authorization', 'x-amz-date', 'date'];

/**
 * Headers that proxies may change and that AWS SDKs therefore never sign (AWS's own list, in
 * https://github.com/smithy-lang/smithy-typescript/blob/main/packages/signature-v4/src/constants.ts,
 * ALWAYS_UNSIGNABLE_HEADERS,
 * plus the `proxy-` and `sec-` prefixes).
 */
const UNSIGNABLE_HEADERS: readonly string[] = [
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
];

function isUnsignable(lowerName: string): boolean {
  return (
    UNSIGNABLE_HEADERS.includes(lowerName) || startsWithBytes(lowerName, 'proxy-') || startsWithBytes(lowerName, 'sec-')
  );
}

/**
 * Header value canonical form: CR/LF become spaces, runs of spaces and tabs become one space, and the
 * value is trimmed (the same steps as AWS's smithy signer, so both agree on every input).
 */
export function canonicalHeaderValue(value: ByteString): ByteString {
  // Most values (host, dates, hashes, content types) have no blank at all: four searches in the runtime's own
  // string code (Lua: `string.find`) instead of a character loop.
  if (!value.includes(' ') && !value.includes('\t') && !value.includes('\n') && !value.includes('\r')) return value;
  const parts: string[] = [];
  let pendingSpace = false;
  for (let i = 0; i < value.length; i++) {
    const b = value.charCodeAt(i);
    if (b === 32 || b === 9 || b === 10 || b === 13) {
      pendingSpace = true;
    } else {
      if (pendingSpace && parts.length > 0) parts.push(' ');
      pendingSpace = false;
      parts.push(value.charAt(i));
    }
  }
  return parts.join('');
}

/** Canonical URI: path segments normalised like RFC 3986 dot-segment removal, then URI-encoded once. */
export function canonicalPath(path: ByteString): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment.length === 0 || segment === '.') continue;
    if (segment === '..') {
      segments.pop();
    } else {
      segments.push(segment);
    }
  }
  const leading = startsWithBytes(path, '/') ? '/' : '';
  const trailing = segments.length > 0 && path.length > 0 && path.charAt(path.length - 1) === '/' ? '/' : '';
  return uriEncode(leading + segments.join('/') + trailing, true);
}

/** Canonical query string: each name and value URI-encoded, sorted by name, then by value. */
export function canonicalQuery(query: readonly BytePair[]): string {
  const encoded: [string, string][] = [];
  for (const [name, value] of query) encoded.push([uriEncode(name, false), uriEncode(value, false)]);
  encoded.sort((a, b) => {
    const byName = compareBytes(a[0], b[0]);
    return byName !== 0 ? byName : compareBytes(a[1], b[1]);
  });
  const parts: string[] = [];
  for (const [name, value] of encoded) parts.push(name + '=' + value);
  return parts.join('&');
}

/** The signing key last derived, with what it was derived from: a UDF signs every request of a day with the same. */
let lastSigningKey: { readonly from: string; readonly key: ByteString } | undefined;

/** kSigning = HMAC chain of secret, date, region, service and `aws4_request` (remembered for the inputs seen last). */
function signingKey(
  crypto: Sha256Crypto,
  secretAccessKey: ByteString,
  shortDate: string,
  region: string,
  service: string,
): ByteString {
  const from = shortDate + '/' + region + '/' + service + '/' + secretAccessKey;
  if (lastSigningKey !== undefined && lastSigningKey.from === from) return lastSigningKey.key;
  const kDate = crypto.hmacSha256('AWS4' + secretAccessKey, shortDate);
  const kRegion = crypto.hmacSha256(kDate, region);
  const kService = crypto.hmacSha256(kRegion, service);
  const key = crypto.hmacSha256(kService, 'aws4_request');
  lastSigningKey = { from, key };
  return key;
}

/**
 * Signs a request with AWS Signature Version 4 (header form).
 * Steps and names follow https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html.
 *
 * @example
 * const signed = signRequest(crypto, { method: 'POST', path: '/', headers: [['host', h]], body },
 *   { accessKeyId, secretAccessKey }, { region: 'eu-west-1', service: 'sagemaker', amzDate: amzDate(now) });
 */
export function signRequest(
  crypto: Sha256Crypto,
  request: SigV4Request,
  credentials: SigV4Credentials,
  options: SigV4Options,
): SignedRequest {
  const headers: [ByteString, ByteString][] = [];
  // The lower-case name of each of `headers`, at the same index (each name is lower-cased once).
  const lowerNames: ByteString[] = [];
  for (const [name, value] of request.headers) {
    const lower = asciiLower(name);
    if (GENERATED_HEADERS.includes(lower)) continue;
    if (credentials.sessionToken !== undefined && lower === 'x-amz-security-token') continue;
    headers.push([name, value]);
    lowerNames.push(lower);
  }
  headers.push(['x-amz-date', options.amzDate]);
  lowerNames.push('x-amz-date');
  if (credentials.sessionToken !== undefined) {
    headers.push(['x-amz-security-token', credentials.sessionToken]);
    lowerNames.push('x-amz-security-token');
  }

  let payloadHash: string | undefined;
  for (let i = 0; i < headers.length; i++) {
    if (lowerNames[i] === 'x-amz-content-sha256') payloadHash = headers[i]?.[1];
  }
  if (payloadHash === undefined) {
    payloadHash = request.body.length === 0 ? EMPTY_SHA256 : crypto.sha256Hex(request.body);
    if (options.contentSha256Header !== false) {
      headers.push(['x-amz-content-sha256', payloadHash]);
      lowerNames.push('x-amz-content-sha256');
    }
  }

  const grouped = new Map<string, string[]>();
  const names: string[] = [];
  for (let i = 0; i < headers.length; i++) {
    const lower = lowerNames[i] ?? '';
    const value = headers[i]?.[1] ?? '';
    if (isUnsignable(lower)) continue;
    let values = grouped.get(lower);
    if (values === undefined) {
      values = [];
      grouped.set(lower, values);
      names.push(lower);
    }
    values.push(canonicalHeaderValue(value));
  }
  names.sort(compareBytes);
  const canonicalHeaderLines: string[] = [];
  for (const name of names) canonicalHeaderLines.push(name + ':' + (grouped.get(name) ?? []).join(',') + '\n');
  const signedHeaders = names.join(';');

  const canonicalRequest = [
    request.method,
    canonicalPath(request.path),
    canonicalQuery(request.query ?? []),
    canonicalHeaderLines.join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');

  const shortDate = options.amzDate.substring(0, 8);
  const scope = shortDate + '/' + options.region + '/' + options.service + '/aws4_request';
  const stringToSign = [ALGORITHM, options.amzDate, scope, crypto.sha256Hex(canonicalRequest)].join('\n');

  const kSigning = signingKey(crypto, credentials.secretAccessKey, shortDate, options.region, options.service);
  const signature = toHex(crypto.hmacSha256(kSigning, stringToSign));

  const authorization =
    ALGORITHM +
    ' Credential=' +
    credentials.accessKeyId +
    '/' +
    scope +
    ', SignedHeaders=' +
    signedHeaders +
    ', Signature=' +
    signature;
  headers.push(['authorization', authorization]);
  return { headers, authorization, canonicalRequest, stringToSign, signedHeaders, signature };
}

/** `YYYYMMDDTHHMMSSZ` (UTC) for epoch milliseconds, with core's calendar arithmetic (Lua has no `Date`). */
export function amzDate(epochMillis: number): string {
  const t = utcDateTime(epochMillis);
  return (
    padDigits(t.year, 4) +
    padDigits(t.month, 2) +
    padDigits(t.day, 2) +
    'T' +
    padDigits(t.hour, 2) +
    padDigits(t.minute, 2) +
    padDigits(t.second, 2) +
    'Z'
  );
}
