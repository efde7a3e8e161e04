/* global process, console */
/**
 * Rows per second of the prediction UDF as sme calls it versus one row per request, at 20 ms injected endpoint
 * latency (sandbox fault injection), measured in one run, in the sandbox with the native Lua runtime when installed.
 * Batched: the UDF deployed with its defaults (requests filled up to the 5 MiB body limit) and called the way sme
 * calls it (core's `predictionCallSql`, `GROUP BY IPROC(), MOD(ROWNUM, 4)`: several instances, so several requests
 * in flight). One row per request: a UDF deployed with at most 1 row per request, called without grouping (one
 * instance, one request after another). Needs `npm run build -w @sme/integration-tests` (imports the built scenario).
 */
import { performance } from 'node:perf_hooks';
import { predictionCallSql } from '@sme/core';
import { startEnvironment } from '../dist/endpoints/environment.js';
import { deploy, insertRows, rows, trainJob, waitInService } from '../dist/endpoints/scenario.js';

const LATENCY_MS = 20;
const BATCHED_ROWS = 20000;
const SINGLE_ROWS = 300;
const JOB = 'bench-260101000000';
const COLUMNS = ['X1', 'X2', 'NOTE'];

const env = await startEnvironment(process.env.SME_BENCH_LUA === 'wasm' ? 'wasm' : 'native', {
  endpointCreatingSeconds: 10,
});
try {
  await trainJob(env, JOB);
  await env.sql.execute('CREATE OR REPLACE TABLE "ML"."BIG" ("X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)');
  await env.sql.execute('CREATE OR REPLACE TABLE "ML"."SMALL" ("X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)');
  await insertRows(env, '"BIG"', rows(BATCHED_ROWS, 3), false);
  await insertRows(env, '"SMALL"', rows(SINGLE_ROWS, 4), false);
  await deploy(env, JOB, 'bench-batched');
  await deploy(env, JOB, 'bench-single', 1);
  await waitInService(env, 'bench-batched');
  await waitInService(env, 'bench-single');
  env.aws.faults.setOperation('InvokeEndpoint', { latencyMs: LATENCY_MS });

  const measure = async (sql, n) => {
    const t0 = performance.now();
    const result = await env.sql.query(sql);
    const seconds = (performance.now() - t0) / 1000;
    if (result.rows.length !== n) throw new Error(`${sql}: ${result.rows.length} rows, expected ${n}`);
    return n / seconds;
  };
  const batched = await measure(predictionCallSql('"ML"."bench-batched"', COLUMNS, '"ML"."BIG"'), BATCHED_ROWS);
  const single = await measure(`SELECT "ML"."bench-single"("X1", "X2", "NOTE") FROM "ML"."SMALL"`, SINGLE_ROWS);
  console.log(`prediction UDF at ${LATENCY_MS} ms endpoint latency:`);
  console.log(`  batched (requests up to 5 MiB, grouped): ${batched.toFixed(0)} rows/s over ${BATCHED_ROWS} rows`);
  console.log(`  one row per request:                     ${single.toFixed(1)} rows/s over ${SINGLE_ROWS} rows`);
  console.log(`  ratio batched / one-row:                 ${(batched / single).toFixed(1)}x`);
} finally {
  await env.stop();
}
