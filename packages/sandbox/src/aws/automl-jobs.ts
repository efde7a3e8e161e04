import { gunzipSync } from 'node:zlib';
import { resourceInUse, resourceLimitExceeded, resourceNotFound, validation } from './api-errors.js';
import { completedCandidate, failedCandidate } from './automl/candidates.js';
import type { Candidate } from './automl/candidates.js';
import { isBetter, OBJECTIVES, objectiveType } from './automl/metrics.js';
import type { MetricName, ProblemType } from './automl/metrics.js';
import { parseCsv } from './automl/model.js';
import type { SandboxModelFile } from './automl/model.js';
import {
  baselineMetrics,
  candidatePlans,
  DataProblem,
  prepareData,
  resolveObjective,
  trainCandidate,
} from './automl/trainer.js';
import type { PreparedData } from './automl/trainer.js';
import { writeReports } from './automl-reports.js';
import { sleep } from './http-util.js';
import type { ObjectStore } from './s3-store.js';

/** JSON as the SDK sends and receives it. */
export type Json = Record<string, unknown>;

/** Simulated durations of each phase, in job seconds (scaled by the clock speed). */
export interface JobPhaseSeconds {
  readonly starting: number;
  readonly analyzingData: number;
  readonly featureEngineering: number;
  /** Per candidate. */
  readonly candidate: number;
  readonly reports: number;
}

export const DEFAULT_PHASE_SECONDS: JobPhaseSeconds = {
  starting: 2,
  analyzingData: 3,
  featureEngineering: 3,
  candidate: 2,
  reports: 2,
};

export interface JobsOptions {
  readonly region: string;
  readonly accountId: string;
  readonly objects: ObjectStore;
  /** Simulated seconds per real second (job phases, runtime limits, endpoint creation). */
  readonly clockSpeed: number;
  readonly phaseSeconds: JobPhaseSeconds;
  /** Jobs in progress at once before ResourceLimitExceeded. */
  readonly maxRunningJobs: number;
  readonly seed: number;
}

interface Job {
  readonly name: string;
  readonly arn: string;
  readonly request: Json;
  readonly creationTime: number;
  status: 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';
  secondary: string;
  lastModified: number;
  endTime?: number;
  failureReason?: string;
  problemType?: ProblemType;
  objective?: MetricName;
  candidates: Candidate[];
  best?: Candidate;
  stopRequested: boolean;
  reportUri?: string;
  baseline?: Partial<Record<MetricName, number>>;
}

/** Autopilot's default MaxCandidates (AWS API reference, AutoMLJobCompletionCriteria). */
const DEFAULT_MAX_CANDIDATES = 250;

/** Splits `s3://bucket/key…` (or `https://bucket.s3…/key`) into bucket and key. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri) ?? /^https:\/\/([^./]+)\.s3[^/]*\/?(.*)$/.exec(uri);
  if (m === null) throw validation(`S3 URI '${uri}' is not of the form s3://bucket/prefix.`);
  return { bucket: m[1] ?? '', key: m[2] ?? '' };
}

function epoch(ms: number): number {
  return ms / 1000;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

/** Offset-based pagination tokens. */
export function page<T>(items: readonly T[], maxResults: unknown, nextToken: unknown, defaultMax: number) {
  const max = typeof maxResults === 'number' ? maxResults : defaultMax;
  let start = 0;
  if (typeof nextToken === 'string') {
    start = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw validation(`Invalid pagination token '${nextToken}'.`);
  }
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return { slice, next };
}

/** The AutoML job part of the sandbox: state, the phase runner and real training. */
export class AutoMLJobs {
  private readonly jobs = new Map<string, Job>();
  private closed = false;

  constructor(private readonly options: JobsOptions) {}

  /** Stops every runner (the server is shutting down). */
  close(): void {
    this.closed = true;
  }

