/**
 * WebSocket API paths beyond plain execute: abortQuery, a refused loginToken, and transactions with
 * autocommit off (ROLLBACK, COMMIT, and switching autocommit back on), seen from a second session.
 */
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExasolSandbox, type ExasolSandbox } from './exasol-sandbox.js';
import { connectRaw, type RawClient } from './testing/raw-client.js';

let exa: ExasolSandbox;
let a: RawClient;
let b: RawClient;

beforeAll(async () => {
  exa = await startExasolSandbox({ tls: false, lua: 'wasm' });
  a = await connectRaw(exa.url, exa.user, exa.password);
  b = await connectRaw(exa.url, exa.user, exa.password);
  await ok(a, 'CREATE SCHEMA proto');
  await ok(a, 'CREATE TABLE proto.t (i INT)');
});
afterAll(async () => {
  await a.close();
  await b.close();
  await exa.stop();
});

interface Reply {
  status: string;
  responseData?: { results: { resultSet?: { data?: unknown[][] } }[] } & Record<string, unknown>;
  exception?: { text: string; sqlCode: string };
}

async function run(c: RawClient, sqlText: string): Promise<Reply> {
  return JSON.parse(await c.send({ command: 'execute', sqlText })) as Reply;
}
async function ok(c: RawClient, sqlText: string): Promise<Reply> {
  const r = await run(c, sqlText);
  expect(r.exception, sqlText).toBeUndefined();
  return r;
}
async function ids(c: RawClient): Promise<unknown[]> {
  const r = await ok(c, 'SELECT i FROM proto.t ORDER BY i');
  return r.responseData?.results[0]?.resultSet?.data?.[0] ?? [];
}
async function setAutocommit(c: RawClient, on: boolean): Promise<void> {
  const r = JSON.parse(await c.send({ command: 'setAttributes', attributes: { autocommit: on } })) as Reply;
  expect(r.status).toBe('ok');
  const attrs = JSON.parse(await c.send({ command: 'getAttributes' })) as { attributes: { autocommit: boolean } };
  expect(attrs.attributes.autocommit).toBe(on);
}

describe('abortQuery', () => {
  it('ends the running statement with "Execution aborted by user" and leaves the session usable', async () => {
    // a cross join of 10^10 rows runs for minutes unless aborted
    const running = run(a, 'SELECT COUNT(*) FROM RANGE(100000) x(p) CROSS JOIN RANGE(100000) y(q) WHERE p + q < 0');
    await new Promise((resolve) => setTimeout(resolve, 300));
    a.post({ command: 'abortQuery' });
    const r = await running;
    expect(r.status).toBe('error');
    expect(r.exception).toMatchObject({ sqlCode: 'R0001' });
    expect(r.exception?.text).toMatch(/^Execution aborted by user/);
    expect(await ids(a)).toEqual([]);
  });
});

describe('loginToken', () => {
  it('is refused with a clear 08004 error, and a password login on the same socket still works', async () => {
    const ws = new WebSocket(exa.url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const reply = (command: Record<string, unknown>): Promise<Reply> =>
      new Promise((resolve) => {
        ws.once('message', (data: Buffer) => {
          resolve(JSON.parse(data.toString('utf8')) as Reply);
        });
        ws.send(JSON.stringify(command));
      });
    const refused = await reply({ command: 'loginToken', protocolVersion: 3 });
    expect(refused.status).toBe('error');
    expect(refused.exception?.sqlCode).toBe('08004');
    expect(refused.exception?.text).toMatch(/loginToken .*not supported.*user and password/);
    const hello = await reply({ command: 'login', protocolVersion: 3 });
    expect(hello.status).toBe('ok');
    expect(hello.responseData?.publicKeyPem).toMatch(/BEGIN (RSA )?PUBLIC KEY/);
    ws.close();
  });
});

describe('autocommit off', () => {
  it('keeps changes private until COMMIT and undoes them on ROLLBACK', async () => {
    await setAutocommit(a, false);
    try {
      await ok(a, 'INSERT INTO proto.t VALUES (1), (2)');
      expect(await ids(a)).toEqual([1, 2]);
      expect(await ids(b)).toEqual([]);
      await ok(a, 'ROLLBACK');
      expect(await ids(a)).toEqual([]);

      await ok(a, 'INSERT INTO proto.t VALUES (3)');
      expect(await ids(b)).toEqual([]);
      await ok(a, 'COMMIT');
      expect(await ids(b)).toEqual([3]);

      // DDL is transactional too
      await ok(a, 'CREATE TABLE proto.gone (x INT)');
      await ok(a, 'ROLLBACK');
      const r = await run(a, 'SELECT * FROM proto.gone');
      expect(r.exception).toMatchObject({ sqlCode: '42000' });
      expect(r.exception?.text).toMatch(/^object .*GONE.* not found/);

      // switching autocommit back on commits what is open
      await ok(a, 'INSERT INTO proto.t VALUES (4)');
      expect(await ids(b)).toEqual([3]);
    } finally {
      await setAutocommit(a, true);
    }
    expect(await ids(b)).toEqual([3, 4]);
    await ok(a, 'INSERT INTO proto.t VALUES (5)');
    expect(await ids(b)).toEqual([3, 4, 5]);
    await ok(a, 'DELETE FROM proto.t');
  });
});
