/* global process, console */
/**
 * What a multi-node sandbox (`nodes` option, `sme-sandbox --nodes`) gains, measured in one run:
 * - prediction rows/s at 20 ms injected endpoint latency (sandbox fault injection) on 1-, 2- and 4-node sandboxes,
 *   through the grouped call sme generates (`GROUP BY IPROC(), MOD(ROWNUM, 4)`), with small batches so that the
 *   endpoint's latency, not CPU, bounds the rate (goal: 4 nodes at least 3 times 1 node); the ungrouped call (one
 *   instance, serial requests) for comparison;
 * - training-export wall time for 1 M rows (EXPORT into NPROC() * 4 part files, as training does) on 1 and 4 nodes.
 * Each prediction run also reports how many InvokeEndpoint requests the AWS sandbox had in flight (on average over
 * the statement, per node, and at most at once; the latency included), and the CPU it used (this process: the Exasol and AWS sandboxes; the lua5.4
 * processes, read from /proc on Linux) per InvokeEndpoint request, and from it the rate this machine's cores allow
 * at most: the simulated nodes share these cores, where a real cluster's nodes each bring their own.
 * Native Lua when installed (SME_BENCH_LUA=wasm for wasmoon). Needs `npm run build -w @sme/integration-tests`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { exportFileCountFor, exportToS3Sql, partFileNames, predictionCallSql } from '@sme/core';
import { startEnvironment } from '../dist/endpoints/environment.js';
import { deploy, insertRows, rows, trainJob, waitInService } from '../dist/endpoints/scenario.js';

const LATENCY_MS = 20;
// Enough rows that every instance of 4 nodes sends ~90 requests: with fewer, the instances' start (a Lua state
// each, all at once) and the uneven end of the groups weigh more than the requests themselves. IPROC() places rows
// by a hash, so the 16 groups of 4 nodes differ in size by a few standard deviations of a binomial count; the
// statement ends with the largest (~8 % above the mean at 600 rows a group, ~5 % at 1,800).
const PREDICT_ROWS = 28800;
// The ungrouped call (one instance, serial requests) is measured on fewer rows: it is the slow comparison.
const UNGROUPED_ROWS = 4800;
const BATCH_ROWS = 20;
const EXPORT_ROWS = 1_000_000;
const JOB = 'bench-nodes-260101000000';
const EP = 'bench-nodes';
const LUA = process.env.SME_BENCH_LUA === 'wasm' ? 'wasm' : 'native';

/** CPU seconds of this process's child processes (the native runtime's lua5.4 processes); 0 where /proc is missing. */
function childCpuSeconds() {
  let total = 0;
  let dirs;
  try {
    dirs = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const d of dirs) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const fields = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      if (Number(fields[1]) === process.pid) total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/** Seconds `fn` takes. */
async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

async function predictionRate(nodes) {
  const env = await startEnvironment(LUA, { endpointCreatingSeconds: 10 }, { nodes });
  try {
    await trainJob(env, JOB);
    await env.sql.execute('CREATE OR REPLACE TABLE "ML"."BIG" ("X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)');
    await insertRows(env, '"BIG"', rows(PREDICT_ROWS, 3), false);
    if (nodes === 1) {
      await env.sql.execute(
        'CREATE OR REPLACE TABLE "ML"."SMALL" ("X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)',
      );
      await insertRows(env, '"SMALL"', rows(UNGROUPED_ROWS, 7), false);
    }
    await env.sql.execute('CREATE OR REPLACE TABLE "ML"."WARM" ("X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)');
    await insertRows(env, '"WARM"', rows(400, 5), false);
    await deploy(env, JOB, EP, BATCH_ROWS);
    await waitInService(env, EP);
    env.aws.faults.setOperation('InvokeEndpoint', { latencyMs: LATENCY_MS });
    const udf = `"ML"."${EP}"`;
    // Warm-up: every instance's Lua process is started once (the sandbox keeps them for the next statement).
    await env.sql.query(predictionCallSql(udf, ['X1', 'X2', 'NOTE'], '"ML"."WARM"'));
    const run = async (sql, expected = PREDICT_ROWS) => {
      let n = 0;
      env.aws.faults.resetObserved();
      const cpu0 = process.cpuUsage();
      const lua0 = childCpuSeconds();
      const seconds = await timed(async () => {
        n = (await env.sql.query(sql)).rows.length;
      });
      const cpu = process.cpuUsage(cpu0);
      if (n !== expected) throw new Error(`${String(n)} rows, expected ${String(expected)}`);
      const invoke = env.aws.faults.observed().InvokeEndpoint;
      return {
        rate: expected / seconds,
        requests: invoke?.requests ?? 0,
        inFlight: (invoke?.inFlightMs ?? 0) / 1000 / seconds,
        peakInFlight: invoke?.peakInFlight ?? 0,
        nodeCpu: (cpu.user + cpu.system) / 1e6,
        luaCpu: childCpuSeconds() - lua0,
      };
    };
    const grouped = await run(predictionCallSql(udf, ['X1', 'X2', 'NOTE'], '"ML"."BIG"'));
    const plain =
      nodes === 1 ? await run(`SELECT ${udf}("X1", "X2", "NOTE") FROM "ML"."SMALL"`, UNGROUPED_ROWS) : undefined;
    return { grouped, plain };
  } finally {
    await env.stop();
  }
}

async function exportSeconds(nodes) {
  const env = await startEnvironment(LUA, {}, { nodes });
  try {
    await env.sql.execute('CREATE SCHEMA IF NOT EXISTS "ML"');
    await env.sql.execute(
      `CREATE OR REPLACE TABLE "ML"."WIDE" AS SELECT CAST(range AS DECIMAL(18,0)) AS "ID", CAST(range % 1000 AS DOUBLE) / 7 AS "X1", ` +
        `'n' || CAST(range % 97 AS VARCHAR(10)) AS "NOTE", range % 2 = 0 AS "FLAG" FROM range(${String(EXPORT_ROWS)})`,
    );
    const nproc = Number((await env.sql.query('SELECT NPROC() AS "N" FROM DUAL')).rows[0]?.[0]);
    const files = partFileNames(exportFileCountFor(nproc)).map((f) => `bench/nodes-${String(nodes)}/input/${f}`);
    const sql = exportToS3Sql({
      schema: 'ML',
      table: 'WIDE',
      columns: ['ID', 'X1', 'NOTE', 'FLAG'],
      connection: 'AWS',
      fileKeys: files,
    });
    return { seconds: await timed(() => env.sql.execute(sql)), files: files.length };
  } finally {
    await env.stop();
  }
}

// Every simulated node shares this machine's cores with the Node process and its Lua processes: on a loaded
// machine the instances wait for CPU, not only for the endpoint, and the ratios shrink.
const machine = () =>
  `${String(availableParallelism())} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
console.log(`machine at start: ${machine()}`);
const rates = new Map();
for (const nodes of [1, 2, 4]) rates.set(nodes, await predictionRate(nodes));
const one = rates.get(1).grouped.rate;
const cores = availableParallelism();
const ms = (seconds, requests) => ((seconds * 1000) / requests).toFixed(1);
console.log(
  `prediction UDF at ${String(LATENCY_MS)} ms endpoint latency, ${String(BATCH_ROWS)} rows/request, ${String(PREDICT_ROWS)} rows (${LUA} Lua):`,
);
console.log(
  `  1 node, ungrouped call (one instance): ${rates.get(1).plain.rate.toFixed(0)} rows/s over ${String(UNGROUPED_ROWS)} rows`,
);
for (const [nodes, r] of rates) {
  const g = r.grouped;
  console.log(
    `  ${String(nodes)} node(s), GROUP BY IPROC(), MOD(ROWNUM, 4): ${g.rate.toFixed(0)} rows/s (${(g.rate / one).toFixed(1)}x one node); ` +
      `requests in flight ${g.inFlight.toFixed(1)} on average (${(g.inFlight / nodes).toFixed(1)} per node of 4 instances), ${String(g.peakInFlight)} at most; ` +
      `CPU per request ${ms(g.nodeCpu + g.luaCpu, g.requests)} ms (sandboxes ${ms(g.nodeCpu, g.requests)}, Lua ${ms(g.luaCpu, g.requests)})`,
  );
}
const four = rates.get(4).grouped;
console.log(
  `  goal 4 nodes >= 3x one node: ${four.rate / one >= 3 ? 'met' : 'NOT met'} (${(four.rate / one).toFixed(1)}x)`,
);
// The 16 instances of 4 nodes could keep 16 requests in flight; the cores bound the rate first when every request
// costs more CPU than the endpoint's latency spread over the cores.
const cpuPerRequest = (four.nodeCpu + four.luaCpu) / four.requests;
const ceiling = (cores / cpuPerRequest) * BATCH_ROWS;
const latencyBound = ((16 * 1000) / LATENCY_MS) * BATCH_ROWS;
console.log(
  `  this machine's bound: ${String(cores)} cores / ${(cpuPerRequest * 1000).toFixed(1)} ms CPU per request = ${ceiling.toFixed(0)} rows/s at most ` +
    `(16 instances at ${String(LATENCY_MS)} ms allow ${latencyBound.toFixed(0)}; 3x one node needs ${(3 * one).toFixed(0)})`,
);

const exports = [];
for (const nodes of [1, 4]) exports.push({ nodes, ...(await exportSeconds(nodes)) });
console.log(`training export of ${EXPORT_ROWS.toLocaleString('en-US')} rows (EXPORT into NPROC() * 4 files):`);
for (const e of exports)
  console.log(`  ${String(e.nodes)} node(s), ${String(e.files)} files: ${e.seconds.toFixed(1)} s`);
console.log(`  ratio 1 node / 4 nodes: ${(exports[0].seconds / exports[1].seconds).toFixed(2)}x`);
console.log(`machine at end: ${machine()}`);
