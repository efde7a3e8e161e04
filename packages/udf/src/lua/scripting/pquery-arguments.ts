import { parameterise, type SqlStatement } from '@sme/core';

/**
 * What the Lua SqlPort hands to `pquery(text, params)` for a statement core or the AWS adapters built as complete
 * SQL text: every string literal as a `:vN` value and every quoted identifier as a `::iN` identifier, so no value
 * is ever part of the text (exasol.md §3b L8; Exasol's own sagemaker-extension binds the same way). Portable, so
 * the Node tests check exactly what the Lua side sends.
 */
export function pqueryArguments(sql: string): SqlStatement {
  return parameterise(sql);
}
