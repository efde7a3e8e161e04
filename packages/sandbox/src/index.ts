/**
 * Public API of @sme/sandbox: the Exasol-compatible server, the AWS part (S3 + SageMaker-compatible AutoML
 * service) and the Lua runtimes the server runs scripts with.
 *
 * @example
 * import { startAwsSandbox, startExasolSandbox } from '@sme/sandbox';
 * const aws = await startAwsSandbox();
 * const exa = await startExasolSandbox({ s3Endpoint: aws.s3Endpoint, s3Region: aws.region });
 * // … connect the driver to exa.url, the AWS SDK to aws.sagemakerEndpoint …
 * await exa.stop();
 * await aws.stop();
 */
export { SANDBOX_ERROR_CODES } from './sandbox-error-codes.js';
export type { SandboxErrorCode, SandboxErrorCodeInfo } from './sandbox-error-codes.js';

export { startExasolSandbox } from './exasol/exasol-sandbox.js';
export type { ExasolSandbox, ExasolSandboxOptions } from './exasol/exasol-sandbox.js';
export type { UdfCallRecord } from './exasol/cluster.js';

export { startAwsSandbox, SANDBOX_CREDENTIALS } from './aws/aws-sandbox.js';
export type { AwsSandbox, AwsSandboxOptions } from './aws/aws-sandbox.js';
export { AWS_TLS_CERTIFICATE_KINDS, OTHER_HOST_NAME } from './aws/aws-tls.js';
export type { AwsTlsCertificateKind } from './aws/aws-tls.js';
export { DEFAULT_PHASE_SECONDS } from './aws/automl-jobs.js';
export type { JobPhaseSeconds } from './aws/automl-jobs.js';
export type { FaultControl, FaultRule, FaultRules } from './aws/faults.js';
export { seededRandom } from './aws/faults.js';
export type { ObjectStore } from './aws/s3-store.js';
export { verifySigV4 } from './aws/sigv4-verify.js';
export type { ReceivedRequest, SandboxCredentials, SigV4Result, VerifyOptions } from './aws/sigv4-verify.js';
export { predictRows, parseCsv } from './aws/automl/model.js';
export type { FeatureSpec, Prediction, SandboxModelFile } from './aws/automl/model.js';
export { syntheticData, toCsv } from './aws/automl/synthetic.js';
export type { SyntheticData, SyntheticKind } from './aws/automl/synthetic.js';

export {
  createLuaRuntime,
  isNativeLuaAvailable,
  nativeLuaUnavailableReason,
  LuaError,
  LuaHostError,
  isLuaRuntimeError,
} from './lua/index.js';
export type {
  LuaColumn,
  LuaConnection,
  LuaMeta,
  LuaProfile,
  LuaQueryError,
  LuaQueryResult,
  LuaRuntime,
  LuaRuntimeError,
  LuaRuntimeKind,
  LuaRuntimeOptions,
  LuaScriptArg,
  LuaSqlValue,
  ScriptHost,
  ScriptOutcome,
  ScriptRun,
  UdfOutcome,
  UdfRun,
} from './lua/index.js';
