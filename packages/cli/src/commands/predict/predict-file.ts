import {
  encodeCsvRow,
  MAX_INVOKE_BYTES,
  parseColumnType,
  parseCsv,
  parsePredictions,
  SmeError,
  utf8Length,
  coreError,
  type Prediction,
} from '@sme/core';

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
  return new SmeError('SME-E-CLI-PREDICT-FILE', 'InvalidInput', `--file '${file}' ${what}`, {
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
  limits: { readonly maxRows: number; readonly maxBytes: number } = { maxRows: 500, maxBytes: MAX_INVOKE_BYTES },
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