  private find(name: unknown): Job {
    const job = typeof name === 'string' ? this.jobs.get(name.toLowerCase()) : undefined;
    if (job === undefined) throw resourceNotFound(`Could not find AutoML job with name ${String(name)}.`);
    return job;
  }

  /** The model file of a job's best candidate (for comparing endpoint predictions). */
  bestModel(name: string): SandboxModelFile | undefined {
    return this.jobs.get(name.toLowerCase())?.best?.file;
  }

  create(input: Json): Json {
    const name = str(input.AutoMLJobName) ?? '';
    const existing = this.jobs.get(name.toLowerCase());
    if (existing !== undefined) {
      throw resourceInUse(
        `Job name must be unique within an AWS account and region, and a job with this name already exists (${existing.arn})`,
      );
    }
    const running = [...this.jobs.values()].filter((j) => j.status === 'InProgress' || j.status === 'Stopping').length;
    if (running >= this.options.maxRunningJobs) {
      throw resourceLimitExceeded(
        `The account-level service limit 'Max number of concurrent AutoML jobs' is ${this.options.maxRunningJobs} Jobs, with current utilization of ${running} Jobs and a request delta of 1 Jobs. Please use AWS Service Quotas to request an increase for this quota.`,
      );
    }
    const ptc = obj(input.AutoMLProblemTypeConfig);
    const tabular = ptc.TabularJobConfig;
    if (tabular === undefined) {
      throw validation('The sandbox supports AutoMLProblemTypeConfig.TabularJobConfig only.');
    }
    const problemType = str(obj(tabular).ProblemType) as ProblemType | undefined;
    const metric = str(obj(input.AutoMLJobObjective).MetricName);
    if (problemType !== undefined && metric !== undefined && !OBJECTIVES[problemType].includes(metric as MetricName)) {
      throw validation(
        `The objective metric ${metric} is not valid for problem type ${problemType}. Valid metrics: ${OBJECTIVES[problemType].join(', ')}.`,
      );
    }
    const channels = Array.isArray(input.AutoMLJobInputDataConfig) ? input.AutoMLJobInputDataConfig.map(obj) : [];
    for (const c of channels) {
      const src = obj(obj(c.DataSource).S3DataSource);
      if (src.S3DataType !== 'S3Prefix') {
        throw validation(`The sandbox reads S3DataType S3Prefix only; received ${String(src.S3DataType)}.`);
      }
      parseS3Uri(str(src.S3Uri) ?? '');
    }
    parseS3Uri(str(obj(input.OutputDataConfig).S3OutputPath) ?? '');
    const now = Date.now();
    const job: Job = {
      name,
      arn: `arn:aws:sagemaker:${this.options.region}:${this.options.accountId}:automl-job/${name.toLowerCase()}`,
      request: input,
      creationTime: now,
      status: 'InProgress',
      secondary: 'Starting',
      lastModified: now,
      ...(problemType !== undefined ? { problemType } : {}),
      candidates: [],
      stopRequested: false,
    };
    this.jobs.set(name.toLowerCase(), job);
    void this.run(job).catch((e: unknown) => {
      this.finish(job, 'Failed', 'Failed', `InternalFailure: ${e instanceof Error ? e.message : String(e)}`);
    });
    return { AutoMLJobArn: job.arn };
  }

