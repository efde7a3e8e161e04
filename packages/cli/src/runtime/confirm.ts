import type { Runtime } from './session.js';
import { cliError } from '../cli-error-codes.js';

/**
 * Asks before a destructive change. With `--yes` it goes ahead; on a terminal it shows `plan` and asks; without a
 * terminal it refuses (nothing changed), since nobody can see what would go.
 *
 * @throws SmeError `SME-E-CLI-CONFIRM` (exit 2) without a terminal and without `--yes`, or when the answer is no.
 */
export async function confirm(
  runtime: Runtime,
  request: { readonly yes: boolean | undefined; readonly action: string; readonly plan: readonly string[] },
): Promise<void> {
  if (request.yes === true) return;
  if (runtime.stdin.isTTY !== true) {
    throw cliError('SME-E-CLI-CONFIRM', `${request.action}: not confirmed (no terminal to ask)`, {
      key: 'yes',
      remedy: 'Pass --yes to confirm without a terminal (see what would happen first with --dry-run where offered).',
    });
  }
  for (const line of request.plan) runtime.stderr.write(`${line}\n`);
  runtime.stderr.write(`${request.action}? [y/N] `);
  const answer = await readLine(runtime);
  if (!/^y(es)?$/i.test(answer.trim())) {
    throw cliError('SME-E-CLI-CONFIRM', `${request.action}: not confirmed; nothing changed`, {
      key: 'yes',
      remedy: 'Answer y to go ahead, or pass --yes.',
    });
  }
}

/** One line typed on the terminal (echoed by the terminal itself). */
function readLine(runtime: Runtime): Promise<string> {
  const stdin = runtime.stdin;
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      const newline = text.search(/[\r\n]/);
      if (newline >= 0) {
        stdin.removeListener('data', onData);
        stdin.pause();
        resolve(text.slice(0, newline));
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
