import { parameterise, type SqlStatement } from '@sme/core';

/**
 * What the Lua SqlPort hands to `pquery(text, params)` for a statement core or the AWS adapters built as complete SQL
 * text: every string literal as a `:vN` value, so no value is ever part of the text (Exasol's Lua rule L8 in
 * packages/sandbox/README.md; Exasol's own sagemaker-extension binds its values the same way). Quoted identifiers stay
 * quoted in the text unless they hold a `:` (then `::iN`): whether `::name` quotes what it inserts is undocumented (see
 * `IdentifierBinding`). Portable, so the Node tests check exactly what the Lua side sends.
 */
export function pqueryArguments(sql: string): SqlStatement {
  return parameterise(sql, 'colon');
}
