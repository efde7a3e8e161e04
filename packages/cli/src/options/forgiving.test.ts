import { afterEach, describe, expect, it, vi } from 'vitest';
import { SmeError } from '@sme/core';
import { printedUsageError } from '../testing/usage-error.js';
import {
  canonicalChoice,
  closest,
  commandSuggestion,
  editDistance,
  withFlagNames,
  withFlagSuggestions,
  withMistypedFlags,
} from './forgiving.js';

describe('canonicalChoice', () => {
  const statuses = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'];
  it.each([
    ['inprogress', 'InProgress'],
    ['IN_PROGRESS', 'InProgress'],
    ['in-progress', 'InProgress'],
    ['completed', 'Completed'],
    ['Stopped', 'Stopped'],
    ['bogus', 'bogus'],
  ])('%s → %s', (typed, canonical) => {
    expect(canonicalChoice(statuses)(typed)).toBe(canonical);
  });
});

describe('suggestions', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('modle', 'model')).toBe(1);
    expect(editDistance('limt', 'limit')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });

  it('suggests the closest name only when it is close', () => {
    expect(closest('statu', ['status', 'model', 'limit'])).toBe('status');
    expect(closest('delet', ['deploy', 'status', 'list', 'delete'])).toBe('delete');
    expect(closest('colour', ['status', 'model'])).toBeUndefined();
  });

  it('adds "did you mean" to yargs’ unknown-argument message, ignoring camel-case twins', () => {
    const known = ['status', 'model', 'limit', 'poll-interval', 'pollInterval'];
    expect(withFlagSuggestions('Unknown arguments: statu, zzz', known)).toBe(
      'Unknown arguments: statu, zzz (--statu: did you mean --status?)',
    );
    expect(withFlagSuggestions('Unknown argument: pollinterval', known)).toContain('did you mean --poll-interval?');
    expect(withFlagSuggestions('Missing required argument: job', known)).toBe('Missing required argument: job');
  });

  it('adds "did you mean" to a missing-argument message for each mistyped flag typed (yargs checks those first)', () => {
    const known = ['endpoint-name', 'endpointName', 'udf-schema', 'json'];
    expect(
      withMistypedFlags(
        'Missing required argument: endpoint-name',
        ['endpoint', 'deploy', 'j', '--endpoint-nam', 'e'],
        known,
      ),
    ).toBe('Missing required argument: endpoint-name (--endpoint-nam: did you mean --endpoint-name?)');
    expect(withMistypedFlags('Missing required argument: endpoint-name', ['--zzz'], known)).toBe(
      'Missing required argument: endpoint-name',
    );
    expect(withMistypedFlags('Unknown argument: x', ['--endpoint-nam'], known)).toBe('Unknown argument: x');
  });

  it('names the closest subcommand, not yargs’ first by command-line length', () => {
    expect(commandSuggestion(['endpoint', 'delet', 'x'], ['deploy <job>', 'delete <endpoint>', 'list'])).toBe(
      "Unknown command 'delet': did you mean delete?",
    );
    expect(commandSuggestion(['--json', 'bogus'], ['train', 'jobs'])).toBe(
      'Unknown command: the commands here are train, jobs.',
    );
  });
});

describe('withFlagNames', () => {
  it('names the flags in the message, key, remedy and problems; the code and kind stay', () => {
    const problem = new SmeError('SME-E-PARAM-MISSING', 'InvalidInput', 'input_schema_name is required', {
      key: 'input_schema_name',
    });
    const error = new SmeError('SME-E-PARAMS', 'InvalidInput', '1 problem: input_schema_name is required', {
      problems: [problem],
      remedy: 'Fix each listed problem and run the statement again.',
    });
    const renamed = withFlagNames(error, { input_schema_name: '--table', max_candidates: '--max-candidates' });
    expect(renamed.code).toBe('SME-E-PARAMS');
    expect(renamed.kind).toBe('InvalidInput');
    expect(renamed.message).toBe('1 problem: --table is required');
    expect(renamed.details.remedy).toBe('Fix each listed problem and run the command again.');
    expect(renamed.details.problems?.[0]?.message).toBe('--table is required');
    expect(renamed.details.problems?.[0]?.details.key).toBe('--table');
  });

  it('names a problem once when one flag sets two keys (--table sets schema and table)', () => {
    const missing = (key: string): SmeError =>
      new SmeError('SME-E-PARAM-MISSING', 'InvalidInput', `${key} is required`, { key });
    const error = new SmeError('SME-E-PARAMS', 'InvalidInput', '3 problems in the training parameters', {
      problems: [missing('input_schema_name'), missing('input_table_or_view_name'), missing('model_name')],
    });
    const renamed = withFlagNames(error, {
      input_schema_name: '--table',
      input_table_or_view_name: '--table',
      model_name: '--model-name',
    });
    expect(renamed.code).toBe('SME-E-PARAMS');
    expect(renamed.details.problems?.map((p) => p.message)).toEqual([
      '--table is required',
      '--model-name is required',
    ]);
    expect(renamed.message).toMatch(
      /^2 problems in the training parameters:\n- SME-E-PARAM-MISSING: --table is required\n/,
    );
  });

  it('leaves words that only contain a key alone', () => {
    const error = new SmeError('SME-E-X', 'InvalidInput', 'my_max_candidates_x and max_candidates');
    expect(withFlagNames(error, { max_candidates: '--max-candidates' }).message).toBe(
      'my_max_candidates_x and --max-candidates',
    );
  });
});

describe('the command line', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('an unknown flag gets a "did you mean" and exit code 2', async () => {
    const error = await printedUsageError(['jobs', '--statu', 'InProgress']);
    expect(error.code).toBe('SME-E-CLI-USAGE');
    expect(error.message).toContain('did you mean --status?');
    expect(process.exitCode).toBe(2);
  });

  it('an unknown command or subcommand gets a "did you mean"', async () => {
    expect((await printedUsageError(['trian'])).message).toBe("Unknown command 'trian': did you mean train?");
    expect((await printedUsageError(['endpoint', 'delet', 'ep'])).message).toBe(
      "Unknown command 'delet': did you mean delete?",
    );
  });

  it('a refused enumeration lists the valid values', async () => {
    const error = await printedUsageError(['jobs', '--status', 'running']);
    expect(error.message).toContain('"InProgress", "Completed", "Failed", "Stopping", "Stopped"');
    const objective = await printedUsageError(['train', '--objective', 'f2']);
    expect(objective.message).toContain('"F1"');
  });

  it('train’s errors name the flags typed, with enumerations in their canonical spelling', async () => {
    const error = await printedUsageError([
      'train',
      '--table',
      'S.T',
      '--objective',
      'f1',
      '--problem-type',
      'regression',
    ]);
    expect(error.code).toBe('SME-E-PARAMS');
    expect(error.message).toContain('--model-name is required');
    expect(error.message).toContain('--objective is not valid for --problem-type Regression; received "F1"');
    expect(error.message).not.toContain('input_schema_name');
    expect(process.exitCode).toBe(2);
  });
});
