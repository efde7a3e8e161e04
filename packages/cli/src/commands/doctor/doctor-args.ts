import type { AwsArgs } from '../../options/aws-options.js';
import type { ExasolArgs } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';

/** The parsed flags of `sme doctor`. */
export interface DoctorArgs extends GlobalArgs, ExasolArgs, AwsArgs {
  readonly connection?: string;
  readonly bucket?: string;
  readonly role?: string;
}
