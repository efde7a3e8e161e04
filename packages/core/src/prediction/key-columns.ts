/**
 * Key columns of a prediction UDF: leading pass-through parameters declared at deploy time (`--key ID`,
 * `"key_columns": ["ID DECIMAL(18,0)"]`) that the UDF emits unchanged beside its predictions, so that results join
 * back to the rows they came from.
 */
import { coreError } from '../error-codes.js';
import { parseExasolIdentifier } from '../identifiers.js';
import { describeValue, formatInteger } from '../text.js';
import { parseColumnType } from './column-types.js';
import type { NamedColumn } from './prediction-udf.js';

/** The type of a key declared without one: any value Exasol can convert to text passes. */
export const DEFAULT_KEY_TYPE = 'VARCHAR(2000000) UTF8';

/** Most key columns of one prediction UDF. */
export const MAX_KEY_COLUMNS = 16;

function keyError(message: string, spec: string) {
  return coreError('SME-E-ENDPOINT-KEY-COLUMNS', message, { key: 'key_columns', value: describeValue(spec) });
}

/** Where the identifier at the start of `spec` ends: after its closing quote, or at the first space. */
function identifierEnd(spec: string): number {
  if (spec.charCodeAt(0) === 34) {
    let i = 1;
    while (i < spec.length) {
      if (spec.charCodeAt(i) === 34) {
        if (spec.charCodeAt(i + 1) === 34) i += 2;
        else return i + 1;
      } else i++;
    }
    return spec.length;
  }
  const space = spec.indexOf(' ');
  return space < 0 ? spec.length : space;
}

/**
 * The Lua UDF type a key is declared with (Exasol's Lua rule L6: DOUBLE, DECIMAL, BOOLEAN, VARCHAR, CHAR). Unlike
 * features, a DECIMAL key keeps its precision and scale: it is emitted exactly as it came in.
 */
function keyType(spec: string, typeText: string): string {
  const type = parseColumnType(typeText);
  if (type.kind === 'double') return 'DOUBLE';
  if (type.kind === 'decimal' || type.kind === 'boolean' || type.kind === 'text') return type.text;
  throw keyError(
    'key column ' +
      describeValue(spec) +
      ' has type ' +
      type.text +
      ', which a Lua UDF cannot take (only DECIMAL, DOUBLE, BOOLEAN, VARCHAR, CHAR): declare it VARCHAR(50) and pass TO_CHAR(column)',
    spec,
  );
}

/**
 * Reads key column declarations: `NAME` (typed {@link DEFAULT_KEY_TYPE}) or `NAME TYPE` (`ID DECIMAL(18,0)`,
 * `"Region" VARCHAR(20)`); names as in SQL (unquoted ones upper-cased). Throws `SME-E-ENDPOINT-KEY-COLUMNS` for a
 * declaration that is no name, a type a Lua UDF cannot take, a name given twice, or more than
 * {@link MAX_KEY_COLUMNS}.
 *
 * @example
 * parseKeyColumns(['id decimal(18,0)', 'REGION']);
 * // [{ name: 'ID', type: 'DECIMAL(18,0)' }, { name: 'REGION', type: 'VARCHAR(2000000) UTF8' }]
 */
export function parseKeyColumns(specs: readonly string[]): NamedColumn[] {
  if (specs.length > MAX_KEY_COLUMNS) {
    throw keyError(
      formatInteger(specs.length) +
        ' key columns were given; a prediction UDF takes at most ' +
        formatInteger(MAX_KEY_COLUMNS),
      specs.join(', '),
    );
  }
  const out: NamedColumn[] = [];
  for (const raw of specs) {
    const spec = raw.trim();
    const end = identifierEnd(spec);
    const parsed = parseExasolIdentifier(spec.substring(0, end));
    if (!parsed.ok) {
      throw keyError('key column ' + describeValue(raw) + ' does not start with a column name: ' + parsed.reason, raw);
    }
    const typeText = spec.substring(end).trim();
    const name = parsed.identifier.name;
    if (out.some((k) => k.name === name)) throw keyError('key column ' + describeValue(name) + ' is given twice', raw);
    out.push({ name, type: typeText === '' ? DEFAULT_KEY_TYPE : keyType(raw, typeText) });
  }
  return out;
}

/**
 * Splits a list of key declarations at the commas that are not inside parentheses or quotes:
 * `ID DECIMAL(18,0),REGION` → [`ID DECIMAL(18,0)`, `REGION`]. Empty items are dropped.
 *
 * @example
 * splitKeyList('ID DECIMAL(18,0), "A,B"'); // ['ID DECIMAL(18,0)', '"A,B"']
 */
export function splitKeyList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 44;
    if (c === 34) quoted = !quoted;
    else if (!quoted && c === 40) depth++;
    else if (!quoted && c === 41) depth--;
    else if (c === 44 && (i === text.length || (!quoted && depth <= 0))) {
      const item = text.substring(start, i).trim();
      if (item !== '') out.push(item);
      start = i + 1;
    }
  }
  return out;
}
