// Measures what importing this package costs a CLI at start-up, against bare `node` and against loading the
// SDK clients eagerly. Prints medians and ratios; no assertion (speed claims live here, not in tests).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', 'dist', 'index.js');
const runs = Number(process.env.BENCH_RUNS ?? 7);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(label, args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { cwd: join(here, '..'), stdio: 'ignore' });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const m = median(samples);
  process.stdout.write(`${label.padEnd(44)} ${m.toFixed(1).padStart(8)} ms (median of ${runs})\n`);
  return m;
}

const bare = time('node -e 0', ['-e', '0']);
const lazy = time('import @sme/sagemaker-adapter + create', [
  '--input-type=module',
  '-e',
  `const m = await import(${JSON.stringify(entry)}); m.createSageMakerAdapters(m.resolveSageMakerOptions({ region: 'us-east-1' }));`,
]);
const eager = time('import the 4 SDK clients + lib-storage', [
  '--input-type=module',
  '-e',
  "await Promise.all(['@aws-sdk/client-sagemaker','@aws-sdk/client-sagemaker-runtime','@aws-sdk/client-s3','@aws-sdk/client-sts','@aws-sdk/lib-storage'].map((m) => import(m)));",
]);
process.stdout.write(`ratio adapter import / node -e 0:   ${(lazy / bare).toFixed(2)}\n`);
process.stdout.write(`ratio eager SDK import / node -e 0: ${(eager / bare).toFixed(2)}\n`);
