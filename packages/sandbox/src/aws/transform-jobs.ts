import { gunzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { resourceInUse, resourceNotFound, validation } from './api-errors.js';
import { parseS3Uri } from './automl-jobs.js';
import type { Json } from './automl-jobs.js';
import { parseCsv } from './automl/model.js';
import { scoreRows } from './endpoints.js';
import type { Endpoints, Served } from './endpoints.js';
import { sleep } from './http-util.js';
import type { ObjectStore } from './s3-store.js';

export interface TransformJobsOptions {
  readonly region: string;
  readonly accountId: string;
  readonly objects: ObjectStore;
  /** Models are looked up and loaded where the endpoints keep them (CreateModel is one API for both). */
  readonly endpoints: Endpoints;
  /** Job seconds per real second. */
  readonly clockSpeed: number;
  /** Job seconds a job spends starting its instances before it reads the input. */
  readonly startingSeconds: number;
}

type TransformStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

interface TransformJob {
  readonly name: string;
  readonly arn: string;
  readonly request: Json;
  readonly creationTime: number;
  status: TransformStatus;
  startTime?: number;
  endTime?: number;
  failureReason?: string;
  stopRequested: boolean;
}

/** AWS: "The value of MaxPayloadInMB cannot be greater than 100 MB", nor MaxConcurrentTransforms × MaxPayloadInMB. */
const MAX_PAYLOAD_PRODUCT_MB = 100;
const DEFAULT_MAX_PAYLOAD_MB = 6;

const epoch = (ms: number): number => ms / 1000;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * A column selection of SageMaker's JSONPath subset for CSV records
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html): `$` (all columns),
 * `$[i,j,…]` (indexes, negative from the end) and `$[a:]` / `$[a:b]` slices (end exclusive), which may be mixed
 * in one list. Undefined when the expression is outside that subset.
 */
export function parseCsvFilter(expression: string): ((columns: readonly string[]) => string[]) | undefined {
  if (expression === '$') return (columns) => [...columns];
  const m = /^\$\[([^\]]+)\]$/.exec(expression);
  if (m === null) return undefined;
  const parts = (m[1] ?? '').split(',').map((p) => p.trim());
  const selectors: ((columns: readonly string[]) => string[])[] = [];
  const at = (i: number, n: number): number => (i < 0 ? n + i : i);
  for (const part of parts) {
    const index = /^-?\d+$/.exec(part);
    if (index !== null) {
      const i = Number(part);
      selectors.push((c) => {
        const v = c[at(i, c.length)];
        return v === undefined ? [] : [v];
      });
      continue;
    }
    const slice = /^(-?\d+)?:(-?\d+)?$/.exec(part);
    if (slice === null) return undefined;
    const from = slice[1] === undefined ? undefined : Number(slice[1]);
    const to = slice[2] === undefined ? undefined : Number(slice[2]);
    selectors.push((c) =>
      c.slice(from === undefined ? 0 : at(from, c.length), to === undefined ? c.length : at(to, c.length)),
    );
  }
  return (columns) => selectors.flatMap((s) => s(columns));
}

/**
 * Batch transform (CreateTransformJob, DescribeTransformJob, StopTransformJob) with the model of a CreateModel:
 * reads every CSV object under TransformInput's S3 prefix, scores its records as the model's endpoint would and
 * writes `<object name>.out` under TransformOutput.S3OutputPath (the name relative to the input prefix's folder),
 * after a start-up of `startingSeconds` on the sandbox clock. Supported: ContentType/Accept `text/csv`,
 * SplitType `Line` or `None`, AssembleWith `Line` or `None` (the container answers one CSV line per record, each
 * ending with a line feed, so both assemble the same text), DataProcessing with CSV column filters and
 * JoinSource `Input` (the whole input record, then the model's output columns, then OutputFilter).
 * Output objects are written only when every object was scored: a Failed or Stopped job writes none.
 */
export class TransformJobs {
  private readonly jobs = new Map<string, TransformJob>();
  private closed = false;

  constructor(private readonly options: TransformJobsOptions) {}

  close(): void {
    this.closed = true;
  }

  private arn(name: string): string {
    return `arn:aws:sagemaker:${this.options.region}:${this.options.accountId}:transform-job/${name.toLowerCase()}`;
  }

  private find(name: unknown): TransformJob {
    const job = typeof name === 'string' ? this.jobs.get(name.toLowerCase()) : undefined;
    if (job === undefined) throw resourceNotFound(`Could not find requested job with name ${String(name)}`);
    return job;
  }

