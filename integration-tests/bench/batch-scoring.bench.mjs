/* global process, console, setTimeout */
/**
 * Rows per second of batch scoring (SME batch prediction: EXPORT, a SageMaker batch transform, IMPORT of the
 * results into a table, S3 cleanup) versus the prediction UDF (requests filled up to 5 MiB) at 20 ms injected
 * endpoint latency, on the same 5,000 rows, measured in one run, in the sandbox with the native Lua runtime when
 * installed. The transform's start-up is the sandbox's (10 job seconds at 50 job seconds per real second); real
 * AWS transform jobs take minutes to start, so at AWS batch scoring only pays off for large tables.
 * Needs `npm run build -w @sme/integration-tests` (imports the built scenario).
 */
import { performance } from 'node:perf_hooks';
import { createBatchPredictionsTableSql, pollBatchPrediction, startBatchPrediction } from '@sme/core';
import { startEnvironment } from '../dist/endpoints/environment.js';
import { deploy, rows, trainJob, waitInService } from '../dist/endpoints/scenario.js';

const LATENCY_MS = 20;
const ROWS = 5000;
const JOB = 'bbench-260101000000';

const env = await startEnvironment(process.env.SME_BENCH_LUA === 'wasm' ? 'wasm' : 'native', {
  endpointCreatingSeconds: 10,
  transformStartingSeconds: 10,
});
try {
  await trainJob(env, JOB);
  await env.sql.execute(
    'CREATE OR REPLACE TABLE "ML"."BIG" ("ID" DECIMAL(18,0), "X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)',
  );
  const data = rows(ROWS, 3);
  for (let i = 0; i < ROWS; i += 500) {
    const values = data.slice(i, i + 500).map((d, k) => {
      const note = d.note === null ? 'NULL' : `'${d.note.replace(/'/g, "''")}'`;
      return `(${i + k}, ${d.x1}, ${d.x2 === null ? 'NULL' : d.x2}, ${note})`;
    });
    await env.sql.execute(`INSERT INTO "ML"."BIG" VALUES ${values.join(', ')}`);
  }
  await deploy(env, JOB, 'bbench-ep');
  await waitInService(env, 'bbench-ep');
  env.aws.faults.setOperation('InvokeEndpoint', { latencyMs: LATENCY_MS });

  let t0 = performance.now();
  const udf = await env.sql.query('SELECT "ML"."bbench-ep"("X1", "X2", "NOTE") FROM "ML"."BIG"');
  const udfSeconds = (performance.now() - t0) / 1000;
  if (udf.rows.length !== ROWS) throw new Error(`UDF: ${udf.rows.length} rows, expected ${ROWS}`);

  const deps = {
    sql: env.sql,
    automl: env.adapters.automl,
    endpoints: env.adapters.endpoints,
    transforms: env.adapters.transforms,
    objects: () => env.objects,
    clock: env.clock,
    json: env.json,
    log: { info() {}, warn() {}, debug() {} },
  };
  const context = { metadataSchema: 'SME' };
  await env.sql.execute(createBatchPredictionsTableSql('SME'));
  t0 = performance.now();
  const started = await startBatchPrediction(
    {
      job_name: JOB,
      aws_credentials_connection_name: 'AWS',
      aws_region: env.aws.region,
      input_schema_name: 'ML',
      input_table_or_view_name: 'BIG',
      output_schema_name: 'ML',
      output_table_name: 'BIG_SCORES',
      key_columns: ['ID'],
    },
    deps,
    context,
  );
  let polled;
  do {
    await new Promise((r) => setTimeout(r, 50));
    polled = await pollBatchPrediction({ name: started.name }, deps, context);
  } while (polled.status === 'InProgress' || polled.status === 'Stopping');
  const batchSeconds = (performance.now() - t0) / 1000;
  if (polled.status !== 'Completed' || polled.importedRows !== ROWS) {
    throw new Error(`batch prediction ended ${polled.status} with ${String(polled.importedRows)} rows`);
  }
  console.log(`batch scoring vs the prediction UDF at ${LATENCY_MS} ms endpoint latency, ${ROWS} rows:`);
  console.log(`  prediction UDF (requests up to 5 MiB): ${(ROWS / udfSeconds).toFixed(0)} rows/s`);
  console.log(
    `  batch prediction (export, transform, import): ${(ROWS / batchSeconds).toFixed(0)} rows/s ` +
      `(incl. the sandbox's 0.2 s transform start-up; the endpoint latency does not apply)`,
  );
  console.log(`  ratio batch / UDF: ${(udfSeconds / batchSeconds).toFixed(2)}x`);
} finally {
  await env.stop();
}
