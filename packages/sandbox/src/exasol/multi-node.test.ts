/**
 * The simulated cluster (`nodes` option) under both Lua runtimes: NPROC/IPROC/ROWNUM, SET UDF groups and
 * SCALAR rows spread over instances on every node, instances running at once within their bound, and Exasol's
 * semantics kept (a group's rows reach exactly one instance; without GROUP BY one instance reads everything).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { clusterShape, planInstances } from './cluster.js';
import { startExasolSandbox, type ExasolSandbox } from './exasol-sandbox.js';
import { connectDriver, type Driver } from './testing/driver-harness.js';

const ROWS = 240;
const NODES = 3;

describe('planInstances', () => {
  const group = (key: string, nodes: number[]) => ({ key, rows: nodes.map((_, i) => `${key}${String(i)}`), nodes });

  it('runs a group whose rows share a node there, and deals a node’s groups to at most its instances', () => {
    const plans = planInstances(clusterShape(2, 2), true, [
      group('a', [1, 1]),
      group('b', [1]),
      group('c', [1, 1, 1]),
      group('d', [0]),
    ]);
    expect(plans.map((p) => [p.node, p.groups.map((g) => g.length)])).toEqual([
      [0, [1]],
      [1, [2, 3]],
      [1, [1]],
    ]);
    expect(new Set(plans.map((p) => p.vm)).size).toBe(plans.length);
  });

  it('sends a group spread over nodes to one node only, the same one every time', () => {
    const mixed = [group('k', [0, 1, 2, 0])];
    const first = planInstances(clusterShape(3, 4), true, mixed);
    expect(first).toHaveLength(1);
    expect(first[0]?.groups).toEqual([['k0', 'k1', 'k2', 'k3']]);
    expect(planInstances(clusterShape(3, 4), true, mixed)[0]?.node).toBe(first[0]?.node);
  });

  it('cuts SCALAR rows per node into at most instancesPerNode runs, losing none', () => {
    const nodes = Array.from({ length: 10 }, (_, i) => (i < 7 ? 0 : 1));
    const plans = planInstances(clusterShape(2, 3), false, [group('', nodes)]);
    expect(plans.map((p) => [p.node, p.groups.length, p.groups[0]?.length])).toEqual([
      [0, 1, 3],
      [0, 1, 3],
      [0, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expect(plans.flatMap((p) => p.groups.flat()).sort()).toEqual(group('', nodes).rows.sort());
  });

  it('refuses a cluster shape out of range', () => {
    expect(() => clusterShape(0)).toThrow(/nodes must be an integer/);
    expect(() => clusterShape(2, 0)).toThrow(/instances per node/);
  });
});

for (const lua of ['native', 'wasm'] as const) {
  describeTier(luaTier(lua), `a ${String(NODES)}-node sandbox (${lua} Lua)`, () => {
    let exa: ExasolSandbox;
    let db: Driver;
    beforeAll(async () => {
      exa = await startExasolSandbox({ lua, tls: false, nodes: NODES, udfInstancesPerNode: 2 });
      db = await connectDriver(exa);
      await db.execute('CREATE SCHEMA c');
      await db.execute(
        `CREATE TABLE c.t AS SELECT CAST(range AS DECIMAL(18,0)) AS id, CAST(range % 5 AS DECIMAL(18,0)) AS g FROM range(${String(ROWS)})`,
      );
      // One row per call of run(): the instance's node and VM, how many rows it read, and how many of them
      // were not on the instance's node (IPROC() of the row, passed in).
      await db.execute(`CREATE LUA SET SCRIPT c.probe(id DECIMAL(18,0), node DECIMAL(18,0))
EMITS (node_id DOUBLE, vm_id DOUBLE, n DOUBLE, elsewhere DOUBLE, id_sum DOUBLE) AS
function run(ctx)
  local n, elsewhere, sum = 0, 0, 0
  repeat
    n = n + 1
    sum = sum + ctx.id
    if tonumber(tostring(ctx.node)) ~= exa.meta.node_id then elsewhere = elsewhere + 1 end
  until not ctx.next()
  ctx.emit(exa.meta.node_id, exa.meta.vm_id, n, elsewhere, sum)
end`);
    });
    afterAll(async () => {
      await db.close();
      await exa.stop();
    });

    it('answers NPROC() with the node count, IPROC() with a fixed node per row, ROWNUM with 1..n', async () => {
      const r = await db.query('SELECT NPROC() AS n, IPROC() AS p, ROWNUM AS r, id FROM c.t');
      const rows = r.getRows() as { N: number; P: number; R: number; ID: number }[];
      expect(new Set(rows.map((x) => x.N))).toEqual(new Set([NODES]));
      expect(rows.map((x) => x.R)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
      const perNode = [0, 1, 2].map((p) => rows.filter((x) => x.P === p).length);
      expect(perNode.reduce((a, b) => a + b, 0)).toBe(ROWS);
      // Every node holds a fair share (a hash of the row number: no node below half of an even split).
      for (const n of perNode) expect(n).toBeGreaterThan(ROWS / NODES / 2);
      const again = (await db.query('SELECT IPROC() AS p, id FROM c.t')).getRows() as { P: number; ID: number }[];
      expect(again.map((x) => [x.ID, x.P])).toEqual(rows.map((x) => [x.ID, x.P]));
    });

    it('runs GROUP BY IPROC(), MOD(ROWNUM, k) groups on the rows’ own nodes, in several instances per node', async () => {
      const r = await db.query('SELECT c.probe(id, IPROC()) FROM c.t GROUP BY IPROC(), MOD(ROWNUM, 4)');
      const out = r.getRows() as { NODE_ID: number; VM_ID: number; N: number; ELSEWHERE: number; ID_SUM: number }[];
      expect(out).toHaveLength(NODES * 4);
      expect(out.map((x) => x.ELSEWHERE)).toEqual(out.map(() => 0));
      expect(out.reduce((a, x) => a + x.N, 0)).toBe(ROWS);
      expect(out.reduce((a, x) => a + x.ID_SUM, 0)).toBe((ROWS * (ROWS - 1)) / 2);
      for (let node = 0; node < NODES; node++) {
        const vms = new Set(out.filter((x) => x.NODE_ID === node).map((x) => x.VM_ID));
        expect(vms.size).toBe(2);
      }
      const call = exa.udfCalls().at(-1);
      expect(call?.script).toBe('C.PROBE');
      expect(call?.instances.map((i) => i.node)).toEqual([0, 0, 1, 1, 2, 2]);
      expect(call?.instances.every((i) => i.groups === 2)).toBe(true);
    });

    it('gives a SET UDF exactly its group’s rows, and one instance for all rows without GROUP BY', async () => {
      const grouped = (await db.query('SELECT c.probe(id, g) FROM c.t GROUP BY g')).getRows() as {
        N: number;
        ID_SUM: number;
      }[];
      const expected = (
        (await db.query('SELECT COUNT(*) AS n, SUM(id) AS s FROM c.t GROUP BY g')).getRows() as {
          N: number;
          S: number | string;
        }[]
      ).map((x) => [x.N, Number(x.S)]);
      expect(grouped.map((x) => [x.N, x.ID_SUM]).sort()).toEqual(expected.sort());

      const whole = (await db.query('SELECT c.probe(id, IPROC()) FROM c.t')).getRows() as { N: number }[];
      expect(whole).toEqual([expect.objectContaining({ N: ROWS })]);
      expect(exa.udfCalls().at(-1)?.instances).toEqual([expect.objectContaining({ vm: 0, groups: 1, rows: ROWS })]);
    });

    it('spreads SCALAR rows over instances on every node and returns each row’s value', async () => {
      await db.execute(`CREATE LUA SCALAR SCRIPT c.twice(id DECIMAL(18,0)) RETURNS DECIMAL(18,0) AS
function run(ctx) return ctx.id * 2 end`);
      const r = (await db.query('SELECT c.twice(id) AS v FROM c.t')).getRows() as { V: number }[];
      expect(r.map((x) => x.V).sort((a, b) => a - b)).toEqual(Array.from({ length: ROWS }, (_, i) => i * 2));
      const call = exa.udfCalls().at(-1);
      expect(new Set(call?.instances.map((i) => i.node))).toEqual(new Set([0, 1, 2]));
      expect(call?.instances.length).toBe(NODES * 2);
      expect(call?.instances.reduce((a, i) => a + i.rows, 0)).toBe(ROWS);
    });

    it('runs instances at once, never more than nodes × instances per node', async () => {
      // Each call sleeps 150 ms and reports when it ran; 12 groups over 3 nodes × 2 instances.
      await db.execute(`CREATE LUA SET SCRIPT c.slow(id DECIMAL(18,0)) EMITS (t0 DOUBLE, t1 DOUBLE) AS
local socket = require('socket')
function run(ctx)
  local t0 = socket.gettime()
  socket.sleep(0.15)
  ctx.emit(t0, socket.gettime())
end`);
      const r = (await db.query('SELECT c.slow(id) FROM c.t GROUP BY IPROC(), MOD(ROWNUM, 4)')).getRows() as {
        T0: number;
        T1: number;
      }[];
      expect(r).toHaveLength(12);
      const overlapAt = (t: number) => r.filter((x) => x.T0 <= t && t < x.T1).length;
      const most = Math.max(...r.map((x) => overlapAt(x.T0)));
      expect(most).toBeGreaterThan(1);
      expect(most).toBeLessThanOrEqual(NODES * 2);
    });
  });
}
