import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAwsChunked } from './aws-chunked.js';
import type { FaultInjector } from './faults.js';
import {
  close,
  createHttpOrHttpsServer,
  listen,
  readBody,
  requestId,
  sleep,
  urlHost,
  type ServerTls,
} from './http-util.js';
import { verifySigV4 } from './sigv4-verify.js';
import type { SandboxCredentials } from './sigv4-verify.js';

/** The slice of s3rver (CommonJS, untyped) that the sandbox uses. */
interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
interface S3rverAccountModule {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
}

const require = createRequire(import.meta.url);

/** Objects the SageMaker side reads and writes (training data, model artifacts). */
export interface ObjectStore {
  /** Keys under `prefix` in `bucket`, sorted. */
  list(bucket: string, prefix: string): Promise<string[]>;
  get(bucket: string, key: string): Promise<Buffer | undefined>;
  put(bucket: string, key: string, body: Buffer | string, contentType?: string): Promise<void>;
}

export interface S3StoreOptions {
  readonly host: string;
  /** Port of the S3 front; default 0 (a free port). */
  readonly port?: number;
  readonly region: string;
  readonly credentials: readonly SandboxCredentials[];
  /** Keep objects in this directory (kept after stop); default: a temporary directory removed on stop. */
  readonly dataDir?: string;
  readonly buckets: readonly string[];
  readonly faults: FaultInjector;
  /** Serve HTTPS with this key and certificate (`--aws-tls`); plain HTTP when absent. */
  readonly tls?: ServerTls;
}

export interface S3Store {
  readonly endpoint: string;
  readonly objects: ObjectStore;
  stop(): Promise<void>;
}

const MAX_BODY = 512 * 1024 * 1024;

function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const id = requestId();
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
    `<RequestId>${id}</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': id });
  res.end(xml);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#x27|#39|#x60|#96);/g, (_m, e: string) => {
    switch (e) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'x60':
      case '#96':
      case '#x60':
        return '`';
      default:
        return "'";
    }
  });
}

const SIGV4_FAILURE_TO_S3: Record<string, [number, string]> = {
  MissingAuthenticationToken: [403, 'AccessDenied'],
  IncompleteSignature: [400, 'AuthorizationHeaderMalformed'],
  UnrecognizedClient: [403, 'InvalidAccessKeyId'],
  InvalidClientTokenId: [403, 'InvalidAccessKeyId'],
  SignatureDoesNotMatch: [403, 'SignatureDoesNotMatch'],
  SignatureExpired: [403, 'RequestTimeTooSkewed'],
  CredentialScope: [400, 'AuthorizationHeaderMalformed'],
};

/**
 * Starts s3rver (an existing S3 implementation) on a private loopback port and, in front of it, a proxy
 * that does what s3rver does not: verifies SigV4 against the configured credentials (s3rver skips V4
 * verification) and decodes `aws-chunked` bodies (s3rver would store the framing inside the object).
 */
