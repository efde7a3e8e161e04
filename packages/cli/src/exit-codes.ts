/** Exit codes of `sme` (documented in docs/cli.md). Only the command layer exits. */
export const ExitCode = {
  Ok: 0,
  /** Unexpected failure (a bug or an unclassified vendor error). */
  Failure: 1,
  /** Bad input: flags, parameters, files, or a named table/column/connection/job that does not exist. Nothing was created. */
  InvalidInput: 2,
  /** The job (or endpoint) ended Failed. */
  JobFailed: 3,
  /** The job ended Stopped (or was stopped by this command's caller). */
  JobStopped: 4,
  /** Exasol or AWS could not be reached, or refused the credentials / TLS identity. */
  ConnectionProblem: 5,
  /** AWS or Exasol answered with an error (validation, already exists, SQL error, throttled after retries). */
  ServiceError: 6,
  /** Interrupted by the user (Ctrl-C). */
  Interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
