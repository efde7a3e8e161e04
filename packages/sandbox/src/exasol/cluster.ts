/**
 * The simulated cluster: how many nodes the sandbox pretends to have, which node a row lives on (`IPROC()`), and
 * how the rows of a UDF call are cut into instances that run side by side. Exasol's rules it follows:
 * - `NPROC()` is the number of nodes; `IPROC()` "returns the local node number within the cluster", an integer
 *   between 0 and NPROC-1 (https://docs.exasol.com/db/latest/sql_references/functions/alphabeticallistfunctions/iproc.htm, .../nproc.htm).
 * - `ROWNUM` is "an incremental unique integer value for records of a table or subselects, beginning with 1"
 *   (.../alphabeticallistfunctions/rownum.htm).
 * - UDFs run "in parallel on all cluster nodes" (https://docs.exasol.com/db/latest/database_concepts/udf_scripts/udf_overview.htm);
 *   a SET UDF is called once per group (each group's rows go to exactly one call), so without GROUP BY all rows
 *   form one group and one instance reads them; a SCALAR UDF's rows are spread over the instances of every node.
 *   One instance may run several groups one after another (`run` per group, `cleanup` once).
 */

/** The shape of the simulated cluster. */
export interface ClusterShape {
  /** `NPROC()`: simulated nodes (default 1). */
  readonly nodes: number;
  /** UDF instances one node runs at once (default 4): the pool bound is nodes × this. */
  readonly instancesPerNode: number;
}

export const DEFAULT_INSTANCES_PER_NODE = 4;
/** The most nodes the sandbox simulates (every node's instances are Lua processes or wasm runs of one machine). */
export const MAX_NODES = 64;

/** Validates and fills the cluster options of the sandbox. */
export function clusterShape(nodes = 1, instancesPerNode = DEFAULT_INSTANCES_PER_NODE): ClusterShape {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES)
    throw new RangeError(`nodes must be an integer 1..${String(MAX_NODES)}, got ${String(nodes)}`);
  if (!Number.isInteger(instancesPerNode) || instancesPerNode < 1 || instancesPerNode > 64)
    throw new RangeError(`UDF instances per node must be an integer 1..64, got ${String(instancesPerNode)}`);
  return { nodes, instancesPerNode };
}

/**
 * DuckDB SQL for `IPROC()`: the node of a row. A row's node is fixed by its position in the scan of the query's
 * source (a hash of its row number, so that it does not follow `MOD(ROWNUM, k)`): the same table read the same way
 * always puts the same rows on the same nodes. One node: the constant 0.
 */
export function iprocSql(nodes: number): string {
  if (nodes === 1) return 'CAST(0 AS DECIMAL(18,0))';
  return `CAST(hash(ROW_NUMBER() OVER ()) % ${String(nodes)} AS DECIMAL(18,0))`;
}

/** DuckDB SQL for `ROWNUM`: 1, 2, … over the rows of the query's source, in scan order. */
export const ROWNUM_SQL = 'CAST(ROW_NUMBER() OVER () AS DECIMAL(18,0))';

/** One UDF instance of a call: where it runs and which groups (SET) or rows (SCALAR, one group) it reads. */
export interface InstancePlan<Row> {
  readonly node: number;
  /** Unique within the statement (`exa.meta.vm_id`). */
  readonly vm: number;
  readonly groups: Row[][];
}

/** A group of a UDF call's input with the node of each of its rows. */
export interface InputGroup<Row> {
  readonly key: string;
  readonly rows: Row[];
  readonly nodes: number[];
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Cuts a UDF call into instances. SET: a group whose rows all live on one node runs there (so `GROUP BY IPROC(), …`
 * keeps rows on their node); any other group goes to the node its key hashes to, as a GROUP BY redistributes; a
 * node's groups are dealt round-robin to at most `instancesPerNode` instances. SCALAR (`set` false, one group
 * holding every row): each node's rows are cut into at most `instancesPerNode` contiguous runs. Without input
 * rows one instance runs on node 0, as before any instances existed.
 */
export function planInstances<Row>(
  shape: ClusterShape,
  set: boolean,
  groups: readonly InputGroup<Row>[],
): InstancePlan<Row>[] {
  const perNode: Row[][][] = Array.from({ length: shape.nodes }, () => []);
  for (const g of groups) {
    if (set) {
      const first = g.nodes[0] ?? 0;
      const node = g.nodes.every((n) => n === first) ? first : fnv1a(g.key) % shape.nodes;
      perNode[node]?.push(g.rows);
    } else {
      const byNode: Row[][] = Array.from({ length: shape.nodes }, () => []);
      g.rows.forEach((row, i) => byNode[g.nodes[i] ?? 0]?.push(row));
      byNode.forEach((rows, node) => {
        if (rows.length === 0) return;
        const count = Math.min(shape.instancesPerNode, rows.length);
        const size = Math.ceil(rows.length / count);
        for (let k = 0; k < rows.length; k += size) perNode[node]?.push(rows.slice(k, k + size));
      });
    }
  }
  const plans: InstancePlan<Row>[] = [];
  perNode.forEach((nodeGroups, node) => {
    const count = Math.min(shape.instancesPerNode, nodeGroups.length);
    const instances: Row[][][] = Array.from({ length: count }, () => []);
    nodeGroups.forEach((rows, j) => instances[j % count]?.push(rows));
    for (const groupsOfInstance of instances) {
      // SCALAR: an instance reads its rows as one run (Lua calls run once per row).
      const merged = set ? groupsOfInstance : [groupsOfInstance.flat()];
      plans.push({ node, vm: plans.length, groups: merged });
    }
  });
  // No input rows: one instance still starts (and reports a broken script), reading nothing.
  if (plans.length === 0) plans.push({ node: 0, vm: 0, groups: set ? [] : [[]] });
  return plans;
}

/** A counting semaphore: at most `size` holders at once; the rest wait in arrival order. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
      });
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

/** What the sandbox records of one UDF call: the instances it ran, per node (for tests and benchmarks). */
export interface UdfCallRecord {
  /** `SCHEMA.NAME` of the UDF. */
  readonly script: string;
  readonly inputType: 'SCALAR' | 'SET';
  readonly instances: readonly {
    readonly node: number;
    readonly vm: number;
    readonly groups: number;
    readonly rows: number;
  }[];
}
