/** Test doubles of core's ports, for this package's tests and for other packages' unit tests. */
export { InMemoryTablesSql, tokenize } from './tables-sql.js';
export type { TableFixture, RecordedExport } from './tables-sql.js';
export { InMemoryMetadataStore, InMemoryMetadataStores, InMemoryModelStore } from './in-memory-stores.js';
export { InMemoryScriptsSql } from './scripts-sql.js';
export { FakeAutoML } from './fake-automl.js';
export { FakeEndpoints, FakeObjectStore } from './fake-endpoints.js';
export { StaticConnections, StaticIdentity } from './doubles.js';
export { nodeJson, FixedClock, MemoryLog } from './node-doubles.js';
export { EXAMPLE_PARAMS_JSON, exampleTablesSql } from './example-params.js';
export { validateAgainstShape } from './api-model-validator.js';
export type { ApiModel, ModelViolation } from './api-model-validator.js';
export { documentedErrors, errorCodesIn, generatedDocCodes } from './error-docs.js';
export type { DocumentedError } from './error-docs.js';
export { EXASOL_PCALL_LUA } from './exasol-pcall-lua.js';
