import { describe, expect, it } from 'vitest';
import { buildCli } from './cli.js';

/** `sme <command> --help` as yargs prints it (in-process; not wrapped, as when piped). */
function help(command: readonly string[]): Promise<string> {
  const argv = [...command, '--help'];
  return new Promise((resolve, reject) => {
    void buildCli(argv)
      .exitProcess(false)
      .parse(argv, {}, (error: Error | null | undefined, _args: unknown, output: string) => {
        if (error) reject(error);
        else resolve(output);
      });
  });
}

const COMMANDS = [
  ['deploy'],
  ['train'],
  ['status'],
  ['jobs'],
  ['describe'],
  ['stop'],
  ['candidates'],
  ['evaluate'],
  ['explain'],
  ['report'],
  ['endpoint', 'deploy'],
  ['endpoint', 'status'],
  ['endpoint', 'list'],
  ['endpoint', 'delete'],
  ['predict'],
  ['drop'],
  ['doctor'],
  ['demo'],
];

/** The help's groups (`Options:`, `Exasol connection:`, …) in order. */
function groups(text: string): string[] {
  return text.split('\n').filter((line) => /^\S.*:$/.test(line));
}

describe.each(COMMANDS)('sme %s --help', (...command) => {
  it('lists its own arguments first, the connection groups after, the global flags once at the end', async () => {
    const shown = groups(await help(command));
    const own = shown.findIndex((g) => !['Exasol connection:', 'AWS:', 'Global options:', 'Examples:'].includes(g));
    expect(own, shown.join(' ')).toBe(0);
    for (const shared of ['Exasol connection:', 'AWS:']) {
      if (shown.includes(shared)) expect(shown.indexOf(shared)).toBeGreaterThan(own);
    }
    expect(shown.filter((g) => g === 'Global options:')).toHaveLength(1);
    expect(shown.slice(-2)).toEqual(['Global options:', 'Examples:']);
  });

  it('describes every flag and shows at least one example', async () => {
    const text = await help(command);
    const flags = text.split('\n').filter((line) => /^ {2}(-\w, )?\s*--[\w-]/.test(line));
    expect(flags.length).toBeGreaterThan(4);
    for (const line of flags) {
      const described = /^\s+((?:-{1,2}[\w-]+(?:, )?)+)\s{2,}(.*)$/.exec(line)?.[2] ?? '';
      expect(described.replace(/(\s*\[[^\]]*\])+$/, '').trim(), line).not.toBe('');
    }
    const examples = text.split('Examples:\n')[1] ?? '';
    expect(examples).toMatch(new RegExp(`^ {2}sme ${command.join(' ')}\\b`, 'm'));
  });
});

describe('sme --help', () => {
  it('lists the commands, completion among them, and the global flags once', async () => {
    const text = await help([]);
    expect(text).toMatch(/^ {2}sme completion +Print a bash\/zsh completion script/m);
    expect(groups(text).filter((g) => g === 'Global options:')).toHaveLength(1);
  });
});
