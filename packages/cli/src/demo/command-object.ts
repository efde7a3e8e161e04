import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../options/global-options.js';
import { runCommand } from '../run-command.js';
import type { DemoArgs } from './demo-args.js';
import { checkWholeNumber } from '../options/usage-checks.js';

/** `sme demo`: its flags live here, its implementation in the optional package `@sme/demo` (see load-demo.ts). */
export const demoCommand: CommandModule<GlobalArgs, DemoArgs> = {
  command: 'demo',
  describe: 'Run the whole flow on the embedded sandbox: no Exasol or AWS needed (needs the package @sme/demo)',
  builder: (yargs) =>
    yargs
      .option('keep', {
        type: 'boolean',
        default: false,
        describe: 'leave the sandbox running at the end and print how to connect (Ctrl-C stops it)',
      })
      .option('rows', { type: 'number', default: 5000, describe: 'rows in the sample training table (≥ 500)' })
      .option('lua', {
        type: 'string',
        choices: ['native', 'wasm'] as const,
        describe: 'Lua runtime of the sandbox (default: native lua5.4 when installed, else wasm)',
      })
      .check((args) => {
        checkWholeNumber('rows', args.rows, 500);
        return true;
      })
      .example('$0 demo', 'train, predict and clean up on the sandbox')
      .example('$0 demo --keep', 'keep the sandbox running to explore it with sme and SQL'),
  handler: (args) =>
    runCommand(args, async () => {
      const { loadDemo } = await import('./load-demo.js');
      return loadDemo();
    }),
};
