import { describe, expect, it } from 'vitest';
import { SmeError, type SmeErrorKind } from '@sme/core';
import { ExitCode } from './exit-codes.js';
import { exitCodeForError, handleErrors } from './handle-errors.js';
import { createOutput } from './output.js';

const quiet = createOutput(true, { stdout: { write: () => true }, stderr: { write: () => true } });

describe('exit codes', () => {
  const table: [SmeErrorKind, number][] = [
    ['InvalidInput', 2],
    ['Precondition', 2],
    ['Conflict', 2],
    ['Unreachable', 5],
    ['TlsMismatch', 5],
    ['BadCredentials', 5],
    ['AccessDenied', 5],
    ['Throttled', 6],
    ['NotFound', 2],
    ['AlreadyExists', 6],
    ['Validation', 6],
    ['ServiceError', 6],
    ['SqlError', 6],
    ['Internal', 1],
  ];
  it.each(table)('%s → %i', (kind, code) => {
    expect(exitCodeForError(new SmeError('SME-E-T', kind, 'm'))).toBe(code);
  });

  it('turns coded errors into their exit code and anything else into 1', async () => {
    await expect(
      handleErrors(quiet, false, () => Promise.reject(new SmeError('SME-E-T', 'BadCredentials', 'm'))),
    ).resolves.toBe(ExitCode.ConnectionProblem);
    await expect(handleErrors(quiet, false, () => Promise.reject(new TypeError('bug')))).resolves.toBe(1);
    await expect(handleErrors(quiet, false, () => Promise.resolve(ExitCode.JobStopped))).resolves.toBe(4);
  });
});
