import type { AwsArgs } from '../../options/aws-options.js';
import type { ExasolArgs } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';

/** Flags every `sme endpoint …` subcommand takes. */
export interface EndpointCommonArgs extends GlobalArgs, ExasolArgs, AwsArgs {
  /** Exasol CONNECTION holding the AWS credentials (default: the one recorded with the job or endpoint). */
  readonly connection?: string;
}

/** The parsed flags of `sme endpoint deploy`. */
export interface EndpointDeployArgs extends EndpointCommonArgs {
  readonly job: string;
  readonly endpointName: string;
  /** Hosting instance type; `ml.m5.large` when not given (and no `serverlessMemory`). */
  readonly instanceType?: string;
  /** Hosting instances; 1 when not given. */
  readonly instanceCount?: number;
  /** Schema of the prediction UDF, as written in SQL. */
  readonly udfSchema: string;
  /** SageMaker runtime URL baked into the prediction UDF (default: the CLI's own runtime override, if any). */
  readonly udfAwsEndpointUrl?: string;
  /** PEM file of CA certificates the prediction UDF trusts besides AWS's roots. */
  readonly udfAwsCaFile?: string;
  /** Key columns (`ID`, `ID DECIMAL(18,0)`; comma-separated or repeated) the UDF takes first and emits unchanged. */
  readonly key?: readonly string[];
  /** Idle time-to-live (`2h`): deleted by the reaping once this long unused. */
  readonly idleTtl?: string;
  /** Serverless memory in MB (1024–6144 in steps of 1024) instead of instances. */
  readonly serverlessMemory?: number;
  /** Most concurrent invocations of a serverless endpoint (1–200). */
  readonly serverlessMaxConcurrency?: number;
}

/** The parsed flags of `sme endpoint status`. */
export interface EndpointStatusArgs extends EndpointCommonArgs {
  readonly endpoint: string;
  readonly watch: boolean;
  readonly pollInterval: number;
}

/** The parsed flags of `sme endpoint list`. */
export interface EndpointListArgs extends EndpointCommonArgs {
  readonly live: boolean;
  readonly concurrency: number;
  /** Also list endpoints of the account/region that sme did not record. */
  readonly untracked: boolean;
}

/** The parsed flags of `sme endpoint delete`. */
export interface EndpointDeleteArgs extends EndpointCommonArgs {
  readonly endpoint: string;
  /** Confirmed without asking (needed without a terminal). */
  readonly yes?: boolean;
}