  describe(input: Json): Json {
    const job = this.find(input.AutoMLJobName);
    const r = job.request;
    const tabular = obj(obj(r.AutoMLProblemTypeConfig).TabularJobConfig);
    const completion = obj(tabular.CompletionCriteria);
    const out: Json = {
      AutoMLJobName: job.name,
      AutoMLJobArn: job.arn,
      AutoMLJobInputDataConfig: r.AutoMLJobInputDataConfig,
      OutputDataConfig: r.OutputDataConfig,
      RoleArn: r.RoleArn,
      AutoMLProblemTypeConfig: r.AutoMLProblemTypeConfig,
      AutoMLProblemTypeConfigName: 'Tabular',
      CreationTime: epoch(job.creationTime),
      LastModifiedTime: epoch(job.lastModified),
      AutoMLJobStatus: job.status,
      AutoMLJobSecondaryStatus: job.secondary,
    };
    if (r.AutoMLJobObjective !== undefined) out.AutoMLJobObjective = r.AutoMLJobObjective;
    if (r.DataSplitConfig !== undefined) out.DataSplitConfig = r.DataSplitConfig;
    if (r.SecurityConfig !== undefined) out.SecurityConfig = r.SecurityConfig;
    if (r.ModelDeployConfig !== undefined) out.ModelDeployConfig = r.ModelDeployConfig;
    if (job.endTime !== undefined) out.EndTime = epoch(job.endTime);
    if (job.failureReason !== undefined) out.FailureReason = job.failureReason;
    if (job.best !== undefined) out.BestCandidate = job.best.record;
    if (job.reportUri !== undefined) out.AutoMLJobArtifacts = { DataExplorationNotebookLocation: job.reportUri };
    if (job.problemType !== undefined && job.objective !== undefined) {
      out.ResolvedAttributes = {
        AutoMLJobObjective: { MetricName: job.objective },
        CompletionCriteria: {
          MaxCandidates: completion.MaxCandidates ?? DEFAULT_MAX_CANDIDATES,
          MaxRuntimePerTrainingJobInSeconds: completion.MaxRuntimePerTrainingJobInSeconds ?? 86400,
          MaxAutoMLJobRuntimeInSeconds: completion.MaxAutoMLJobRuntimeInSeconds ?? 2592000,
        },
        AutoMLProblemTypeResolvedAttributes: { TabularResolvedAttributes: { ProblemType: job.problemType } },
      };
    }
    return out;
  }

  list(input: Json): Json {
    let jobs = [...this.jobs.values()];
    const after = (v: unknown, t: number): boolean => typeof v !== 'number' || t > v * 1000;
    const before = (v: unknown, t: number): boolean => typeof v !== 'number' || t < v * 1000;
    jobs = jobs.filter(
      (j) =>
        after(input.CreationTimeAfter, j.creationTime) &&
        before(input.CreationTimeBefore, j.creationTime) &&
        after(input.LastModifiedTimeAfter, j.lastModified) &&
        before(input.LastModifiedTimeBefore, j.lastModified) &&
        (typeof input.NameContains !== 'string' || j.name.toLowerCase().includes(input.NameContains.toLowerCase())) &&
        (input.StatusEquals === undefined || j.status === input.StatusEquals),
    );
    const by = str(input.SortBy) ?? 'Name';
    const key = (j: Job): string | number => (by === 'Name' ? j.name : by === 'Status' ? j.status : j.creationTime);
    jobs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    if ((str(input.SortOrder) ?? 'Descending') === 'Descending') jobs.reverse();
    const { slice, next } = page(jobs, input.MaxResults, input.NextToken, 10);
    return {
      AutoMLJobSummaries: slice.map((j) => ({
        AutoMLJobName: j.name,
        AutoMLJobArn: j.arn,
        AutoMLJobStatus: j.status,
        AutoMLJobSecondaryStatus: j.secondary,
        CreationTime: epoch(j.creationTime),
        LastModifiedTime: epoch(j.lastModified),
        ...(j.endTime !== undefined ? { EndTime: epoch(j.endTime) } : {}),
        ...(j.failureReason !== undefined ? { FailureReason: j.failureReason } : {}),
      })),
      ...(next !== undefined ? { NextToken: next } : {}),
    };
  }

  stop(input: Json): Json {
    const job = this.find(input.AutoMLJobName);
    if (job.status !== 'InProgress' && job.status !== 'Stopping') {
      throw validation(`AutoML job ${job.name} has already ended with status ${job.status}; it cannot be stopped.`);
    }
    job.stopRequested = true;
    job.status = 'Stopping';
    job.secondary = 'Stopping';
    job.lastModified = Date.now();
    return {};
  }

