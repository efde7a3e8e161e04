import type { SmeError } from '@sme/core';

/** Where and how a command prints. `--json` switches every command to one JSON document on stdout. */
export interface Output {
  readonly json: boolean;
  /** A human line on stdout (suppressed in JSON mode). */
  line(text: string): void;
  /** Progress or hints on stderr (suppressed in JSON mode and when quiet). */
  note(text: string): void;
  /** The command's result: JSON mode prints it as JSON, human mode calls `human`. */
  result(value: unknown, human: () => void): void;
  error(error: SmeError, verbose: boolean): void;
  unexpected(error: unknown, verbose: boolean): void;
  /** Registers a secret: it is masked in everything printed afterwards. */
  addSecret(secret: string | undefined): void;
}

export interface OutputStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const MASK = '****';

/** Creates the output of one CLI run. Every string printed passes through the secret mask. */
export function createOutput(json: boolean, streams: OutputStreams = process): Output {
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
    line: (text) => {
      if (!json) out(text);
    },
    note: (text) => {
      if (!json) err(text);
    },
    result: (value, human) => {
      if (json) out(JSON.stringify(value, jsonReplacer, 2));
      else human();
    },
    error: (error, verbose) => {
      if (json) {
        out(JSON.stringify({ error: errorToJson(error) }, jsonReplacer, 2));
      } else {
        // Some adapters start their messages with the code already.
        const message = error.message.startsWith(`${error.code}: `)
          ? error.message.slice(error.code.length + 2)
          : error.message;
        err(`error ${error.code}: ${message}`);
        for (const problem of error.details.problems ?? []) {
          // Some messages list their problems already (SME-E-PARAMS): print each one once.
          if (!error.message.includes(problem.message)) err(`  - ${problem.code}: ${problem.message}`);
        }
        if (error.details.remedy) err(`  what to do: ${error.details.remedy}`);
        if (error.details.requestId) err(`  AWS request id: ${error.details.requestId}`);
        if (error.details.sqlCode) err(`  SQL code: ${error.details.sqlCode}`);
      }
      if (verbose && error.stack) err(error.stack);
      else if (!json) err('  (pass --verbose to see the stack trace)');
    },
    unexpected: (error, verbose) => {
      const message = error instanceof Error ? error.message : String(error);
      if (json) out(JSON.stringify({ error: { code: 'SME-E-INTERNAL', message } }, null, 2));
      else err(`error SME-E-INTERNAL: unexpected failure: ${message}`);
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
