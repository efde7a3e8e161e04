import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { awsError, maskUserinfo, quoteIdentifier, type SmeError } from '@sme/core';
import { parseEndpointUrl } from '../lua/aws/aws-call.js';
import { pemBlocks } from '../lua/aws/pem-blocks.js';
import { udfError } from '../lua/scripting/udf-errors.js';
import { luaStringLiteral } from './lua-literal.js';

import { AWS_CALL_UDF_NAME } from '../lua/scripting/names.js';

export { AWS_CALL_UDF_NAME };

/** An endpoint override given at deployment that is not an http(s) URL: core's AWS vocabulary, as at run time. */
function endpointInvalid(subject: string, key: string, value: string): SmeError {
  const shown = maskUserinfo(value);
  return awsError('SME-E-AWS-ENDPOINT-INVALID', { subject, detail: `got '${shown}'`, key, value: shown });
}

export interface AwsCallUdfScriptOptions {
  /** Target schema (name as stored, e.g. `SME`; it is quoted). */
  readonly schema: string;
  /** Endpoint override baked into the UDF (`--aws-endpoint-url`); AWS's regional endpoints when absent. */
  readonly awsEndpointUrl?: string;
  /** S3 endpoint override baked into the UDF (path-style requests); AWS's virtual-host S3 when absent. */
  readonly s3EndpointUrl?: string;
  /** Socket timeout per operation, seconds (default 30). */
  readonly timeoutSeconds?: number;
  /**
   * PEM text of root certificates the UDF trusts besides AWS's own (always trusted, baked into the bundle):
   * `sme deploy --aws-ca-file`, for private endpoints and the sandbox's `--aws-tls`. Checked with `checkedCaPem`.
   */
  readonly extraCaPem?: string;
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
  throw udfError('SME-E-UDF-BUNDLE-MISSING', `the Lua bundle ${file} was not built`, {
    value: file,
    remedy: 'Run `npm run build -w @sme/udf`.',
  });
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
    throw endpointInvalid('--aws-endpoint-url', 'awsEndpointUrl', options.awsEndpointUrl);
  }
  if (options.s3EndpointUrl !== undefined && parseEndpointUrl(options.s3EndpointUrl) === undefined) {
    throw endpointInvalid('the S3 endpoint override', 's3EndpointUrl', options.s3EndpointUrl);
  }
  const timeout = options.timeoutSeconds ?? 30;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600) {
    throw udfError(
      'SME-E-UDF-TIMEOUT-INVALID',
      `timeoutSeconds must be a whole number from 1 to 3600 (got ${String(timeout)})`,
      { key: 'timeoutSeconds', value: String(timeout) },
    );
  }
  const config: string[] = [`timeoutSeconds = ${String(timeout)}`];
  if (options.awsEndpointUrl !== undefined) config.push(`awsEndpointUrl = ${luaStringLiteral(options.awsEndpointUrl)}`);
  if (options.s3EndpointUrl !== undefined) config.push(`s3EndpointUrl = ${luaStringLiteral(options.s3EndpointUrl)}`);
  if (options.extraCaPem !== undefined)
    config.push(`extraRootsPem = ${luaStringLiteral(checkedCaPem(options.extraCaPem))}`);
  return (
    `CREATE OR REPLACE LUA SCALAR SCRIPT ${quoteIdentifier(options.schema)}.${quoteIdentifier(AWS_CALL_UDF_NAME)}(` +
    'connection_name VARCHAR(2000) UTF8, aws_region VARCHAR(64) UTF8, operation VARCHAR(64) UTF8, ' +
    'payload VARCHAR(2000000) UTF8) RETURNS VARCHAR(2000000) UTF8 AS\n' +
    embedBundle(luaBundle('aws-call-udf.lua')) +
    `local SME_CONFIG = { ${config.join(', ')} }\n` +
    'function run(ctx)\n  return SME_BUNDLE.runAwsCall(ctx, SME_CONFIG)\nend\n'
  );
}

function caInvalid(reason: string): SmeError {
  return udfError('SME-E-UDF-CA-INVALID', '--aws-ca-file ' + reason, { key: 'awsCaFile' });
}

/**
 * The PEM certificates of `--aws-ca-file`, each parsed and required to be a CA certificate that is valid now,
 * normalised to their PEM blocks (text around them dropped). A private key in the text is refused: it must not be
 * baked into a script every user can read.
 *
 * @example
 * checkedCaPem(readFileSync('sandbox-ca.pem', 'utf8'))
 */
export function checkedCaPem(text: string, now: Date = new Date()): string {
  if (text.includes('PRIVATE KEY-----')) throw caInvalid('holds a private key (only certificates belong there)');
  const blocks = pemBlocks(text);
  if (blocks.length === 0) throw caInvalid('holds no PEM certificate');
  blocks.forEach((pem, i) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      throw caInvalid(`certificate ${String(i + 1)} cannot be parsed`);
    }
    if (!cert.ca)
      throw caInvalid(`certificate ${String(i + 1)} (${cert.subject.replace(/\n/g, ', ')}) is not a CA certificate`);
    if (Date.parse(cert.validTo) < now.getTime())
      throw caInvalid(`certificate ${String(i + 1)} (${cert.subject.replace(/\n/g, ', ')}) expired on ${cert.validTo}`);
  });
  return blocks.join('');
}
