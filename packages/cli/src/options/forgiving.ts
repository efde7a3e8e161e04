import { SmeError, summariseParamProblems } from '@sme/core';

/** A name folded for comparison: case, `-`, `_` and spaces do not count (`in-progress` is `InProgress`). */
function fold(text: string): string {
  return text.replace(/[-_\s]/g, '').toLowerCase();
}

/**
 * A yargs `coerce` for an enumeration: any spelling that folds to a valid value becomes its canonical spelling;
 * anything else is kept, so that yargs' `choices` refuses it and lists the valid values.
 *
 * @example
 * .option('status', { choices: STATUSES, coerce: canonicalChoice(STATUSES) }) // --status inprogress → InProgress
 */
export function canonicalChoice(choices: readonly string[]): (value: string) => string {
  return (value) => choices.find((choice) => fold(choice) === fold(value)) ?? value;
}

/** Edit distance with transpositions (`modle` is one edit from `model`); small inputs: flag and command names. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] ?? [])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The known name closest to `word` (a prefix, or at most a third of its letters off), if any. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const n = name.toLowerCase();
    const distance = n.startsWith(w) && w.length >= 3 ? 0.5 : editDistance(w, n);
    if (distance <= Math.max(1, Math.floor(n.length / 3)) && (best === undefined || distance < best.distance))
      best = { name, distance };
  }
  return best?.name;
}

/** yargs' camel-case twins of dashed flags (`pollInterval` of `poll-interval`) are no flags of their own. */
function flagNames(keys: readonly string[]): string[] {
  return keys.filter((key) => !/[A-Z]/.test(key) && key !== '$0' && key !== '_');
}

/**
 * yargs' "Unknown argument(s): statu, x" with a "did you mean" for each one close to a flag of the command.
 * Other messages are returned unchanged.
 */
export function withFlagSuggestions(message: string, knownFlags: readonly string[]): string {
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  if (match === null) return message;
  const names = flagNames(knownFlags);
  const hints = (match[1] ?? '')
    .split(', ')
    .map((unknown) => {
      const near = closest(unknown.replace(/^-+/, ''), names);
      return near === undefined ? undefined : `--${unknown.replace(/^-+/, '')}: did you mean --${near}?`;
    })
    .filter((hint): hint is string => hint !== undefined);
  return hints.length === 0 ? message : `${message} (${hints.join('; ')})`;
}

/**
 * yargs checks required flags before unknown ones, so `--endpoint-nam x` is answered "Missing required argument:
 * endpoint-name" alone; this adds the "did you mean" for each flag of `argv` the command does not know. Messages
 * other than a missing argument are returned unchanged.
 */
export function withMistypedFlags(message: string, argv: readonly string[], knownFlags: readonly string[]): string {
  if (!/^Missing required arguments?: /.test(message)) return message;
  const names = flagNames(knownFlags);
  const hints: string[] = [];
  for (const word of argv) {
    if (!word.startsWith('--')) continue;
    const typed = (word.slice(2).split('=')[0] ?? '').replace(/^no-/, '');
    if (typed === '' || names.includes(typed)) continue;
    const near = closest(typed, names);
    if (near !== undefined) hints.push(`--${typed}: did you mean --${near}?`);
  }
  return hints.length === 0 ? message : `${message} (${hints.join('; ')})`;
}

/**
 * yargs' own "Did you mean" compares against whole command lines (`deploy <job>`) and can name the wrong
 * command, or one far from what was typed; this names the command closest to the first word of `argv` that is no
 * command, or lists the commands when no word is close to one.
 */
export function commandSuggestion(argv: readonly string[], commandLines: readonly string[]): string | undefined {
  const commands = commandLines.map((line) => line.split(' ')[0] ?? line);
  for (const word of argv) {
    if (word.startsWith('-') || commands.includes(word)) continue;
    const near = closest(word, commands);
    if (near !== undefined) return `Unknown command '${word}': did you mean ${near}?`;
  }
  // Nothing typed is close to a command (yargs would still guess one): list them instead of guessing.
  return commands.length === 0 ? undefined : `Unknown command: the commands here are ${commands.join(', ')}.`;
}

/**
 * On the CLI path, an error about a JSON key of the training parameters names the flag the user typed
 * (`--table`, not `input_schema_name`); the SQL path keeps the JSON keys. Keys given in a `--params` file are
 * named as flags too: each flag sets exactly that key.
 */
export function withFlagNames(error: SmeError, keyToFlag: Readonly<Record<string, string>>): SmeError {
  const keys = Object.keys(keyToFlag).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return error;
  const pattern = new RegExp(`(?<![\\w-])(${keys.join('|')})(?![\\w-])`, 'g');
  const rename = (text: string): string => text.replace(pattern, (key) => keyToFlag[key] ?? key);
  const renamed = (e: SmeError): SmeError =>
    new SmeError(
      e.code,
      e.kind,
      rename(e.message),
      {
        ...e.details,
        ...(e.details.key === undefined ? {} : { key: rename(e.details.key) }),
        ...(e.details.remedy === undefined
          ? {}
          : { remedy: rename(e.details.remedy).replace('run the statement again', 'run the command again') }),
        ...(e.details.problems === undefined ? {} : { problems: e.details.problems.map(renamed) }),
      },
      e.cause,
    );
  let result = renamed(error);
  const problems = result.details.problems;
  if (result.code === 'SME-E-PARAMS' && problems !== undefined) {
    // Two keys set by one flag (--table sets the schema and the table) would name the same problem twice.
    const seen = new Set<string>();
    const distinct = problems.filter((p) => {
      const key = `${p.code} ${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (distinct.length < problems.length) result = renamed(summariseParamProblems(distinct));
  }
  if (error.stack !== undefined) result.stack = error.stack;
  return result;
}