export async function startS3Store(options: S3StoreOptions): Promise<S3Store> {
  const S3rver = require('s3rver') as S3rverConstructor;
  const account = require('s3rver/lib/models/account') as S3rverAccountModule;
  // s3rver looks keys up in its own registry before (not) checking a V4 signature; the proxy has verified it.
  for (const c of options.credentials) account.DUMMY_ACCOUNT.createKeyPair(c.accessKeyId, c.secretAccessKey);

  const ownDir = options.dataDir === undefined;
  const directory = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'sme-s3-')));
  const backend = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: true,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const { port: backendPort } = await backend.run();

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    headers: Record<string, string>,
    lose?: 'lostReply' | 'reset',
  ): void => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers },
      (up) => {
        if (lose === undefined) {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        // Carried out by the backend; the client gets a 500 or a dropped connection instead of its answer.
        up.resume();
        up.on('end', () => {
          if (lose === 'reset') res.destroy();
          else s3Error(res, 500, 'InternalError', 'Injected fault: reply lost.');
        });
      },
    );
    upstream.on('error', (e) => {
      s3Error(res, 502, 'InternalError', `sandbox S3 backend failed: ${e.message}`);
    });
    upstream.end(body);
  };

  const { server, scheme } = createHttpOrHttpsServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) s3Error(res, 500, 'InternalError', e instanceof Error ? e.message : String(e));
      else res.destroy();
    });
  }, options.tls);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { body, tooLarge } = await readBody(req, MAX_BODY);
    if (tooLarge) {
      s3Error(res, 400, 'EntityTooLarge', `Your proposed upload exceeds the sandbox limit of ${MAX_BODY} bytes.`);
      return;
    }
    const fault = options.faults.decide('S3');
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.kind === 'throttle') {
      s3Error(res, 503, 'SlowDown', 'Please reduce your request rate.');
      return;
    }
    if (fault.kind === 'server') {
      s3Error(res, fault.status, fault.status === 503 ? 'ServiceUnavailable' : 'InternalError', 'Injected fault.');
      return;
    }
    const verdict = await verifySigV4(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
      { region: options.region, service: 's3', credentials: options.credentials, uriEscapePath: false },
    );
    if (!verdict.ok) {
      const [status, code] = SIGV4_FAILURE_TO_S3[verdict.failure] ?? [403, 'AccessDenied'];
      s3Error(res, status, code, verdict.message);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    }
    let payload = body;
    const hash = verdict.payloadHash;
    const encodings = (headers['content-encoding'] ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    if (hash.startsWith('STREAMING-') || encodings.includes('aws-chunked')) {
      try {
        payload = decodeAwsChunked(body).payload;
      } catch (e) {
        s3Error(res, 400, 'IncompleteBody', e instanceof Error ? e.message : String(e));
        return;
      }
      const rest = encodings.filter((e) => e !== 'aws-chunked');
      if (rest.length > 0) headers['content-encoding'] = rest.join(',');
      else delete headers['content-encoding'];
      delete headers['x-amz-decoded-content-length'];
      delete headers['x-amz-trailer'];
      headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    } else if (/^[0-9a-f]{64}$/.test(hash)) {
      const actual = createHash('sha256').update(body).digest('hex');
      if (actual !== hash) {
        s3Error(
          res,
          400,
          'XAmzContentSHA256Mismatch',
          "The provided 'x-amz-content-sha256' header does not match what was computed.",
        );
        return;
      }
    }
    delete headers['transfer-encoding'];
    headers['content-length'] = String(payload.length);
    forward(req, res, payload, headers, fault.kind === 'lostReply' || fault.kind === 'reset' ? fault.kind : undefined);
  }

  const port = await listen(server, options.host, options.port ?? 0);
  const backendBase = `http://127.0.0.1:${backendPort}`;
  return {
    endpoint: `${scheme}://${urlHost(options.host)}:${port}`,
    objects: backendObjectStore(backendBase),
    async stop() {
      await close(server);
      await backend.close();
      if (ownDir) await rm(directory, { recursive: true, force: true });
    },
  };
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: Buffer | string,
  contentType?: string,
): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body !== undefined ? { body } : {}),
    headers: contentType !== undefined ? { 'content-type': contentType } : {},
  });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/** Internal access to the store, straight to s3rver on loopback (the proxy is for outside clients). */
function backendObjectStore(base: string): ObjectStore {
  return {
    async list(bucket, prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const q = new URLSearchParams({ 'list-type': '2', prefix });
        if (token !== undefined) q.set('continuation-token', token);
        const r = await call(base, 'GET', `/${encodeURIComponent(bucket)}?${q.toString()}`);
        if (r.status === 404) return [];
        if (r.status !== 200) throw new Error(`S3 list ${bucket}/${prefix} failed: HTTP ${r.status}`);
        const xml = r.body.toString('utf8');
        for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(unescapeXml(m[1] ?? ''));
        const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
        token = truncated ? unescapeXml(/<NextContinuationToken>([^<]*)</.exec(xml)?.[1] ?? '') : undefined;
        if (token === '') token = undefined;
      } while (token !== undefined);
      return keys.sort();
    },
    async get(bucket, key) {
      const r = await call(base, 'GET', `/${encodeURIComponent(bucket)}/${encodeKey(key)}`);
      if (r.status === 404) return undefined;
      if (r.status !== 200) throw new Error(`S3 get ${bucket}/${key} failed: HTTP ${r.status}`);
      return r.body;
    },
    async put(bucket, key, body, contentType) {
      let r = await call(base, 'PUT', `/${encodeURIComponent(bucket)}/${encodeKey(key)}`, body, contentType);
      if (r.status === 404) {
        // AWS would fail here; the sandbox creates the output bucket so a demo does not need a setup step.
        await call(base, 'PUT', `/${encodeURIComponent(bucket)}`);
        r = await call(base, 'PUT', `/${encodeURIComponent(bucket)}/${encodeKey(key)}`, body, contentType);
      }
      if (r.status !== 200) throw new Error(`S3 put ${bucket}/${key} failed: HTTP ${r.status}`);
    },
  };
}
