import yargs, { type Argv } from 'yargs';
import { describe, expect, it } from 'vitest';
import { predictCommand } from './command-object.js';

/** Parses through the whole `sme predict` builder: `--key` is defined once there for every mode. */
function parse(argv: string[]): Record<string, unknown> {
  const builder = predictCommand.builder as unknown as (y: Argv) => Argv;
  const parser = builder(yargs(argv))
    .exitProcess(false)
    .fail((message) => {
      throw new Error(message);
    });
  return parser.parseSync();
}

describe('sme predict --batch flags', () => {
  it('reads key columns comma-separated or repeated', () => {
    const a = parse(['--batch', '--job', 'j-1', '--table', 'S.T', '--into', 'S.O', '--key', 'ID,REGION', '--key', 'X']);
    expect(a.key).toEqual(['ID', 'REGION', 'X']);
    expect(a.wait).toBeUndefined();
  });

  it('needs the table, target table, a key and exactly one of --job and --model', () => {
    expect(() => parse(['--batch', '--job', 'j', '--table', 'S.T', '--into', 'S.O'])).toThrow(/--key COLUMN/);
    expect(() => parse(['--batch', '--table', 'S.T', '--into', 'S.O', '--key', 'ID'])).toThrow(/--job or --model/);
    expect(() =>
      parse(['--batch', '--job', 'j', '--model', 'm', '--table', 'S.T', '--into', 'S.O', '--key', 'ID']),
    ).toThrow(/--job or --model/);
    expect(() => parse(['--batch', '--endpoint', 'e', '--poll', 'x'])).toThrow(/no --endpoint/);
    expect(parse(['--batch', '--poll', 'j-1-231115093000', '--wait']).poll).toBe('j-1-231115093000');
  });

  it('refuses batch flags without --batch', () => {
    expect(() => parse(['--endpoint', 'e', '--table', 'S.T', '--into', 'S.O'])).toThrow(/--into needs --batch/);
    expect(parse(['--endpoint', 'e', '--table', 'S.T']).batch).toBeUndefined();
  });
});
