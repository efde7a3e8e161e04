import { describe, expect, it } from 'vitest';
import { queryText, type SqlPort, type SqlQuery, type SqlRows } from '../ports/sql-port.js';
import { ENDPOINT_COLUMNS, selectEndpointsSql, updateEndpointSql } from './endpoints-sql.js';
import { METADATA_COLUMNS } from './metadata-table.js';
import { insertModelSql, MODEL_COLUMNS, selectModelsSql } from './models-sql.js';
import { sqlMetadataStores } from './sql-metadata-stores.js';
import { insertJobSql, selectJobsSql, updateJobSql } from './statements.js';

/** Records what the stores send and answers queries with the rows given, named by position only. */
class RecordingSql implements SqlPort {
  readonly queries: (string | SqlQuery)[] = [];
  readonly executed: string[] = [];
  constructor(private readonly answer: SqlRows['rows'] = []) {}
  query(query: string | SqlQuery): Promise<SqlRows> {
    this.queries.push(query);
    const names = typeof query === 'string' ? [] : query.columns;
    // As the Lua SqlPort does: the names are the ones the query carries.
    return Promise.resolve({ columns: names.map((name) => ({ name, type: '' })), rows: this.answer });
  }
  execute(sql: string): Promise<number> {
    this.executed.push(sql);
    return Promise.resolve(1);
  }
}

describe('sqlMetadataStores', () => {
  it('selects with the column list it reads by, so no port needs to parse the SQL', async () => {
    const row = METADATA_COLUMNS.map((c) => (c.name === 'JOB_NAME' ? 'churn-1' : null));
    const sql = new RecordingSql([row]);
    const found = await sqlMetadataStores(sql, 'SME').jobs.find('churn-1');
    expect(found?.JOB_NAME).toBe('churn-1');
    expect(sql.queries).toEqual([
      { sql: selectJobsSql('SME', 'churn-1'), columns: METADATA_COLUMNS.map((c) => c.name) },
    ]);
  });

  it('lists endpoints by filter and models by name, each with its column list', async () => {
    const sql = new RecordingSql();
    const stores = sqlMetadataStores(sql, 'SME');
    expect(await stores.endpoints.list({ jobName: 'j', activeOnly: true })).toEqual([]);
    expect(await stores.models.list({ modelName: 'churn' })).toEqual([]);
    expect(sql.queries.map((q) => queryText(q))).toEqual([
      selectEndpointsSql('SME', { jobName: 'j', activeOnly: true }),
      selectModelsSql('SME', 'churn'),
    ]);
    expect(sql.queries.map((q) => (typeof q === 'string' ? [] : q.columns))).toEqual([
      ENDPOINT_COLUMNS.map((c) => c.name),
      MODEL_COLUMNS.map((c) => c.name),
    ]);
  });

  it('writes with the row builders of sql/ and answers the updated row count', async () => {
    const sql = new RecordingSql();
    const stores = sqlMetadataStores(sql, 'SME');
    const status = { STATUS: { kind: 'text', value: 'InService' } } as const;
    await stores.jobs.insert({ JOB_NAME: { kind: 'text', value: 'churn-1' } });
    expect(await stores.jobs.update('churn-1', { JOB_STATUS: { kind: 'text', value: 'Completed' } })).toBe(1);
    expect(await stores.endpoints.update('ep', status)).toBe(1);
    const promotion = {
      modelName: 'churn',
      jobName: 'churn-1',
      endpointName: 'ep',
      udfSchema: 'ML',
      predictionUdf: 'PREDICT_CHURN',
      signature: '{}',
      promotedAt: '2026-01-01 00:00:00.000',
    };
    await stores.models.insert(promotion);
    expect(sql.executed).toEqual([
      insertJobSql('SME', { JOB_NAME: { kind: 'text', value: 'churn-1' } }),
      updateJobSql('SME', 'churn-1', { JOB_STATUS: { kind: 'text', value: 'Completed' } }),
      updateEndpointSql('SME', 'ep', status),
      insertModelSql('SME', promotion),
    ]);
  });
});
