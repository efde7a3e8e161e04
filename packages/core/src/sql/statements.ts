import { coreError } from '../error-codes.js';
import { qualifiedName, quoteIdentifier, quoteLiteral } from '../identifiers.js';
import { describeValue, formatInteger, formatNumber, isAllDigits, isIntegral } from '../text.js';
import { METADATA_COLUMNS, METADATA_TABLE } from './metadata-table.js';

/** A value for an INSERT/UPDATE: text, a whole or decimal number, an Exasol timestamp text, or NULL. */
export type SqlLiteralValue =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'integer'; readonly value: number | string }
  | { readonly kind: 'double'; readonly value: number }
  | { readonly kind: 'timestamp'; readonly value: string }
  | { readonly kind: 'null' };

/**
 * One value as SQL. Integers may be digit strings (SESSION_ID exceeds 2^53); doubles are written with
 * at most 6 decimals so that Node and Lua emit the same text.
 */
export function sqlLiteral(v: SqlLiteralValue): string {
  switch (v.kind) {
    case 'text':
      return quoteLiteral(v.value);
    case 'integer': {
      if (typeof v.value === 'string') {
        const digits = v.value.startsWith('-') ? v.value.slice(1) : v.value;
        if (!isAllDigits(digits)) {
          throw coreError('SME-E-ARGUMENT', 'an integer SQL value must be digits; received ' + describeValue(v.value), {
            key: 'value',
            value: describeValue(v.value),
          });
        }
        return v.value;
      }
      if (!isIntegral(v.value) || v.value > 9007199254740991 || v.value < -9007199254740991) {
        throw coreError(
          'SME-E-ARGUMENT',
          'an integer SQL value must be a safe whole number; received ' + describeValue(v.value),
          {
            key: 'value',
            value: describeValue(v.value),
          },
        );
      }
      return formatInteger(v.value);
    }
    case 'double': {
      const text = formatNumber(v.value);
      if (v.value - v.value !== 0 || text.startsWith('a number')) return 'NULL';
      return text;
    }
    case 'timestamp':
      return 'TIMESTAMP ' + quoteLiteral(v.value);
    case 'null':
      return 'NULL';
  }
}

/** Text, or NULL when absent. */
export function textOrNull(value: string | undefined): SqlLiteralValue {
  return value === undefined ? { kind: 'null' } : { kind: 'text', value };
}

/** Integer, or NULL when absent. */
export function integerOrNull(value: number | undefined): SqlLiteralValue {
  return value === undefined ? { kind: 'null' } : { kind: 'integer', value };
}

/**
 * Columns of a table or view in their ordinal order (EXA_ALL_COLUMNS). Answers `COLUMN_NAME, COLUMN_TYPE`.
 *
 * @example
 * tableColumnsSql('RETAIL', 'SALES');
 */
export function tableColumnsSql(schema: string, table: string): string {
  return (
    'SELECT "COLUMN_NAME", "COLUMN_TYPE" FROM "SYS"."EXA_ALL_COLUMNS" WHERE "COLUMN_SCHEMA" = ' +
    quoteLiteral(schema) +
    ' AND "COLUMN_TABLE" = ' +
    quoteLiteral(table) +
    ' ORDER BY "COLUMN_ORDINAL_POSITION"'
  );
}

/** `SELECT COUNT(*) AS "ROW_COUNT" FROM "<schema>"."<table>"`. */
export function rowCountSql(schema: string, table: string): string {
  return 'SELECT COUNT(*) AS "ROW_COUNT" FROM ' + qualifiedName(schema, table);
}

/**
 * `SELECT COUNT(*) AS "ROW_COUNT", COUNT("<target>") AS "TARGET_ROW_COUNT" FROM "<schema>"."<table>"`:
 * all rows, and the rows whose target is not NULL (the only ones Autopilot can learn from).
 */
export function trainingRowCountSql(schema: string, table: string, target: string): string {
  return (
    'SELECT COUNT(*) AS "ROW_COUNT", COUNT(' +
    quoteIdentifier(target) +
    ') AS "TARGET_ROW_COUNT" FROM ' +
    qualifiedName(schema, table)
  );
}

/** How a column's values compare with SQL `=`: only columns of one family are compared with the target. */
export function columnFamily(type: string): string {
  const upper = type.toUpperCase();
  if (upper.startsWith('DECIMAL') || upper.startsWith('DOUBLE')) return 'number';
  if (upper.startsWith('VARCHAR') || upper.startsWith('CHAR')) return 'text';
  return upper.split('(')[0] ?? upper;
}

/**
 * The pre-flight profile of a training table in one scan: `COUNT(DISTINCT <target>)`, then for every feature
 * column (in the order given) its `COUNT(DISTINCT …)` and the number of rows where it equals the target
 * (`0` for a column whose type does not compare with the target's), and last `TEXT_CHARS`: the characters of all
 * values as text (the size estimate of the export). Aggregates only: no row leaves the database.
 *
 * @example
 * trainingProfileSql('S', 'T', { name: 'Y', type: 'BOOLEAN' }, [{ name: 'A', type: 'BOOLEAN' }]);
 * // SELECT COUNT(DISTINCT "Y") AS "TARGET_DISTINCT", COUNT(DISTINCT "A") AS "D1",
 * //   COUNT(CASE WHEN "A" = "Y" THEN 1 END) AS "E1", CAST(COALESCE(SUM(LENGTH(…)), 0) + … AS DECIMAL(18,0))
 * //   AS "TEXT_CHARS" FROM "S"."T"
 */
