/**
 * The slice of the SageMaker AutoML V2 API that sme uses, re-declared with AWS's member names so that core
 * depends on no SDK. Node: `@aws-sdk/client-sagemaker`; Lua: the AWS-call UDF (SigV4 over HTTPS).
 */

export type ProblemType = 'BinaryClassification' | 'MulticlassClassification' | 'Regression';

export type AutoMLJobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

export type AutoMLJobSecondaryStatus =
  | 'Starting'
  | 'AnalyzingData'
  | 'FeatureEngineering'
  | 'ModelTuning'
  | 'TrainingModels'
  | 'PreTraining'
  | 'MaxCandidatesReached'
  | 'Failed'
  | 'Stopped'
  | 'MaxAutoMLJobRuntimeReached'
  | 'Stopping'
  | 'CandidateDefinitionsGenerated'
  | 'GeneratingExplainabilityReport'
  | 'ExplainabilityError'
  | 'GeneratingModelInsightsReport'
  | 'ModelInsightsError'
  | 'DeployingModel'
  | 'ModelDeploymentError'
  | 'Completed';

export interface AutoMLS3DataSource {
  readonly S3DataType: 'S3Prefix';
  readonly S3Uri: string;
}

export interface AutoMLJobChannel {
  readonly ChannelType?: 'training' | 'validation';
  readonly ContentType?: string;
  readonly CompressionType?: 'None' | 'Gzip';
  readonly DataSource: { readonly S3DataSource: AutoMLS3DataSource };
}

export interface AutoMLJobCompletionCriteria {
  readonly MaxCandidates?: number;
  readonly MaxRuntimePerTrainingJobInSeconds?: number;
  readonly MaxAutoMLJobRuntimeInSeconds?: number;
}

export interface CreateAutoMLJobV2Request {
  readonly AutoMLJobName: string;
  readonly AutoMLJobInputDataConfig: readonly AutoMLJobChannel[];
  readonly OutputDataConfig: { readonly S3OutputPath: string; readonly KmsKeyId?: string };
  readonly AutoMLProblemTypeConfig: {
    readonly TabularJobConfig: {
      readonly TargetAttributeName: string;
      readonly ProblemType?: ProblemType;
      readonly CompletionCriteria?: AutoMLJobCompletionCriteria;
      readonly Mode?: 'AUTO' | 'ENSEMBLING' | 'HYPERPARAMETER_TUNING';
    };
  };
  readonly RoleArn: string;
  readonly AutoMLJobObjective?: { readonly MetricName: string };
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}

export interface AutoMLMetric {
  readonly MetricName: string;
  readonly Value: number;
  readonly Type?: 'Maximize' | 'Minimize';
}

export interface AutoMLContainer {
  readonly Image: string;
  readonly ModelDataUrl?: string;
  readonly Environment?: Readonly<Record<string, string>>;
}

export interface AutoMLCandidate {
  readonly CandidateName: string;
  readonly CandidateStatus: string;
  readonly ObjectiveStatus?: string;
  readonly FinalAutoMLJobObjectiveMetric?: AutoMLMetric;
  readonly InferenceContainers?: readonly AutoMLContainer[];
  /** Epoch milliseconds. */
  readonly CreationTime?: number;
  /** Epoch milliseconds (end of the candidate's training). */
  readonly EndTime?: number;
  readonly CandidateProperties?: {
    readonly CandidateMetrics?: readonly {
      readonly MetricName?: string;
      readonly Value?: number;
      readonly Set?: string;
    }[];
    readonly CandidateArtifactLocations?: { readonly Explainability?: string; readonly ModelInsights?: string };
  };
}

/** DescribeAutoMLJobV2, the members sme reads. Times are epoch milliseconds. */
export interface AutoMLJobDescription {
  readonly AutoMLJobName: string;
  readonly AutoMLJobArn: string;
  readonly AutoMLJobStatus: AutoMLJobStatus;
  readonly AutoMLJobSecondaryStatus: AutoMLJobSecondaryStatus;
  readonly CreationTime: number;
  readonly EndTime?: number;
  readonly LastModifiedTime?: number;
  readonly FailureReason?: string;
  readonly BestCandidate?: AutoMLCandidate;
  readonly OutputDataConfig?: { readonly S3OutputPath: string };
  /** What the job reads: start-training compares it with its own request before adopting a job (lost reply). */
  readonly AutoMLJobInputDataConfig?: readonly AutoMLJobChannel[];
  readonly AutoMLProblemTypeConfig?: {
    readonly TabularJobConfig?: { readonly TargetAttributeName?: string; readonly ProblemType?: ProblemType };
  };
  readonly RoleArn?: string;
  readonly AutoMLJobObjective?: { readonly MetricName: string };
  readonly ResolvedAttributes?: {
    readonly AutoMLJobObjective?: { readonly MetricName: string };
    readonly AutoMLProblemTypeResolvedAttributes?: {
      readonly TabularResolvedAttributes?: { readonly ProblemType?: ProblemType };
    };
  };
  readonly AutoMLJobArtifacts?: {
    readonly CandidateDefinitionNotebookLocation?: string;
    readonly DataExplorationNotebookLocation?: string;
  };
}

/** Which AWS account/region a call goes to: the Exasol CONNECTION holding credentials (Lua) and the region. */
export interface AwsTarget {
  readonly connectionName: string;
  readonly region: string;
}

/**
 * AutoML job lifecycle. Rejects with an `SmeError` whose `kind` is one of the AWS error kinds
 * (`Throttled`, `NotFound`, `AlreadyExists`, `AccessDenied`, `Validation`, `ServiceError`), keeping the request id.
 */
export interface AutoMLPort {
  createJob(request: CreateAutoMLJobV2Request): Promise<{ readonly AutoMLJobArn: string }>;
  describeJob(jobName: string): Promise<AutoMLJobDescription>;
  stopJob(jobName: string): Promise<void>;
  listCandidates(
    jobName: string,
    options?: {
      readonly maxResults?: number;
      readonly sortBy?: 'FinalObjectiveMetricValue' | 'CreationTime' | 'Status';
    },
  ): Promise<readonly AutoMLCandidate[]>;
}

/** Builds the AutoML port for a target. The Node adapter ignores `connectionName` (it uses the AWS credential chain). */
export type AutoMLPortFactory = (target: AwsTarget) => AutoMLPort;
