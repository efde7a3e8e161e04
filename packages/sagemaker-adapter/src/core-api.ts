/**
 * The one place this package imports `@sme/core` from, so that a change of the core's public surface touches
 * a single file.
 */
export {
  AWS_ERROR_CODES,
  SmeError,
  catalogError,
  isSmeError,
  awsError,
  knownAwsErrorCode,
  formatS3Uri,
  isBucketName,
  parseS3ObjectUri,
  isRegionName,
  partitionOfRegion,
  isRoleArn,
  isRolePathName,
  roleArnFor,
  shortText,
} from '@sme/core';
export type {
  AwsErrorCode,
  ErrorCodeInfo,
  ProductionVariant,
  AwsPartition,
  S3Object,
  SmeErrorKind,
  SmeErrorDetails,
  AutoMLPort,
  AutoMLPortFactory,
  AwsTarget,
  CreateAutoMLJobV2Request,
  AutoMLJobDescription,
  AutoMLCandidate,
  AutoMLContainer,
  EndpointPort,
  EndpointDescription,
  InferencePort,
  ObjectStorePort,
  CreateTransformJobRequest,
  TransformJobDescription,
  TransformPort,
} from '@sme/core';
