/**
 * The SELECT that scores rows with a prediction UDF, shaped for Exasol's parallelism. The UDF is a SET script:
 * Exasol calls a SET UDF once per GROUP BY group, so without GROUP BY every row forms one group and one instance
 * on one node reads them all (one serial stream of InvokeEndpoint requests, however many nodes the cluster has).
 * Grouping by `IPROC()` (the node a row is stored on, 0..NPROC()-1) keeps each row on its node and gives every node
 * groups; adding `MOD(ROWNUM, k)` (ROWNUM numbers the rows 1, 2, … of the table or subselect) cuts each node's rows
 * into k groups, so up to k instances per node send requests at once: NPROC() × k in flight.
 *
 * k = 4 ({@link PREDICTION_GROUPS_PER_NODE}): the instances a node runs at once are bounded by its cores (Exasol
 * nodes have several), and the endpoint behind the UDF serves a limited number of requests at once (a throttled
 * request is retried); 4 per node is the same factor as the training export's `NPROC() * 4` files. Rows are
 * scored one by one, so the grouping changes which instance sends a row, never its prediction; output order is
 * not promised either way.
 */
import { quoteIdentifier } from '../identifiers.js';

/** k of `GROUP BY IPROC(), MOD(ROWNUM, k)`: prediction groups (instances at once) per node. */
export const PREDICTION_GROUPS_PER_NODE = 4;

/** The GROUP BY clause that spreads a prediction UDF call over every node and k instances per node. */
export const PREDICTION_GROUP_BY = `GROUP BY IPROC(), MOD(ROWNUM, ${String(PREDICTION_GROUPS_PER_NODE)})`;

/**
 * `SELECT <udf>(<columns>) FROM <source> GROUP BY IPROC(), MOD(ROWNUM, 4)`.
 *
 * @param udf the UDF, already quoted and qualified (e.g. `"ML"."churn-ep"`)
 * @param columns stored column names, quoted here
 * @param source what follows FROM: a qualified table name or a parenthesised subselect
 * @example
 * predictionCallSql('"ML"."churn-ep"', ['AGE', 'PLAN'], '"S"."T"');
 * // SELECT "ML"."churn-ep"("AGE", "PLAN") FROM "S"."T" GROUP BY IPROC(), MOD(ROWNUM, 4)
 */
export function predictionCallSql(udf: string, columns: readonly string[], source: string): string {
  const args = columns.map((c) => quoteIdentifier(c)).join(', ');
  return `SELECT ${udf}(${args}) FROM ${source} ${PREDICTION_GROUP_BY}`;
}
