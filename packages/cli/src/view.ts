import { stringify } from 'csv-stringify/sync';
import { createColors } from 'picocolors';

/** How a listing or record command prints its result (`--output`; `--json` is `--output json`). */
export type OutputFormat = 'table' | 'json' | 'csv';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

/**
 * What a column holds, and so how each format shows it:
 * - `metric`: 4 significant digits in tables, full precision in json/csv;
 * - `time`: local `YYYY-MM-DD HH:MM:SS` in tables, ISO-8601 UTC in json/csv (input: epoch ms, a `Date`, an
 *   ISO string or Exasol's `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC);
 * - `duration`: milliseconds; `H:MM:SS` in tables, a number in json/csv;
 * - `status`: a status word, coloured in tables on a terminal;
 * - `number`, `text`, `boolean`: as they are.
 */
export type ColumnKind = 'text' | 'number' | 'metric' | 'time' | 'duration' | 'status' | 'boolean';

/** One field of a view: its name is the JSON key and the CSV header; the table header is derived from it. */
export interface Column {
  readonly field: string;
  readonly kind?: ColumnKind;
  /** Table header (default: the field name in upper case words, `jobName` → `JOB NAME`). */
  readonly header?: string;
}

/**
 * A command's result as rows of named fields. `json` and `csv` print the same field names; `record` views have
 * one row (a record command such as `describe`): tables print it as FIELD / VALUE lines.
 */
export interface View {
  readonly columns: readonly Column[];
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  readonly record?: boolean;
  /** The JSON document when it is more than the rows (e.g. `candidates` nests them); normalised like rows. */
  readonly document?: unknown;
}

/** Field names whose values are times wherever they occur in a JSON document. */
const TIME_FIELDS = new Set([
  'creationTime',
  'endTime',
  'lastModifiedTime',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'droppedAt',
  'idleDeadline',
]);
/** Field names whose numeric strings (Exasol DECIMALs) are numbers in a JSON document. */
const NUMBER_FIELDS = new Set(['bestMetricValue', 'objectiveValue', 'value', 'importance', 'instanceCount']);

/** A time value as epoch milliseconds (undefined when it is none). Exasol timestamps without a zone are UTC. */
export function timeMillis(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  const exasol = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(value);
  const millis = Date.parse(exasol ? `${exasol[1] ?? ''}T${(exasol[2] ?? '').slice(0, 12)}Z` : value);
  return Number.isFinite(millis) ? millis : undefined;
}

/** ISO-8601 UTC, as json and csv print times. */
export function isoTime(value: unknown): string | undefined {
  const millis = timeMillis(value);
  return millis === undefined ? undefined : new Date(millis).toISOString();
}

/** Local `YYYY-MM-DD HH:MM:SS`, as tables print times. */
export function localTime(value: unknown): string {
  const millis = timeMillis(value);
  if (millis === undefined) return '';
  const d = new Date(millis);
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${String(d.getFullYear())}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
  );
}

/** A metric for people: 4 significant digits (`0.8755`, `1235`, `0.0001235`). */
export function shortMetric(value: unknown): string {
  const n = toNumber(value);
  return n === undefined ? '' : String(Number(n.toPrecision(4)));
}

