/**
 * The one place this package imports `@sme/core` from, so that a change of the core's public surface touches
 * a single file.
 */
export { SmeError, catalogError, coreError, isSmeError, maskUserinfo, queryText } from '@sme/core';
export type { ErrorCodeInfo, SmeErrorDetails, SqlColumn, SqlPort, SqlQuery, SqlRows, SqlValue } from '@sme/core';
