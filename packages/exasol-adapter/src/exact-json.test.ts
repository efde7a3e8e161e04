import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactIntegersAsStrings } from './exact-json.js';

describe('exactIntegersAsStrings', () => {
  it('turns integers beyond 2^53 into strings and leaves the rest alone', () => {
    const frame =
      '{"status":"ok","responseData":{"data":[[9007199254740993,-9007199254740993,9007199254740991,1,2.5,"123456789012345678"]]}}';
    expect(JSON.parse(exactIntegersAsStrings(frame))).toEqual({
      status: 'ok',
      responseData: {
        data: [['9007199254740993', '-9007199254740993', 9007199254740991, 1, 2.5, '123456789012345678']],
      },
    });
  });

  it('returns frames without a 16-digit run unchanged (same string)', () => {
    const frame = '{"a":[1,2,3],"b":"x"}';
    expect(exactIntegersAsStrings(frame)).toBe(frame);
  });

  it('keeps every integer exact: safe ones as numbers, others as their decimal text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), { maxLength: 20 }), (values) => {
        const text = `[${values.map((v) => v.toString()).join(',')}]`;
        const parsed = JSON.parse(exactIntegersAsStrings(text)) as unknown[];
        parsed.forEach((value, i) => {
          const original = values[i] ?? 0n;
          const safe = original >= BigInt(Number.MIN_SAFE_INTEGER) && original <= BigInt(Number.MAX_SAFE_INTEGER);
          expect(value).toStrictEqual(safe ? Number(original) : original.toString());
        });
      }),
    );
  });

  it('leaves strings that merely contain long digit runs untouched (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[0-9]{16,30}$/), (prefix, digits) => {
        const value = { s: `${prefix}${digits}`, n: 7, d: 0.25 };
        expect(JSON.parse(exactIntegersAsStrings(JSON.stringify(value)))).toEqual(value);
      }),
    );
  });
});
