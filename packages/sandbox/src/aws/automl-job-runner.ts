import { gunzipSync } from 'node:zlib';
import { completedCandidate, failedCandidate } from './automl/candidates.js';
import { isBetter, OBJECTIVES, objectiveType } from './automl/metrics.js';
import { parseCsv } from './automl/model.js';
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

import { obj, parseS3Uri, str } from './aws-json.js';
import type { Json } from './aws-json.js';
import { DEFAULT_MAX_CANDIDATES } from './automl-job-state.js';
import type { Job, JobsOptions } from './automl-job-state.js';

/**
 * Runs one job through Autopilot's phases and secondary statuses: reads the exported CSV, really trains the
 * candidates, writes the reports, and finishes it (Completed, Failed or Stopped).
 */
export class AutoMLJobRunner {
  constructor(
    private readonly options: JobsOptions,
    /** Whether the sandbox is shutting down (every runner stops at its next phase). */
    private readonly isClosed: () => boolean,
  ) {}

  private async phase(job: Job, secondary: string, seconds: number): Promise<boolean> {
    if (job.stopRequested || this.isClosed()) return false;
    job.secondary = secondary;
    job.lastModified = Date.now();
    await sleep((seconds * 1000) / this.options.clockSpeed);
    return !this.halted(job);
  }

  /** Stop requests and shutdown arrive while a phase sleeps, hence a method rather than a narrowed field. */
  private halted(job: Job): boolean {
    return job.stopRequested || this.isClosed();
  }

  /** Job seconds elapsed since creation (the clock runs `clockSpeed` times real time). */
  private elapsed(job: Job): number {
    return ((Date.now() - job.creationTime) / 1000) * this.options.clockSpeed;
  }

  finish(job: Job, status: Job['status'], secondary: string, failureReason?: string): void {
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

  async run(job: Job): Promise<void> {
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
      if (job.stopRequested || this.isClosed()) {
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
    if (job.stopRequested || this.isClosed()) {
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
