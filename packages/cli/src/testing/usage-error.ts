import { vi } from 'vitest';
import { buildCli } from '../cli.js';

/** The JSON error `sme` prints for a command line it refuses, as `--output json` shows it. */
export interface PrintedError {
  readonly code: string;
  readonly message: string;
  readonly key?: string;
  readonly remedy?: string;
}

/** Parses `argv` with `--json` in-process and returns the error printed (a usage error is thrown after printing). */
export async function printedUsageError(argv: readonly string[]): Promise<PrintedError> {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
    written.push(String(text));
    return true;
  });
  try {
    await buildCli([...argv, '--json']).parseAsync();
  } catch {
    // printed already
  } finally {
    vi.restoreAllMocks();
  }
  return (JSON.parse(written.join('')) as { error: PrintedError }).error;
}
