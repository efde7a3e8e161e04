import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptPassword } from './password-prompt.js';

/** A stand-in terminal: records raw-mode switches; what is "typed" is written into it. */
function fakeTty(isTTY = true): {
  input: PassThrough & { isTTY: boolean; setRawMode(m: boolean): void };
  rawModes: boolean[];
} {
  const rawModes: boolean[] = [];
  const input = Object.assign(new PassThrough(), {
    isTTY,
    setRawMode(mode: boolean): void {
      rawModes.push(mode);
    },
  });
  return { input, rawModes };
}

function recorder(): { write(text: string): void; text: () => string } {
  let written = '';
  return {
    write(text: string): void {
      written += text;
    },
    text: () => written,
  };
}

describe('promptPassword', () => {
  it('reads up to Enter in raw mode, never echoing, and restores the terminal', async () => {
    const { input, rawModes } = fakeTty();
    const output = recorder();
    const answer = promptPassword(input, output, 'Password: ');
    input.write('s3cr');
    input.write('et!\r');
    await expect(answer).resolves.toBe('s3cret!');
    expect(output.text()).toBe('Password: \n');
    expect(rawModes).toEqual([true, false]);
  });

  it('applies backspace and keeps non-ASCII characters whole', async () => {
    const { input } = fakeTty();
    const answer = promptPassword(input, recorder());
    input.write('pä\u007fass\bsword€\n');
    await expect(answer).resolves.toBe('password€');
  });

  it.each([
    ['Ctrl-C', 'abc\u0003'],
    ['Ctrl-D on an empty line', '\u0004'],
  ])('%s cancels with SME-E-EXA-PROMPT-CANCELLED', async (_name, keys) => {
    const { input, rawModes } = fakeTty();
    const answer = promptPassword(input, recorder());
    input.write(keys);
    await expect(answer).rejects.toMatchObject({ code: 'SME-E-EXA-PROMPT-CANCELLED' });
    expect(rawModes).toEqual([true, false]);
  });

  it('refuses to prompt when the input is not a terminal', async () => {
    const { input } = fakeTty(false);
    const output = recorder();
    await expect(promptPassword(input, output)).rejects.toMatchObject({ code: 'SME-E-EXA-PROMPT-NO-TTY' });
    expect(output.text()).toBe('');
  });
});
