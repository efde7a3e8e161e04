/** Public API of @sme/udf (Node side): SigV4, the AWS-call UDF's deployment statement and its envelope. */
export { signRequest, amzDate, canonicalPath, canonicalQuery, canonicalHeaderValue } from './lua/sigv4/sigv4.js';
export type { SigV4Request, SigV4Credentials, SigV4Options, SignedRequest, BytePair } from './lua/sigv4/sigv4.js';
export type { ByteString } from './lua/sigv4/bytes.js';
export type { Sha256Crypto } from './lua/sigv4/crypto.js';
export { nodeSha256Crypto, utf8ToByteString, byteStringToUtf8 } from './node/node-crypto.js';
export {
  AWS_CALL_OPERATIONS,
  callAws,
  connectionCredentials,
  parseEndpointUrl,
  resolveEndpoint,
  xmlElements,
  xmlText,
} from './lua/aws/aws-call.js';
export type {
  AwsApi,
  AwsCallConfig,
  AwsCallDeps,
  AwsCallInput,
  AwsCallSuccess,
  AwsEndpoint,
} from './lua/aws/aws-call.js';
export { AWS_CALL_ERRORS } from './lua/aws/aws-errors.js';
export type { AwsCallErrorCode } from './lua/aws/aws-errors.js';
export { decodeAwsCallEnvelope } from './lua/aws/aws-call-envelope.js';
export { awsCallEnvelope } from './lua/aws/aws-call-answer.js';
export type { AwsCallEnvelope } from './lua/aws/aws-call-answer.js';
export { HttpTransportError, TlsVerificationError } from './lua/aws/http-port.js';
export type { HttpPort, HttpRequest, HttpResponse, TlsFailureCode } from './lua/aws/http-port.js';
export { hostNameMismatch, isIpv4 } from './lua/aws/tls-names.js';
export type { CertificateNames } from './lua/aws/tls-names.js';
export { AWS_ROOT_CERTIFICATES, awsRootCertificatesPem } from './lua/aws/aws-root-certificates.js';
export type { RootCertificate } from './lua/aws/aws-root-certificates.js';
export {
  AWS_CALL_UDF_NAME,
  PREDICTION_UDF_BUNDLE,
  awsCallUdfScript,
  checkedCaPem,
  embedBundle,
  luaBundle,
  predictionUdfBundle,
} from './deploy/aws-call-udf-script.js';
export type { AwsCallUdfScriptOptions } from './deploy/aws-call-udf-script.js';
export { runPredictionSet, errorText as predictionErrorText } from './lua/endpoints/prediction-run.js';
export type { PredictionConfig, PredictionRows } from './lua/endpoints/prediction-run.js';
export { luaStringLiteral } from './deploy/lua-literal.js';
export { deploymentStatements, upgradeStatements, DEPLOYED_SCRIPTS } from './deploy/deployment.js';
export { DEPLOYED_VERSION_MARKER, deployedVersionOf, smeVersion } from './deploy/version.js';
export type { DeploymentOptions, DeploymentStatement, DeployedScript } from './deploy/deployment.js';
export {
  CONNECTION_ADDRESS_UDF_NAME,
  LIBRARY_SCRIPT_NAME,
  TRAIN_SCRIPT_NAME,
  POLL_SCRIPT_NAME,
  DESCRIBE_SCRIPT_NAME,
  STOP_SCRIPT_NAME,
  DEPLOY_ENDPOINT_SCRIPT_NAME,
  ENDPOINT_STATUS_SCRIPT_NAME,
  DELETE_ENDPOINT_SCRIPT_NAME,
  REAP_IDLE_ENDPOINTS_SCRIPT_NAME,
  DROP_JOB_SCRIPT_NAME,
  CANDIDATES_SCRIPT_NAME,
  EVALUATE_SCRIPT_NAME,
  EXPLAIN_SCRIPT_NAME,
} from './lua/scripting/names.js';
export { UDF_ERRORS } from './lua/scripting/udf-errors.js';
export type { UdfErrorCode, UdfErrorInfo } from './lua/scripting/udf-errors.js';
export {
  columnsSpec,
  errorText,
  TRAIN_COLUMNS,
  POLL_COLUMNS,
  DESCRIBE_COLUMNS,
  STOP_COLUMNS,
  DEPLOY_ENDPOINT_COLUMNS,
  ENDPOINT_STATUS_COLUMNS,
  DELETE_ENDPOINT_COLUMNS,
  REAP_COLUMNS,
  DROP_JOB_COLUMNS,
  CANDIDATES_COLUMNS,
  EVALUATE_COLUMNS,
  EXPLAIN_COLUMNS,
} from './lua/scripting/entry-points.js';
export type { PredictionUdfSource, ResultColumn, ResultTable } from './lua/scripting/entry-points.js';
