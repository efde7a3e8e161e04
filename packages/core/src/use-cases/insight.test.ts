import { describe, expect, it } from 'vitest';
import { SmeError, isSmeError } from '../errors.js';
import type { AutoMLCandidate, AutoMLJobDescription, AutoMLPort } from '../ports/automl-port.js';
import { queryText, type SqlPort, type SqlQuery, type SqlRows } from '../ports/sql-port.js';
import { FixedClock, MemoryLog, nodeJson } from '../testing/node-doubles.js';
import {
  candidateAlgorithm,
  evaluateJob,
  explainJob,
  listJobCandidates,
  rankCandidates,
  type InsightDeps,
} from './insight.js';

const ref = { jobName: 'churn-261202101010', connectionName: 'AWS_CONN', region: 'eu-central-1' };
const context = { metadataSchema: 'SME' };
const REPORTS = 's3://bucket/out/churn-261202101010/documentation';

/** A SqlPort that keeps the insight cache rows and knows no metadata rows. */
class CacheSql implements SqlPort {
  readonly rows = new Map<string, string>();
  readonly statements: string[] = [];
  query(query: string | SqlQuery): Promise<SqlRows> {
    const sql = queryText(query);
    this.statements.push(sql);
    const m = /UPPER\('([^']*)'\) AND "KIND" = '(\w+)'/.exec(sql);
    if (sql.startsWith('SELECT "CONTENT"') && m) {
      const hit = this.rows.get(`${(m[1] ?? '').toUpperCase()}/${m[2] ?? ''}`);
      return Promise.resolve({
        columns: [{ name: 'CONTENT', type: 'VARCHAR' }],
        rows: hit === undefined ? [] : [[hit]],
      });
    }
    return Promise.resolve({ columns: [], rows: [] });
  }
  execute(sql: string): Promise<number> {
    this.statements.push(sql);
    const m = /VALUES \('([^']*)', '(\w+)', '((?:[^']|'')*)'/.exec(sql);
    if (sql.startsWith('INSERT') && m) {
      this.rows.set(`${(m[1] ?? '').toUpperCase()}/${m[2] ?? ''}`, (m[3] ?? '').split("''").join("'"));
      return Promise.resolve(1);
    }
    return Promise.resolve(0);
  }
}

function candidate(name: string, value: number | undefined, extra: Partial<AutoMLCandidate> = {}): AutoMLCandidate {
  return {
    CandidateName: name,
    CandidateStatus: value === undefined ? 'Failed' : 'Completed',
    ...(value === undefined
      ? {}
      : { FinalAutoMLJobObjectiveMetric: { MetricName: 'F1', Value: value, Type: 'Maximize' } }),
    CreationTime: 1000,
    EndTime: 4500,
    ...extra,
  };
}

function setup(options: { status?: AutoMLJobDescription['AutoMLJobStatus']; files?: Record<string, string> } = {}) {
  const best = candidate('churn-forest-002', 0.9, {
    CandidateProperties: {
      CandidateMetrics: [{ MetricName: 'F1', Value: 0.9, Set: 'Validation' }],
      CandidateArtifactLocations: {
        Explainability: `${REPORTS}/explainability/output/churn-forest-002`,
        ModelInsights: `${REPORTS}/model_monitor/output/churn-forest-002`,
      },
    },
  });
  const list = [
    candidate('churn-logistic-001', 0.8),
    best,
    candidate('churn-cart-003', 0.8),
    candidate('churn-cart-004', undefined),
  ];
  const status = options.status ?? 'Completed';
  const description: AutoMLJobDescription = {
    AutoMLJobName: ref.jobName,
    AutoMLJobArn: 'arn',
    AutoMLJobStatus: status,
    AutoMLJobSecondaryStatus: status === 'Completed' ? 'Completed' : 'TrainingModels',
    CreationTime: 0,
    ...(status === 'InProgress' ? {} : { BestCandidate: best }),
  };
  const calls: string[] = [];
  const automl: AutoMLPort = {
    createJob: () => Promise.reject(new Error('not used')),
    stopJob: () => Promise.reject(new Error('not used')),
    describeJob: (name) => {
      calls.push('describe');
      return name === ref.jobName
        ? Promise.resolve(description)
        : Promise.reject(new SmeError('SME-E-AWS-NOT-FOUND', 'NotFound', 'Could not find job'));
    },
    listCandidates: () => {
      calls.push('list');
      return Promise.resolve(list);
    },
  };
  const files = options.files ?? {};
  const sql = new CacheSql();
  const log = new MemoryLog();
  const deps: InsightDeps = {
    sql,
    automl: () => automl,
    clock: new FixedClock(1700000000000),
    log,
    json: nodeJson,
    objects: () => ({
      readText: (uri) => {
        calls.push('read ' + uri);
        const text = files[uri];
        return text === undefined
          ? Promise.reject(new SmeError('SME-E-AWS-NOT-FOUND', 'NotFound', 'NoSuchKey'))
          : Promise.resolve(text);
      },
    }),
  };
  return { deps, calls, sql, log };
}

const STATISTICS = JSON.stringify({
  version: 0.0,
  binary_classification_metrics: {
    confusion_matrix: { no: { no: 40, yes: 2 }, yes: { no: 3, yes: 55 } },
    accuracy: { value: 0.95, standard_deviation: 'NaN' },
    f1: { value: 0.956, standard_deviation: 'NaN' },
    accuracy_best_constant_classifier: { value: 0.58, standard_deviation: 'NaN' },
    receiver_operating_characteristic_curve: { false_positive_rates: [0, 0.1, 1], true_positive_rates: [0, 0.9, 1] },
  },
});
const ANALYSIS = JSON.stringify({
  version: '1.0',
  explanations: {
    kernel_shap: { label0: { global_shap_values: { AGE: 0.02, TENURE: 0.31, PLAN: 0.02 }, expected_value: 0.4 } },
  },
});

describe('listJobCandidates', () => {
  it('ranks by the objective, ties by name, unvalued last, and marks the best', async () => {
    const { deps } = setup();
    const r = await listJobCandidates(ref, deps, context);
    expect(r.candidates.map((c) => [c.candidateName, c.rank, c.isBest])).toEqual([
      ['churn-forest-002', 1, true],
      ['churn-cart-003', 2, false],
      ['churn-logistic-001', 3, false],
      ['churn-cart-004', 4, false],
    ]);
    expect(r.candidates.map((c) => c.algorithm)).toEqual([
      'random-forest',
      'decision-tree',
      'logistic',
      'decision-tree',
    ]);
    expect(r.candidates[0]?.trainingSeconds).toBe(3.5);
    expect(r.warnings).toEqual([]);
  });

  it('breaks ties by name even when AWS named another of the equal candidates best, and still marks that one', () => {
    const tied = [candidate('c', 1), candidate('b', 1), candidate('a', 1), candidate('d', 0.5)];
    expect(rankCandidates(tied, 'c').map((r) => [r.candidateName, r.rank, r.isBest])).toEqual([
      ['a', 1, false],
      ['b', 2, false],
      ['c', 3, true],
      ['d', 4, false],
    ]);
  });

  it('ranks a minimised objective ascending', () => {
    const c = (n: string, v: number) =>
      candidate(n, v, { FinalAutoMLJobObjectiveMetric: { MetricName: 'MSE', Value: v } });
    expect(rankCandidates([c('a', 3), c('b', 1), c('c', 2)], 'b').map((r) => r.candidateName)).toEqual(['b', 'c', 'a']);
  });

  it('answers a running job with the candidates so far and a warning, and does not cache them', async () => {
    const { deps, sql } = setup({ status: 'InProgress' });
    const r = await listJobCandidates(ref, deps, context);
    expect(r.candidates).toHaveLength(4);
    expect(r.warnings[0]).toContain('still InProgress');
    expect(sql.rows.size).toBe(0);
  });

  it('caches an ended job: the second call asks AWS nothing', async () => {
    const { deps, calls } = setup();
    const first = await listJobCandidates(ref, deps, context);
    const n = calls.length;
    const second = await listJobCandidates(ref, deps, context);
    expect(calls.length).toBe(n);
    expect(second.cached).toBe(true);
    expect(second.candidates).toEqual(first.candidates);
  });

  it('says which job AWS does not know', async () => {
    const { deps } = setup();
    const e = await listJobCandidates({ ...ref, jobName: 'nope-1' }, deps, context).catch((x: unknown) => x);
    expect(isSmeError(e) && e.code).toBe('SME-E-JOB-NOT-FOUND');
    expect((e as Error).message).toContain('nope-1');
  });
});

describe('candidateAlgorithm', () => {
  it.each([
    ['LightGBMXT-BAG-L1-FULL-t1', undefined, 'lightgbm'],
    ['WeightedEnsemble-L3-FULL-t1', undefined, 'ensemble'],
    ['job-1-abc-001-x1', '123.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1', 'xgboost'],
    ['job-1-abc-002-x2', '123.dkr.ecr.eu-west-1.amazonaws.com/mxnet-inference:1.9', 'mlp'],
    ['job-1-abc-003-x3', undefined, undefined],
  ])('%s / %s → %s', (name, image, family) => {
    expect(
      candidateAlgorithm({
        CandidateName: name,
        CandidateStatus: 'Completed',
        ...(image ? { InferenceContainers: [{ Image: image }] } : {}),
      }),
    ).toBe(family);
  });
});

describe('evaluateJob', () => {
  const files = { [`${REPORTS}/model_monitor/output/churn-forest-002/statistics.json`]: STATISTICS };

  it('reads the model-insights report: metrics, baseline, confusion matrix, ROC', async () => {
    const { deps } = setup({ files });
    const r = await evaluateJob(ref, deps, context);
    expect(r.metrics).toEqual([
      { metricName: 'accuracy', value: 0.95, set: 'Validation' },
      { metricName: 'f1', value: 0.956, set: 'Validation' },
    ]);
    expect(r.baseline).toEqual([{ metricName: 'accuracy', value: 0.58, set: 'Validation' }]);
    expect(r.confusionMatrix).toEqual({
      labels: ['no', 'yes'],
      counts: [
        [40, 2],
        [3, 55],
      ],
    });
    expect(r.roc?.truePositiveRates).toEqual([0, 0.9, 1]);
    expect(r.problemType).toBe('BinaryClassification');
    const again = await evaluateJob(ref, deps, context);
    expect(again.cached).toBe(true);
    expect(again.metrics).toEqual(r.metrics);
    expect(again.confusionMatrix).toEqual(r.confusionMatrix);
  });

  it('without the report answers the candidate metrics with a warning (not cached)', async () => {
    const { deps, sql, log } = setup();
    const r = await evaluateJob(ref, deps, context);
    expect(r.source).toBe('candidate');
    expect(r.metrics).toEqual([{ metricName: 'F1', value: 0.9, set: 'Validation' }]);
    expect(r.warnings[0]).toContain('statistics.json');
    expect(log.lines.join('\n')).toContain('statistics.json');
    expect(sql.rows.size).toBe(0);
  });

  it('refuses a running job with a coded error', async () => {
    const { deps } = setup({ status: 'InProgress' });
    const e = await evaluateJob(ref, deps, context).catch((x: unknown) => x);
    expect(isSmeError(e) && e.code).toBe('SME-E-INSIGHT-JOB-NOT-FINISHED');
  });

  it('refuses a report that is not JSON', async () => {
    const { deps } = setup({ files: { [`${REPORTS}/model_monitor/output/churn-forest-002/statistics.json`]: 'oops' } });
    const e = await evaluateJob(ref, deps, context).catch((x: unknown) => x);
    expect(isSmeError(e) && e.code).toBe('SME-E-INSIGHT-REPORT-INVALID');
  });
});

describe('explainJob', () => {
  it('ranks the columns by mean |SHAP| from analysis.json', async () => {
    const { deps } = setup({
      files: { [`${REPORTS}/explainability/output/churn-forest-002/analysis.json`]: ANALYSIS },
    });
    const r = await explainJob(ref, deps, context);
    expect(r.features).toEqual([
      { feature: 'TENURE', importance: 0.31, rank: 1 },
      { feature: 'AGE', importance: 0.02, rank: 2 },
      { feature: 'PLAN', importance: 0.02, rank: 3 },
    ]);
    expect(r.expectedValue).toBe(0.4);
  });

  it('names the missing report and where it was looked for', async () => {
    const { deps } = setup();
    const e = await explainJob(ref, deps, context).catch((x: unknown) => x);
    expect(isSmeError(e) && e.code).toBe('SME-E-INSIGHT-REPORT-MISSING');
    expect((e as Error).message).toContain('explainability/output/churn-forest-002/analysis.json');
  });
});
