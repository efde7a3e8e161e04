import type { Argv } from 'yargs';
import { OUTPUT_FORMATS, type OutputFormat } from '../view.js';

/** `--output table|json|csv` of the listing and record commands. */
export interface OutputFormatArgs {
  readonly output?: OutputFormat;
}

/**
 * Adds `--output table|json|csv` (case-insensitive). `--json` stays the alias of `--output json`; the two may
 * not disagree.
 */
export function withOutputFormat<T>(yargs: Argv<T>): Argv<T & OutputFormatArgs> {
  return yargs
    .option('output', {
      alias: 'o',
      type: 'string',
      choices: OUTPUT_FORMATS,
      coerce: (value: string | undefined) => value?.toLowerCase(),
      describe: 'table (default), json (as --json) or csv: the same field names in each',
    })
    .check((argv) => {
      const output = (argv as { output?: string }).output;
      if ((argv as { json?: boolean }).json === true && output !== undefined && output !== 'json')
        throw new Error(`--json and --output ${output} disagree: give one of them`);
      return true;
    }) as unknown as Argv<T & OutputFormatArgs>;
}

/** The format a run prints in: `--output`, else `--json`, else a table. */
export function outputFormatOf(args: { readonly json: boolean; readonly output?: unknown }): OutputFormat {
  const output = typeof args.output === 'string' ? args.output.toLowerCase() : undefined;
  if (output !== undefined && (OUTPUT_FORMATS as readonly string[]).includes(output)) return output as OutputFormat;
  return args.json ? 'json' : 'table';
}
