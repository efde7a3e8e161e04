import { describe, expect, it } from 'vitest';
import {
  isSmeError,
  literalsWithColon,
  sqlMetadataStores,
  queryText,
  renderStatement,
  sqlPieces,
  type AwsTarget,
  type MetadataStore,
  type MetadataStores,
  type SqlPort,
  type SqlQuery,
  type SqlRows,
  type SqlStatement,
  type SqlValue,
} from '@sme/core';
import {
  FakeAutoML,
  FakeEndpoints,
  FixedClock,
  InMemoryMetadataStores,
  InMemoryScriptsSql,
  InMemoryTablesSql,
  MemoryLog,
  EXAMPLE_PARAMS_JSON,
  nodeJson,
  tokenize,
} from '@sme/core/testing';
import {
  deleteEndpointEntry,
  deployEndpointEntry,
  reapIdleEndpointsEntry,
  describeEntry,
  dropJobEntry,
  endpointStatusEntry,
  pollEntry,
  stopEntry,
  trainEntry,
  type ScriptingDeps,
} from '../src/lua/scripting/entry-points.js';
import { pqueryArguments } from '../src/lua/scripting/pquery-arguments.js';

const NOW = 1700000000000;
const JOB = 'churn-model-231114221320';
const ADDRESS = 'https://sme-training-data.s3.eu-central-1.amazonaws.com/';

/** Epoch milliseconds → AWS JSON 1.1 epoch seconds, as the AWS-call UDF would answer. */
function awsTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(awsTimes);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      (k === 'CreationTime' || k === 'EndTime' || k === 'LastModifiedTime') && typeof v === 'number'
        ? v / 1000
        : awsTimes(v);
  }
  return out;
}

/**
 * The SqlPort as the Lua side uses it: each statement goes through `pqueryArguments` (what the Lua SqlPort passes to
 * `pquery(text, params)`) and is recorded; the bound statement runs against core's doubles (scripts, the source
 * table), and the two UDFs answer from FakeAutoML / FakeEndpoints. `metadata` is the port the SQL metadata stores
 * send their statements to: they are bound and recorded alike, and answered by the in-memory stores (see `teeStores`).
 */
class LuaSideSql implements SqlPort {
  readonly issued: { original: string; statement: SqlStatement }[] = [];
  readonly metadata: SqlPort = {
    query: (query) => {
      this.bind(queryText(query));
      const columns = typeof query === 'string' ? [] : query.columns.map((name) => ({ name, type: '' }));
      return Promise.resolve({ columns, rows: [] });
    },
    execute: (sql) => {
      this.bind(sql);
      return Promise.resolve(0);
    },
  };
  constructor(
    private readonly tables: InMemoryTablesSql,
    private readonly scripts: InMemoryScriptsSql,
    private readonly automl: FakeAutoML,
    private readonly endpoints: FakeEndpoints,
  ) {}

  async query(query: string | SqlQuery): Promise<SqlRows> {
    return (await this.run(queryText(query), 'query')) as SqlRows;
  }

  async execute(sql: string): Promise<number> {
    return (await this.run(sql, 'execute')) as number;
  }

  /** What Exasol executes once it bound the params table (the same text). */
  private bind(sql: string): string {
    const statement = pqueryArguments(sql);
    this.issued.push({ original: sql, statement });
    const bound = renderStatement(statement);
    expect(bound).toBe(sql);
    return bound;
  }

  private async run(sql: string, mode: 'query' | 'execute'): Promise<SqlRows | number> {
    const bound = this.bind(sql);
    const t = tokenize(bound);
    if (t[0]?.v === 'SELECT' && t[2]?.v === '.' && t[4]?.v === '(') {
      const args = t.filter((x) => x.t === 'string').map((x) => x.v);
      const value = t[3]?.v === 'SME_CONNECTION_ADDRESS' ? ADDRESS : await this.aws(args);
      return { columns: [{ name: 'X', type: '' }], rows: [[value]] };
    }
    const db = bound.includes(' SCRIPT ') ? this.scripts : this.tables;
    return mode === 'query' ? db.query(bound) : db.execute(bound);
  }

