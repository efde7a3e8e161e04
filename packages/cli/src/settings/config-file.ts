import { readFileSync } from 'node:fs';
import type { SmeError, SmeErrorDetails } from '@sme/core';
import { cliError } from '../cli-error-codes.js';
import { AWS_FLAGS, type AwsArgs } from '../options/aws-options.js';
import { EXASOL_FLAGS, type ExasolArgs } from '../options/exasol-options.js';

/** What a config file may set: every Exasol and AWS flag but the password (secrets stay out of files). */
export type ConfigFileValues = Omit<ExasolArgs, 'password'> & AwsArgs;

const { password: _password, ...EXASOL_FILE_FLAGS } = EXASOL_FLAGS;
const FILE_FLAGS: Readonly<Record<string, { readonly type: 'string' | 'number' | 'boolean' }>> = {
  ...EXASOL_FILE_FLAGS,
  ...AWS_FLAGS,
};

/** Keys a config file may hold (camelCase; kebab-case long flag names are accepted too). */
export const CONFIG_FILE_KEYS: readonly string[] = Object.keys(FILE_FLAGS);

const WANTED = { string: 'a string', number: 'a number', boolean: 'true or false' } as const;

const EXAMPLE = 'e.g. {"dsn": "exa.example.com:8563", "user": "ml_user", "schema": "SME", "region": "eu-central-1"}';

function configError(
  path: string,
  message: string,
  remedy: string,
  cause?: unknown,
  details: SmeErrorDetails = { key: 'config', value: path },
): SmeError {
  return cliError('SME-E-CLI-CONFIG', `config file ${path}: ${message}`, { ...details, remedy }, cause);
}

function camelCase(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Reads the optional JSON config file: an object keyed by long flag names (`"aws-endpoint-url"` or
 * `"awsEndpointUrl"`), each value of its flag's type. Keys come back camelCased. Secrets do not belong in it: a
 * `password` key is refused.
 *
 * @throws SmeError `SME-E-CLI-CONFIG` when the file is unreadable, not a JSON object, holds a password, an unknown key
 *   or a value of the wrong type.
 */
export function loadConfigFile(path: string): ConfigFileValues {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const reason = (cause as { code?: string }).code ?? 'unreadable';
    throw configError(
      path,
      `cannot be read (${reason})`,
      'Pass an existing JSON file with --config or SME_CONFIG.',
      cause,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw configError(path, 'is not valid JSON', `Write one JSON object, ${EXAMPLE}.`, cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw configError(path, 'must hold a JSON object', `Write one JSON object, ${EXAMPLE}.`);
  }
  const values: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(parsed)) {
    const key = camelCase(rawKey);
    if (key === 'password' || key === 'pass') {
      throw configError(path, 'holds a password', 'Keep secrets out of config files: use SME_PASSWORD or the prompt.');
    }
    const flag = FILE_FLAGS[key];
    if (flag === undefined) {
      throw configError(
        path,
        `has the unknown key "${rawKey}"`,
        `Use only these keys: ${CONFIG_FILE_KEYS.join(', ')}.`,
      );
    }
    if (typeof value !== flag.type) {
      const shown = JSON.stringify(value).slice(0, 80);
      throw configError(
        path,
        `the key "${rawKey}" must be ${WANTED[flag.type]}; received ${shown}`,
        `Give "${rawKey}" as ${WANTED[flag.type]}.`,
        undefined,
        { key: rawKey, value: shown },
      );
    }
    values[key] = value;
  }
  return values;
}
