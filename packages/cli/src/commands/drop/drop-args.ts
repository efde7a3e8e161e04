import type { AwsArgs } from '../../options/aws-options.js';
import type { ExasolArgs } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';

/** The parsed flags of `sme drop`. */
export interface DropArgs extends GlobalArgs, ExasolArgs, AwsArgs {
  readonly job: string;
  readonly dryRun: boolean;
  readonly connection?: string;
  /** Confirmed without asking (needed without a terminal). */
  readonly yes?: boolean;
}
