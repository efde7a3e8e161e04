import { describe, expect, it } from 'vitest';
import { SmeError, isSmeError } from '../errors.js';
import { mapLimit } from '../map-limit.js';
import { createRateLimiter } from '../rate-limit.js';
import { FakeAutoML } from '../testing/fake-automl.js';
import { FakeObjectStore } from '../testing/fake-endpoints.js';
import { StaticConnections } from '../testing/doubles.js';
import { FixedClock, MemoryLog, nodeJson } from '../testing/node-doubles.js';
import { EXAMPLE_PARAMS_JSON, exampleTablesSql } from '../testing/example-params.js';
import { modelNameOfJob } from '../job-name.js';
import { InMemoryMetadataStores } from '../testing/in-memory-stores.js';
import { describeJob, listJobs, pollJob, resolveJobNameIn, stopJob, type JobDeps } from './jobs.js';
import { startTraining } from './start-training.js';

const NOW = 1700000000000;
const context = { metadataSchema: 'SME' };

async function started(count = 1) {
  const sql = exampleTablesSql();
  const stores = new InMemoryMetadataStores();
  const clock = new FixedClock(NOW);
  const automl = new FakeAutoML(() => clock.nowMillis());
  const deps: JobDeps = { sql, stores, automl: automl.factory, clock, log: new MemoryLog() };
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await startTraining(
      EXAMPLE_PARAMS_JSON,
      {
        ...deps,
        objects: new FakeObjectStore().factory,
        json: nodeJson,
        connections: new StaticConnections({ AWS_CONNECTION: 's3://sme-training-data' }),
      },
      { sessionId: '7', user: 'U', metadataSchema: 'SME' },
    );
    names.push(r.jobName);
    clock.advance(1000);
  }
  return { stores, automl, deps, clock, names };
}

describe('job use cases', () => {
  it('pollJob writes AWS status, failure reason and best metric back and returns AWS values', async () => {
    const { stores, automl, deps, names } = await started();
    const job = names[0] ?? '';
    automl.update(job, {
      AutoMLJobStatus: 'Completed',
      AutoMLJobSecondaryStatus: 'Completed',
      BestCandidate: {
        CandidateName: 'cand-1',
        CandidateStatus: 'Completed',
        FinalAutoMLJobObjectiveMetric: { MetricName: 'F1', Value: 0.8125 },
      },
    });
    const r = await pollJob({ jobName: job }, deps, context);
    expect(r).toMatchObject({
      status: 'Completed',
      secondaryStatus: 'Completed',
      terminal: true,
      bestMetricName: 'F1',
      bestMetricValue: 0.8125,
      recorded: true,
    });
    expect(stores.jobs.rows[0]).toMatchObject({
      JOB_STATUS: 'Completed',
      BEST_CANDIDATE_NAME: 'cand-1',
      BEST_METRIC_VALUE: 0.8125,
      FAILURE_REASON: null,
    });
  });

  it('pollJob asks AWS directly for an unrecorded job when given connection and region, and fails otherwise', async () => {
    const { automl, deps, names } = await started();
    await expect(pollJob({ jobName: 'other-1' }, deps, context)).rejects.toMatchObject({ code: 'SME-E-JOB-NOT-FOUND' });
    const r = await pollJob({ jobName: names[0] ?? '', connectionName: 'C', region: 'us-east-1' }, deps, context);
    expect(r.recorded).toBe(true);
    expect(automl.targets.at(-1)).toEqual({ connectionName: 'C', region: 'us-east-1' });
  });

  it('describeJob returns the metadata, failure reason and artifact locations', async () => {
    const { automl, deps, names } = await started();
    const job = names[0] ?? '';
    automl.update(job, {
      AutoMLJobStatus: 'Failed',
      AutoMLJobSecondaryStatus: 'Failed',
      FailureReason: 'ClientError: bad data',
    });
    const d = await describeJob({ jobName: job }, deps, context);
    expect(d.failureReason).toBe('ClientError: bad data');
    expect(d.metadata?.TARGET_ATTRIBUTE_NAME).toBe('CHURNED');
    expect(d.artifacts.outputPath).toMatch(/\/output\/$/);
  });

  it('stopJob stops at AWS and records Stopping', async () => {
    const { stores, automl, deps, names } = await started();
    const job = names[0] ?? '';
    expect(await stopJob({ jobName: job }, deps, context)).toEqual({
      jobName: job,
      status: 'Stopping',
      recorded: true,
    });
    expect(automl.job(job)?.AutoMLJobStatus).toBe('Stopping');
    expect(stores.jobs.rows[0]?.JOB_STATUS).toBe('Stopping');
  });

  it('listJobs lists newest first with live status, bounded concurrency, per-job errors', async () => {
    const { automl, deps, names } = await started(5);
    automl.update(names[1] ?? '', { AutoMLJobStatus: 'Completed', AutoMLJobSecondaryStatus: 'Completed' });
    const jobs = await listJobs(deps, context, { concurrency: 2 });
    expect(jobs.map((j) => j.jobName)).toEqual([...names].reverse());
    expect(jobs.find((j) => j.jobName === names[1])?.status).toBe('Completed');
    expect(automl.maxInFlight).toBe(2);
    automl.failOn('describeJob', new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down'));
    const degraded = await listJobs(deps, context, { concurrency: 3 });
    expect(degraded.every((j) => j.error?.code === 'SME-E-AWS-THROTTLED' && j.recordedStatus === 'InProgress')).toBe(
      true,
    );
    expect((await listJobs(deps, context, { live: false })).every((j) => j.status === undefined)).toBe(true);
  });

  it('listJobs through a rate limiter retries throttled Describe calls, so every job gets its live status', async () => {
    const { automl, deps, names } = await started(4);
    automl.failOn('describeJob', new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down'));
    let backOffs = 0;
    // A burst larger than the list: the limiter sleeps only to back off; AWS recovers after the third back-off.
    const timer = {
      nowMillis: () => 0,
      random: () => 0.5,
      sleep: () => {
        if (++backOffs === 3) automl.heal('describeJob');
        return Promise.resolve();
      },
    };
    const limiter = createRateLimiter(timer, { ratePerSecond: 1000, burst: 100 });
    const jobs = await listJobs(deps, context, { concurrency: 2, limiter });
    expect(jobs.map((j) => [j.jobName, j.status, j.error])).toEqual(
      [...names].reverse().map((name) => [name, 'InProgress', undefined]),
    );
    expect(limiter.stats().gaveUp).toBe(0);
    expect(limiter.stats().throttled).toBeGreaterThanOrEqual(3);
  });
});

describe('mapLimit', () => {
  it('keeps order, bounds concurrency, rejects bad limits', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, (7 - n) * 2));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
    expect(await mapLimit([], 2, () => Promise.resolve(1))).toEqual([]);
    const e: unknown = await mapLimit([1], 0, () => Promise.resolve(1)).catch((x: unknown) => x);
    expect(isSmeError(e) && e.code).toBe('SME-E-ARGUMENT');
  });
});

