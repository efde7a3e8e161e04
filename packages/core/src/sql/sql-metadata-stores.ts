/** The metadata stores over `SqlPort`: the one implementation, used in Node and (compiled to Lua) in the database. */
import type {
  BatchPredictionStore,
  EndpointFilter,
  EndpointStore,
  JobStore,
  MetadataStores,
  MetadataValues,
  ModelPromotion,
  ModelStore,
} from '../ports/metadata-store.js';
import type { SqlPort, SqlQuery } from '../ports/sql-port.js';
import { rowRecords } from '../use-cases/metadata-rows.js';
import {
  BATCH_PREDICTION_COLUMNS,
  insertBatchPredictionSql,
  selectBatchPredictionsSql,
  updateBatchPredictionSql,
} from './batch-predictions-sql.js';
import {
  ENDPOINT_COLUMNS,
  insertEndpointSql,
  selectEndpointsSql,
  selectIdleEndpointsSql,
  updateEndpointSql,
} from './endpoints-sql.js';
import { METADATA_COLUMNS, type MetadataColumn } from './metadata-table.js';
import { insertModelSql, MODEL_COLUMNS, selectModelsSql } from './models-sql.js';
import { insertJobSql, selectJobsSql, updateJobSql } from './statements.js';

function names(columns: readonly MetadataColumn[]): string[] {
  return columns.map((c) => c.name);
}

function query(sql: string, columns: readonly MetadataColumn[]): SqlQuery {
  return { sql, columns: names(columns) };
}

/**
 * `SELECT <all columns> FROM "<schema>"."SME_METADATA_AUTOPILOT_JOBS" [WHERE job matches] ORDER BY "DATETIME" DESC`,
 * carrying its column list.
 */
export function selectJobsQuery(schema: string, jobName?: string): SqlQuery {
  return query(selectJobsSql(schema, jobName), METADATA_COLUMNS);
}

/** {@link selectEndpointsSql} carrying its column list. */
export function selectEndpointsQuery(schema: string, filter: EndpointFilter = {}): SqlQuery {
  return query(selectEndpointsSql(schema, filter), ENDPOINT_COLUMNS);
}

function jobStore(sql: SqlPort, schema: string): JobStore {
  return {
    async find(key: string) {
      return rowRecords(await sql.query(selectJobsQuery(schema, key)))[0];
    },
    async list() {
      return rowRecords(await sql.query(selectJobsQuery(schema)));
    },
    async insert(values: MetadataValues) {
      await sql.execute(insertJobSql(schema, values));
    },
    // async: a column the table lacks rejects the promise, as the SQL engine's errors do.
    async update(key: string, values: MetadataValues) {
      return sql.execute(updateJobSql(schema, key, values));
    },
  };
}

function endpointStore(sql: SqlPort, schema: string): EndpointStore {
  return {
    async find(key: string) {
      return rowRecords(await sql.query(selectEndpointsQuery(schema, { endpointName: key })))[0];
    },
    async list(filter: EndpointFilter = {}) {
      if (filter.idleBefore !== undefined) {
        // Deadlines compare in SQL (TIMESTAMP), whatever text format the driver answers them in.
        const idle = rowRecords(
          await sql.query(query(selectIdleEndpointsSql(schema, filter.idleBefore), ENDPOINT_COLUMNS)),
        );
        return idle.filter(
          (r) =>
            (filter.endpointName === undefined || r['ENDPOINT_NAME'] === filter.endpointName) &&
            (filter.jobName === undefined || r['JOB_NAME'] === filter.jobName),
        );
      }
      return rowRecords(await sql.query(selectEndpointsQuery(schema, filter)));
    },
    async insert(values: MetadataValues) {
      await sql.execute(insertEndpointSql(schema, values));
    },
    async update(key: string, values: MetadataValues) {
      return sql.execute(updateEndpointSql(schema, key, values));
    },
  };
}

function batchPredictionStore(sql: SqlPort, schema: string): BatchPredictionStore {
  return {
    async find(key: string) {
      return rowRecords(await sql.query(query(selectBatchPredictionsSql(schema, key), BATCH_PREDICTION_COLUMNS)))[0];
    },
    async list() {
      return rowRecords(await sql.query(query(selectBatchPredictionsSql(schema), BATCH_PREDICTION_COLUMNS)));
    },
    async insert(values: MetadataValues) {
      await sql.execute(insertBatchPredictionSql(schema, values));
    },
    async update(key: string, values: MetadataValues) {
      return sql.execute(updateBatchPredictionSql(schema, key, values));
    },
  };
}

function modelStore(sql: SqlPort, schema: string): ModelStore {
  return {
    async list(filter: { readonly modelName?: string } = {}) {
      return rowRecords(await sql.query(query(selectModelsSql(schema, filter.modelName), MODEL_COLUMNS)));
    },
    async insert(promotion: ModelPromotion) {
      await sql.execute(insertModelSql(schema, promotion));
    },
  };
}

/**
 * The metadata tables of `schema` over `sql`.
 *
 * @example
 * const stores = sqlMetadataStores(sql, 'SME');
 * const running = await stores.endpoints.list({ activeOnly: true });
 */
export function sqlMetadataStores(sql: SqlPort, schema: string): MetadataStores {
  return {
    jobs: jobStore(sql, schema),
    endpoints: endpointStore(sql, schema),
    batchPredictions: batchPredictionStore(sql, schema),
    models: modelStore(sql, schema),
  };
}
