import type { AutoMLContainer } from './automl-port.js';

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
/** A production variant: on instances, or serverless (SageMaker takes exactly one of the two). */
export type ProductionVariant =
  | {
      readonly VariantName: string;
      readonly ModelName: string;
      readonly InstanceType: string;
      readonly InitialInstanceCount: number;
    }
  | {
      readonly VariantName: string;
      readonly ModelName: string;
      readonly ServerlessConfig: { readonly MemorySizeInMB: number; readonly MaxConcurrency: number };
    };

export interface EndpointPort {
  createModel(request: {
    readonly ModelName: string;
    readonly ExecutionRoleArn: string;
    readonly Containers: readonly AutoMLContainer[];
  }): Promise<void>;
  deleteModel(modelName: string): Promise<void>;
  createEndpointConfig(request: {
    readonly EndpointConfigName: string;
    readonly ProductionVariants: readonly ProductionVariant[];
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
