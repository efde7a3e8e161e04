/** @sme/sagemaker-adapter: the core's AWS ports over the AWS SDK v3 (SageMaker AutoML V2, runtime, S3, STS). */
export { createSageMakerAdapters } from './sagemaker-adapters.js';
export type { SageMakerAdapters, RegionalPortFactory } from './sagemaker-adapters.js';
export {
  resolveSageMakerOptions,
  loadSageMakerOptions,
  defaultRegionOf,
  partitionOfRegion,
} from './sagemaker-config.js';
export type {
  SageMakerOptions,
  ConfiguredSageMakerOptions,
  SageMakerCredentials,
  SageMakerEnv,
  AwsSharedConfig,
  AwsPartition,
  ResolvedSageMakerOptions,
  ResolvedEndpoints,
  SettingSource,
} from './sagemaker-config.js';
export { convertSageMakerError } from './sagemaker-errors.js';
export type { AwsCallContext } from './sagemaker-errors.js';
export { SAGEMAKER_ERROR_CODES, sageMakerError } from './sagemaker-error-codes.js';
export type { SageMakerErrorCode, SageMakerErrorCodeInfo } from './sagemaker-error-codes.js';
export { SageMakerAutoML } from './sagemaker-automl.js';
export type { ListCandidatesOptions } from './sagemaker-automl.js';
export { SageMakerEndpoints } from './sagemaker-endpoints.js';
export { SageMakerTransforms } from './sagemaker-transforms.js';
export { SageMakerInference, MAX_INVOKE_BODY_BYTES } from './sagemaker-inference.js';
export { S3ObjectStore } from './s3-object-store.js';
export type { ObjectStore, S3Location, S3ObjectStoreOptions, UploadBody } from './s3-object-store.js';
export { StsIdentity, roleArnOf, isRoleArn, isRoleName } from './sagemaker-identity.js';
export type { AwsIdentity } from './sagemaker-identity.js';
export { backoffDelay, retryAfterMsOf, withoutThrottlingRetries } from './sagemaker-retry.js';
export { AwsClients } from './sagemaker-clients.js';
