import type {
  AutoMLCandidate as SdkCandidate,
  AutoMLContainerDefinition as SdkContainer,
  AutoMLMetricEnum,
  CreateAutoMLJobV2CommandInput,
  DescribeAutoMLJobV2CommandOutput,
} from '@aws-sdk/client-sagemaker';
import type {
  AutoMLCandidate,
  AutoMLContainer,
  AutoMLJobDescription,
  AutoMLPort,
  CreateAutoMLJobV2Request,
} from './core-api.js';
import type { AwsClients } from './sagemaker-clients.js';
import { awsCall } from './sagemaker-errors.js';

/** Options of {@link AutoMLPort.listCandidates}. */
export interface ListCandidatesOptions {
  readonly maxResults?: number;
  readonly sortBy?: 'FinalObjectiveMetricValue' | 'CreationTime' | 'Status';
}

/** AWS caps one ListCandidatesForAutoMLJob page at 100. */
const CANDIDATE_PAGE = 100;

function millis(d: Date | undefined): number | undefined {
  return d === undefined ? undefined : d.getTime();
}

function text(s: string | undefined): string | undefined {
  // moto and some emulators answer "" for absent strings; absent is what the core expects.
  return s === undefined || s === '' ? undefined : s;
}

/** Drops members whose value is `undefined`, so mapped objects carry only what AWS returned. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function toContainer(c: SdkContainer): AutoMLContainer {
  return defined({
    Image: c.Image ?? '',
    ModelDataUrl: c.ModelDataUrl,
    Environment: c.Environment === undefined ? undefined : { ...c.Environment },
  });
}

/** SDK candidate → core candidate (times as epoch milliseconds). */
export function toCandidate(c: SdkCandidate): AutoMLCandidate {
  const metric = c.FinalAutoMLJobObjectiveMetric;
  const props = c.CandidateProperties;
  return defined({
    CandidateName: c.CandidateName ?? '',
    CandidateStatus: c.CandidateStatus ?? '',
    ObjectiveStatus: c.ObjectiveStatus,
    FinalAutoMLJobObjectiveMetric:
      metric?.MetricName === undefined || metric.Value === undefined
        ? undefined
        : defined({ MetricName: metric.MetricName, Value: metric.Value, Type: metric.Type }),
    InferenceContainers: c.InferenceContainers?.map(toContainer),
    CreationTime: millis(c.CreationTime),
    EndTime: millis(c.EndTime),
    CandidateProperties:
      props === undefined
        ? undefined
        : defined({
            CandidateMetrics: props.CandidateMetrics?.map((m) =>
              defined({ MetricName: m.MetricName, Value: m.Value, Set: m.Set }),
            ),
            CandidateArtifactLocations:
              props.CandidateArtifactLocations === undefined
                ? undefined
                : defined({
                    Explainability: props.CandidateArtifactLocations.Explainability,
                    ModelInsights: props.CandidateArtifactLocations.ModelInsights,
                  }),
          }),
  });
}

/** DescribeAutoMLJobV2 answer → core description (times as epoch milliseconds). */
export function toJobDescription(r: DescribeAutoMLJobV2CommandOutput): AutoMLJobDescription {
  const resolved = r.ResolvedAttributes;
  const tabular = resolved?.AutoMLProblemTypeResolvedAttributes;
  const problemType =
    tabular !== undefined && 'TabularResolvedAttributes' in tabular
      ? tabular.TabularResolvedAttributes?.ProblemType
      : undefined;
  return defined({
    AutoMLJobName: r.AutoMLJobName ?? '',
    AutoMLJobArn: r.AutoMLJobArn ?? '',
    AutoMLJobStatus: r.AutoMLJobStatus ?? 'InProgress',
    AutoMLJobSecondaryStatus: r.AutoMLJobSecondaryStatus ?? 'Starting',
    CreationTime: millis(r.CreationTime) ?? 0,
    EndTime: millis(r.EndTime),
    LastModifiedTime: millis(r.LastModifiedTime),
    FailureReason: text(r.FailureReason),
    BestCandidate: r.BestCandidate === undefined ? undefined : toCandidate(r.BestCandidate),
    OutputDataConfig:
      r.OutputDataConfig?.S3OutputPath === undefined ? undefined : { S3OutputPath: r.OutputDataConfig.S3OutputPath },
    AutoMLJobInputDataConfig: r.AutoMLJobInputDataConfig?.map((c) =>
      defined({
        ChannelType: c.ChannelType,
        ContentType: c.ContentType,
        CompressionType: c.CompressionType,
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix' as const,
            S3Uri: c.DataSource?.S3DataSource?.S3Uri ?? '',
          },
        },
      }),
    ),
    AutoMLProblemTypeConfig:
      r.AutoMLProblemTypeConfig !== undefined && 'TabularJobConfig' in r.AutoMLProblemTypeConfig
        ? {
            TabularJobConfig: defined({
              TargetAttributeName: r.AutoMLProblemTypeConfig.TabularJobConfig?.TargetAttributeName,
              ProblemType: r.AutoMLProblemTypeConfig.TabularJobConfig?.ProblemType,
            }),
          }
        : undefined,
    RoleArn: r.RoleArn,
    AutoMLJobObjective:
      r.AutoMLJobObjective?.MetricName === undefined ? undefined : { MetricName: r.AutoMLJobObjective.MetricName },
    ResolvedAttributes:
      resolved === undefined
        ? undefined
        : defined({
            AutoMLJobObjective:
              resolved.AutoMLJobObjective?.MetricName === undefined
                ? undefined
                : { MetricName: resolved.AutoMLJobObjective.MetricName },
            AutoMLProblemTypeResolvedAttributes:
              problemType === undefined ? undefined : { TabularResolvedAttributes: { ProblemType: problemType } },
          }),
    AutoMLJobArtifacts:
      r.AutoMLJobArtifacts === undefined
        ? undefined
        : defined({
            CandidateDefinitionNotebookLocation: r.AutoMLJobArtifacts.CandidateDefinitionNotebookLocation,
            DataExplorationNotebookLocation: r.AutoMLJobArtifacts.DataExplorationNotebookLocation,
          }),
  });
}

