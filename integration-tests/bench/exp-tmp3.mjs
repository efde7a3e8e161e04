/* global process, console */
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import { execSync } from 'node:child_process';
import { predictionCallSql } from '@sme/core';
import { startEnvironment } from '../dist/endpoints/environment.js';
import { deploy, insertRows, rows, trainJob, waitInService } from '../dist/endpoints/scenario.js';
const N = 20000;
const luaCpu = () => {
  const pids = execSync(`pgrep -P ${process.pid} || true`).toString().trim().split('\n').filter(Boolean);
  let t = 0;
  for (const p of pids) { try { const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' '); t += Number(f[11]) + Number(f[12]); } catch {} }
  return t / 100;
};
const env = await startEnvironment('native', { endpointCreatingSeconds: 10 });
try {
  await trainJob(env, 'bench-260101000000');
  await env.sql.execute('CREATE OR REPLACE TABLE "ML"."BIG" ("X1" DOUBLE, "X2" DOUBLE, "NOTE" VARCHAR(100) UTF8)');
  await insertRows(env, '"BIG"', rows(N, 3), false);
  await deploy(env, 'bench-260101000000', 'bbig');
  await waitInService(env, 'bbig');
  env.aws.faults.setOperation('InvokeEndpoint', { latencyMs: 20 });
  const m = async (label, sql) => {
    const l0 = luaCpu(); const c0 = process.cpuUsage(); const t0 = performance.now();
    const r = await env.sql.query(sql);
    const s = (performance.now() - t0) / 1000; const c = process.cpuUsage(c0); const l = luaCpu() - l0;
    console.log(label, r.rows.length, (N / s).toFixed(0), 'rows/s', s.toFixed(2), 's node', ((c.user + c.system) / 1e6).toFixed(2), 'lua', l.toFixed(2));
  };
  for (let i = 0; i < 1; i++) {

    await m('plain', `SELECT "ML"."bbig"("X1", "X2", "NOTE") FROM "ML"."BIG"`);
  }
  await m('select', `SELECT "X1", "X2", "NOTE" FROM "ML"."BIG"`);
} finally {
  await env.stop();
}
