import { listEndpoints } from '@sme/core';
import { ExitCode, type ExitCodeValue } from '../../exit-codes.js';
import type { Output } from '../../output.js';
import { describeLimiter, limitedRuntime, noteThrottling } from '../../runtime/describe-limiter.js';
import { processRuntime, type Runtime } from '../../runtime/session.js';
import { endpointListView } from '../../views.js';
import type { EndpointListArgs } from './endpoint-args.js';
import { hasEndpointsTable, withEndpointDeps } from './endpoint-runtime.js';

export async function run(
  args: EndpointListArgs,
  output: Output,
  runtime: Runtime = processRuntime(),
): Promise<ExitCodeValue> {
  return withEndpointDeps(args, output, limitedRuntime(runtime), async (deps, context, settings) => {
    const limiter = describeLimiter();
    const entries = (await hasEndpointsTable(deps.sql, context.metadataSchema))
      ? await listEndpoints(deps, context, {
          live: args.live,
          concurrency: args.concurrency,
          limiter,
          ...(args.untracked
            ? { untrackedIn: { connectionName: args.connection ?? '', region: settings.aws.region ?? '' } }
            : {}),
        })
      : [];
    noteThrottling(limiter, output);
    output.show(endpointListView(entries), () => {
      if (entries.length === 0) output.note('no endpoints running');
    });
    return ExitCode.Ok;
  });
}
