import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

type HashInput = string | ArrayBuffer | ArrayBufferView;

/** What a node:crypto Hash and Hmac both offer. */
interface Digester {
  update(data: Buffer | string): unknown;
  digest(): Buffer;
}

function bytesOf(data: HashInput): Buffer | string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * SHA-256 (and HMAC-SHA256 with a secret) for the signer, in the shape `@smithy/signature-v4` asks for, over
 * node:crypto: every request the sandbox receives is verified, and OpenSSL hashes several times faster than the
 * JavaScript implementation the SDK uses in browsers.
 */
class NodeSha256 {
  private readonly secret: Buffer | string | undefined;
  private hash: Digester;

  constructor(secret?: HashInput) {
    this.secret = secret === undefined ? undefined : bytesOf(secret);
    this.hash = this.fresh();
  }

  update(data: HashInput): void {
    this.hash.update(bytesOf(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Digester {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

/** A key pair the sandbox accepts; `sessionToken` makes it temporary credentials (STS style). */
export interface SandboxCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The parts of a received HTTP request that SigV4 covers. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query as on the wire (still percent-encoded). */
  readonly url: string;
  /** Header names in lower case, as Node delivers them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
}

/** Why a request was refused, named like AWS's error codes. */
export type SigV4Failure =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'UnrecognizedClient'
  | 'InvalidClientTokenId'
  | 'SignatureDoesNotMatch'
  | 'SignatureExpired'
  | 'CredentialScope';

export type SigV4Result =
  | { readonly ok: true; readonly accessKeyId: string; readonly payloadHash: string }
  | { readonly ok: false; readonly failure: SigV4Failure; readonly message: string };

export interface VerifyOptions {
  readonly region: string;
  /** Signing name of the service (`sagemaker`, `s3`). */
  readonly service: string;
  readonly credentials: readonly SandboxCredentials[];
  /** S3 signs the path as sent; every other service normalises and double-encodes it. */
  readonly uriEscapePath: boolean;
  /** Allowed clock skew; AWS allows 15 minutes. */
  readonly maxSkewMs?: number;
  readonly now?: () => number;
}

const AUTH_PREFIX = 'AWS4-HMAC-SHA256';

function header(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** `20240102T030405Z` → Date; undefined when malformed. */
export function parseAmzDate(value: string): Date | undefined {
  if (!/^\d{8}T\d{6}Z$/.test(value)) return undefined;
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T${value.slice(9, 11)}:${value.slice(11, 13)}:${value.slice(13, 15)}Z`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

interface ParsedAuth {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly amzDate: string;
  readonly presigned: boolean;
  readonly expires?: number;
}

function parseAuthorization(req: ReceivedRequest, query: URLSearchParams): ParsedAuth | SigV4Result {
  const auth = header(req.headers, 'authorization');
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let amzDate: string | undefined;
  let presigned = false;
  let expires: number | undefined;
  if (auth !== undefined) {
    if (!auth.startsWith(`${AUTH_PREFIX} `)) {
      return {
        ok: false,
        failure: 'IncompleteSignature',
        message: `Unsupported Authorization Type: ${auth.split(' ')[0] ?? ''}`,
      };
    }
    for (const part of auth.slice(AUTH_PREFIX.length + 1).split(',')) {
      const [k, ...rest] = part.trim().split('=');
      const v = rest.join('=');
      if (k === 'Credential') credential = v;
      else if (k === 'SignedHeaders') signedHeaders = v;
      else if (k === 'Signature') signature = v;
    }
    amzDate = header(req.headers, 'x-amz-date');
  } else if (query.get('X-Amz-Algorithm') !== null) {
    presigned = true;
    if (query.get('X-Amz-Algorithm') !== AUTH_PREFIX) {
      return { ok: false, failure: 'IncompleteSignature', message: 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"' };
    }
    credential = query.get('X-Amz-Credential') ?? undefined;
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? undefined;
    signature = query.get('X-Amz-Signature') ?? undefined;
    amzDate = query.get('X-Amz-Date') ?? undefined;
    const e = Number(query.get('X-Amz-Expires'));
    expires = Number.isFinite(e) ? e : undefined;
  } else {
    return { ok: false, failure: 'MissingAuthenticationToken', message: 'Missing Authentication Token' };
  }
  const missing = [
    credential === undefined ? 'Credential' : undefined,
    signedHeaders === undefined ? 'SignedHeaders' : undefined,
    signature === undefined ? 'Signature' : undefined,
    amzDate === undefined ? 'X-Amz-Date' : undefined,
  ].filter((m): m is string => m !== undefined);
  if (credential === undefined || signedHeaders === undefined || signature === undefined || amzDate === undefined) {
    return {
      ok: false,
      failure: 'IncompleteSignature',
      message: `Authorization header requires ${missing.map((m) => `'${m}'`).join(', ')} parameter(s).`,
    };
  }
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    return {
      ok: false,
      failure: 'IncompleteSignature',
      message: `Credential should be scoped to a valid region, not in the form '${credential.split('/').slice(1).join('/')}'.`,
    };
  }
  const [accessKeyId = '', date = '', region = '', service = ''] = scope;
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature,
    amzDate,
    presigned,
    ...(expires !== undefined ? { expires } : {}),
  };
}

/**
 * Verifies an AWS Signature Version 4 by re-signing the received request with AWS's own signer
 * (`@smithy/signature-v4`) over exactly the headers the client listed, then comparing signatures in
 * constant time. Covers header auth and (for S3) presigned query auth.
 *
 * @example
 * const r = await verifySigV4(received, { region: 'eu-west-1', service: 'sagemaker', credentials, uriEscapePath: true });
 * if (!r.ok) reply(403, r.failure);
 */
export async function verifySigV4(req: ReceivedRequest, options: VerifyOptions): Promise<SigV4Result> {
  const qIndex = req.url.indexOf('?');
  const path = qIndex === -1 ? req.url : req.url.slice(0, qIndex);
  const query = new URLSearchParams(qIndex === -1 ? '' : req.url.slice(qIndex + 1));
  const parsed = parseAuthorization(req, query);
  if ('ok' in parsed) return parsed;

  const creds = options.credentials.find((c) => c.accessKeyId === parsed.accessKeyId);
  if (creds === undefined) {
    return {
      ok: false,
      failure: options.service === 's3' ? 'InvalidClientTokenId' : 'UnrecognizedClient',
      message:
        options.service === 's3'
          ? 'The AWS Access Key Id you provided does not exist in our records.'
          : 'The security token included in the request is invalid.',
    };
  }
  const token = parsed.presigned
    ? (query.get('X-Amz-Security-Token') ?? undefined)
    : header(req.headers, 'x-amz-security-token');
  if (creds.sessionToken !== undefined && token !== creds.sessionToken) {
    return {
      ok: false,
      failure: 'UnrecognizedClient',
      message: 'The security token included in the request is invalid.',
    };
  }
  if (parsed.region !== options.region) {
    return {
      ok: false,
      failure: 'CredentialScope',
      message: `Credential should be scoped to a valid region. Expected '${options.region}', received '${parsed.region}'.`,
    };
  }
  if (parsed.service !== options.service) {
    return {
      ok: false,
      failure: 'CredentialScope',
      message: `Credential should be scoped to correct service: '${options.service}'.`,
    };
  }
  const signingDate = parseAmzDate(parsed.amzDate);
  if (signingDate === undefined || !parsed.amzDate.startsWith(parsed.date)) {
    return { ok: false, failure: 'IncompleteSignature', message: `Invalid X-Amz-Date '${parsed.amzDate}'.` };
  }
  const now = (options.now ?? Date.now)();
  const skew = options.maxSkewMs ?? 15 * 60_000;
  if (parsed.presigned) {
    if (parsed.expires !== undefined && now > signingDate.getTime() + parsed.expires * 1000) {
      return { ok: false, failure: 'SignatureExpired', message: 'Request has expired' };
    }
  } else if (Math.abs(now - signingDate.getTime()) > skew) {
    return {
      ok: false,
      failure: 'SignatureExpired',
      message: `Signature expired: ${parsed.amzDate} is now earlier than the allowed window around the server time.`,
    };
  }

  // Re-sign with exactly the headers the client signed, under their received values.
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const v = header(req.headers, name);
    if (v === undefined) {
      return {
        ok: false,
        failure: 'SignatureDoesNotMatch',
        message: `The request signature we calculated does not match the signature you provided: signed header '${name}' is missing.`,
      };
    }
    headers[name] = v;
  }
  const queryRecord: Record<string, string | string[]> = {};
  for (const [k, v] of query) {
    if (parsed.presigned && k === 'X-Amz-Signature') continue;
    const prev = queryRecord[k];
    queryRecord[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const contentSha = header(req.headers, 'x-amz-content-sha256');
  const payloadHash =
    options.service === 's3' ? (contentSha ?? (parsed.presigned ? 'UNSIGNED-PAYLOAD' : undefined)) : undefined;
  const httpRequest = new HttpRequest({
    method: req.method,
    protocol: 'http:',
    hostname: (headers.host ?? '').split(':')[0] ?? '',
    path,
    query: queryRecord,
    headers: { ...headers },
    body: req.body,
  });
  // Only S3 takes the payload hash from x-amz-content-sha256; other services hash the body they received
  // (the SDKs still send and sign the header, so it must then equal the body's hash).
  if (payloadHash !== undefined) httpRequest.headers['x-amz-content-sha256'] = payloadHash;
  else if (parsed.signedHeaders.includes('x-amz-content-sha256')) {
    const actual = createHash('sha256').update(req.body).digest('hex');
    if (contentSha !== actual) {
      return {
        ok: false,
        failure: 'SignatureDoesNotMatch',
        message:
          'The request signature we calculated does not match the signature you provided: the payload hash differs from the body.',
      };
    }
  } else delete httpRequest.headers['x-amz-content-sha256'];
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      // The signer adds the token header itself; only hand it over when the client signed it.
      ...(creds.sessionToken !== undefined && parsed.signedHeaders.includes('x-amz-security-token')
        ? { sessionToken: creds.sessionToken }
        : {}),
    },
    region: options.region,
    service: options.service,
    sha256: NodeSha256,
    uriEscapePath: options.uriEscapePath,
    applyChecksum: false,
  });
  const signable = new Set(parsed.signedHeaders);
  // The payload-hash header steers the signer; it is part of the signature only when the client listed it.
  const unsignable = new Set(signable.has('x-amz-content-sha256') ? [] : ['x-amz-content-sha256']);
  let expected: string;
  if (parsed.presigned) {
    delete queryRecord['X-Amz-Signature'];
    const presigned = await signer.presign(httpRequest, {
      signingDate,
      expiresIn: parsed.expires ?? 3600,
      signableHeaders: signable,
      unsignableHeaders: unsignable,
      unhoistableHeaders: new Set(Object.keys(headers)),
    });
    const sig = presigned.query?.['X-Amz-Signature'];
    expected = typeof sig === 'string' ? sig : '';
  } else {
    const signed = await signer.sign(httpRequest, {
      signingDate,
      signableHeaders: signable,
      unsignableHeaders: unsignable,
    });
    const authHeader = signed.headers.authorization ?? '';
    const listed = /SignedHeaders=([^,]*)/.exec(authHeader)?.[1] ?? '';
    if (listed !== parsed.signedHeaders.join(';')) {
      expected = '';
    } else {
      expected = /Signature=([0-9a-f]+)/.exec(authHeader)?.[1] ?? '';
    }
  }
  const a = Buffer.from(expected);
  const b = Buffer.from(parsed.signature);
  if (a.length === 0 || a.length !== b.length || !timingSafeEqual(a, b)) {
    return {
      ok: false,
      failure: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return { ok: true, accessKeyId: creds.accessKeyId, payloadHash: payloadHash ?? '' };
}