  private async aws([connectionName = '', region = '', operation = '', payload = '{}']: string[]): Promise<SqlValue> {
    const target: AwsTarget = { connectionName, region };
    const p = JSON.parse(payload) as Record<string, string>;
    const automl = this.automl.factory(target);
    const ep = this.endpoints.factory(target);
    const calls: Record<string, () => Promise<unknown>> = {
      CreateAutoMLJobV2: () => automl.createJob(p as never),
      DescribeAutoMLJobV2: () => automl.describeJob(p.AutoMLJobName ?? ''),
      StopAutoMLJob: () => automl.stopJob(p.AutoMLJobName ?? ''),
      ListCandidatesForAutoMLJob: async () => ({ Candidates: await automl.listCandidates(p.AutoMLJobName ?? '') }),
      CreateModel: () => ep.createModel(p as never),
      DeleteModel: () => ep.deleteModel(p.ModelName ?? ''),
      CreateEndpointConfig: () => ep.createEndpointConfig(p as never),
      DeleteEndpointConfig: () => ep.deleteEndpointConfig(p.EndpointConfigName ?? ''),
      CreateEndpoint: () => ep.createEndpoint(p as never),
      DescribeEndpoint: () => ep.describeEndpoint(p.EndpointName ?? ''),
      DeleteEndpoint: () => ep.deleteEndpoint(p.EndpointName ?? ''),
      ListEndpoints: async () => ({ Endpoints: await ep.listEndpoints() }),
      ListObjectsV2: () => Promise.resolve('<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>'),
    };
    const call = calls[operation];
    if (call === undefined) throw new Error('unexpected AWS operation ' + operation);
    try {
      const answer = await call();
      const body = typeof answer === 'string' ? answer : JSON.stringify(awsTimes(answer ?? {}));
      return JSON.stringify({ ok: true, httpStatus: 200, body });
    } catch (e) {
      if (!isSmeError(e)) throw e;
      return JSON.stringify({ ok: false, code: e.code, kind: e.kind, message: e.message });
    }
  }
}

/** Each call goes to both stores: `shaping` sends its SQL (answer ignored), `answering` answers. */
function teeStore<F>(shaping: MetadataStore<F>, answering: MetadataStore<F>): MetadataStore<F> {
  return {
    async find(key) {
      await shaping.find(key);
      return answering.find(key);
    },
    async list(filter) {
      await shaping.list(filter);
      return answering.list(filter);
    },
    async insert(values) {
      await shaping.insert(values);
      await answering.insert(values);
    },
    async update(key, values) {
      await shaping.update(key, values);
      return answering.update(key, values);
    },
  };
}

/**
 * The SQL metadata stores over `sql` for their statements, the in-memory ones for their answers: the statements are
 * those the scripts send, with no SQL parsed to answer them.
 */
function teeStores(sql: SqlPort, schema: string, answering: MetadataStores): MetadataStores {
  const shaping = sqlMetadataStores(sql, schema);
  return {
    jobs: teeStore(shaping.jobs, answering.jobs),
    endpoints: teeStore(shaping.endpoints, answering.endpoints),
    batchPredictions: teeStore(shaping.batchPredictions, answering.batchPredictions),
    models: {
      async list(filter) {
        await shaping.models.list(filter);
        return answering.models.list(filter);
      },
      async insert(promotion) {
        await shaping.models.insert(promotion);
        await answering.models.insert(promotion);
      },
    },
  };
}