  listCandidates(input: Json): Json {
    const job = this.find(input.AutoMLJobName);
    let cands = [...job.candidates];
    if (input.StatusEquals !== undefined) cands = cands.filter((c) => c.record.CandidateStatus === input.StatusEquals);
    if (typeof input.CandidateNameEquals === 'string') {
      cands = cands.filter((c) => c.record.CandidateName === input.CandidateNameEquals);
    }
    const by = str(input.SortBy);
    if (by === 'FinalObjectiveMetricValue') cands.sort((a, b) => a.value - b.value);
    else if (by === 'Status')
      cands.sort((a, b) => String(a.record.CandidateStatus).localeCompare(String(b.record.CandidateStatus)));
    else cands.sort((a, b) => a.creationTime - b.creationTime);
    if ((str(input.SortOrder) ?? 'Descending') === 'Descending') cands.reverse();
    const { slice, next } = page(cands, input.MaxResults, input.NextToken, 10);
    return { Candidates: slice.map((c) => c.record), ...(next !== undefined ? { NextToken: next } : {}) };
  }

  // ---- the runner ----

  private async phase(job: Job, secondary: string, seconds: number): Promise<boolean> {
    if (job.stopRequested || this.closed) return false;
    job.secondary = secondary;
    job.lastModified = Date.now();
    await sleep((seconds * 1000) / this.options.clockSpeed);
    return !this.halted(job);
  }

  /** Stop requests and shutdown arrive while a phase sleeps, hence a method rather than a narrowed field. */
  private halted(job: Job): boolean {
    return job.stopRequested || this.closed;
  }

  /** Job seconds elapsed since creation (the clock runs `clockSpeed` times real time). */
  private elapsed(job: Job): number {
    return ((Date.now() - job.creationTime) / 1000) * this.options.clockSpeed;
  }

  private finish(job: Job, status: Job['status'], secondary: string, failureReason?: string): void {
    if (job.status === 'Completed' || job.status === 'Failed' || job.status === 'Stopped') return;
    job.status = status;
    job.secondary = secondary;
    if (failureReason !== undefined) job.failureReason = failureReason;
    job.endTime = Date.now();
    job.lastModified = job.endTime;
  }

  private stopped(job: Job): void {
    if (job.stopRequested) this.finish(job, 'Stopped', 'Stopped');
  }

  private async loadData(job: Job): Promise<{ header: string[]; rows: string[][] }> {
    const channels = (job.request.AutoMLJobInputDataConfig as Json[]).map(obj);
    const training =
      channels.find((c) => c.ChannelType === undefined || c.ChannelType === 'training') ?? channels[0] ?? {};
    const uri = str(obj(obj(training.DataSource).S3DataSource).S3Uri) ?? '';
    const { bucket, key: prefix } = parseS3Uri(uri);
    const keys = (await this.options.objects.list(bucket, prefix)).filter((k) => !k.endsWith('/'));
    let header: string[] | undefined;
    const rows: string[][] = [];
    for (const key of keys) {
      let body = await this.options.objects.get(bucket, key);
      if (body === undefined || body.length === 0) continue;
      if (training.CompressionType === 'Gzip' || key.endsWith('.gz')) body = gunzipSync(body);
      const parsed = parseCsv(body.toString('utf8'));
      const [first, ...rest] = parsed;
      if (first === undefined) continue;
      if (header === undefined) header = first;
      else if (first.join('\u0000') !== header.join('\u0000')) {
        throw new DataProblem(
          `ClientError: The header of s3://${bucket}/${key} (${first.join(',')}) differs from the header of the other files (${header.join(',')}).`,
        );
      }
      rows.push(...rest);
    }
    if (header === undefined) {
      throw new DataProblem(`ClientError: No training data found under the S3 prefix ${uri}.`);
    }
    return { header, rows };
  }

