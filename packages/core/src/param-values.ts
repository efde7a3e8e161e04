/** Collecting every problem of a parameter object, and reading its values one by one, each into a problem or a value. */
import { coreError, type CoreErrorCode } from './error-codes.js';
import type { SmeError } from './errors.js';
import { parseExasolIdentifier } from './identifiers.js';
import { describeValue, formatInteger, isIntegral, jsonTypeOf } from './text.js';

/** The problems found so far, each a coded `SmeError` naming the key, the value received and a remedy. */
export class Problems {
  readonly list: SmeError[] = [];

  add(code: CoreErrorCode, key: string, value: unknown, reason: string, remedy?: string): void {
    const shown = describeValue(value);
    const details = remedy === undefined ? { key, value: shown } : { key, value: shown, remedy };
    const absent = value === undefined || value === null;
    this.list.push(coreError(code, key + ' ' + reason + (absent ? '' : '; received ' + shown), details));
  }
}

export function stringValue(problems: Problems, key: string, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  problems.add('SME-E-PARAM-TYPE', key, value, 'must be a JSON string, not ' + jsonTypeOf(value));
  return undefined;
}

export function integerValue(
  problems: Problems,
  key: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  if (typeof value !== 'number') {
    problems.add('SME-E-PARAM-TYPE', key, value, 'must be a JSON number, not ' + jsonTypeOf(value));
    return undefined;
  }
  if (!isIntegral(value)) {
    problems.add('SME-E-PARAM-NOT-INTEGER', key, value, 'must be a whole number');
    return undefined;
  }
  if (value < min || value > max) {
    problems.add(
      'SME-E-PARAM-RANGE',
      key,
      value,
      'must be between ' + formatInteger(min) + ' and ' + formatInteger(max),
      'Give a whole number from ' + formatInteger(min) + ' to ' + formatInteger(max) + '.',
    );
    return undefined;
  }
  return Math.floor(value);
}

export function identifierValue(problems: Problems, key: string, value: unknown): string | undefined {
  const text = stringValue(problems, key, value);
  if (text === undefined) return undefined;
  const parsed = parseExasolIdentifier(text);
  if (!parsed.ok) {
    problems.add('SME-E-PARAM-IDENTIFIER', key, value, 'is not a valid Exasol identifier: ' + parsed.reason);
    return undefined;
  }
  return parsed.identifier.name;
}

/** Whether a key is given. */
export function present(value: unknown): boolean {
  // cjson (Lua) cannot hand over JSON null as a value, so null means "not given" in both runtimes.
  return value !== undefined && value !== null;
}
