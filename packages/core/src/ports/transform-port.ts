import type { AwsTarget } from './automl-port.js';

export type TransformJobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

/** CreateTransformJob, the members sme sends (AWS's names, so that core depends on no SDK). */
export interface CreateTransformJobRequest {
  readonly TransformJobName: string;
  readonly ModelName: string;
  readonly TransformInput: {
    readonly DataSource: { readonly S3DataSource: { readonly S3DataType: 'S3Prefix'; readonly S3Uri: string } };
    readonly ContentType: string;
    readonly SplitType: 'Line';
    readonly CompressionType?: 'None' | 'Gzip';
  };
  readonly TransformOutput: { readonly S3OutputPath: string; readonly Accept: string; readonly AssembleWith: 'Line' };
  readonly TransformResources: { readonly InstanceType: string; readonly InstanceCount: number };
  readonly DataProcessing?: {
    readonly InputFilter?: string;
    readonly OutputFilter?: string;
    readonly JoinSource?: 'Input' | 'None';
  };
  readonly BatchStrategy?: 'MultiRecord' | 'SingleRecord';
}

/** DescribeTransformJob, the members sme reads. Times are epoch milliseconds. */
export interface TransformJobDescription {
  readonly TransformJobName: string;
  readonly TransformJobStatus: TransformJobStatus;
  readonly FailureReason?: string;
  readonly CreationTime: number;
  readonly TransformEndTime?: number;
}

/**
 * SageMaker batch transform. Rejects with an `SmeError` of the AWS error kinds, like `AutoMLPort`
 * (`AlreadyExists` for ResourceInUse, `NotFound` for ResourceNotFound).
 */
export interface TransformPort {
  createTransformJob(request: CreateTransformJobRequest): Promise<void>;
  describeTransformJob(transformJobName: string): Promise<TransformJobDescription>;
  stopTransformJob(transformJobName: string): Promise<void>;
}

/** Builds the transform port for a target (Lua: calls through the AWS-call UDF with that CONNECTION). */
export type TransformPortFactory = (target: AwsTarget) => TransformPort;