  create(input: Json): Json {
    const name = str(input.TransformJobName) ?? '';
    const existing = this.jobs.get(name.toLowerCase());
    if (existing !== undefined) {
      throw resourceInUse(
        `Job name must be unique within an AWS account and region, and a job with this name already exists (${existing.arn})`,
      );
    }
    const modelName = str(input.ModelName) ?? '';
    if (!this.options.endpoints.hasModel(modelName)) {
      throw validation(
        `Could not find model "arn:aws:sagemaker:${this.options.region}:${this.options.accountId}:model/${modelName.toLowerCase()}".`,
      );
    }
    const transformInput = obj(input.TransformInput);
    const source = obj(obj(transformInput.DataSource).S3DataSource);
    if (source.S3DataType !== 'S3Prefix') {
      throw validation(`The sandbox reads S3DataType S3Prefix only; received ${String(source.S3DataType)}.`);
    }
    parseS3Uri(str(source.S3Uri) ?? '');
    parseS3Uri(str(obj(input.TransformOutput).S3OutputPath) ?? '');
    const contentType = str(transformInput.ContentType);
    if (contentType !== undefined && contentType.split(';')[0]?.trim().toLowerCase() !== 'text/csv') {
      throw validation(`The sandbox's Autopilot containers read ContentType text/csv only; received ${contentType}.`);
    }
    const accept = str(obj(input.TransformOutput).Accept);
    if (accept !== undefined && accept.split(';')[0]?.trim().toLowerCase() !== 'text/csv') {
      throw validation(`The sandbox's Autopilot containers answer Accept text/csv only; received ${accept}.`);
    }
    const split = str(transformInput.SplitType) ?? 'None';
    if (split !== 'None' && split !== 'Line') {
      throw validation(`SplitType ${split} is not supported for ContentType text/csv; use Line or None.`);
    }
    const payload = typeof input.MaxPayloadInMB === 'number' ? input.MaxPayloadInMB : DEFAULT_MAX_PAYLOAD_MB;
    const concurrent = typeof input.MaxConcurrentTransforms === 'number' ? input.MaxConcurrentTransforms : 1;
    if (payload > MAX_PAYLOAD_PRODUCT_MB || Math.max(concurrent, 1) * payload > MAX_PAYLOAD_PRODUCT_MB) {
      throw validation(
        `MaxPayloadInMB (${payload}) and MaxConcurrentTransforms × MaxPayloadInMB (${Math.max(concurrent, 1) * payload}) must not exceed ${MAX_PAYLOAD_PRODUCT_MB} MB.`,
      );
    }
    const processing = obj(input.DataProcessing);
    for (const key of ['InputFilter', 'OutputFilter'] as const) {
      const expression = str(processing[key]);
      if (expression !== undefined && parseCsvFilter(expression) === undefined) {
        throw validation(
          `${key} '${expression}' is not a JSONPath the sandbox applies to CSV records ($, $[i,j,...], $[a:], $[a:b]).`,
        );
      }
    }
    if (processing.JoinSource === 'Input' && split === 'Line' && obj(input.TransformOutput).AssembleWith !== 'Line') {
      throw validation('JoinSource Input with SplitType Line requires TransformOutput.AssembleWith Line.');
    }
    const now = Date.now();
    const job: TransformJob = {
      name,
      arn: this.arn(name),
      request: input,
      creationTime: now,
      status: 'InProgress',
      stopRequested: false,
    };
    this.jobs.set(name.toLowerCase(), job);
    void this.run(job).catch((e: unknown) => {
      this.finish(job, 'Failed', `InternalServerError: ${e instanceof Error ? e.message : String(e)}`);
    });
    return { TransformJobArn: job.arn };
  }

  describe(input: Json): Json {
    const job = this.find(input.TransformJobName);
    const r = job.request;
    const out: Json = {
      TransformJobName: job.name,
      TransformJobArn: job.arn,
      TransformJobStatus: job.status,
      ModelName: r.ModelName,
      TransformInput: r.TransformInput,
      TransformResources: r.TransformResources,
      CreationTime: epoch(job.creationTime),
      MaxPayloadInMB: typeof r.MaxPayloadInMB === 'number' ? r.MaxPayloadInMB : DEFAULT_MAX_PAYLOAD_MB,
    };
    for (const key of [
      'MaxConcurrentTransforms',
      'ModelClientConfig',
      'BatchStrategy',
      'Environment',
      'TransformOutput',
      'DataCaptureConfig',
      'DataProcessing',
      'ExperimentConfig',
    ]) {
      if (r[key] !== undefined) out[key] = r[key];
    }
    if (job.failureReason !== undefined) out.FailureReason = job.failureReason;
    if (job.startTime !== undefined) out.TransformStartTime = epoch(job.startTime);
    if (job.endTime !== undefined) out.TransformEndTime = epoch(job.endTime);
    return out;
  }

