// `npm run bench -w @sme/cli`: (1) `sme --help` start time as a ratio to `node -e 0`; (2) `sme jobs` over 200
// recorded jobs with 50 ms injected latency per DescribeAutoMLJobV2, bounded concurrency vs one at a time.
// Both ratios are measured in this run, on this machine.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { connectExasol } from '@sme/exasol-adapter';

const here = dirname(fileURLToPath(import.meta.url));
// The published bin (a launcher that runs the bundle dist/bundle/sme.js).
const bin = join(here, '..', 'bin', 'sme.js');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeRuns(args, runs, env = process.env) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: 'ignore', env });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

// 1. Start time.
timeRuns([bin, '--help'], 2); // warm the file cache
const nodeMs = timeRuns(['-e', '0'], 11);
const helpMs = timeRuns([bin, '--help'], 11);
process.stdout.write(
  `sme --help: ${helpMs.toFixed(0)} ms vs node -e 0: ${nodeMs.toFixed(0)} ms → ratio ${(helpMs / nodeMs).toFixed(2)} (median of 11)\n`,
);

// 2. sme jobs over 200 jobs with 50 ms latency per AWS call.
const sandboxBin = join(
  dirname(createRequire(import.meta.url).resolve('@sme/sandbox/package.json')),
  'dist',
  'bin',
  'sme-sandbox.js',
);
const sandbox = spawn(process.execPath, [sandboxBin], { stdio: ['ignore', 'pipe', 'inherit'] });
const coordinates = await new Promise((resolve, reject) => {
  let out = '';
  sandbox.stdout.on('data', (chunk) => {
    out += chunk.toString();
    if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
  });
  sandbox.once('exit', (code) => reject(new Error(`sme-sandbox exited with ${code}`)));
});
const home = mkdtempSync(join(tmpdir(), 'sme-bench-'));
try {
  const { exasol, s3, sagemaker } = coordinates;
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    SME_DSN: `${exasol.host}/${exasol.fingerprint}:${exasol.port}`,
    SME_USER: exasol.user,
    SME_PASSWORD: exasol.password,
    AWS_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AWS_ENDPOINT_URL_SAGEMAKER: sagemaker.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
  };
  execFileSync(process.execPath, [bin, 'deploy', '--schema', 'SME_BENCH'], { env, stdio: 'ignore' });
  const sql = await connectExasol({ dsn: env.SME_DSN, user: exasol.user, password: exasol.password });
  const rows = [];
  for (let i = 0; i < 200; i++) {
    rows.push([`bench-${String(i).padStart(3, '0')}`, '2025-01-01 00:00:00', 'S3', s3.region, 'InProgress']);
  }
  await sql.insertRows(
    '"SME_BENCH"."SME_METADATA_AUTOPILOT_JOBS"',
    ['JOB_NAME', 'DATETIME', 'AWS_CREDENTIALS_CONNECTION_NAME', 'AWS_REGION', 'JOB_STATUS'],
    rows,
  );
  await sql.close();
  const faults = await globalThis.fetch(`${sagemaker.endpoint}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules: { DescribeAutoMLJobV2: { latencyMs: 50 } } }),
  });
  if (!faults.ok) throw new Error(`faults: HTTP ${faults.status}`);
  const jobs = (concurrency) =>
    timeRuns([bin, 'jobs', '--schema', 'SME_BENCH', '--json', '--concurrency', String(concurrency)], 3, env);
  const sequentialMs = jobs(1);
  const boundedMs = jobs(8);
  process.stdout.write(
    `sme jobs, 200 jobs, 50 ms per DescribeAutoMLJobV2: concurrency 8 ${boundedMs.toFixed(0)} ms vs sequential ` +
      `${sequentialMs.toFixed(0)} ms → ratio ${(boundedMs / sequentialMs).toFixed(2)} (median of 3; the rows name ` +
      `jobs the sandbox does not have, so each answer is a NotFound after the injected latency)\n`,
  );
} finally {
  sandbox.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
}
