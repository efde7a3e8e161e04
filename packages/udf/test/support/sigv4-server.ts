import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { smithySign } from './smithy-signer.js';

/** What the test server saw, for assertions. */
export interface SeenRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly signatureValid: boolean;
}

/** A scripted answer; `retryAfter` becomes a `Retry-After` header. */
interface Answer {
  status: number;
  type?: string;
  message?: string;
  body?: string;
  retryAfter?: string;
}

/**
 * A local HTTP server that checks SigV4 the way AWS does (re-signing the received request with AWS's
 * `@smithy/signature-v4` and the secret it knows for the key id), then answers what the payload's
 * `__respond` member asks for (test control only), or 200 with a JSON echo. `__sequence: {key, answers}` answers
 * the n-th request carrying that key with `answers[n]`, then 200: a call that fails, then succeeds on a retry.
 */
export async function startSigV4Server(secrets: Record<string, { secret: string; token?: string }>) {
  const seen: SeenRequest[] = [];
  const sequences = new Map<string, number>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        const valid = await verify(req.url ?? '/', headers, body, secrets);
        seen.push({ path: req.url ?? '/', headers, body, signatureValid: valid });
        res.setHeader('x-amzn-RequestId', `req-${String(seen.length)}`);
        if (!valid) {
          res.writeHead(403, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(
            JSON.stringify({
              __type: 'InvalidSignatureException',
              message: 'The request signature we calculated does not match.',
            }),
          );
          return;
        }
        let respond: Answer | undefined;
        try {
          const control = JSON.parse(body) as { __respond?: Answer; __sequence?: { key: string; answers: Answer[] } };
          respond = control.__respond;
          if (control.__sequence !== undefined) {
            const n = sequences.get(control.__sequence.key) ?? 0;
            sequences.set(control.__sequence.key, n + 1);
            respond = control.__sequence.answers[n];
          }
        } catch {
          respond = undefined;
        }
        if (req.url?.startsWith('/endpoints/') === true) {
          res.writeHead(200, { 'content-type': 'text/csv' });
          res.end(`predicted:${body}`);
        } else if (respond === undefined) {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(
            JSON.stringify({
              echo: headers['x-amz-target'],
              AutoMLJobArn: 'arn:aws:sagemaker:eu-west-1:1:automl-job/x',
            }),
          );
        } else {
          res.writeHead(respond.status, {
            'content-type': 'application/x-amz-json-1.1',
            ...(respond.retryAfter === undefined ? {} : { 'retry-after': respond.retryAfter }),
          });
          res.end(respond.body ?? JSON.stringify({ __type: respond.type, message: respond.message }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    seen,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

async function verify(
  url: string,
  headers: Record<string, string>,
  body: string,
  secrets: Record<string, { secret: string; token?: string }>,
): Promise<boolean> {
  const auth = headers.authorization ?? '';
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (m === null) return false;
  const [, keyId = '', , region = '', service = '', signedList = '', signature = ''] = m;
  const known = secrets[keyId];
  if (known === undefined) return false;
  if (headers['x-amz-content-sha256'] !== createHash('sha256').update(body).digest('hex')) return false;
  if (known.token !== undefined && headers['x-amz-security-token'] !== known.token) return false;
  const signedNames = signedList.split(';');
  const toSign: Record<string, string> = {};
  for (const name of signedNames) toSign[name] = headers[name] ?? '';
  const date = headers['x-amz-date'] ?? '';
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  const [path = '/', query = ''] = url.split('?');
  const expected = await smithySign(
    {
      method: 'POST',
      hostname: headers.host ?? '',
      path,
      query: Object.fromEntries(new URLSearchParams(query)),
      headers: toSign,
      body,
    },
    {
      accessKeyId: keyId,
      secretAccessKey: known.secret,
      ...(known.token === undefined ? {} : { sessionToken: known.token }),
    },
    { region, service, signingDate },
  );
  return (
    expected.authorization ===
    `AWS4-HMAC-SHA256 Credential=${keyId}/${date.slice(0, 8)}/${region}/${service}/aws4_request, SignedHeaders=${signedList}, Signature=${signature}`
  );
}
