/** Public API of the AWS half of the sandbox (S3 + SageMaker-compatible AutoML service). */
export { startAwsSandbox, SANDBOX_CREDENTIALS } from './aws-sandbox.js';
export type { AwsSandbox, AwsSandboxOptions } from './aws-sandbox.js';
export { AWS_TLS_CERTIFICATE_KINDS, OTHER_HOST_NAME } from './aws-tls.js';
export type { AwsTlsCertificateKind } from './aws-tls.js';
export { DEFAULT_PHASE_SECONDS } from './automl-jobs.js';
export type { JobPhaseSeconds } from './automl-jobs.js';
export type { FaultControl, FaultRule, FaultRules } from './faults.js';
export type { ObjectStore } from './s3-store.js';
export type { SandboxCredentials } from './sigv4-verify.js';
export { verifySigV4 } from './sigv4-verify.js';
export type { ReceivedRequest, SigV4Result, VerifyOptions } from './sigv4-verify.js';
export { predictRows, parseCsv } from './automl/model.js';
export type { Prediction, SandboxModelFile, FeatureSpec } from './automl/model.js';
export { syntheticData, toCsv } from './automl/synthetic.js';
export type { SyntheticData, SyntheticKind } from './automl/synthetic.js';
export { decodeAwsChunked, encodeAwsChunked } from './aws-chunked.js';
