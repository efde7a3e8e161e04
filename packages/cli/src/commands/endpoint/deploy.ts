import { deployEndpoint, selectJobsSql } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import { readCaFile } from '../ca-file.js';
import type { Output } from '../../output.js';
import { withResolvedJob } from '../../runtime/jobs-runtime.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import { checkDeployFlags, deployInput, recordedJob } from './deploy-input.js';
import type { EndpointDeployArgs } from './endpoint-args.js';
import { ensureEndpointsTable, withEndpointDeps } from './endpoint-runtime.js';
import { predictionUdfBundle } from './prediction-bundle.js';

export async function run(
  args: EndpointDeployArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  checkDeployFlags(args);
  // Read and checked before any connection opens; @sme/udf is loaded only when the flag is given.
  const extraRootsPem =
    args.udfAwsCaFile === undefined
      ? undefined
      : (await import('@sme/udf')).checkedCaPem(readCaFile(args.udfAwsCaFile, '--udf-aws-ca-file'));
  return withEndpointDeps(args, output, runtime, async (deps, context) => {
    args = await withResolvedJob(args, deps, context.metadataSchema, output);
    const input = deployInput(args, recordedJob(await deps.sql.query(selectJobsSql(context.metadataSchema, args.job))));
    const luaBundle = await predictionUdfBundle();
    const session = await deps.sql.query('SELECT CURRENT_SESSION, CURRENT_USER');
    const [sessionId, user] = session.rows[0] ?? [];
    await ensureEndpointsTable(deps.sql, context.metadataSchema);
    const awsEndpointUrl = args.udfAwsEndpointUrl ?? deps.aws.options.endpoints.runtime;
    const deployed = await deployEndpoint(
      input,
      {
        ...deps,
        predictionUdf: {
          luaBundle,
          ...(awsEndpointUrl === undefined ? {} : { awsEndpointUrl }),
          ...(extraRootsPem === undefined ? {} : { extraRootsPem }),
        },
      },
      { ...context, sessionId: String(sessionId), user: String(user) },
    );
    output.result({ ...deployed, jobName: input.jobName, region: input.region }, () => {
      output.line(`${deployed.endpointName}: ${deployed.status}`);
      const parameters = [...deployed.keys, ...deployed.features].map((f) => f.name).join(', ');
      output.line(`prediction UDF: ${deployed.predictionUdf}(${parameters})`);
      output.note(
        `it takes a few minutes to come up; follow it with: sme endpoint status ${deployed.endpointName} --watch`,
      );
      if (deployed.idleDeadline !== undefined) {
        output.note(`unused, it is deleted after ${deployed.idleDeadline} UTC (each sme predict moves this on)`);
      }
      output.note(
        deployed.serverless === undefined
          ? `it costs money while it runs; delete it with: sme endpoint delete ${deployed.endpointName}`
          : `serverless (${String(deployed.serverless.memoryMb)} MB): billed per request; delete it with: sme endpoint delete ${deployed.endpointName}`,
      );
    });
    return ExitCode.Ok;
  });
}
