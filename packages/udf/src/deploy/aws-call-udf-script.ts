import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { quoteIdentifier, SmeError } from '@sme/core';
import { parseEndpointUrl } from '../lua/aws/aws-call.js';
import { luaStringLiteral } from './lua-literal.js';

import { AWS_CALL_UDF_NAME } from '../lua/scripting/names.js';

export { AWS_CALL_UDF_NAME };

export interface AwsCallUdfScriptOptions {
  /** Target schema (name as stored, e.g. `SME`; it is quoted). */
  readonly schema: string;
  /** Endpoint override baked into the UDF (`--aws-endpoint-url`); AWS's regional endpoints when absent. */
  readonly awsEndpointUrl?: string;
  /** S3 endpoint override baked into the UDF (path-style requests); AWS's virtual-host S3 when absent. */
  readonly s3EndpointUrl?: string;
  /** Socket timeout per operation, seconds (default 30). */
  readonly timeoutSeconds?: number;
  /** CA bundle for HTTPS certificate checks (default: directory /etc/ssl/certs). */
  readonly tlsCaFile?: string;
  readonly tlsCaPath?: string;
}

/**
 * Text of a built Lua bundle: from `dist/lua-bundles/` in the published package, else from `lua-build/`
 * of a source checkout (tests run from `src/`).
 */
export function luaBundle(file: string): string {
  for (const candidate of [`../lua-bundles/${file}`, `../../lua-build/${file}`]) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  throw new SmeError(
    'SME-E-UDF-BUNDLE-MISSING',
    'Internal',
    `SME-E-UDF-BUNDLE-MISSING: the Lua bundle ${file} was not built. Run \`npm run build -w @sme/udf\`.`,
    { value: file, remedy: 'Run `npm run build -w @sme/udf`.' },
  );
}

/**
 * Text of the prediction UDF's Lua bundle: what core's `predictionUdfSql(spec, bundle)` embeds in each per-endpoint
 * prediction UDF. The CLI and the in-database deploy script use this one text, so both create the same UDF.
 *
 * @example
 * await sql.execute(predictionUdfSql(spec, predictionUdfBundle()));
 */
export function predictionUdfBundle(): string {
  return luaBundle(PREDICTION_UDF_BUNDLE);
}

/** File name of the prediction UDF's bundle under `dist/lua-bundles/`. */
export const PREDICTION_UDF_BUNDLE = 'prediction-udf.lua';

/**
 * Embeds a bundle in a script body: the bundle is a chunk that returns its entry module, so it is wrapped in
 * a function and called once. Its locals stay inside that function.
 */
export function embedBundle(bundle: string): string {
  return `local SME_BUNDLE = (function(...)\n${bundle}\nend)()\n`;
}

/**
 * `CREATE OR REPLACE LUA SCALAR SCRIPT <schema>.SME_AWS_SAGEMAKER_CALL(connection_name, aws_region, operation,
 * payload) RETURNS VARCHAR(2000000)`: one signed SageMaker call (or S3 ListObjectsV2/GetObject/DeleteObject) per row, answered as an envelope JSON text
 * (`{"ok":true,"httpStatus":…,"requestId":…,"body":"…"}` or `{"ok":false,"code":"SME-E-AWS-…",…}`).
 * The statement is sent as one SQL text (no trailing `/`).
 *
 * @example
 * await sql.execute(awsCallUdfScript({ schema: 'SME', awsEndpointUrl: 'http://127.0.0.1:4566' }));
 */
export function awsCallUdfScript(options: AwsCallUdfScriptOptions): string {
  if (options.awsEndpointUrl !== undefined && parseEndpointUrl(options.awsEndpointUrl) === undefined) {
    throw new SmeError(
      'SME-E-AWS-ENDPOINT-INVALID',
      'InvalidInput',
      `SME-E-AWS-ENDPOINT-INVALID: --aws-endpoint-url '${options.awsEndpointUrl}' is not an http(s) URL. Give it as 'https://host[:port][/path]' or 'http://host[:port][/path]'.`,
      { key: 'awsEndpointUrl', value: options.awsEndpointUrl },
    );
  }
  if (options.s3EndpointUrl !== undefined && parseEndpointUrl(options.s3EndpointUrl) === undefined) {
    throw new SmeError(
      'SME-E-AWS-ENDPOINT-INVALID',
      'InvalidInput',
      `SME-E-AWS-ENDPOINT-INVALID: the S3 endpoint override '${options.s3EndpointUrl}' is not an http(s) URL. Give it as 'https://host[:port][/path]' or 'http://host[:port][/path]'.`,
      { key: 's3EndpointUrl', value: options.s3EndpointUrl },
    );
  }
  const timeout = options.timeoutSeconds ?? 30;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600) {
    throw new SmeError(
      'SME-E-UDF-TIMEOUT-INVALID',
      'InvalidInput',
      `SME-E-UDF-TIMEOUT-INVALID: timeoutSeconds must be a whole number from 1 to 3600 (got ${String(timeout)}).`,
      { key: 'timeoutSeconds', value: String(timeout) },
    );
  }
  const config: string[] = [`timeoutSeconds = ${String(timeout)}`];
  if (options.awsEndpointUrl !== undefined) config.push(`awsEndpointUrl = ${luaStringLiteral(options.awsEndpointUrl)}`);
  if (options.s3EndpointUrl !== undefined) config.push(`s3EndpointUrl = ${luaStringLiteral(options.s3EndpointUrl)}`);
  if (options.tlsCaFile !== undefined) config.push(`tlsCaFile = ${luaStringLiteral(options.tlsCaFile)}`);
  if (options.tlsCaPath !== undefined) config.push(`tlsCaPath = ${luaStringLiteral(options.tlsCaPath)}`);
  return (
    `CREATE OR REPLACE LUA SCALAR SCRIPT ${quoteIdentifier(options.schema)}.${quoteIdentifier(AWS_CALL_UDF_NAME)}(` +
    'connection_name VARCHAR(2000) UTF8, aws_region VARCHAR(64) UTF8, operation VARCHAR(64) UTF8, ' +
    'payload VARCHAR(2000000) UTF8) RETURNS VARCHAR(2000000) UTF8 AS\n' +
    embedBundle(luaBundle('aws-call-udf.lua')) +
    `local SME_CONFIG = { ${config.join(', ')} }\n` +
    'function run(ctx)\n  return SME_BUNDLE.runAwsCall(ctx, SME_CONFIG)\nend\n'
  );
}
