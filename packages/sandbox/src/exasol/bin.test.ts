import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { connectDriver } from './testing/driver-harness.js';

const bin = fileURLToPath(new URL('../../dist/bin/sme-sandbox.js', import.meta.url));

it('sme-sandbox prints one JSON line, serves the driver and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [bin, '--lua', 'wasm'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const [first] = (await once(lines, 'line')) as [string];
  const info = JSON.parse(first) as {
    exasol: { url: string; user: string; password: string; fingerprint: string };
    s3: { endpoint: string; region: string; accessKeyId: string };
    sagemaker: { endpoint: string };
  };
  expect(info.exasol.url).toMatch(/^wss:\/\//);
  expect(info.exasol.fingerprint).toMatch(/^[0-9A-F]{64}$/);
  expect(info.s3.endpoint).toMatch(/^http:\/\//);
  expect(info.sagemaker.endpoint).toMatch(/^http:\/\//);
  const db = await connectDriver(info.exasol);
  const r = await db.query('SELECT 1 AS one FROM dual');
  expect(r.getRows()).toEqual([{ ONE: 1 }]);
  await db.close();
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number];
  expect(code).toBe(0);
});
