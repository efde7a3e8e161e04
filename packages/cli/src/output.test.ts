import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmeError } from '@sme/core';
import { createOutput } from './output.js';

function capture(json: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const output = createOutput(json, {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
  });
  return { output, text: () => out.join('') + err.join(''), out, err };
}

describe('output', () => {
  it('never prints a registered secret, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 30 }), fc.string(), fc.string(), (secret, before, after) => {
        for (const json of [false, true]) {
          const c = capture(json);
          c.output.addSecret(secret);
          const text = before + secret + after;
          c.output.line(text);
          c.output.note(text);
          c.output.result({ text }, () => {
            c.output.line(text);
          });
          c.output.error(new SmeError('SME-E-X', 'InvalidInput', text, { value: text }), true);
          c.output.unexpected(new Error(text), true);
          expect(c.text()).not.toContain(secret);
        }
      }),
    );
  });

  it("prints one JSON document on stdout in JSON mode and nothing human, in the views' formats", () => {
    const c = capture(true);
    c.output.line('human');
    c.output.note('progress');
    c.output.result(
      { jobName: 'j', n: 10n, big: 2n ** 64n, creationTime: Date.UTC(2026, 11, 1, 23, 57, 20, 701), value: '0.5' },
      () => {
        c.output.line('human');
      },
    );
    expect(c.err).toEqual([]);
    // Safe bigints are numbers, others exact strings; times by field name ISO-8601 UTC; DECIMAL text numbers.
    expect(JSON.parse(c.out.join(''))).toEqual({
      jobName: 'j',
      n: 10,
      big: '18446744073709551616',
      creationTime: '2026-12-01T23:57:20.701Z',
      value: 0.5,
    });
  });

  it('prints code, message, remedy and request id of an error; the stack only with --verbose', () => {
    const error = new SmeError('SME-E-AWS-THROTTLED', 'Throttled', 'slow down', {
      remedy: 'retry later',
      requestId: 'req-1',
    });
    const quiet = capture(false);
    quiet.output.error(error, false);
    expect(quiet.err.join('')).toContain('error SME-E-AWS-THROTTLED: slow down\n');
    expect(quiet.err.join('')).toContain('what to do: retry later');
    expect(quiet.err.join('')).toContain('AWS request id: req-1');
    expect(quiet.err.join('')).not.toContain('output.test.ts');
    expect(quiet.err.join('')).toContain('(pass --verbose to see the stack trace)');
    const verbose = capture(false);
    verbose.output.error(error, true);
    expect(verbose.err.join('')).toContain('output.test.ts');
    const json = capture(true);
    json.output.error(error, false);
    expect(JSON.parse(json.out.join(''))).toMatchObject({
      error: { code: 'SME-E-AWS-THROTTLED', kind: 'Throttled', requestId: 'req-1' },
    });
  });

  it('offers no stack trace for refused input: the message and remedy are what the user needs', () => {
    const refused = capture(false);
    refused.output.error(new SmeError('SME-E-CLI-USAGE', 'InvalidInput', 'Unknown argument: x'), false);
    expect(refused.err.join('')).toContain('error SME-E-CLI-USAGE: Unknown argument: x\n');
    expect(refused.err.join('')).not.toContain('--verbose');
  });
});
