import { resourceInUse, resourceLimitExceeded, resourceNotFound, validation } from './api-errors.js';
import { OBJECTIVES } from './automl/metrics.js';
import type { MetricName, ProblemType } from './automl/metrics.js';
import type { SandboxModelFile } from './automl/model.js';

import { AutoMLJobRunner } from './automl-job-runner.js';
import { DEFAULT_MAX_CANDIDATES } from './automl-job-state.js';
import type { Job, JobsOptions } from './automl-job-state.js';
import { epoch, obj, page, parseS3Uri, str } from './aws-json.js';
import type { Json } from './aws-json.js';

// Split by responsibility (aws-json.ts, automl-job-state.ts, automl-job-runner.ts); re-exported so that importers keep working.
export { page, parseS3Uri } from './aws-json.js';
export type { Json } from './aws-json.js';
export { DEFAULT_PHASE_SECONDS } from './automl-job-state.js';
export type { JobPhaseSeconds, JobsOptions } from './automl-job-state.js';

/** The AutoML job part of the sandbox: the API (create, describe, list, stop, candidates) over the jobs' state; AutoMLJobRunner runs each. */
export class AutoMLJobs {
  private readonly jobs = new Map<string, Job>();
  private closed = false;

  private readonly runner: AutoMLJobRunner;

  constructor(private readonly options: JobsOptions) {
    this.runner = new AutoMLJobRunner(options, () => this.closed);
  }

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
    void this.runner.run(job).catch((e: unknown) => {
      this.runner.finish(job, 'Failed', 'Failed', `InternalFailure: ${e instanceof Error ? e.message : String(e)}`);
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
}
