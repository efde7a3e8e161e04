import type { SmeError } from './core-api.js';
import { exasolError } from './exasol-error-codes.js';

/** The slice of a TTY input stream the prompt needs (process.stdin satisfies it). */
export interface PromptInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Where the prompt text goes (process.stderr, so stdout stays clean for `--json`). */
export interface PromptOutput {
  write(text: string): unknown;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = '\u0008';
const DELETE = '\u007f';

/**
 * Asks for a password on a terminal without echoing it. The terminal is put into raw mode for the duration, so
 * nothing typed is displayed; backspace edits, Enter ends, Ctrl-C or Ctrl-D (on an empty line) cancel.
 * Call it only when `input.isTTY` is true (the CLI does, when neither `--password` nor `SME_PASSWORD` is set).
 *
 * @throws SmeError `SME-E-EXA-PROMPT-NO-TTY` when the input is not a terminal, `SME-E-EXA-PROMPT-CANCELLED` on Ctrl-C/Ctrl-D.
 * @example const password = await promptPassword(process.stdin, process.stderr);
 */
export function promptPassword(
  input: PromptInput,
  output: PromptOutput,
  prompt = 'Exasol password: ',
): Promise<string> {
  if (input.isTTY !== true || input.setRawMode === undefined) {
    return Promise.reject(
      exasolError('SME-E-EXA-PROMPT-NO-TTY', 'no password given and the input is not a terminal to ask on', {
        key: 'password',
      }),
    );
  }
  const setRawMode = input.setRawMode.bind(input);
  output.write(prompt);
  setRawMode(true);
  input.resume();
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = (error: SmeError | undefined): void => {
      input.removeListener('data', onData);
      setRawMode(false);
      input.pause();
      output.write('\n');
      if (error === undefined) resolve(typed);
      else reject(error);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          finish(undefined);
          return;
        }
        if (ch === CTRL_C || (ch === CTRL_D && typed === '')) {
          finish(exasolError('SME-E-EXA-PROMPT-CANCELLED', 'the password prompt was cancelled', { key: 'password' }));
          return;
        }
        if (ch === BACKSPACE || ch === DELETE) {
          typed = Array.from(typed).slice(0, -1).join('');
        } else if (ch >= ' ') {
          typed += ch;
        }
      }
    };
    input.on('data', onData);
  });
}
