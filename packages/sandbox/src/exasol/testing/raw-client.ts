/**
 * Test support: a bare WebSocket API client that keeps every reply's JSON text, so tests see exactly what
 * went over the wire (the official driver parses frames with `JSON.parse`, which already rounds numbers).
 */
import forge from 'node-forge';
import { WebSocket } from 'ws';

export interface RawClient {
  /** Sends one command; resolves with the reply's text as received. */
  send(command: Record<string, unknown>): Promise<string>;
  /** Sends one command that has no answer (abortQuery), without waiting. */
  post(command: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** Connects to a `ws://` sandbox and logs in with the WebSocket API's RSA password exchange. */
export async function connectRaw(url: string, user: string, password: string): Promise<RawClient> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve();
    });
    ws.once('error', reject);
  });
  const send = (command: Record<string, unknown>): Promise<string> =>
    new Promise((resolve) => {
      ws.once('message', (data: Buffer) => {
        resolve(data.toString('utf8'));
      });
      ws.send(JSON.stringify(command));
    });
  const hello = JSON.parse(await send({ command: 'login', protocolVersion: 3 })) as {
    responseData: { publicKeyPem: string };
  };
  const key = forge.pki.publicKeyFromPem(hello.responseData.publicKeyPem);
  const encrypted = forge.util.encode64(key.encrypt(password, 'RSAES-PKCS1-V1_5'));
  const login = JSON.parse(await send({ username: user, password: encrypted, useCompression: false })) as {
    status: string;
  };
  if (login.status !== 'ok') throw new Error(`login failed: ${JSON.stringify(login)}`);
  return {
    send,
    post: (command) => {
      ws.send(JSON.stringify(command));
    },
    close: () =>
      new Promise<void>((resolve) => {
        ws.once('close', () => {
          resolve();
        });
        ws.close();
      }),
  };
}
