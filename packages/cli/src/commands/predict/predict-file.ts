import {
  encodeCsvRow,
  DEFAULT_BATCH_ROWS,
  MAX_INVOKE_BYTES,
  parseColumnType,
  parseCsv,
  parsePredictions,
  SmeError,
  utf8Length,
  coreError,
  type Prediction,
} from '@sme/core';
import { cliError } from '../../cli-error-codes.js';

/** A local file's rows: column names (from the header, else C1…Cn) and text values. */
export interface CsvTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Reads a local CSV file's text (RFC 4180, as the core parses it). An empty field stands for NULL and is sent as
 * an empty field, which is how the endpoint reads a missing value.
 *
 * @throws SmeError `SME-E-CLI-PREDICT-FILE` for a file without data rows or with rows of differing width.
 */
export function readCsvTable(text: string, header: boolean, file: string): CsvTable {
  const records = parseCsv(text.startsWith('\ufeff') ? text.slice(1) : text);
  const first = records[0];
  const rows = header ? records.slice(1) : records;
  if (first === undefined || rows.length === 0) throw fileError(file, 'holds no data rows');
  const width = first.length;
  const bad = rows.findIndex((r) => r.length !== width);
  if (bad >= 0) {
    throw fileError(
      file,
      `has ${String(rows[bad]?.length)} fields on data row ${String(bad + 1)}, but ${String(width)} on the first line`,
    );
  }
  const columns = header ? first : first.map((_, i) => `C${String(i + 1)}`);
  return { columns, rows };
}

function fileError(file: string, what: string): SmeError {
  return cliError('SME-E-CLI-PREDICT-FILE', `--file '${file}' ${what}`, {
    key: 'file',
    value: file.slice(0, 120),
    remedy: 'Give a CSV file whose rows hold the feature columns in training order (a header line unless --no-header).',
  });
}

/**
 * Groups rows into InvokeEndpoint bodies by row count and size, encoding them as the prediction UDF does (the
 * core's CSV): the same limits, so a file and a table predict in the same requests.
 *
 * @throws SmeError `SME-E-PREDICT-ROW-TOO-LARGE` for a row that alone exceeds `maxBytes`.
 */
export function csvBatches(
  rows: readonly (readonly string[])[],
  limits: { readonly maxRows: number; readonly maxBytes: number } = {
    maxRows: DEFAULT_BATCH_ROWS,
    maxBytes: MAX_INVOKE_BYTES,
  },
): { readonly body: string; readonly rows: number }[] {
  const width = rows[0]?.length ?? 0;
  const types = Array.from({ length: width }, () => parseColumnType('VARCHAR(2000000)'));
  const batches: { body: string; rows: number }[] = [];
  let lines: string[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (lines.length > 0) batches.push({ body: lines.join(''), rows: lines.length });
    lines = [];
    bytes = 0;
  };
  for (const row of rows) {
    const line =
      encodeCsvRow(
        row.map((v) => (v === '' ? null : v)),
        types,
      ) + '\n';
    const size = utf8Length(line);
    if (size > limits.maxBytes) {
      throw coreError(
        'SME-E-PREDICT-ROW-TOO-LARGE',
        `one row is ${String(size)} bytes as CSV; a request may carry ${String(limits.maxBytes)}`,
        { key: 'row', value: String(size) },
      );
    }
    if (lines.length >= limits.maxRows || bytes + size > limits.maxBytes) flush();
    lines.push(line);
    bytes += size;
  }
  flush();
  return batches;
}

/**
 * Predicts every row: one InvokeEndpoint per batch, in order (the answers pair with the rows line by line).
 *
 * @throws SmeError `SME-E-PREDICT-RESPONSE` when an answer has another number of rows than its request.
 */
export async function predictBatches(
  batches: readonly { readonly body: string; readonly rows: number }[],
  invoke: (body: string) => Promise<string>,
): Promise<Prediction[]> {
  const out: Prediction[] = [];
  for (const batch of batches) out.push(...parsePredictions(await invoke(batch.body), batch.rows));
  return out;
}

/** Which file column feeds each key and each feature, by header name. */
export interface FileColumnMap {
  /** Key columns as the header names them, and their positions in the file. */
  readonly keys: readonly { readonly name: string; readonly index: number }[];
  /** Position in the file of each feature, in training order. */
  readonly features: readonly number[];
}

/**
 * Maps a file's header to the model's features (training order) and the `--key` columns: by name, exactly or else
 * ignoring case, so a reordered file predicts the same. Every header name must be a feature or a key, and every
 * feature and key must be present once.
 *
 * @throws SmeError `SME-E-CLI-PREDICT-FILE-COLUMNS` naming the unknown, missing or repeated columns.
 */
export function mapFileColumns(
  header: readonly string[],
  features: readonly string[],
  keys: readonly string[],
  file: string,
): FileColumnMap {
  const find = (name: string): number => {
    const exact = header.indexOf(name);
    if (exact >= 0) return exact;
    const folded = header.map((h) => h.trim().toUpperCase());
    const first = folded.indexOf(name.toUpperCase());
    return first >= 0 && folded.lastIndexOf(name.toUpperCase()) === first ? first : -1;
  };
  const wanted = [...keys, ...features];
  const positions = wanted.map(find);
  const problems: string[] = [];
  const missing = wanted.filter((_, i) => positions[i] === -1);
  if (missing.length > 0) problems.push(`lacks the column(s) ${missing.join(', ')}`);
  const unknown = header.filter((_, i) => !positions.includes(i));
  if (unknown.length > 0)
    problems.push(`has column(s) ${unknown.join(', ')} that are neither features nor --key columns`);
  const repeated = header.filter(
    (h, i) => header.findIndex((o) => o.trim().toUpperCase() === h.trim().toUpperCase()) !== i,
  );
  if (repeated.length > 0) problems.push(`names ${repeated.join(', ')} more than once`);
  if (problems.length > 0) {
    throw cliError('SME-E-CLI-PREDICT-FILE-COLUMNS', `--file '${file}' ${problems.join('; ')}`, {
      key: 'file',
      value: file.slice(0, 120),
      remedy: `Give a header with the model's features ${features.join(', ')}${keys.length > 0 ? ' and the --key columns ' + keys.join(', ') : ''}, in any order (or --key for extra columns to keep).`,
    });
  }
  return {
    keys: keys.map((k, i) => ({ name: header[positions[i] ?? 0] ?? k, index: positions[i] ?? 0 })),
    features: positions.slice(keys.length),
  };
}
