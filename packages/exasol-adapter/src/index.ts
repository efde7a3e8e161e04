/** Public API of @sme/exasol-adapter: the SqlPort over the Exasol WebSocket driver, its options, errors and deployer. */
export { ExasolSqlPort, connectExasol } from './exasol-sql-port.js';
export type { ExasolBatchResult } from './exasol-sql-port.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_EXASOL_PORT,
  describeExasol,
  needsPasswordPrompt,
  pickExasolOptions,
  resolveExasolOptions,
} from './exasol-config.js';
export type { ConfiguredExasolOptions, ExasolEnv, ExasolOptions, ExasolTls, ResolvedExasol } from './exasol-config.js';
export { normaliseFingerprint, parseDsn } from './exasol-dsn.js';
export type { ParsedDsn } from './exasol-dsn.js';
export { TlsFingerprintMismatch, convertExasolError, redactSql, statementStart } from './exasol-errors.js';
export type { ExasolErrorContext } from './exasol-errors.js';
export { EXASOL_ERROR_CODES } from './exasol-error-codes.js';
export type { ExasolErrorCode, ExasolErrorCodeInfo } from './exasol-error-codes.js';
export { columnTypeText, mapValue } from './exasol-types.js';
export type { ExasolDataType } from './exasol-types.js';
export { ExasolDeployer, formatForSqlClient, isCreateScript } from './exasol-deployer.js';
export type { DeployOptions, DeployResult, DeployTarget, DeploymentStatement } from './exasol-deployer.js';
export { promptPassword } from './password-prompt.js';
export type { PromptInput, PromptOutput } from './password-prompt.js';
