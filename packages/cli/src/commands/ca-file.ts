import { readFileSync } from 'node:fs';
import { cliError } from '../cli-error-codes.js';

/**
 * The text of a CA file flag (`sme deploy --aws-ca-file`, `sme endpoint deploy --udf-aws-ca-file`); its certificates
 * are checked by @sme/udf's `checkedCaPem`.
 *
 * @throws SmeError `SME-E-CLI-CA-FILE` when the file cannot be read.
 */
export function readCaFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const reason = (cause as { code?: string }).code ?? 'unreadable';
    throw cliError(
      'SME-E-CLI-CA-FILE',
      `${flag} '${path}' cannot be read (${reason})`,
      { key: flag.replace(/^--/, ''), value: path, remedy: 'Pass an existing PEM file of CA certificates.' },
      cause,
    );
  }
}
