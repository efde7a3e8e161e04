// Benchmark of the Exasol-compatible sandbox: start time, SELECT and EXPORT rows per second (printed, not asserted).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { startExasolSandbox } from '../dist/index.js';
import { connectDriver } from '../dist/exasol/testing/driver-harness.js';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');
const ROWS = 100_000;

const dir = mkdtempSync(join(tmpdir(), 'sme-bench-s3-'));
const s3 = new S3rver({
  port: 0,
  address: '127.0.0.1',
  silent: true,
  directory: dir,
  configureBuckets: [{ name: 'bench', configs: [] }],
});
const { port } = await s3.run();

let t = performance.now();
const exa = await startExasolSandbox({ s3Endpoint: `http://127.0.0.1:${port}` });
const startMs = performance.now() - t;
const db = await connectDriver(exa);
await db.execute('CREATE SCHEMA b');
await db.execute(
  `CREATE TABLE b.t AS SELECT CAST(range AS DECIMAL(18,0)) AS id, CAST(range / 7 AS DECIMAL(12,3)) AS amount, 'row ' || range AS label FROM range(${ROWS})`,
);

t = performance.now();
const rows = (await db.query('SELECT * FROM b.t')).getRows().length;
const selectSec = (performance.now() - t) / 1000;

t = performance.now();
const exported = await db.execute(
  "EXPORT b.t INTO CSV AT 'https://bench.s3.amazonaws.com' USER 'S3RVER' IDENTIFIED BY 'S3RVER' FILE 'p1.csv' FILE 'p2.csv' FILE 'p3.csv' FILE 'p4.csv' WITH COLUMN NAMES",
);
const exportSec = (performance.now() - t) / 1000;

await db.close();
await exa.stop();
await s3.close();
rmSync(dir, { recursive: true, force: true });

process.stdout.write(
  JSON.stringify({
    sandboxStartMs: Math.round(startMs),
    selectRowsPerSecond: Math.round(rows / selectSec),
    exportRowsPerSecond: Math.round(exported / exportSec),
    rows: ROWS,
  }) + '\n',
);
