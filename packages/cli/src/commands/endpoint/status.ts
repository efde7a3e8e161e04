import { endpointStatus, type EndpointRef } from '@sme/core';
import type { ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { processInterrupts, smeCommand, withInterrupt } from '../../runtime/interrupt.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import { endpointStatusView } from '../../views.js';
import type { EndpointCommonArgs, EndpointStatusArgs } from './endpoint-args.js';
import { requireEndpointsTable, withEndpointDeps } from './endpoint-runtime.js';
import { exitCodeForEndpoint, followEndpoint } from './follow-endpoint.js';

/** An endpoint reference: connection and region given by flag override (or stand in for) the recorded ones. */
export function endpointRef(endpointName: string, args: EndpointCommonArgs): EndpointRef {
  return {
    endpointName,
    ...(args.connection === undefined ? {} : { connectionName: args.connection }),
    ...(args.region === undefined ? {} : { region: args.region }),
  };
}

export async function run(
  args: EndpointStatusArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  return withEndpointDeps(args, output, runtime, async (deps, context) => {
    await requireEndpointsTable(deps.sql, context.metadataSchema, args.endpoint);
    const ref = endpointRef(args.endpoint, args);
    const poll = () => endpointStatus(ref, deps, context);
    const result = args.watch
      ? await withInterrupt(runtime.interrupts ?? processInterrupts, (signal) => {
          const flags = { '--schema': args.schema, '--connection': args.connection, '--region': args.region };
          return followEndpoint(args.endpoint, poll, output, {
            intervalMs: args.pollInterval * 1000,
            tty: runtime.stderr.isTTY === true,
            stream: runtime.stderr,
            signal,
            followCommand: smeCommand(['endpoint', 'status', args.endpoint, '--watch'], flags),
            stopCommand: smeCommand(['endpoint', 'delete', args.endpoint], flags),
          });
        })
      : await poll();
    const runningMs = Date.now() - result.creationTime;
    output.show(endpointStatusView(result, runningMs), () => {
      if (!result.recorded) output.note('(not in the endpoints table: nothing recorded)');
    });
    return exitCodeForEndpoint(result.status);
  });
}