/** `H:MM:SS` / `M:SS` of a duration in milliseconds. */
export function elapsedText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${String(h)}:${two(m)}:${two(s)}` : `${String(m)}:${two(s)}`;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** `jobName` → `JOB NAME`. */
export function headerOf(column: Column): string {
  return column.header ?? column.field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toUpperCase();
}

/** A field's value as json prints it (times ISO, numeric strings numbers, undefined left out). */
function jsonValue(kind: ColumnKind | undefined, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  switch (kind) {
    case 'time':
      return isoTime(value) ?? value;
    case 'metric':
    case 'number':
    case 'duration':
      return toNumber(value) ?? value;
    default:
      return typeof value === 'bigint' ? toNumber(value) : value;
  }
}

/** Normalises a JSON document: times (by field name) to ISO-8601 UTC, numeric fields to numbers, bigints to numbers. */
export function normaliseJson(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => normaliseJson(item));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseJson(v, k)]));
  }
  if (TIME_FIELDS.has(key)) return jsonValue('time', value);
  if (NUMBER_FIELDS.has(key)) return jsonValue('number', value);
  return value;
}

/** The rows of a view with each field as json prints it. */
export function jsonRows(view: View): Record<string, unknown>[] {
  return view.rows.map((row) =>
    Object.fromEntries(
      view.columns.map((c) => [c.field, jsonValue(c.kind, row[c.field])] as const).filter(([, v]) => v !== undefined),
    ),
  );
}

/** The JSON document of a view: its own document, else the record or the rows. */
export function jsonDocument(view: View): unknown {
  if (view.document !== undefined) return normaliseJson(view.document);
  const rows = jsonRows(view);
  return view.record === true ? (rows[0] ?? {}) : rows;
}

/** CSV with a header of the field names; values as json prints them (empty when absent). */
export function csvText(view: View): string {
  const cell = (value: unknown): string => (value === undefined || value === null ? '' : plainText(value));
  return stringify(
    view.rows.map((row) => view.columns.map((c) => cell(jsonValue(c.kind, row[c.field])))),
    // A lone carriage return must be quoted too (csv-stringify quotes only the record delimiter, \n), or readers
    // that accept \r\n line ends split the row there.
    { header: true, columns: view.columns.map((c) => c.field), record_delimiter: 'unix', quoted_match: /\r/ },
  );
}

/** Colour for status words and errors: on with FORCE_COLOR (not `0`), off with NO_COLOR, else on a terminal. */
export function colourEnabled(env: Readonly<Record<string, string | undefined>>, isTTY: boolean | undefined): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (force === '0' || force === 'false') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY === true;
}

export type Paint = ReturnType<typeof createColors>;

export function paint(enabled: boolean): Paint {
  return createColors(enabled);
}

/** A status word in its colour: green when done well, red when failed, yellow while in progress or stopped. */
export function colourStatus(colours: Paint, status: string): string {
  if (/^(Completed|InService|pass)$/i.test(status)) return colours.green(status);
  if (/^(Failed|fail)$/i.test(status)) return colours.red(status);
  if (/^(Stopped|Stopping|Deleted|Dropped|warn)$/i.test(status)) return colours.yellow(status);
  if (/^(InProgress|Creating|Updating|Deleting|SystemUpdating|unknown)$/i.test(status)) return colours.cyan(status);
  return status;
}

/** A cell as a table shows it (no colour yet: widths are measured on the plain text). */
function tableCell(kind: ColumnKind | undefined, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (kind) {
    case 'metric':
      return shortMetric(value);
    case 'time':
      return localTime(value);
    case 'duration': {
      const n = toNumber(value);
      return n === undefined ? '' : elapsedText(n);
    }
    default:
      return plainText(value);
  }
}

/** A value as text: objects as JSON, everything else as String() gives it. */
function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** The lines of a table: a header line, then one per row (a record: one FIELD / VALUE line per non-empty field). */
export function tableLines(view: View, colours: Paint = paint(false)): string[] {
  if (view.record === true) {
    const row = view.rows[0] ?? {};
    const cells = view.columns
      .map((c) => [c.field, tableCell(c.kind, row[c.field]), c.kind] as const)
      .filter(([, text]) => text !== '');
    const width = Math.max('FIELD'.length, ...cells.map(([field]) => field.length));
    return [
      `${'FIELD'.padEnd(width)}  VALUE`,
      ...cells.map(
        ([field, text, kind]) => `${field.padEnd(width)}  ${kind === 'status' ? colourStatus(colours, text) : text}`,
      ),
    ];
  }
  const header = view.columns.map(headerOf);
  const rows = view.rows.map((row) => view.columns.map((c) => tableCell(c.kind, row[c.field])));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[], colour: boolean): string =>
    cells
      .map((cell, i) => {
        const padded = cell.padEnd(widths[i] ?? 0);
        return colour && view.columns[i]?.kind === 'status' && cell !== ''
          ? colourStatus(colours, cell) + padded.slice(cell.length)
          : padded;
      })
      .join('  ')
      .trimEnd();
  return [line(header, false), ...rows.map((r) => line(r, true))];
}