  private async run(job: Job): Promise<void> {
    const r = job.request;
    const tabular = obj(obj(r.AutoMLProblemTypeConfig).TabularJobConfig);
    const completion = obj(tabular.CompletionCriteria);
    const maxCandidates =
      typeof completion.MaxCandidates === 'number' ? completion.MaxCandidates : DEFAULT_MAX_CANDIDATES;
    const maxRuntime =
      typeof completion.MaxAutoMLJobRuntimeInSeconds === 'number' ? completion.MaxAutoMLJobRuntimeInSeconds : Infinity;
    const perCandidateLimit =
      typeof completion.MaxRuntimePerTrainingJobInSeconds === 'number'
        ? completion.MaxRuntimePerTrainingJobInSeconds
        : Infinity;
    const phases = this.options.phaseSeconds;
    const runtimeReached = (): boolean => this.elapsed(job) >= maxRuntime;

    if (!(await this.phase(job, 'Starting', phases.starting))) {
      this.stopped(job);
      return;
    }
    if (!(await this.phase(job, 'AnalyzingData', phases.analyzingData))) {
      this.stopped(job);
      return;
    }
    let data: PreparedData;
    try {
      const { header, rows } = await this.loadData(job);
      const fraction = obj(r.DataSplitConfig).ValidationFraction;
      data = prepareData(
        header,
        rows,
        str(tabular.TargetAttributeName) ?? '',
        job.problemType,
        typeof fraction === 'number' && fraction > 0 && fraction < 1 ? fraction : 0.2,
        this.options.seed,
      );
    } catch (e) {
      const reason =
        e instanceof DataProblem ? e.message : `ClientError: ${e instanceof Error ? e.message : String(e)}`;
      this.finish(job, 'Failed', 'Failed', reason);
      return;
    }
    job.problemType = data.problemType;
    const objective = resolveObjective(data.problemType, str(obj(r.AutoMLJobObjective).MetricName));
    if (objective === undefined) {
      this.finish(
        job,
        'Failed',
        'Failed',
        `ClientError: The objective metric ${String(obj(r.AutoMLJobObjective).MetricName)} is not valid for the inferred problem type ${data.problemType}. Valid metrics: ${OBJECTIVES[data.problemType].join(', ')}.`,
      );
      return;
    }
    job.objective = objective;
    job.baseline = baselineMetrics(data);
    if (!(await this.phase(job, 'FeatureEngineering', phases.featureEngineering))) {
      this.stopped(job);
      return;
    }
    if (runtimeReached()) {
      this.finish(
        job,
        'Failed',
        'MaxAutoMLJobRuntimeReached',
        'ClientError: MaxAutoMLJobRuntimeInSeconds was reached before any candidate was trained.',
      );
      return;
    }

    job.secondary = 'ModelTuning';
    job.lastModified = Date.now();
    const plans = candidatePlans(data.problemType).slice(0, maxCandidates);
    const { bucket: outBucket, key: outPrefix } = parseS3Uri(str(obj(r.OutputDataConfig).S3OutputPath) ?? '');
    const base = `${outPrefix.replace(/\/$/, '')}${outPrefix === '' ? '' : '/'}${job.name}`;
    let hitRuntime = false;
    for (const [i, plan] of plans.entries()) {
      if (runtimeReached() || this.elapsed(job) + phases.candidate > maxRuntime) {
        hitRuntime = true;
        break;
      }
      const start = Date.now();
      // Yield before each candidate so HTTP requests are served between the (synchronous) training runs.
      await new Promise((resolve) => setImmediate(resolve));
      if (job.stopRequested || this.closed) {
        this.stopped(job);
        return;
      }
      const name = `${job.name}-${plan.family}-${String(i + 1).padStart(3, '0')}`.slice(0, 64);
      if (phases.candidate > perCandidateLimit) {
        job.candidates.push(failedCandidate(name, 'MaxRuntimePerTrainingJobInSeconds was reached.', start));
        continue;
      }
      const trained = trainCandidate(data, plan, this.options.seed + i);
      const value = trained.metrics[objective] ?? Number.NaN;
      const modelKey = `${base}/sme-sandbox/candidates/${name}/model.json`;
      try {
        await this.options.objects.put(outBucket, modelKey, JSON.stringify(trained.file), 'application/json');
      } catch (e) {
        this.finish(
          job,
          'Failed',
          'Failed',
          `ClientError: Could not write model artifacts to s3://${outBucket}/${modelKey}: ${e instanceof Error ? e.message : String(e)}`,
        );
        return;
      }
      const rest = Math.max(0, (phases.candidate * 1000) / this.options.clockSpeed - (Date.now() - start));
      await sleep(rest);
      const cand = completedCandidate(this.options, {
        name,
        objective,
        value,
        metrics: trained.metrics,
        file: trained.file,
        modelDataUrl: `s3://${outBucket}/${modelKey}`,
        problemType: data.problemType,
        start,
      });
      job.candidates.push(cand);
      // Among equal values the first by name (AWS does not document its rule for ties).
      if (
        job.best === undefined ||
        isBetter(objective, value, job.best.value) ||
        (value === job.best.value && name < String(job.best.record.CandidateName))
      )
        job.best = cand;
      job.lastModified = Date.now();
    }
    if (job.stopRequested || this.closed) {
      this.stopped(job);
      return;
    }
    if (job.best === undefined) {
      this.finish(
        job,
        'Failed',
        hitRuntime ? 'MaxAutoMLJobRuntimeReached' : 'Failed',
        'ClientError: No candidate completed training.',
      );
      return;
    }
    if (!hitRuntime && job.candidates.length >= maxCandidates) {
      if (!(await this.phase(job, 'MaxCandidatesReached', 0))) {
        this.stopped(job);
        return;
      }
    }
    if (!hitRuntime && !(await this.reports(job, data, outBucket, base))) return;
    const reportKey = `${base}/sme-sandbox/report.json`;
    const report = {
      job: job.name,
      problemType: data.problemType,
      objective,
      objectiveType: objectiveType(objective),
      rows: { training: data.xTrain.length, validation: data.xVal.length },
      baselineValidationMetrics: job.baseline,
      candidates: job.candidates.map((c) => ({
        name: c.record.CandidateName,
        value: c.value,
        metrics: obj(c.record.CandidateProperties).CandidateMetrics,
      })),
      best: job.best.record.CandidateName,
    };
    await this.options.objects.put(outBucket, reportKey, JSON.stringify(report, null, 2), 'application/json');
    job.reportUri = `s3://${outBucket}/${reportKey}`;
    this.finish(job, 'Completed', hitRuntime ? 'MaxAutoMLJobRuntimeReached' : 'Completed');
  }

  /**
   * The GeneratingExplainabilityReport and GeneratingModelInsightsReport phases (reports of every completed
   * candidate, see automl-reports.ts). False when the job stopped or failed here.
   */
  private async reports(job: Job, data: PreparedData, bucket: string, jobPrefix: string): Promise<boolean> {
    const steps = [
      ['explainability', 'GeneratingExplainabilityReport', 'ExplainabilityError'],
      ['modelInsights', 'GeneratingModelInsightsReport', 'ModelInsightsError'],
    ] as const;
    for (const [kind, secondary, errorStatus] of steps) {
      if (this.halted(job)) break;
      job.secondary = secondary;
      job.lastModified = Date.now();
      const started = Date.now();
      const context = { objects: this.options.objects, bucket, jobPrefix, data, seed: this.options.seed };
      try {
        await writeReports(kind, context, job.candidates);
      } catch (e) {
        this.finish(job, 'Failed', errorStatus, `ClientError: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      }
      job.lastModified = Date.now();
      await sleep(
        Math.max(0, (this.options.phaseSeconds.reports * 1000) / this.options.clockSpeed - (Date.now() - started)),
      );
    }
    if (this.halted(job)) {
      this.stopped(job);
      return false;
    }
    return true;
  }
}