export function trainingProfileSql(
  schema: string,
  table: string,
  target: { readonly name: string; readonly type: string },
  features: readonly { readonly name: string; readonly type: string }[],
): string {
  const t = quoteIdentifier(target.name);
  const family = columnFamily(target.type);
  const parts = ['COUNT(DISTINCT ' + t + ') AS "TARGET_DISTINCT"'];
  features.forEach((f, i) => {
    const c = quoteIdentifier(f.name);
    const n = formatInteger(i + 1);
    parts.push('COUNT(DISTINCT ' + c + ') AS "D' + n + '"');
    parts.push(
      (columnFamily(f.type) === family ? 'COUNT(CASE WHEN ' + c + ' = ' + t + ' THEN 1 END)' : '0') +
        ' AS "E' +
        n +
        '"',
    );
  });
  const lengths = [target, ...features].map(
    (c) => 'COALESCE(SUM(LENGTH(CAST(' + quoteIdentifier(c.name) + ' AS VARCHAR(2000000)))), 0)',
  );
  parts.push('CAST(' + lengths.join(' + ') + ' AS DECIMAL(18,0)) AS "TEXT_CHARS"');
  return 'SELECT ' + parts.join(', ') + ' FROM ' + qualifiedName(schema, table);
}

/** How an export samples: exactly `rows` rows whose `target` is not NULL, stratified on it or not. */
export interface ExportSample {
  readonly rows: number;
  readonly target: string;
  readonly stratified: boolean;
}

/** `base`, or `base` with `_` appended until no column has that name (for the helper columns of a sample). */
function freeName(base: string, columns: readonly string[]): string {
  let name = base;
  while (columns.includes(name)) name = name + '_';
  return name;
}

/**
 * The SELECT of a deterministic sample, in SQL that Exasol and the sandbox both run. Each row's order key is
 * `HASH_MD5` of its content (every column as text, NULL marked apart from a value; Exasol's HASH_MD5 takes any
 * expression: docs.exasol.com sql_references/functions/alphabeticallistfunctions/hash_md5.htm), with the columns
 * themselves breaking ties, so the same table gives the same sample (rows with equal content are interchangeable).
 * Stratified: within each target value the rows are ranked by that key, and a row's place is its rank's share of
 * its class, `(rank - 1) / class size`; the first `rows` rows by place are taken, so every class contributes in
 * proportion to its size (within about one row) and the first row of every class (place 0) comes before any
 * second row, which keeps each class present whenever `rows` is at least the number of classes. Uniform: the first
 * `rows` rows by key. Only rows with a target are sampled.
 *
 * @example
 * sampleSelectSql('S', 'T', ['A', 'Y'], { rows: 1000, target: 'Y', stratified: true });
 */
export function sampleSelectSql(
  schema: string,
  table: string,
  columns: readonly string[],
  sample: ExportSample,
): string {
  const cols = columns.map((c) => quoteIdentifier(c)).join(', ');
  const hash = quoteIdentifier(freeName('SME_SAMPLE_HASH', columns));
  const place = quoteIdentifier(freeName('SME_SAMPLE_PLACE', columns));
  const target = quoteIdentifier(sample.target);
  // Exasol reads NULL as '' in ||, DuckDB as NULL: the CASE makes every part non-NULL in both.
  const content = columns
    .map((c) => {
      const q = quoteIdentifier(c);
      return 'CASE WHEN ' + q + " IS NULL THEN 'N' ELSE 'V' || CAST(" + q + ' AS VARCHAR(2000000)) END';
    })
    .join(" || '|' || ");
  const hashed =
    'SELECT ' +
    cols +
    ', HASH_MD5(' +
    content +
    ') AS ' +
    hash +
    ' FROM ' +
    qualifiedName(schema, table) +
    ' WHERE ' +
    target +
    ' IS NOT NULL';
  const limit = ' LIMIT ' + formatInteger(sample.rows);
  if (!sample.stratified) {
    return 'SELECT ' + cols + ' FROM (' + hashed + ') "SME_SAMPLE_ROWS" ORDER BY ' + hash + ', ' + cols + limit;
  }
  const ranked =
    'SELECT ' +
    cols +
    ', ' +
    hash +
    ', (ROW_NUMBER() OVER (PARTITION BY ' +
    target +
    ' ORDER BY ' +
    hash +
    ', ' +
    cols +
    ') - 1) / CAST(COUNT(*) OVER (PARTITION BY ' +
    target +
    ') AS DOUBLE) AS ' +
    place +
    ' FROM (' +
    hashed +
    ') "SME_SAMPLE_ROWS"';
  return (
    'SELECT ' +
    cols +
    ' FROM (' +
    ranked +
    ') "SME_SAMPLE_RANKED" ORDER BY ' +
    place +
    ', ' +
    hash +
    ', ' +
    cols +
    limit
  );
}

