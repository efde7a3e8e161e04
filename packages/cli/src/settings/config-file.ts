import { readFileSync } from 'node:fs';
import { SmeError } from '@sme/core';

/** Keys a config file may hold (camelCase; kebab-case long flag names are accepted too). */
export const CONFIG_FILE_KEYS: readonly string[] = [
  'dsn',
  'host',
  'port',
  'user',
  'schema',
  'caFile',
  'fingerprint',
  'insecureSkipVerify',
  'tls',
  'compression',
  'region',
  'profile',
  'awsEndpointUrl',
  's3EndpointUrl',
];

const EXAMPLE = 'e.g. {"dsn": "exa.example.com:8563", "user": "ml_user", "schema": "SME", "region": "eu-central-1"}';

function configError(path: string, message: string, remedy: string, cause?: unknown): SmeError {
  return new SmeError(
    'SME-E-CLI-CONFIG',
    'InvalidInput',
    `config file ${path}: ${message}`,
    { key: 'config', value: path, remedy },
    cause,
  );
}

function camelCase(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Reads the optional JSON config file: an object keyed by long flag names (`"aws-endpoint-url"` or
 * `"awsEndpointUrl"`). Keys come back camelCased. Secrets do not belong in it: a `password` key is refused.
 *
 * @throws SmeError `SME-E-CLI-CONFIG` when the file is unreadable, not a JSON object, holds a password or an unknown key.
 */
export function loadConfigFile(path: string): Record<string, unknown> {
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
    if (!CONFIG_FILE_KEYS.includes(key)) {
      throw configError(
        path,
        `has the unknown key "${rawKey}"`,
        `Use only these keys: ${CONFIG_FILE_KEYS.join(', ')}.`,
      );
    }
    values[key] = value;
  }
  return values;
}
