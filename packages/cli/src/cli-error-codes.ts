import { SmeError, type SmeErrorDetails, type SmeErrorKind } from '@sme/core';

/** One code of the command line: its kind, exit status, what it means and what the user can do. */
export interface CliErrorCodeInfo {
  /** The kind the error carries; `undefined` for a failure that is no `SmeError` at all. */
  readonly kind: SmeErrorKind | undefined;
  /** The exit status `sme` ends with (docs/cli.md lists them). */
  readonly exit: number;
  readonly meaning: string;
  readonly remedy: string;
  /** The code means a bug in sme, not something a user set up wrong. */
  readonly internal?: boolean;
}

/**
 * The codes `sme` raises itself; errors of the use cases and adapters keep their own codes. docs/errors.md is
 * generated from this catalog and the others (`npm run error-docs:write`); a test keeps it equal to the codes the
 * sources raise.
 */
export const CLI_ERROR_CODES = {
  'SME-E-CLI-USAGE': {
    kind: 'InvalidInput',
    exit: 2,
    meaning:
      'The command line is wrong: unknown command or flag, missing argument, a value out of its range or choices.',
    remedy: 'Run `sme --help` or `sme <command> --help` for the flags each command takes.',
  },
  'SME-E-CLI-CONFIRM': {
    kind: 'InvalidInput',
    exit: 2,
    meaning:
      'A destructive command (`sme drop`, `sme endpoint delete`, `sme stop`) was not confirmed: no terminal to ask and no `--yes`, or the answer was no. Nothing changed.',
    remedy: 'Pass `--yes` (scripts, CI), or answer `y` on the terminal; `sme drop --dry-run` shows what would go.',
  },
  'SME-E-CLI-CONFIG': {
    kind: 'InvalidInput',
    exit: 2,
    meaning:
      'The config file (`--config`, `SME_CONFIG`) is unreadable, not a JSON object, holds a password, an unknown key or a value of the wrong type.',
    remedy: 'Fix the file as the message says; keep secrets in `SME_PASSWORD` or the prompt.',
  },
  'SME-E-CLI-SCHEMA': {
    kind: 'InvalidInput',
    exit: 2,
    meaning: 'The schema (`--schema`, `SME_SCHEMA` or the config file\'s `"schema"`) is not a valid Exasol identifier.',
    remedy: 'Give a name such as `SME`, or a quoted name such as `\'"Ml_Schema"\'`.',
  },
  'SME-E-CLI-CONNECTION': {
    kind: 'InvalidInput',
    exit: 2,
    meaning: '`sme doctor --connection` is not a valid Exasol identifier.',
    remedy: "Give the CONNECTION's name, e.g. `S3_CONN` (quoted for a mixed-case name: `'\"S3_conn\"'`).",
  },
  'SME-E-CLI-TABLE': {
    kind: 'InvalidInput',
    exit: 2,
    meaning: '`--table` is not `SCHEMA.TABLE`.',
    remedy: 'Name the schema and the table or view, e.g. `--table SALES.CUSTOMERS`.',
  },
  'SME-E-CLI-PARAMS-FILE': {
    kind: 'InvalidInput',
    exit: 2,
    meaning: 'The `--params` file is unreadable, not JSON, or not a JSON object.',
    remedy: 'Give a file holding one JSON object with the keys of the training parameters (docs/cli.md, sme train).',
  },
  'SME-E-CLI-CA-FILE': {
    kind: 'InvalidInput',
    exit: 2,
    meaning: 'The `sme deploy --aws-ca-file` or `sme endpoint deploy --udf-aws-ca-file` file cannot be read.',
    remedy: 'Pass an existing PEM file of CA certificates.',
  },
  'SME-E-CLI-PREDICT-FILE': {
    kind: 'InvalidInput',
    exit: 2,
    meaning:
      'The `sme predict --file` CSV cannot be read, has no data rows, or its rows have different numbers of fields.',
    remedy: 'Give a CSV file of feature rows (header first unless `--no-header`), all with the same number of fields.',
  },
  'SME-E-CLI-PREDICT-COLUMNS': {
    kind: 'InvalidInput',
    exit: 2,
    meaning: 'The `sme predict --table` table lacks some of the feature columns the model was trained on.',
    remedy: 'Predict on a table or view that has every training column except the target (see `sme describe <job>`).',
  },
  'SME-E-CLI-PREDICT-FILE-COLUMNS': {
    kind: 'InvalidInput',
    exit: 2,
    meaning:
      'The `sme predict --file` header does not match the model: a column that is neither a feature nor a `--key` column, a missing feature or key, or a name given twice.',
    remedy:
      "Name the model's features (any order, case ignored) and the `--key` columns in the header; `sme describe <job>` shows the training columns.",
  },
  'SME-E-CLI-PREDICT-KEYS': {
    kind: 'InvalidInput',
    exit: 2,
    meaning:
      "`sme predict --table --key` names other key columns than the endpoint's prediction UDF was deployed with (its parameters are fixed at deploy time).",
    remedy:
      'Leave out `--key` (the recorded keys are passed), or deploy the endpoint again with `sme endpoint deploy … --key`.',
  },
  'SME-E-CLI-DEMO-NOT-INSTALLED': {
    kind: 'Precondition',
    exit: 2,
    meaning:
      '`sme demo` needs the package `@sme/demo` (it brings the sandbox, an embedded DuckDB), which is not installed beside the cli.',
    remedy:
      '`npm install @sme/demo` where `@sme/cli` is installed (`-g` beside a global `sme`); in a clone of the repository `npm ci && npm run demo`.',
  },
  'SME-E-INTERNAL': {
    kind: undefined,
    exit: 1,
    meaning: 'Something failed that sme does not expect (a bug).',
    remedy: 'Run again with `--verbose` and report the stack trace.',
    internal: true,
  },
} as const satisfies Readonly<Record<string, CliErrorCodeInfo>>;

export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

/** The codes of errors `sme` raises as `SmeError`s (`SME-E-INTERNAL` is a failure that is none). */
export type CliSmeErrorCode = Exclude<CliErrorCode, 'SME-E-INTERNAL'>;

/**
 * Builds an `SmeError` of a catalogued code of the command line; the remedy defaults to the catalog's, a more precise
 * one (naming the flag the user typed) may be given.
 *
 * @example throw cliError('SME-E-CLI-TABLE', "--table 'SALES' must be SCHEMA.TABLE", { key: 'table', value: 'SALES' });
 */
export function cliError(
  code: CliSmeErrorCode,
  message: string,
  details: SmeErrorDetails = {},
  cause?: unknown,
): SmeError {
  const info = CLI_ERROR_CODES[code];
  const full: SmeErrorDetails = details.remedy === undefined ? { ...details, remedy: info.remedy } : details;
  return new SmeError(code, info.kind, message, full, cause);
}