/**
 * `EXPORT (SELECT <columns in order> FROM t) INTO CSV AT <connection> FILE '<key>' … [WITH COLUMN NAMES]`, or with
 * `sample` the SELECT of `sampleSelectSql`. File names are keys relative to the CONNECTION's bucket.
 *
 * @example
 * exportToS3Sql({ schema: 'S', table: 'T', columns: ['A', 'B'], connection: 'AWS', fileKeys: ['p/job/input/part-001.csv'] });
 */
export function exportToS3Sql(options: {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly connection: string;
  readonly fileKeys: readonly string[];
  readonly sample?: ExportSample;
  /** Default true (Autopilot's training data has a header); false for batch transform input, which has none. */
  readonly withColumnNames?: boolean;
}): string {
  if (options.columns.length === 0 || options.fileKeys.length === 0) {
    throw coreError('SME-E-ARGUMENT', 'an export needs at least one column and one file', { key: 'columns' });
  }
  const select =
    options.sample === undefined
      ? 'SELECT ' +
        options.columns.map((c) => quoteIdentifier(c)).join(', ') +
        ' FROM ' +
        qualifiedName(options.schema, options.table)
      : sampleSelectSql(options.schema, options.table, options.columns, options.sample);
  const files = options.fileKeys.map((k) => 'FILE ' + quoteLiteral(k)).join(' ');
  return (
    'EXPORT (' +
    select +
    ') INTO CSV AT ' +
    quoteIdentifier(options.connection) +
    ' ' +
    files +
    " ENCODING = 'UTF-8'" +
    (options.withColumnNames === false ? '' : ' WITH COLUMN NAMES')
  );
}

/** `SELECT <all metadata columns> FROM … [WHERE UPPER(JOB_NAME) = UPPER('<job>')] ORDER BY "DATETIME" DESC`. */
export function selectJobsSql(schema: string, jobName?: string): string {
  const columns = METADATA_COLUMNS.map((c) => quoteIdentifier(c.name)).join(', ');
  const where = jobName === undefined ? '' : ' WHERE ' + jobNameMatch(jobName);
  return 'SELECT ' + columns + ' FROM ' + qualifiedName(schema, METADATA_TABLE) + where + ' ORDER BY "DATETIME" DESC';
}

/** Job names are unique per AWS account regardless of case, so sme compares them upper-cased. */
function jobNameMatch(jobName: string): string {
  return 'UPPER("JOB_NAME") = UPPER(' + quoteLiteral(jobName) + ')';
}

/** `SELECT COUNT(*) … WHERE UPPER(JOB_NAME) = UPPER('<job>')`: is the name taken? */
export function jobNameCountSql(schema: string, jobName: string): string {
  return 'SELECT COUNT(*) AS "JOBS" FROM ' + qualifiedName(schema, METADATA_TABLE) + ' WHERE ' + jobNameMatch(jobName);
}

/**
 * INSERT of one metadata row; `values` maps column name to value, columns not given are left out (NULL).
 * Throws `SME-E-ARGUMENT` for a column the table does not have.
 */
export function insertJobSql(schema: string, values: Readonly<Record<string, SqlLiteralValue>>): string {
  const names: string[] = [];
  const literals: string[] = [];
  for (const column of METADATA_COLUMNS) {
    const value = values[column.name];
    if (value !== undefined) {
      names.push(quoteIdentifier(column.name));
      literals.push(sqlLiteral(value));
    }
  }
  checkColumns(values);
  return (
    'INSERT INTO ' +
    qualifiedName(schema, METADATA_TABLE) +
    ' (' +
    names.join(', ') +
    ') VALUES (' +
    literals.join(', ') +
    ')'
  );
}

/** UPDATE of one job's row, setting the given columns (catalog order). */
export function updateJobSql(
  schema: string,
  jobName: string,
  values: Readonly<Record<string, SqlLiteralValue>>,
): string {
  checkColumns(values);
  const sets: string[] = [];
  for (const column of METADATA_COLUMNS) {
    const value = values[column.name];
    if (value !== undefined) sets.push(quoteIdentifier(column.name) + ' = ' + sqlLiteral(value));
  }
  if (sets.length === 0) throw coreError('SME-E-ARGUMENT', 'an update needs at least one column', { key: 'values' });
  return (
    'UPDATE ' + qualifiedName(schema, METADATA_TABLE) + ' SET ' + sets.join(', ') + ' WHERE ' + jobNameMatch(jobName)
  );
}

function checkColumns(values: Readonly<Record<string, SqlLiteralValue>>): void {
  for (const name of Object.keys(values)) {
    if (!METADATA_COLUMNS.some((c) => c.name === name)) {
      throw coreError('SME-E-ARGUMENT', 'the metadata table has no column ' + describeValue(name), {
        key: 'values',
        value: describeValue(name),
      });
    }
  }
}
