import { isSmeError, type SmeError } from '@sme/core';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import type { Output } from './output.js';

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
    if (isSmeError(error)) {
      output.error(error, verbose);
      return exitCodeForError(error);
    }
    output.unexpected(error, verbose);
    return ExitCode.Failure;
  }
}
