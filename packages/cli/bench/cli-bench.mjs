// `npm run bench -w @sme/cli`: (1) `sme --help` start time as a ratio to `node -e 0`; (2) `sme jobs` over 200
// recorded jobs with 50 ms injected latency per DescribeAutoMLJobV2: the default (bounded concurrency, paced by
// core's rate limiter) vs one at a time, with the peak request rate SageMaker saw; (3) the same list against a
// SageMaker that throttles above a lower rate than sme's ceiling: the time taken, how many calls it throttled, the
// rate sme's limiter settled at (its note on stderr) and that every job still got its answer. All ratios are measured
// in this run, on this machine.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { SAGEMAKER_DESCRIBE_RATE } from '@sme/core';
import { parse as parseCsv } from 'csv-parse/sync';
import { connectExasol } from '@sme/exasol-adapter';
import { startAwsSandbox } from '@sme/sandbox';

const here = dirname(fileURLToPath(import.meta.url));
// The published bin (a launcher that runs the bundle dist/bundle/sme.js).
const bin = join(here, '..', 'bin', 'sme.js');
const JOBS = 200;
const LATENCY_MS = 50;
const OPERATION = 'DescribeAutoMLJobV2';

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

/** Runs sme without blocking this process (it serves SageMaker); resolves with the time taken and the output. */
function runSme(args, env) {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`sme ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, stdout, stderr });
    });
  });
}

// 1. Start time: node's own start against `sme --help`, interleaved so both see the same machine load.
timeRuns([bin, '--help'], 2); // warm the file cache
const nodeTimes = [];
const helpTimes = [];
for (let i = 0; i < 21; i++) {
  nodeTimes.push(timeRuns(['-e', '0'], 1));
  helpTimes.push(timeRuns([bin, '--help'], 1));
}
const nodeMs = median(nodeTimes);
const helpMs = median(helpTimes);
process.stdout.write(
  `sme --help: ${helpMs.toFixed(0)} ms vs node -e 0: ${nodeMs.toFixed(0)} ms → ratio ${(helpMs / nodeMs).toFixed(2)} ` +
    `(median of 21, target ≤ 1.5; load average ${loadavg()[0].toFixed(2)})\n`,
);

// 2. and 3. sme jobs. Exasol from sme-sandbox (its own process); SageMaker in this process, so the bench can read
// the request rates it saw.
const sandboxBin = join(
  dirname(createRequire(import.meta.url).resolve('@sme/sandbox/package.json')),
  'dist',
  'bin',
  'sme-sandbox.js',
);
const sandbox = spawn(process.execPath, [sandboxBin], { stdio: ['ignore', 'pipe', 'inherit'] });
const aws = await startAwsSandbox({ faults: { [OPERATION]: { latencyMs: LATENCY_MS } } });
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
  const { exasol } = coordinates;
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    SME_DSN: `${exasol.host}/${exasol.fingerprint}:${exasol.port}`,
    SME_USER: exasol.user,
    SME_PASSWORD: exasol.password,
    AWS_REGION: aws.region,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_SAGEMAKER: aws.sagemakerEndpoint,
    AWS_ENDPOINT_URL_S3: aws.s3Endpoint,
  };
  execFileSync(process.execPath, [bin, 'deploy', '--schema', 'SME_BENCH'], { env, stdio: 'ignore' });
  const sql = await connectExasol({ dsn: env.SME_DSN, user: exasol.user, password: exasol.password });
  const rows = [];
  for (let i = 0; i < JOBS; i++) {
    rows.push([`bench-${String(i).padStart(3, '0')}`, '2025-01-01 00:00:00', 'S3', aws.region, 'InProgress']);
  }
  await sql.insertRows(
    '"SME_BENCH"."SME_METADATA_AUTOPILOT_JOBS"',
    ['JOB_NAME', 'DATETIME', 'AWS_CREDENTIALS_CONNECTION_NAME', 'AWS_REGION', 'JOB_STATUS'],
    rows,
  );
  await sql.close();

  /** Median time of `runs` runs of sme jobs, and the most DescribeAutoMLJobV2 calls SageMaker saw in one second. */
  const jobs = async (extra, runs, format = 'json') => {
    const times = [];
    let peak = 0;
    let last;
    for (let i = 0; i < runs; i++) {
      aws.faults.resetObserved();
      last = await runSme(['jobs', '--schema', 'SME_BENCH', '--output', format, ...extra], env);
      times.push(last.ms);
      peak = Math.max(peak, aws.faults.observed()[OPERATION]?.peakPerSecond ?? 0);
    }
    return { ms: median(times), peak, last, throttled: aws.faults.injected()[OPERATION] ?? 0 };
  };
  const { ratePerSecond, burst } = SAGEMAKER_DESCRIBE_RATE;
  const sequential = await jobs(['--concurrency', '1'], 3);
  const bounded = await jobs([], 3);
  process.stdout.write(
    `sme jobs, ${JOBS} jobs, ${LATENCY_MS} ms per ${OPERATION}: default ${bounded.ms.toFixed(0)} ms vs one at a time ` +
      `${sequential.ms.toFixed(0)} ms → ${(sequential.ms / bounded.ms).toFixed(2)}× faster (target ≥ 8; median of 3). ` +
      `Peak ${bounded.peak} requests in one second (limiter: ${ratePerSecond}/s, burst ${burst}). The rows name jobs ` +
      `the sandbox does not have, so each answer is a NotFound after the injected latency.\n`,
  );

  // 3. A SageMaker that throttles above a lower rate than sme's ceiling (an account with a lower limit).
  const accountLimit = Math.round(ratePerSecond / 4);
  aws.faults.set({ [OPERATION]: { latencyMs: LATENCY_MS, maxPerSecond: accountLimit } });
  // As CSV: in JSON mode sme prints no notes, and the note on stderr says the rate the limiter settled at.
  const limited = await jobs([], 1, 'csv');
  const listed = parseCsv(limited.last.stdout, { columns: (header) => header.map((h) => h.toLowerCase()) });
  const isThrottled = (job) => String(job.error ?? '').startsWith('SME-E-AWS-THROTTLED');
  const stillThrottled = listed.filter(isThrottled).length;
  const answered = listed.length - stillThrottled;
  const settled = /slowed down to about (\d+) requests a second/.exec(limited.last.stderr)?.[1] ?? '(no note)';
  process.stdout.write(
    `sme jobs against SageMaker throttling above ${accountLimit}/s: ${limited.ms.toFixed(0)} ms, ${limited.throttled} ` +
      `calls throttled (400 ThrottlingException; retried by sme's limiter, not by the SDK), settled at ${settled} ` +
      `requests a second (answers per second over the list), peak ${limited.peak} requests in one second; ` +
      `${answered} of ${listed.length} jobs answered, ${stillThrottled} left throttled.\n`,
  );
} finally {
  sandbox.kill('SIGTERM');
  await aws.stop();
  rmSync(home, { recursive: true, force: true });
}
