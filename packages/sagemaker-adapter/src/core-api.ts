/**
 * The one place this package takes `@sme/core`'s API from.
 *
 * TEMPORARY MIRROR: `@sme/core`'s entry point exports nothing yet (its ports and errors exist in
 * packages/core/src but are not public). Until it does, this file repeats those declarations verbatim, so the
 * types are structurally identical and `isSmeError` (a check by name and code) accepts errors from either copy.
 * When core exports them, this file becomes `export { SmeError, isSmeError } from '@sme/core'` plus
 * `export type { … } from '@sme/core'` — nothing else in the package changes.
 */
/**
 * The closed set of error kinds. Validation kinds come from core; the others are what adapters translate
 * vendor errors into at their edge (see each adapter's `*-errors.ts`).
 */
export type SmeErrorKind =
  | 'InvalidInput'
  | 'Conflict'
  | 'Precondition'
  | 'Throttled'
  | 'NotFound'
  | 'AlreadyExists'
  | 'AccessDenied'
  | 'Validation'
  | 'ServiceError'
  | 'Unreachable'
  | 'TlsMismatch'
  | 'BadCredentials'
  | 'SqlError'
  | 'Internal';

/** Structured facts of an error; every field is safe to print (never a secret). */
export interface SmeErrorDetails {
  /** The input key or option the error is about, e.g. `model_name`. */
  readonly key?: string;
  /** The value received, already shortened and free of secrets. */
  readonly value?: string;
  /** What the user can do about it. */
  readonly remedy?: string;
  /** Vendor facts kept for support: AWS request id, Exasol sqlCode, HTTP status. */
  readonly requestId?: string;
  readonly sqlCode?: string;
  readonly httpStatus?: number;
  /** Other errors this one summarises (e.g. every invalid training parameter). */
  readonly problems?: readonly SmeError[];
}

/**
 * The one error family of sme: a stable code (`SME-E-…`, listed in docs/errors.md), a message that says
 * what was wrong, the value received and what to do.
 *
 * @example
 * throw new SmeError('SME-E-PARAM-MISSING', 'InvalidInput', 'model_name is required', { key: 'model_name', remedy: '…' });
 */
export class SmeError extends Error {
  readonly code: string;
  readonly kind: SmeErrorKind;
  readonly details: SmeErrorDetails;
  override readonly cause: unknown;

  constructor(code: string, kind: SmeErrorKind, message: string, details: SmeErrorDetails = {}, cause?: unknown) {
    super(message);
    this.name = 'SmeError';
    this.code = code;
    this.kind = kind;
    this.details = details;
    this.cause = cause;
  }
}

/** True for an `SmeError`, also across package copies (checked by name and code, not by prototype). */
export function isSmeError(value: unknown): value is SmeError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { name?: unknown; code?: unknown };
  return v.name === 'SmeError' && typeof v.code === 'string';
}
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

export type EndpointStatus =
  | 'OutOfService'
  | 'Creating'
  | 'Updating'
  | 'SystemUpdating'
  | 'RollingBack'
  | 'InService'
  | 'Deleting'
  | 'Failed'
  | 'UpdateRollbackFailed';

export interface EndpointDescription {
  readonly EndpointName: string;
  readonly EndpointArn: string;
  readonly EndpointConfigName: string;
  readonly EndpointStatus: EndpointStatus;
  readonly FailureReason?: string;
  /** Epoch milliseconds. */
  readonly CreationTime: number;
}

/** Model → endpoint config → endpoint lifecycle (SageMaker control plane). Same error kinds as `AutoMLPort`. */
export interface EndpointPort {
  createModel(request: {
    readonly ModelName: string;
    readonly ExecutionRoleArn: string;
    readonly Containers: readonly AutoMLContainer[];
  }): Promise<void>;
  deleteModel(modelName: string): Promise<void>;
  createEndpointConfig(request: {
    readonly EndpointConfigName: string;
    readonly ProductionVariants: readonly {
      readonly VariantName: string;
      readonly ModelName: string;
      readonly InstanceType: string;
      readonly InitialInstanceCount: number;
    }[];
  }): Promise<void>;
  deleteEndpointConfig(endpointConfigName: string): Promise<void>;
  createEndpoint(request: { readonly EndpointName: string; readonly EndpointConfigName: string }): Promise<void>;
  describeEndpoint(endpointName: string): Promise<EndpointDescription>;
  deleteEndpoint(endpointName: string): Promise<void>;
  listEndpoints(): Promise<readonly EndpointDescription[]>;
}

/** InvokeEndpoint (SageMaker runtime). Body is `text/csv` rows without header; the answer is CSV text. */
export interface InferencePort {
  invoke(endpointName: string, csvBody: string): Promise<string>;
}

/** S3 objects, for cleanup and inspection. `uri` is `s3://bucket/key-prefix`. */
export interface ObjectStorePort {
  list(prefixUri: string): Promise<readonly string[]>;
  deletePrefix(prefixUri: string): Promise<number>;
}
