import type { AwsArgs } from '../../options/aws-options.js';
import type { ExasolArgs } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';

/** The parsed flags of `sme promote`. */
export interface PromoteArgs extends GlobalArgs, ExasolArgs, AwsArgs {
  readonly job: string;
  /** The stable model name (`--as churn` → UDF PREDICT_CHURN). */
  readonly as: string;
  /** The endpoint the stable UDF calls (default: the job's newest). */
  readonly endpoint?: string;
  /** SageMaker runtime URL baked into the UDF (default: the CLI's own runtime override, if any). */
  readonly udfAwsEndpointUrl?: string;
}

/** The parsed flags of `sme models`. */
export type ModelsArgs = GlobalArgs & ExasolArgs;
