import type { SqlPort } from '../ports/sql-port.js';
import { exportFileCountFor } from '../s3-layout.js';

/** The cluster's node count, `NPROC()`; 1 when the answer is no count. */
async function nodeCount(sql: SqlPort): Promise<number> {
  const value = (await sql.query('SELECT NPROC() AS "NPROC" FROM DUAL')).rows[0]?.[0];
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    // No Number() or RegExp: this runs in Lua too.
    let n = 0;
    for (let i = 0; i < value.length; i++) {
      const b = value.charCodeAt(i);
      if (b < 48 || b > 57) return 1;
      n = n * 10 + (b - 48);
    }
    return n;
  }
  return 1;
}

/**
 * How many part files an EXPORT from this database writes: 4 per node (`NPROC()`, as the original extension did),
 * which Exasol writes in parallel. The one place the split is decided, for every front door that exports (the SQL
 * scripts and the CLI run the same use cases, which call this).
 *
 * @example
 * await exportFileCount(sql); // 16 on a 4-node cluster
 */
export async function exportFileCount(sql: SqlPort): Promise<number> {
  return exportFileCountFor(await nodeCount(sql));
}
