import { isSmeError, type SmeError } from '@sme/core';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import type { Output } from './output.js';
import { WatchInterrupted } from './runtime/watch-loop.js';

/** Maps an error kind to the documented exit code. */
export function exitCodeForError(error: SmeError): ExitCodeValue {
  switch (error.kind) {
    case 'InvalidInput':
    case 'Precondition':
    case 'Conflict':
    case 'NotFound': // what the user named (table, column, connection, job) is not there; nothing was created
      return ExitCode.InvalidInput;
    case 'Unreachable':
    case 'TlsMismatch':
    case 'BadCredentials':
    case 'AccessDenied':
      return ExitCode.ConnectionProblem;
    case 'Throttled':
    case 'AlreadyExists':
    case 'Validation':
    case 'ServiceError':
    case 'SqlError':
      return ExitCode.ServiceError;
    case 'Internal':
      return ExitCode.Failure;
  }
}

/**
 * Runs a command handler and turns every outcome into an exit code: coded errors are printed with their code,
 * remedy and problems; anything else is a bug report. Stack traces only with `--verbose`.
 */
export async function handleErrors(
  output: Output,
  verbose: boolean,
  fn: () => Promise<ExitCodeValue>,
): Promise<ExitCodeValue> {
  try {
    return await fn();
  } catch (error: unknown) {
    if (error instanceof WatchInterrupted) {
      reportInterrupted(output, error);
      return ExitCode.Interrupted;
    }
    if (isSmeError(error)) {
      output.error(error, verbose);
      return exitCodeForError(error);
    }
    output.unexpected(error, verbose);
    return ExitCode.Failure;
  }
}

/** Ctrl-C while watching: only the watch ended, so say so and how to pick it up again. */
function reportInterrupted(output: Output, error: WatchInterrupted): void {
  const { subject, lastStatus, followCommand, stopCommand } = error;
  output.result({ interrupted: { watching: subject, lastStatus, followCommand, stopCommand } }, () => {
    output.note(
      `interrupted: stopped watching ${subject}${lastStatus === undefined ? '' : ` (last seen ${lastStatus})`}; ` +
        'it is still running in AWS.',
    );
    output.note(`  follow it again with: ${followCommand}`);
    output.note(`  to stop it instead:   ${stopCommand}`);
  });
}
