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

/** An HTTP server, or HTTPS with `tls`; `scheme` is what its endpoint URL starts with. */
export function createHttpOrHttpsServer(
  listener: RequestListener,
  tls: ServerTls | undefined,
): { server: Server | HttpsServer; scheme: 'http' | 'https' } {
  if (tls === undefined) return { server: createHttpServer(listener), scheme: 'http' };
  return { server: createHttpsServer({ key: tls.key, cert: tls.cert }, listener), scheme: 'https' };
}
