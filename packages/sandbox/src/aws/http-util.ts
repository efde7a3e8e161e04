import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** Reads a whole request body, refusing (with `tooLarge`) once `limit` bytes are exceeded. */
export async function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    else chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks), tooLarge };
}

/** An AWS-style request id. */
export function requestId(): string {
  return randomUUID();
}

/** Listens on a free port of `host` and returns the port. */
export async function listen(server: Server | HttpsServer, host: string, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Closes a server, ending idle keep-alive connections so that stop() does not hang. */
export async function close(server: Server | HttpsServer): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}

/** `host` as it appears in a URL (IPv6 in brackets). */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Key and certificate (PEM) a server presents when it serves HTTPS. */
export interface ServerTls {
  readonly key: string;
  readonly cert: string;
}

/**
 * How long the SageMaker and S3 servers keep an idle keep-alive connection open after an answer, in milliseconds
 * (announced as `Keep-Alive: timeout=2`). AWS documents no idle timeout for its endpoints, and a client has to
 * expect any keep-alive connection to be closed while idle; the sandbox picks a short one (Node's default is 5 s)
 * so that clients that keep connections, like the in-database HTTP client (packages/udf/src/lua/aws/http-client.ts),
 * meet closed idle connections in tests and take their reconnect path. Not shorter: Node's HTTP agent (under the
 * AWS SDK) does not reuse a connection whose announced timeout is 1 s or less. Node's `headersTimeout` (60 s) and
 * `requestTimeout` (300 s) stay as they are: they bound a request being received, not an idle connection.
 */
export const IDLE_CONNECTION_TIMEOUT_MS = 2000;

/** An HTTP server, or HTTPS with `tls`; `scheme` is what its endpoint URL starts with. */
export function createHttpOrHttpsServer(
  listener: RequestListener,
  tls: ServerTls | undefined,
): { server: Server | HttpsServer; scheme: 'http' | 'https' } {
  const server =
    tls === undefined ? createHttpServer(listener) : createHttpsServer({ key: tls.key, cert: tls.cert }, listener);
  server.keepAliveTimeout = IDLE_CONNECTION_TIMEOUT_MS;
  return { server, scheme: tls === undefined ? 'http' : 'https' };
}
