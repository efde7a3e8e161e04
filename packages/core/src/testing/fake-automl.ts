/**
 * An in-memory AutoML service: remembers created jobs, answers describe/stop/list like AWS (case-insensitive
 * unique names, AlreadyExists/NotFound kinds) and lets a test move jobs on or make calls fail.
 */
import { SmeError } from '../errors.js';
import type {
  AutoMLCandidate,
  AutoMLJobDescription,
  AutoMLPort,
  AutoMLPortFactory,
  AwsTarget,
  CreateAutoMLJobV2Request,
} from '../ports/automl-port.js';

type Method = 'createJob' | 'describeJob' | 'stopJob' | 'listCandidates';

export class FakeAutoML {
  readonly requests: CreateAutoMLJobV2Request[] = [];
  readonly targets: AwsTarget[] = [];
  readonly calls: string[] = [];
  private readonly jobs = new Map<string, AutoMLJobDescription>();
  private readonly failures = new Map<Method, Error>();
  private readonly lostReplies = new Map<Method, Error>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly nowMillis: () => number = () => 0) {}

  /** The port factory to hand to use cases. */
  readonly factory: AutoMLPortFactory = (target) => {
    this.targets.push(target);
    return this.port();
  };

  /** Makes the next calls of `method` reject with `error` (until `heal`). */
  failOn(method: Method, error: Error): this {
    this.failures.set(method, error);
    return this;
  }

  /** The next call of `method` is carried out, then rejects with `error` as if its answer was lost (once). */
  loseReply(method: Method, error: Error): this {
    this.lostReplies.set(method, error);
    return this;
  }

  /** Adds a job as another client would have created it. */
  add(job: AutoMLJobDescription): this {
    this.jobs.set(job.AutoMLJobName.toUpperCase(), job);
    return this;
  }

  heal(method: Method): this {
    this.failures.delete(method);
    return this;
  }

  job(name: string): AutoMLJobDescription | undefined {
    return this.jobs.get(name.toUpperCase());
  }

  /** Moves a job on, e.g. to Completed with a best candidate. */
  update(name: string, changes: Partial<AutoMLJobDescription>): void {
    const job = this.job(name);
    if (job === undefined) throw new Error('no job ' + name);
    this.jobs.set(name.toUpperCase(), { ...job, ...changes });
  }

  private async enter<T>(method: Method, name: string, fn: () => T): Promise<T> {
    this.calls.push(`${method} ${name}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await Promise.resolve();
      const failure = this.failures.get(method);
      if (failure !== undefined) throw failure;
      const result = fn();
      const lost = this.lostReplies.get(method);
      if (lost !== undefined) {
        this.lostReplies.delete(method);
        throw lost;
      }
      return result;
    } finally {
      this.inFlight--;
    }
  }

  private notFound(name: string): SmeError {
    return new SmeError('SME-E-AWS-NOT-FOUND', 'NotFound', `Could not find job ${name}`);
  }

  private port(): AutoMLPort {
    return {
      createJob: (request) =>
        this.enter('createJob', request.AutoMLJobName, () => {
          const key = request.AutoMLJobName.toUpperCase();
          if (this.jobs.has(key)) {
            throw new SmeError('SME-E-AWS-ALREADY-EXISTS', 'AlreadyExists', `Job ${request.AutoMLJobName} exists`);
          }
          this.requests.push(request);
          const arn = `arn:aws:sagemaker:eu-central-1:123456789012:automl-job/${request.AutoMLJobName.toLowerCase()}`;
          this.jobs.set(key, {
            AutoMLJobName: request.AutoMLJobName,
            AutoMLJobArn: arn,
            AutoMLJobStatus: 'InProgress',
            AutoMLJobSecondaryStatus: 'Starting',
            CreationTime: this.nowMillis(),
            OutputDataConfig: { S3OutputPath: request.OutputDataConfig.S3OutputPath },
            AutoMLJobInputDataConfig: request.AutoMLJobInputDataConfig,
            AutoMLProblemTypeConfig: {
              TabularJobConfig: {
                TargetAttributeName: request.AutoMLProblemTypeConfig.TabularJobConfig.TargetAttributeName,
              },
            },
            RoleArn: request.RoleArn,
          });
          return { AutoMLJobArn: arn };
        }),
      describeJob: (name) =>
        this.enter('describeJob', name, () => {
          const job = this.job(name);
          if (job === undefined) throw this.notFound(name);
          return job;
        }),
      stopJob: (name) =>
        this.enter('stopJob', name, () => {
          const job = this.job(name);
          if (job === undefined) throw this.notFound(name);
          this.update(name, { AutoMLJobStatus: 'Stopping', AutoMLJobSecondaryStatus: 'Stopping' });
        }),
      listCandidates: (name) =>
        this.enter('listCandidates', name, (): readonly AutoMLCandidate[] => {
          const job = this.job(name);
          if (job === undefined) throw this.notFound(name);
          return job.BestCandidate === undefined ? [] : [job.BestCandidate];
        }),
    };
  }
}
