import type { ExasolArgs } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';

/** The parsed flags of `sme deploy`. */
export interface DeployArgs extends GlobalArgs, ExasolArgs {
  readonly awsEndpointUrl?: string;
  readonly s3EndpointUrl?: string;
  /** PEM file of CA certificates trusted besides AWS's roots inside the database. */
  readonly awsCaFile?: string;
  readonly print: boolean;
}
