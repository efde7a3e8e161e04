/**
 * The insight cache `SME_METADATA_AUTOPILOT_INSIGHTS`: what `listCandidates`/`evaluateJob`/`explainJob` read from
 * AWS once a job has ended, kept as JSON so that later calls (SQL or CLI) need no AWS call.
 */
import { qualifiedName, quoteIdentifier, quoteLiteral } from '../identifiers.js';
import type { MetadataColumn } from './metadata-table.js';

export const INSIGHTS_TABLE = 'SME_METADATA_AUTOPILOT_INSIGHTS';

/** Which insight a cache row holds. */
export type InsightKind = 'candidates' | 'evaluation' | 'explanation';

export const INSIGHT_COLUMNS: readonly MetadataColumn[] = [
  { name: 'JOB_NAME', type: 'VARCHAR(32)' },
  { name: 'KIND', type: 'VARCHAR(16)' },
  { name: 'CONTENT', type: 'VARCHAR(2000000)' },
  { name: 'CACHED_AT', type: 'TIMESTAMP' },
];

/** `CREATE TABLE IF NOT EXISTS "<schema>"."SME_METADATA_AUTOPILOT_INSIGHTS" (…)`. */
export function createInsightsTableSql(schema: string): string {
  const columns = INSIGHT_COLUMNS.map((c) => quoteIdentifier(c.name) + ' ' + c.type);
  return 'CREATE TABLE IF NOT EXISTS ' + qualifiedName(schema, INSIGHTS_TABLE) + ' (' + columns.join(', ') + ')';
}

function insightMatch(jobName: string, kind: InsightKind): string {
  return 'UPPER("JOB_NAME") = UPPER(' + quoteLiteral(jobName) + ') AND "KIND" = ' + quoteLiteral(kind);
}

/** The cached JSON of one insight of a job (no row when not cached). */
export function selectInsightSql(schema: string, jobName: string, kind: InsightKind): string {
  return 'SELECT "CONTENT" FROM ' + qualifiedName(schema, INSIGHTS_TABLE) + ' WHERE ' + insightMatch(jobName, kind);
}

/** Removes a cached insight (before it is written again). */
export function deleteInsightSql(schema: string, jobName: string, kind: InsightKind): string {
  return 'DELETE FROM ' + qualifiedName(schema, INSIGHTS_TABLE) + ' WHERE ' + insightMatch(jobName, kind);
}

/** Caches one insight; `cachedAt` is an Exasol TIMESTAMP text. */
export function insertInsightSql(
  schema: string,
  jobName: string,
  kind: InsightKind,
  content: string,
  cachedAt: string,
): string {
  return (
    'INSERT INTO ' +
    qualifiedName(schema, INSIGHTS_TABLE) +
    ' ("JOB_NAME", "KIND", "CONTENT", "CACHED_AT") VALUES (' +
    [jobName, kind, content].map((v) => quoteLiteral(v)).join(', ') +
    ', TIMESTAMP ' +
    quoteLiteral(cachedAt) +
    ')'
  );
}
