import yargs, { type Argv } from 'yargs';
import { deployCommand } from './commands/deploy/command-object.js';
import { describeCommand } from './commands/describe/command-object.js';
import { doctorCommand } from './commands/doctor/command-object.js';
import { dropCommand } from './commands/drop/command-object.js';
import { endpointCommand } from './commands/endpoint/command-object.js';
import {
  candidatesCommand,
  evaluateCommand,
  explainCommand,
  reportCommand,
} from './commands/insight/command-object.js';
import { jobsCommand } from './commands/jobs/command-object.js';
import { modelsCommand, promoteCommand } from './commands/models/command-object.js';
import { predictCommand } from './commands/predict/command-object.js';
import { statusCommand } from './commands/status/command-object.js';
import { stopCommand } from './commands/stop/command-object.js';
import { trainCommand } from './commands/train/command-object.js';
import { demoCommand } from './demo/command-object.js';
import { ExitCode } from './exit-codes.js';
import { withGlobalOptions, type GlobalArgs } from './options/global-options.js';
import { commandSuggestion, withFlagSuggestions, withMistypedFlags } from './options/forgiving.js';
import { createOutput } from './output.js';
import { packageVersion } from './package-version.js';
import { GLOBAL_FLAGS_GROUP, ownFlagsFirst } from './options/help-layout.js';
import { isSmeError } from '@sme/core';
import { cliError } from './cli-error-codes.js';

/** Raised after a usage error was printed; callers only need to stop. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_CODES_TEXT =
  'Exit codes: 0 ok, 1 unexpected failure, 2 bad input or not found (nothing created), 3 job failed, 4 job stopped, ' +
  '5 cannot connect / not authorised, 6 service error, 130 watch interrupted (Ctrl-C; the job keeps running). ' +
  'Docs: docs/cli.md, docs/errors.md.';

/**
 * Builds the `sme` command line. Only yargs and the command objects load here: command implementations
 * (and with them the AWS SDK and the Exasol driver) load when a command runs.
 *
 * @example
 * await buildCli(['jobs', '--json']).parseAsync();
 */
export function buildCli(argv: readonly string[]): Argv<GlobalArgs> {
  const json = argv.includes('--json');
  return (
    withGlobalOptions(yargs(argv.slice()))
      .scriptName('sme')
      // sme's own text is English; yargs's headings ("Commands:", "[default: …]") follow it whatever the system
      // locale (the bundle carries no yargs locale files).
      .locale('en')
      .usage('$0 <command> [options]\n\nTrain AWS SageMaker Autopilot models on Exasol data.')
      .command(ownFlagsFirst(deployCommand))
      .command(ownFlagsFirst(trainCommand))
      .command(ownFlagsFirst(statusCommand))
      .command(ownFlagsFirst(jobsCommand))
      .command(ownFlagsFirst(describeCommand))
      .command(ownFlagsFirst(stopCommand))
      .command(ownFlagsFirst(candidatesCommand))
      .command(ownFlagsFirst(evaluateCommand))
      .command(ownFlagsFirst(explainCommand))
      .command(ownFlagsFirst(reportCommand))
      .command(ownFlagsFirst(endpointCommand))
      .command(ownFlagsFirst(predictCommand))
      .command(ownFlagsFirst(promoteCommand))
      .command(ownFlagsFirst(modelsCommand))
      .command(ownFlagsFirst(dropCommand))
      .command(ownFlagsFirst(doctorCommand))
      .command(ownFlagsFirst(demoCommand))
      .completion(
        'completion',
        'Print a bash/zsh completion script (add `source <(sme completion)` to ~/.bashrc or ~/.zshrc)',
      )
      .demandCommand(1, 'Name a command: sme --help lists them.')
      .strict()
      .recommendCommands()
      .fail((reason: string | undefined, error: Error | undefined, usage: unknown) => {
        // Usage errors (unknown flag, missing argument) get a code and exit 2 like every other bad input; an
        // unknown flag close to one of the command's gets a "did you mean", also when a required one is missing.
        const message =
          reason === undefined
            ? undefined
            : reason.startsWith('Did you mean')
              ? (commandSuggestion(argv, knownCommands(usage)) ?? reason)
              : withMistypedFlags(withFlagSuggestions(reason, knownFlags(usage)), argv, knownFlags(usage));
        const output = createOutput(json);
        // A check of sme's own (`usageError`) throws a coded error that says what to type: printed as it is.
        output.error(
          isSmeError(error) ? error : cliError('SME-E-CLI-USAGE', message ?? error?.message ?? 'invalid command line'),
          false,
        );
        process.exitCode = ExitCode.InvalidInput;
        // Thrown so that yargs runs no handler; the bin ignores it (the exit code is set).
        throw new UsageError(message ?? error?.message ?? 'invalid command line');
      })
      .epilogue(EXIT_CODES_TEXT)
      .help()
      .alias('help', 'h')
      .version(packageVersion())
      .group(['json', 'verbose', 'config', 'help', 'version'], GLOBAL_FLAGS_GROUP)
      // Piped help is not wrapped (yargs would cut words at an assumed width); a terminal gets at most 120 columns.
      .wrap(process.stdout.isTTY ? Math.min(120, process.stdout.columns) : null)
  );
}

/** The flags of the command being parsed (yargs hands its usage object to `fail`). */
function knownFlags(usage: unknown): string[] {
  const described = (usage as { getDescriptions?: () => Record<string, unknown> } | undefined)?.getDescriptions?.();
  return described === undefined ? [] : Object.keys(described);
}

/** The subcommands of the command being parsed, as yargs lists them (`deploy <job>`). */
function knownCommands(usage: unknown): string[] {
  const commands = (usage as { getCommands?: () => unknown[][] } | undefined)?.getCommands?.();
  return (commands ?? []).map((c) => String(c[0]));
}