/** Core request → SDK input: the same members, with the mutable arrays the SDK types ask for. */
export function toCreateInput(request: CreateAutoMLJobV2Request): CreateAutoMLJobV2CommandInput {
  const tabular = request.AutoMLProblemTypeConfig.TabularJobConfig;
  return defined({
    AutoMLJobName: request.AutoMLJobName,
    AutoMLJobInputDataConfig: request.AutoMLJobInputDataConfig.map((c) =>
      defined({
        ChannelType: c.ChannelType,
        ContentType: c.ContentType,
        CompressionType: c.CompressionType,
        DataSource: {
          S3DataSource: { S3DataType: c.DataSource.S3DataSource.S3DataType, S3Uri: c.DataSource.S3DataSource.S3Uri },
        },
      }),
    ),
    OutputDataConfig: defined({
      S3OutputPath: request.OutputDataConfig.S3OutputPath,
      KmsKeyId: request.OutputDataConfig.KmsKeyId,
    }),
    AutoMLProblemTypeConfig: {
      TabularJobConfig: defined({
        TargetAttributeName: tabular.TargetAttributeName,
        ProblemType: tabular.ProblemType,
        CompletionCriteria: tabular.CompletionCriteria === undefined ? undefined : { ...tabular.CompletionCriteria },
        Mode: tabular.Mode,
      }),
    },
    RoleArn: request.RoleArn,
    // The core validates the metric per problem type; the SDK's closed enum would only lag behind AWS.
    AutoMLJobObjective:
      request.AutoMLJobObjective === undefined
        ? undefined
        : { MetricName: request.AutoMLJobObjective.MetricName as AutoMLMetricEnum },
    Tags: request.Tags?.map((t) => ({ Key: t.Key, Value: t.Value })),
  });
}

/**
 * {@link AutoMLPort} over the SageMaker AutoML **V2** API (CreateAutoMLJobV2 / DescribeAutoMLJobV2; V1 cannot
 * describe V2 jobs). Errors are `SmeError`s from {@link convertSageMakerError}.
 */
export class SageMakerAutoML implements AutoMLPort {
  readonly #clients: AwsClients;
  readonly #region: string;

  constructor(clients: AwsClients, region: string) {
    this.#clients = clients;
    this.#region = region;
  }

  async createJob(request: CreateAutoMLJobV2Request): Promise<{ readonly AutoMLJobArn: string }> {
    const ctx = { ...this.#ctx(), operation: 'CreateAutoMLJobV2', resource: request.AutoMLJobName };
    return awsCall(ctx, async () => {
      const [client, { CreateAutoMLJobV2Command }] = await Promise.all([
        this.#clients.sagemaker(this.#region),
        import('@aws-sdk/client-sagemaker'),
      ]);
      const out = await client.send(new CreateAutoMLJobV2Command(toCreateInput(request)));
      return { AutoMLJobArn: out.AutoMLJobArn ?? '' };
    });
  }

  async describeJob(jobName: string): Promise<AutoMLJobDescription> {
    const ctx = { ...this.#ctx(), operation: 'DescribeAutoMLJobV2', resource: jobName };
    return awsCall(ctx, async () => {
      const [client, { DescribeAutoMLJobV2Command }] = await Promise.all([
        this.#clients.sagemaker(this.#region),
        import('@aws-sdk/client-sagemaker'),
      ]);
      return toJobDescription(await client.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: jobName })));
    });
  }

  async stopJob(jobName: string): Promise<void> {
    const ctx = { ...this.#ctx(), operation: 'StopAutoMLJob', resource: jobName };
    await awsCall(ctx, async () => {
      const [client, { StopAutoMLJobCommand }] = await Promise.all([
        this.#clients.sagemaker(this.#region),
        import('@aws-sdk/client-sagemaker'),
      ]);
      await client.send(new StopAutoMLJobCommand({ AutoMLJobName: jobName }));
    });
  }

  /** All candidates (following NextToken) up to `maxResults`, in AWS's default sort order for `sortBy`. */
  async listCandidates(jobName: string, options: ListCandidatesOptions = {}): Promise<readonly AutoMLCandidate[]> {
    const ctx = { ...this.#ctx(), operation: 'ListCandidatesForAutoMLJob', resource: jobName };
    const limit = options.maxResults ?? Number.POSITIVE_INFINITY;
    return awsCall(ctx, async () => {
      const [client, { ListCandidatesForAutoMLJobCommand }] = await Promise.all([
        this.#clients.sagemaker(this.#region),
        import('@aws-sdk/client-sagemaker'),
      ]);
      const found: AutoMLCandidate[] = [];
      let next: string | undefined;
      do {
        const page = await client.send(
          new ListCandidatesForAutoMLJobCommand({
            AutoMLJobName: jobName,
            MaxResults: Math.min(CANDIDATE_PAGE, limit - found.length),
            ...(options.sortBy === undefined ? {} : { SortBy: options.sortBy }),
            ...(next === undefined ? {} : { NextToken: next }),
          }),
        );
        for (const c of page.Candidates ?? []) found.push(toCandidate(c));
        next = page.NextToken === '' ? undefined : page.NextToken;
      } while (next !== undefined && found.length < limit);
      return found.slice(0, limit);
    });
  }

  #ctx() {
    return this.#clients.context('SageMaker', this.#region);
  }
}