describe('statements the Lua side sends to pquery (Exasol’s Lua rule L8)', () => {
  it('carry no string literal with a colon in a full train/poll/describe/stop/endpoint/drop run', async () => {
    const clock = new FixedClock(NOW);
    const automl = new FakeAutoML(() => clock.nowMillis());
    const endpoints = new FakeEndpoints(() => clock.nowMillis());
    const tables = new InMemoryTablesSql().addTable('RETAIL', 'CUSTOMER_CHURN', {
      columns: [
        { name: 'AGE', type: 'DECIMAL(3,0)' },
        { name: 'Plan', type: 'VARCHAR(20) UTF8' },
        { name: 'CHURNED', type: 'BOOLEAN' },
      ],
      rowCount: 1000,
    });
    const sql = new LuaSideSql(tables, new InMemoryScriptsSql(), automl, endpoints);
    const stores = teeStores(sql.metadata, 'SME', new InMemoryMetadataStores());
    const deps: ScriptingDeps = { sql, stores, json: nodeJson, clock, log: new MemoryLog() };
    const context = { schema: 'SME', sessionId: '1234567890123456789', user: 'ANALYST' };

    const trained = await trainEntry(EXAMPLE_PARAMS_JSON, deps, context);
    expect(trained.rows[0]?.[0]).toBe(JOB);
    await pollEntry(JOB, 'AWS_CONNECTION', 'eu-central-1', deps, context);
    await describeEntry(JOB, undefined, undefined, deps, context);
    automl.update(JOB, {
      AutoMLJobStatus: 'Completed',
      AutoMLJobSecondaryStatus: 'Completed',
      EndTime: NOW + 60000,
      BestCandidate: {
        CandidateName: 'c1',
        CandidateStatus: 'Completed',
        InferenceContainers: [{ Image: 'img-a', ModelDataUrl: 's3://sme-training-data/m/a.tar.gz' }],
      },
    });
    await pollEntry(JOB, undefined, undefined, deps, context);
    const deployed = await deployEndpointEntry(
      [JOB, 'churn-ep', 'ML', 'ml.m5.large', '1', 'AWS_CONNECTION', 'eu-central-1'],
      { luaBundle: 'return { runPrediction = function() end }', awsEndpointUrl: 'http://127.0.0.1:9' },
      deps,
      context,
    );
    expect(deployed.rows[0]?.[0]).toBe('churn-ep');
    await endpointStatusEntry('churn-ep', undefined, undefined, deps, context);
    await deleteEndpointEntry('churn-ep', undefined, undefined, deps, context);
    // A serverless endpoint with an idle TTL, reaped once the deadline has passed.
    await deployEndpointEntry(
      [
        JSON.stringify({
          job_name: JOB,
          endpoint_name: 'idle-ep',
          schema_name: 'ML',
          aws_credentials_connection_name: 'AWS_CONNECTION',
          aws_region: 'eu-central-1',
          serverless_memory_mb: 2048,
          idle_ttl: '1h',
        }),
      ],
      { luaBundle: 'return { runPrediction = function() end }', awsEndpointUrl: 'http://127.0.0.1:9' },
      deps,
      context,
    );
    expect(endpoints.configs.get('idle-ep')?.serverless).toEqual({ MemorySizeInMB: 2048, MaxConcurrency: 5 });
    clock.advance(2 * 3600 * 1000);
    const reaped = await reapIdleEndpointsEntry('{}', deps, context);
    expect(reaped.rows).toEqual([['idle-ep', JOB, '2023-11-14 23:13:20.000', 'Reaped', null]]);
    await stopEntry(JOB, undefined, undefined, deps, context);
    await dropJobEntry(JOB, undefined, undefined, deps, context);

    const kinds = new Set(sql.issued.map((s) => s.original.split(' ')[0]));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['CREATE', 'EXPORT', 'INSERT', 'SELECT', 'UPDATE']));
    // The check has teeth: before parameterisation, values with colons were literals (ARNs, JSON, timestamps).
    expect(sql.issued.filter((s) => literalsWithColon(s.original).length > 0).length).toBeGreaterThan(5);
    const offending = sql.issued.filter((s) => literalsWithColon(s.statement.text).length > 0);
    expect(offending.map((s) => s.statement.text)).toEqual([]);
    // No literal at all is left in the text: every value is in the params table.
    for (const { statement } of sql.issued) {
      expect(sqlPieces(statement.text).filter((p) => p.kind === 'literal')).toEqual([]);
    }
  });
});
