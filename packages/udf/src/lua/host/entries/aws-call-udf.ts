/** @noSelfInFile */
/**
 * Entry of the AWS-call UDF bundle (`SME_AWS_SAGEMAKER_CALL`). The bundle evaluates to this module's exports;
 * the UDF body that embeds it (see `awsCallUdfScript`) defines the `run(ctx)` global Exasol calls and passes
 * the configuration baked in at deploy time.
 */
import type { AwsCallConfig } from '../../aws/aws-call.js';
import { awsCallEnvelope } from '../../aws/aws-call-answer.js';
import type { ExaGlobal } from '../lua-libs.js';
import { luaSha256Crypto } from '../lua-crypto.js';
import { instanceHttpPort } from '../lua-http.js';
import { luaJson } from '../lua-json.js';
import { luaScriptIdentity } from '../lua-meta.js';
import { luaRetry } from '../lua-retry.js';

export { amzDate, signRequest } from '../../sigv4/sigv4.js';
export { luaSha256Crypto } from '../lua-crypto.js';
// For the differential test of the host-name check against Node's tls.checkServerIdentity.
export { hostNameMismatch } from '../../aws/tls-names.js';

declare const exa: ExaGlobal;

/** Deploy-time settings, written into the UDF body as a Lua table. */
export interface AwsCallUdfConfig extends AwsCallConfig {
  readonly timeoutSeconds?: number;
  /** PEM roots trusted besides AWS's (`sme deploy --aws-ca-file`). */
  readonly extraRootsPem?: string;
}

/** The UDF's arguments as Exasol passes them (`ctx.<parameter name>`); NULL is not a string. */
export interface AwsCallUdfContext {
  readonly connection_name?: unknown;
  readonly aws_region?: unknown;
  readonly operation?: unknown;
  readonly payload?: unknown;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Body of `run(ctx)`: one AWS call, answered as an envelope JSON text (see `awsCallEnvelope`). */
export function runAwsCall(ctx: AwsCallUdfContext, config: AwsCallUdfConfig): string {
  return awsCallEnvelope(
    {
      http: instanceHttpPort(config, {
        timeoutSeconds: config.timeoutSeconds ?? 30,
        ...(config.extraRootsPem === undefined ? {} : { extraRootsPem: config.extraRootsPem }),
      }),
      crypto: luaSha256Crypto(),
      clock: { nowMillis: () => os.time() * 1000 },
      json: luaJson(),
      getConnection: (name) => exa.get_connection(name),
      scriptIdentity: () => luaScriptIdentity(exa),
      retry: luaRetry(),
    },
    {
      connectionName: text(ctx.connection_name),
      region: text(ctx.aws_region),
      operation: text(ctx.operation),
      payload: text(ctx.payload),
    },
    {
      ...(config.awsEndpointUrl === undefined ? {} : { awsEndpointUrl: config.awsEndpointUrl }),
      ...(config.s3EndpointUrl === undefined ? {} : { s3EndpointUrl: config.s3EndpointUrl }),
    },
  );
}
