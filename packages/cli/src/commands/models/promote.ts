import { userInfo } from 'node:os';
import { createModelsTableSql, promoteModel } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import { ensureEndpointsTable, withEndpointDeps } from '../endpoint/endpoint-runtime.js';
import { predictionUdfBundle } from '../endpoint/prediction-bundle.js';
import type { PromoteArgs } from './models-args.js';

/** Who promotes from the CLI: the operating-system user (the SQL script records CURRENT_USER). */
function osUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

export async function run(
  args: PromoteArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  return withEndpointDeps(args, output, runtime, async (deps, context) => {
    await ensureEndpointsTable(deps.sql, context.metadataSchema);
    await deps.sql.execute(createModelsTableSql(context.metadataSchema));
    const awsEndpointUrl = args.udfAwsEndpointUrl ?? deps.aws.options.endpoints.runtime;
    const user = osUser();
    const promoted = await promoteModel(
      {
        jobName: args.job,
        modelName: args.as,
        ...(args.endpoint === undefined ? {} : { endpointName: args.endpoint }),
      },
      {
        sql: deps.sql,
        json: deps.json,
        clock: deps.clock,
        log: deps.log,
        predictionUdf: {
          luaBundle: await predictionUdfBundle(),
          ...(awsEndpointUrl === undefined ? {} : { awsEndpointUrl }),
        },
      },
      { metadataSchema: context.metadataSchema, ...(user === undefined ? {} : { user }) },
    );
    output.result(promoted, () => {
      output.line(
        `${promoted.modelName}: ${promoted.jobName} (endpoint ${promoted.endpointName})` +
          (promoted.previousJobName === undefined ? '' : `, was ${promoted.previousJobName}`),
      );
      output.line(`prediction UDF: ${promoted.predictionUdf}`);
    });
    return ExitCode.Ok;
  });
}
