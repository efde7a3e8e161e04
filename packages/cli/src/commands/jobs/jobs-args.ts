import type { ExasolArgs } from '../../options/exasol-options.js';
import type { AwsArgs } from '../../options/aws-options.js';
import type { GlobalArgs } from '../../options/global-options.js';

/** The parsed flags of `sme jobs`. */
export interface JobsArgs extends GlobalArgs, ExasolArgs, AwsArgs {
  readonly status?: string;
  readonly model?: string;
  readonly limit?: number;
  readonly concurrency: number;
  readonly live: boolean;
}
