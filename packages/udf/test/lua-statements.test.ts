import { describe, expect, it } from 'vitest';
import {
  isSmeError,
  literalsWithColon,
  queryText,
  renderStatement,
  sqlPieces,
  type AwsTarget,
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
  InMemoryEndpointsSql,
  InMemorySql,
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
 * `pquery(text, params)`) and is recorded; the bound statement runs against core's in-memory doubles, and the two
 * UDFs answer from FakeAutoML / FakeEndpoints.
 */
class LuaSideSql implements SqlPort {
  readonly issued: { original: string; statement: SqlStatement }[] = [];
  constructor(
    private readonly db: InMemoryEndpointsSql,
    private readonly automl: FakeAutoML,
    private readonly endpoints: FakeEndpoints,
  ) {}

  async query(query: string | SqlQuery): Promise<SqlRows> {
    return (await this.run(queryText(query), 'query')) as SqlRows;
  }

  async execute(sql: string): Promise<number> {
    return (await this.run(sql, 'execute')) as number;
  }

  private async run(sql: string, mode: 'query' | 'execute'): Promise<SqlRows | number> {
    const statement = pqueryArguments(sql);
    this.issued.push({ original: sql, statement });
    // What Exasol executes once it bound the params table.
    const bound = renderStatement(statement);
    expect(bound).toBe(sql);
    if (bound === 'SELECT NPROC() AS "NPROC" FROM DUAL') return { columns: [{ name: 'NPROC', type: '' }], rows: [[1]] };
    const t = tokenize(bound);
    if (t[0]?.v === 'SELECT' && t[2]?.v === '.' && t[4]?.v === '(') {
      const args = t.filter((x) => x.t === 'string').map((x) => x.v);
      const value = t[3]?.v === 'SME_CONNECTION_ADDRESS' ? ADDRESS : await this.aws(args);
      return { columns: [{ name: 'X', type: '' }], rows: [[value]] };
    }
    return mode === 'query' ? this.db.query(bound) : this.db.execute(bound);
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

describe('statements the Lua side sends to pquery (Exasol’s Lua rule L8)', () => {
  it('carry no string literal with a colon in a full train/poll/describe/stop/endpoint/drop run', async () => {
    const clock = new FixedClock(NOW);
    const automl = new FakeAutoML(() => clock.nowMillis());
    const endpoints = new FakeEndpoints(() => clock.nowMillis());
    const jobs = new InMemorySql()
      .addTable('RETAIL', 'CUSTOMER_CHURN', {
        columns: [
          { name: 'AGE', type: 'DECIMAL(3,0)' },
          { name: 'Plan', type: 'VARCHAR(20) UTF8' },
          { name: 'CHURNED', type: 'BOOLEAN' },
        ],
        rowCount: 1000,
      })
      .addMetadataTable('SME');
    const sql = new LuaSideSql(new InMemoryEndpointsSql(jobs), automl, endpoints);
    const deps: ScriptingDeps = { sql, json: nodeJson, clock, log: new MemoryLog() };
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
