/**
 * Groups prediction rows into InvokeEndpoint requests by row count and body size, and pairs each answer line
 * with its input row. Synchronous because the Lua UDF calling it is.
 */
import { coreError } from '../error-codes.js';
import type { SqlValue } from '../ports/sql-port.js';
import { formatInteger } from '../text.js';
import type { ColumnType } from './column-types.js';
import { encodeCsvRow, parseCsv, utf8Length } from './csv.js';

/** SageMaker's documented InvokeEndpoint body limit is 6 MB; the API model says 5 MiB. Stay below both. */
export const MAX_INVOKE_BYTES = 5 * 1024 * 1024 - 1024;

/** The most rows a request may be configured to carry. */
export const MAX_BATCH_ROWS = 100000;

/**
 * Rows per request unless configured (the Python original sent 100): as many as the body limit allows, so that a
 * request is sized by {@link MAX_INVOKE_BYTES}, not by a row count. Each request pays the endpoint's round trip once,
 * so fewer, fuller requests score more rows per second; the row bound only guards against a model that slows down
 * with very many small rows (SageMaker gives one invocation 60 s).
 */
export const DEFAULT_BATCH_ROWS = MAX_BATCH_ROWS;

export interface BatchLimits {
  /** Most rows per request (≥ 1). */
  readonly maxRows: number;
  /** Most body bytes per request (≥ 1, at most {@link MAX_INVOKE_BYTES}). */
  readonly maxBytes: number;
}

/** One answer line: `predicted_label[,probability]`. */
export interface Prediction {
  readonly label: string;
  readonly probability?: number;
}

/**
 * Reads an InvokeEndpoint CSV answer; `expected` rows must come back. Throws `SME-E-PREDICT-RESPONSE` otherwise.
 *
 * @example
 * parsePredictions('yes,0.9\nno,0.75\n', 2); // [{ label: 'yes', probability: 0.9 }, { label: 'no', probability: 0.75 }]
 */
export function parsePredictions(body: string, expected: number): Prediction[] {
  const records = parseCsv(body);
  if (records.length !== expected) {
    throw coreError(
      'SME-E-PREDICT-RESPONSE',
      'the endpoint answered ' + formatInteger(records.length) + ' rows for ' + formatInteger(expected) + ' input rows',
      { key: 'InvokeEndpoint', value: formatInteger(records.length) },
    );
  }
  const out: Prediction[] = [];
  for (const record of records) {
    const label = record[0] ?? '';
    const probabilityText = record[1];
    if (probabilityText === undefined || probabilityText === '') {
      out.push({ label });
    } else {
      const probability = Number(probabilityText);
      out.push(probability === probability ? { label, probability } : { label });
    }
  }
  return out;
}

/** Counters of a batcher, for tests and benchmarks. */
export interface BatchStats {
  requests: number;
  rows: number;
  largestBody: number;
}

/**
 * Collects rows, sends a request whenever the next row would exceed a limit, and emits each input row with
 * its prediction, in input order.
 *
 * @example
 * const b = new PredictionBatcher({ maxRows: 100, maxBytes: MAX_INVOKE_BYTES }, types, invoke, emit);
 * for (const row of rows) b.add(row);
 * b.flush();
 */
export class PredictionBatcher {
  readonly stats: BatchStats = { requests: 0, rows: 0, largestBody: 0 };
  private lines: string[] = [];
  private rows: (readonly (SqlValue | undefined)[])[] = [];
  private bytes = 0;

  constructor(
    private readonly limits: BatchLimits,
    private readonly types: readonly ColumnType[],
    private readonly invoke: (body: string) => string,
    private readonly emit: (row: readonly (SqlValue | undefined)[], prediction: Prediction) => void,
  ) {
    if (!(limits.maxRows >= 1) || !(limits.maxBytes >= 1) || limits.maxBytes > MAX_INVOKE_BYTES) {
      throw coreError('SME-E-ARGUMENT', 'batch limits must be at least 1 row and 1 to 5 MiB', { key: 'limits' });
    }
  }

  add(row: readonly (SqlValue | undefined)[]): void {
    const line = encodeCsvRow(row, this.types) + '\n';
    const size = utf8Length(line);
    if (size > this.limits.maxBytes) {
      throw coreError(
        'SME-E-PREDICT-ROW-TOO-LARGE',
        'one row is ' +
          formatInteger(size) +
          ' bytes as CSV; a request may carry ' +
          formatInteger(this.limits.maxBytes),
        { key: 'row', value: formatInteger(size) },
      );
    }
    if (this.lines.length >= this.limits.maxRows || this.bytes + size > this.limits.maxBytes) this.flush();
    this.lines.push(line);
    this.rows.push(row);
    this.bytes += size;
  }

  flush(): void {
    if (this.lines.length === 0) return;
    const body = this.lines.join('');
    const rows = this.rows;
    this.stats.requests += 1;
    this.stats.rows += rows.length;
    if (this.bytes > this.stats.largestBody) this.stats.largestBody = this.bytes;
    this.lines = [];
    this.rows = [];
    this.bytes = 0;
    const predictions = parsePredictions(this.invoke(body), rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const prediction = predictions[i];
      if (row !== undefined && prediction !== undefined) this.emit(row, prediction);
    }
  }
}
