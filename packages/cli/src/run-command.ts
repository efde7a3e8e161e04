import type { GlobalArgs } from './options/global-options.js';
import { createOutput, type Output } from './output.js';
import { handleErrors } from './handle-errors.js';
import type { ExitCodeValue } from './exit-codes.js';
import { isSmeError } from '@sme/core';
import { withFlagNames } from './options/forgiving.js';
import { outputFormatOf } from './options/output-options.js';

/** A command's implementation module, loaded only when the command runs (keeps `sme --help` fast). */
export interface CommandImpl<A> {
  run(args: A, output: Output): Promise<ExitCodeValue>;
}

/**
 * Loads a command lazily, runs it through `handleErrors` and records the exit code. Only this layer sets
 * the process's exit code. `formats`: the command takes `--output table|json|csv`; `flagNames`: errors about these
 * JSON keys name the flags instead (key → `--flag`).
 */
export async function runCommand<A extends GlobalArgs>(
  args: A,
  load: () => Promise<CommandImpl<A>>,
  options: { readonly formats?: boolean; readonly flagNames?: Readonly<Record<string, string>> } = {},
): Promise<void> {
  // Only the commands with `--output table|json|csv` read it (for `sme predict`, `--output` is a file).
  const format = options.formats === true ? outputFormatOf(args, process.stdout.isTTY) : undefined;
  const output = createOutput({ format: format ?? (args.json ? 'json' : 'table') });
  const code = await handleErrors(output, args.verbose, async () => {
    const impl = await load();
    try {
      return await impl.run(args, output);
    } catch (error: unknown) {
      if (options.flagNames !== undefined && isSmeError(error)) throw withFlagNames(error, options.flagNames);
      throw error;
    }
  });
  process.exitCode = code;
}