describe('job names users type', () => {
  const row = (jobName: string, datetime: string, extra: Record<string, string> = {}) => ({
    DATETIME: datetime,
    JOB_NAME: jobName,
    AWS_CREDENTIALS_CONNECTION_NAME: 'AWS',
    AWS_REGION: 'eu-central-1',
    JOB_STATUS: 'Completed',
    ...extra,
  });
  const jobs = () =>
    new InMemoryMetadataStores({
      jobs: [
        row('churn-261201000000', '2026-12-01 00:00:00.000'),
        row('churn-261202000000', '2026-12-02 00:00:00.000'),
        row('churn2-261203000000', '2026-12-03 00:00:00.000'),
        row('churn-x', '2026-12-04 00:00:00.000'),
      ],
    }).jobs;

  it.each([
    ['churn', 'churn-261202000000'],
    ['churn2', 'churn2-261203000000'],
    ['churn-261201000000', 'churn-261201000000'],
    ['churn-x', 'churn-x'],
    ['chur', 'chur'],
    ['unknown-job', 'unknown-job'],
  ])('%s means job %s', async (typed, job) => {
    expect(await resolveJobNameIn(jobs(), typed)).toBe(job);
  });

  it.each([
    ['churn-231114221320', 'churn'],
    ['a-b-231114221320', 'a-b'],
    ['churn2-231114221320', 'churn2'],
    ['churn-23111422132', undefined],
    ['churn_231114221320', undefined],
    ['-231114221320', undefined],
  ])('the model of job %s is %s', (job, model) => {
    expect(modelNameOfJob(job)).toBe(model);
  });

  it('lists a dropped job with its DROPPED_AT and does not ask AWS about it', async () => {
    const { stores, automl, deps, names } = await started(2);
    const [first = '', second = ''] = names;
    await stores.jobs.update(first, { DROPPED_AT: { kind: 'timestamp', value: '2026-12-02 10:00:00.000' } });
    automl.calls.length = 0;
    const jobs = await listJobs(deps, context, { live: true });
    expect(jobs.find((j) => j.jobName === first)).toMatchObject({ droppedAt: '2026-12-02 10:00:00.000' });
    expect(jobs.find((j) => j.jobName === first)?.status).toBeUndefined();
    expect(jobs.find((j) => j.jobName === second)?.droppedAt).toBeUndefined();
    expect(automl.calls).not.toContain(`describeJob ${first}`);
    expect((await describeJob({ jobName: first }, deps, context)).droppedAt).toBe('2026-12-02 10:00:00.000');
    expect((await pollJob({ jobName: first }, deps, context)).droppedAt).toBe('2026-12-02 10:00:00.000');
  });
});
