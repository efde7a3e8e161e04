/** INSERT and UPDATE of one row of an sme table whose columns are listed in a catalog (endpoints, batch predictions). */
import { coreError } from '../error-codes.js';
import { qualifiedName, quoteIdentifier } from '../identifiers.js';
import { describeValue } from '../text.js';
import type { MetadataColumn } from './metadata-table.js';
import { sqlLiteral, type SqlLiteralValue } from './statements.js';

/** A table sme keeps: its name, its columns in order, and how errors call it ("the endpoints table"). */
export interface CatalogTable {
  readonly name: string;
  readonly columns: readonly MetadataColumn[];
  readonly label: string;
}

/** The quoted names and literals of the columns `values` gives, in catalog order; refuses an unknown column. */
function presentColumns(
  table: CatalogTable,
  values: Readonly<Record<string, SqlLiteralValue>>,
): { readonly names: readonly string[]; readonly literals: readonly string[] } {
  for (const name of Object.keys(values)) {
    if (!table.columns.some((c) => c.name === name)) {
      throw coreError('SME-E-ARGUMENT', table.label + ' has no column ' + describeValue(name), {
        key: 'values',
        value: describeValue(name),
      });
    }
  }
  const names: string[] = [];
  const literals: string[] = [];
  for (const column of table.columns) {
    const value = values[column.name];
    if (value !== undefined) {
      names.push(quoteIdentifier(column.name));
      literals.push(sqlLiteral(value));
    }
  }
  return { names, literals };
}

/** INSERT of one row (columns in catalog order; absent ones NULL). */
export function insertRowSql(
  schema: string,
  table: CatalogTable,
  values: Readonly<Record<string, SqlLiteralValue>>,
): string {
  const { names, literals } = presentColumns(table, values);
  return (
    'INSERT INTO ' +
    qualifiedName(schema, table.name) +
    ' (' +
    names.join(', ') +
    ') VALUES (' +
    literals.join(', ') +
    ')'
  );
}

/** UPDATE of the rows `where` selects, setting the given columns (at least one). */
export function updateRowSql(
  schema: string,
  table: CatalogTable,
  values: Readonly<Record<string, SqlLiteralValue>>,
  where: string,
): string {
  const { names, literals } = presentColumns(table, values);
  if (names.length === 0) throw coreError('SME-E-ARGUMENT', 'an update needs at least one column', { key: 'values' });
  const sets = names.map((n, i) => n + ' = ' + String(literals[i]));
  return 'UPDATE ' + qualifiedName(schema, table.name) + ' SET ' + sets.join(', ') + ' WHERE ' + where;
}
