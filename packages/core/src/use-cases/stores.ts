import type { MetadataStores } from '../ports/metadata-store.js';
import type { SqlPort } from '../ports/sql-port.js';
import { sqlMetadataStores } from '../sql/sql-metadata-stores.js';

/** What use cases that record in the metadata tables take: the SqlPort, and optionally stores in its place. */
export interface StoreDeps {
  readonly sql: SqlPort;
  /** The metadata tables; by default those of the context's metadata schema over `sql` (tests pass a double). */
  readonly stores?: MetadataStores;
}

/** The metadata stores of a use case: those its deps give, else the SQL ones of `schema` over its SqlPort. */
export function storesOf(deps: StoreDeps, schema: string): MetadataStores {
  return deps.stores ?? sqlMetadataStores(deps.sql, schema);
}
