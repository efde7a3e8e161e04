import type { SmeError } from '@sme/core';
import type { Argv } from 'yargs';
import { cliError } from '../cli-error-codes.js';

/**
 * A command line yargs parsed but sme refuses (`SME-E-CLI-USAGE`, exit 2): `message` says what is wrong with which
 * flag, `remedy` what to type instead. Thrown from a yargs `.check`, it is printed as it is.
 */
export function usageError(
  message: string,
  remedy: string,
  flag?: string,
  value?: string | number | boolean,
): SmeError {
  return cliError('SME-E-CLI-USAGE', message, {
    ...(flag === undefined ? {} : { key: `--${flag}` }),
    ...(value === undefined ? {} : { value: String(value).slice(0, 80) }),
    remedy,
  });
}

/**
 * Checks a whole-number flag: at least `min`, at most `max` when given; an absent flag passes.
 *
 * @throws SmeError `SME-E-CLI-USAGE` naming the flag and the value received.
 */
export function checkWholeNumber(flag: string, value: number | undefined, min: number, max?: number): void {
  if (value === undefined) return;
  if (Number.isInteger(value) && value >= min && (max === undefined || value <= max)) {
    return;
  }
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
  throw usageError(
    `--${flag} must be a whole number ${range}; received ${String(value)}`,
    `Give --${flag} a whole number ${range}, e.g. --${flag} ${String(max ?? min)}.`,
    flag,
    value,
  );
}

/** The most seconds between two polls. */
const MAX_POLL_SECONDS = 3600;

/**
 * `--poll-interval SECONDS` (default 5) of the commands that follow a job or endpoint, checked to be more than 0 and at
 * most an hour.
 */
export function withPollInterval<T>(
  yargs: Argv<T>,
  describe: string,
  group?: string,
): Argv<T & { readonly pollInterval: number }> {
  return yargs
    .option('poll-interval', { type: 'number', default: 5, describe, ...(group === undefined ? {} : { group }) })
    .check((argv) => {
      const seconds = argv['poll-interval'];
      if (!(seconds > 0 && seconds <= MAX_POLL_SECONDS)) {
        throw usageError(
          `--poll-interval must be more than 0 and at most ${MAX_POLL_SECONDS} seconds; received ${String(seconds)}`,
          'Give --poll-interval the seconds between polls, e.g. --poll-interval 5.',
          'poll-interval',
          seconds,
        );
      }
      return true;
    }) as unknown as Argv<T & { readonly pollInterval: number }>;
}
