import type { SmeError, SmeErrorKind } from '@sme/core';
import {
  colourEnabled,
  csvText,
  jsonDocument,
  normaliseJson,
  paint,
  tableLines,
  type OutputFormat,
  type Paint,
  type View,
} from './view.js';

/**
 * Where and how a command prints. `--output json` (or `--json`) switches every command to one JSON document on
 * stdout; `--output csv` prints the listing and record commands' views as CSV (human lines are left out).
 */
export interface Output {
  readonly json: boolean;
  readonly format: OutputFormat;
  /** Colours for status words and errors (no-ops when colour is off). */
  readonly colours: Paint;
  /** A listing or record: a table (headers, short metrics, local times), JSON or CSV (full precision, ISO UTC). */
  show(view: View, afterTable?: () => void): void;
  /** A human line on stdout (suppressed in JSON mode). */
  line(text: string): void;
  /** Progress or hints on stderr (suppressed in JSON mode and when quiet). */
  note(text: string): void;
  /** The command's result: JSON mode prints it as JSON (times ISO-8601 UTC, numbers as numbers), else `human`. */
  result(value: unknown, human: () => void): void;
  error(error: SmeError, verbose: boolean): void;
  unexpected(error: unknown, verbose: boolean): void;
  /** Registers a secret: it is masked in everything printed afterwards. */
  addSecret(secret: string | undefined): void;
}

export interface OutputStreams {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

/** How an output prints: `json: true` is `format: 'json'`; colour follows NO_COLOR / FORCE_COLOR / the terminal. */
export interface OutputOptions {
  readonly format?: OutputFormat;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const MASK = '****';

/** Error kinds that mean the input was refused as given (a flag, a value, a name). */
const USER_INPUT_KINDS: ReadonlySet<SmeErrorKind> = new Set(['InvalidInput', 'Validation']);

/** Creates the output of one CLI run. Every string printed passes through the secret mask. */
export function createOutput(how: boolean | OutputOptions, streams: OutputStreams = process): Output {
  const options: OutputOptions = typeof how === 'boolean' ? { format: how ? 'json' : 'table' } : how;
  const format = options.format ?? 'table';
  const json = format === 'json';
  const env = options.env ?? (streams === process ? process.env : {});
  const colours = paint(colourEnabled(env, streams.stdout.isTTY));
  const errColours = paint(colourEnabled(env, streams.stderr.isTTY));
  const secrets: string[] = [];
  const mask = (text: string): string => {
    let masked = text;
    for (const secret of secrets) masked = masked.split(secret).join(MASK);
    return masked;
  };
  const out = (text: string): void => void streams.stdout.write(mask(text) + '\n');
  const err = (text: string): void => void streams.stderr.write(mask(text) + '\n');

  return {
    json,
    format,
    colours,
    show: (view, afterTable) => {
      if (format === 'json') out(JSON.stringify(jsonDocument(view), jsonReplacer, 2));
      else if (format === 'csv') void streams.stdout.write(mask(csvText(view)));
      else {
        for (const text of tableLines(view, colours)) out(text);
        afterTable?.();
      }
    },
    line: (text) => {
      if (format === 'table') out(text);
    },
    note: (text) => {
      if (!json) err(text);
    },
    result: (value, human) => {
      // The same field formats as the views: times (by field name) ISO-8601 UTC, numeric fields JSON numbers.
      if (json) out(JSON.stringify(normaliseJson(value), jsonReplacer, 2));
      else human();
    },
    error: (error, verbose) => {
      if (json) {
        out(JSON.stringify({ error: errorToJson(error) }, jsonReplacer, 2));
      } else {
        // Messages never start with their code (catalog factories keep code and remedy beside the message).
        err(`${errColours.red(`error ${error.code}`)}: ${error.message}`);
        for (const problem of error.details.problems ?? []) {
          // Some messages list their problems already (SME-E-PARAMS): print each one once.
          if (!error.message.includes(problem.message)) err(`  - ${problem.code}: ${problem.message}`);
        }
        if (error.details.remedy) err(`  what to do: ${error.details.remedy}`);
        if (error.details.requestId) err(`  AWS request id: ${error.details.requestId}`);
        if (error.details.sqlCode) err(`  SQL code: ${error.details.sqlCode}`);
      }
      if (verbose && error.stack) err(error.stack);
      // A refused input is the user's to fix: a stack trace would not help them, so no hint to ask for one.
      else if (!json && !USER_INPUT_KINDS.has(error.kind)) err('  (pass --verbose to see the stack trace)');
    },
    unexpected: (error, verbose) => {
      const message = error instanceof Error ? error.message : String(error);
      if (json) out(JSON.stringify({ error: { code: 'SME-E-INTERNAL', message } }, null, 2));
      else err(`${errColours.red('error SME-E-INTERNAL')}: unexpected failure: ${message}`);
      if (verbose && error instanceof Error && error.stack) err(error.stack);
      else if (!json) err('  (pass --verbose to see the stack trace; please report this as a bug)');
    },
    addSecret: (secret) => {
      if (secret && secret.length >= 4 && !secrets.includes(secret)) secrets.push(secret);
    },
  };
}

function errorToJson(error: SmeError): Record<string, unknown> {
  const { problems, ...details } = error.details;
  return {
    code: error.code,
    kind: error.kind,
    message: error.message,
    ...details,
    ...(problems ? { problems: problems.map(errorToJson) } : {}),
  };
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
