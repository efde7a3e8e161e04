import type { Argv } from 'yargs';
import { usageError } from './usage-checks.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../view.js';

/** `--output table|json|csv` of the listing and record commands. */
export interface OutputFormatArgs {
  readonly output?: OutputFormat;
}

/**
 * Adds `--output table|json|csv` (case-insensitive). `--json` stays the alias of `--output json`; the two may
 * not disagree. `fileFlag`: the command's flag that writes to a file, named when `--output` is given a file name.
 */
export function withOutputFormat<T>(yargs: Argv<T>, fileFlag?: string): Argv<T & OutputFormatArgs> {
  return yargs
    .option('output', {
      alias: 'o',
      type: 'string',
      choices: OUTPUT_FORMATS,
      coerce: (value: string | undefined) => {
        const format = value?.toLowerCase();
        // `--output rows.csv` meant a file before --output named a format: say where the file name goes now.
        if (format !== undefined && fileFlag !== undefined && !(OUTPUT_FORMATS as readonly string[]).includes(format))
          throw usageError(
            `--output takes table, json or csv, not a file name: ${value ?? ''}`,
            `To write the rows to a file give --${fileFlag} ${value ?? ''}.`,
            'output',
            value,
          );
        return format;
      },
      describe:
        'table, json (as --json) or csv: the same field names in each (default: table on a terminal, csv when piped)',
    })
    .check((argv) => {
      const output = (argv as { output?: string }).output;
      if ((argv as { json?: boolean }).json === true && output !== undefined && output !== 'json')
        throw usageError(
          `--json and --output ${output} disagree`,
          `Give one of them: --output ${output}, or --json (the same as --output json).`,
          'output',
          output,
        );
      return true;
    }) as unknown as Argv<T & OutputFormatArgs>;
}

/**
 * The format a run prints in: `--output`, else `--json`, else a table on a terminal and CSV when stdout is piped
 * or redirected (a table is for reading: 4-digit metrics and local times; what a program reads keeps full
 * precision and UTC, one line per row, with a header).
 */
export function outputFormatOf(
  args: { readonly json: boolean; readonly output?: unknown },
  stdoutIsTTY: boolean | undefined,
): OutputFormat {
  const output = typeof args.output === 'string' ? args.output.toLowerCase() : undefined;
  if (output !== undefined && (OUTPUT_FORMATS as readonly string[]).includes(output)) return output as OutputFormat;
  if (args.json) return 'json';
  return stdoutIsTTY === true ? 'table' : 'csv';
}
