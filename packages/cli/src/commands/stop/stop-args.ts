import type { ExasolArgs } from '../../options/exasol-options.js';
import type { AwsArgs } from '../../options/aws-options.js';
import type { GlobalArgs } from '../../options/global-options.js';

/** The parsed flags of `sme stop`. */
export interface StopArgs extends GlobalArgs, ExasolArgs, AwsArgs {
  readonly job: string;
  /** Confirmed without asking (needed without a terminal). */
  readonly yes?: boolean;
}
