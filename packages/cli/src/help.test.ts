import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCli } from './cli.js';
import { printedUsageError } from './testing/usage-error.js';

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

/** The commands `sme <group> --help` lists under "Commands:" (`endpoint` → `endpoint deploy`, …). */
function commandsOf(text: string): string[][] {
  const section = text.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}sme ((?:[a-z][\w-]* ?)+)/.exec(line)?.[1]?.trim().split(' ') ?? [])
    .filter((words) => words.length > 0);
}

/** Every command of the tree, walked from `sme --help` (a group such as `endpoint` by its own help). */
async function commandTree(): Promise<string[][]> {
  const found: string[][] = [];
  const visit = async (command: string[]) => {
    for (const child of commandsOf(await help(command))) {
      const sub = await help(child);
      if (sub.includes('\nCommands:\n') && !child.includes('completion')) await visit(child);
      else found.push(child);
    }
  };
  await visit([]);
  return found;
}

const TREE = await commandTree();
// `completion` prints a shell script and takes no flags of its own.
const COMMANDS = TREE.filter((command) => command.join(' ') !== 'completion').map((command) => ({
  name: command.join(' '),
  command,
}));

it('walks the whole command tree, groups included', () => {
  expect(TREE.map((c) => c.join(' '))).toEqual(
    expect.arrayContaining(['train', 'models', 'promote', 'endpoint deploy', 'endpoint delete', 'completion']),
  );
  expect(TREE.length).toBeGreaterThan(20);
});

/** The help's groups (`Options:`, `Exasol connection:`, …) in order. */
function groups(text: string): string[] {
  return text.split('\n').filter((line) => /^\S.*:$/.test(line));
}

describe.each(COMMANDS)('sme $name --help', ({ command }) => {
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

describe.each(COMMANDS)('sme $name with a mistyped flag', ({ command }) => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('is a usage error (exit 2) that names the flag meant', async () => {
    const text = await help(command);
    // The command's own first long flag (the first group is the command's own), typed without its last letter.
    const flag = /^ {2}(?:-\w, )?\s*--([\w-]{5,})/m.exec(text)?.[1];
    expect(flag, text).toBeDefined();
    const positionals = ((text.split('\n')[0] ?? '').match(/<[^>]+>/g) ?? []).map(() => 'x');
    const error = await printedUsageError([...command, ...positionals, `--${(flag ?? '').slice(0, -1)}`, 'v']);
    expect(error.code).toBe('SME-E-CLI-USAGE');
    expect(error.message).toContain(`did you mean --${flag ?? ''}?`);
    expect(process.exitCode).toBe(2);
  });
});

describe('a flag value sme checks itself', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it.each([
    [['status', 'x', '--poll-interval', '0'], '--poll-interval', 'received 0', '--poll-interval 5'],
    [
      ['predict', '--batch', '--job', 'j', '--table', 'S.T', '--into', 'S.O', '--poll-interval', '-1', '--key', 'ID'],
      '--poll-interval',
      'received -1',
      '--poll-interval 5',
    ],
    [['jobs', '--concurrency', '0'], '--concurrency', 'at least 1; received 0', '--concurrency 1'],
    [
      ['predict', '--endpoint', 'e', '--file', 'f.csv', '--batch-rows', '0'],
      '--batch-rows',
      'from 1 to 100000',
      '--batch-rows 100000',
    ],
    [['predict', '--table', 'S.T'], '--endpoint', 'needs --endpoint NAME', '--endpoint NAME'],
    [['jobs', '--json', '--output', 'csv'], '--output', 'disagree', '--output csv'],
  ])('%j: a usage error naming the flag and what to type', async (argv, key, message, remedy) => {
    const error = await printedUsageError(argv);
    expect(error).toMatchObject({ code: 'SME-E-CLI-USAGE', key });
    expect(error.message).toContain(message);
    expect(error.remedy).toContain(remedy);
    expect(process.exitCode).toBe(2);
  });
});
