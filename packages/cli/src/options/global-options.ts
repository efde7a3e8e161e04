import type { Argv } from 'yargs';

export interface GlobalArgs {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly config?: string;
}

/** `--json`, `--verbose`, `--config`: on every command. */
export function withGlobalOptions<T>(yargs: Argv<T>): Argv<T & GlobalArgs> {
  return yargs
    .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document instead of text' })
    .option('verbose', { type: 'boolean', default: false, describe: 'Print stack traces of errors (never secrets)' })
    .option('config', {
      type: 'string',
      describe: 'JSON file with option values (keys are the long flag names); also $SME_CONFIG',
    });
}