  stop(input: Json): Json {
    const job = this.find(input.TransformJobName);
    if (job.status === 'InProgress') {
      job.stopRequested = true;
      job.status = 'Stopping';
    }
    // AWS documents no error for a job that already ended: the sandbox answers 200 and changes nothing.
    return {};
  }

  private finish(job: TransformJob, status: 'Completed' | 'Failed' | 'Stopped', failureReason?: string): void {
    if (job.status === 'Completed' || job.status === 'Failed' || job.status === 'Stopped') return;
    job.status = status;
    if (failureReason !== undefined) job.failureReason = failureReason;
    job.endTime = Date.now();
  }

  private halted(job: TransformJob): boolean {
    if (job.stopRequested || this.closed) {
      this.finish(job, 'Stopped');
      return true;
    }
    return false;
  }

  private async run(job: TransformJob): Promise<void> {
    const r = job.request;
    // Starting up, in slices, so that a stop ends the job soon (Stopping → Stopped) as it does at AWS.
    const ready = Date.now() + (this.options.startingSeconds * 1000) / this.options.clockSpeed;
    while (Date.now() < ready) {
      if (this.halted(job)) return;
      await sleep(Math.min(50, ready - Date.now()));
    }
    if (this.halted(job)) return;
    job.startTime = Date.now();
    let served: Served;
    try {
      served = await this.options.endpoints.loadModel(String(r.ModelName), '', obj(r.Environment));
    } catch (e) {
      this.finish(job, 'Failed', `ClientError: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const transformInput = obj(r.TransformInput);
    const output = obj(r.TransformOutput);
    const processing = obj(r.DataProcessing);
    const inputFilter = parseCsvFilter(str(processing.InputFilter) ?? '$') ?? ((c: readonly string[]) => [...c]);
    const outputFilter = parseCsvFilter(str(processing.OutputFilter) ?? '$') ?? ((c: readonly string[]) => [...c]);
    const join = processing.JoinSource === 'Input';
    const gzip = transformInput.CompressionType === 'Gzip';
    const { bucket, key: prefix } = parseS3Uri(str(obj(obj(transformInput.DataSource).S3DataSource).S3Uri) ?? '');
    const { bucket: outBucket, key: outPrefix } = parseS3Uri(str(output.S3OutputPath) ?? '');
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const keys = (await this.options.objects.list(bucket, prefix)).filter((k) => !k.endsWith('/'));
    if (keys.length === 0) {
      this.finish(job, 'Failed', `ClientError: No input objects found under the S3 prefix s3://${bucket}/${prefix}.`);
      return;
    }
    const results: { key: string; body: string }[] = [];
    for (const key of keys) {
      // Yield between objects so that requests (a stop among them) are served while a large input is scored.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.halted(job)) return;
      let body = (await this.options.objects.get(bucket, key)) ?? Buffer.alloc(0);
      try {
        if (gzip) body = gunzipSync(body);
        const records = parseCsv(body.toString('utf8'));
        const scored = scoreRows(
          served,
          records.map((rec) => inputFilter(rec)),
        );
        const lines = records.map((rec, i) => outputFilter(join ? [...rec, ...(scored[i] ?? [])] : (scored[i] ?? [])));
        const text = stringify(lines);
        results.push({ key, body: text });
      } catch (e) {
        this.finish(
          job,
          'Failed',
          `ClientError: s3://${bucket}/${key}: ${e instanceof Error ? e.message : String(e)} See the job's logs for more information.`,
        );
        return;
      }
    }
    if (this.halted(job)) return;
    const base = outPrefix === '' || outPrefix.endsWith('/') ? outPrefix : outPrefix + '/';
    for (const result of results) {
      await this.options.objects.put(
        outBucket,
        base + result.key.slice(folder.length) + '.out',
        result.body,
        'text/csv',
      );
    }
    this.finish(job, 'Completed');
  }
}
