import type { ExasolArgs } from '../../options/exasol-options.js';
import type { AwsArgs } from '../../options/aws-options.js';
import type { GlobalArgs } from '../../options/global-options.js';

/** The parsed flags of `sme status`. */
export interface StatusArgs extends GlobalArgs, ExasolArgs, AwsArgs {
  readonly job: string;
  readonly watch: boolean;
  readonly pollInterval: number;
}
