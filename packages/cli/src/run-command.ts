import type { GlobalArgs } from './options/global-options.js';
import { createOutput, type Output } from './output.js';
import { handleErrors } from './handle-errors.js';
import type { ExitCodeValue } from './exit-codes.js';

/** A command's implementation module, loaded only when the command runs (keeps `sme --help` fast). */
export interface CommandImpl<A> {
  run(args: A, output: Output): Promise<ExitCodeValue>;
}

/**
 * Loads a command lazily, runs it through `handleErrors` and records the exit code. Only this layer sets
 * the process's exit code.
 */
export async function runCommand<A extends GlobalArgs>(args: A, load: () => Promise<CommandImpl<A>>): Promise<void> {
  const output = createOutput(args.json);
  const code = await handleErrors(output, args.verbose, async () => {
    const impl = await load();
    return impl.run(args, output);
  });
  process.exitCode = code;
}
