import { deleteEndpoint } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { confirm } from '../../runtime/confirm.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import type { EndpointDeleteArgs } from './endpoint-args.js';
import { requireEndpointsTable, withEndpointDeps } from './endpoint-runtime.js';
import { endpointRef } from './status.js';

/** What `confirm` shows and asks. */
type ConfirmRequest = Parameters<typeof confirm>[1];

/** What `sme endpoint delete` asks before it deletes (shown on a terminal; `--yes` skips it). */
export function endpointDeleteConfirmation(yes: boolean | undefined, endpoint: string): ConfirmRequest {
  return {
    yes,
    action: `Delete endpoint ${endpoint}`,
    plan: [`would delete endpoint ${endpoint} with its endpoint config and model, and drop its prediction UDF`],
  };
}

export async function run(
  args: EndpointDeleteArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  return withEndpointDeps(args, output, runtime, async (deps, context) => {
    await requireEndpointsTable(deps.sql, context.metadataSchema, args.endpoint);
    await confirm(runtime, endpointDeleteConfirmation(args.yes, args.endpoint));
    const result = await deleteEndpoint(endpointRef(args.endpoint, args), deps, context);
    output.result(result, () => {
      const gone = Object.entries(result.deleted)
        .filter(([, deleted]) => deleted)
        .map(([what]) => (what === 'endpointConfig' ? 'endpoint config' : what));
      output.line(
        `${result.endpointName}: deleted ${gone.length === 0 ? 'nothing (already gone at AWS)' : gone.join(', ')}` +
          (result.udfDropped ? '; prediction UDF dropped' : ''),
      );
      if (!result.recorded) output.note('(not in the endpoints table: nothing recorded)');
    });
    return ExitCode.Ok;
  });
}
