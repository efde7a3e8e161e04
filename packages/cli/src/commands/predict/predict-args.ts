import type { AwsArgs } from '../../options/aws-options.js';
import type { ExasolArgs } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import type { OutputFormatArgs } from '../../options/output-options.js';

/** The parsed flags of `sme predict`. */
export interface PredictArgs extends GlobalArgs, ExasolArgs, AwsArgs, OutputFormatArgs {
  readonly endpoint: string;
  /** SCHEMA.TABLE: predict in Exasol through the endpoint's prediction UDF. */
  readonly table?: string;
  /** A local CSV file: predict by calling InvokeEndpoint from here (no Exasol). */
  readonly file?: string;
  readonly limit?: number;
  /** Write the rows as CSV to this file instead of printing them. */
  readonly outputFile?: string;
  /** Whether the first line of `--file` holds column names. */
  readonly header: boolean;
  readonly batchRows: number;
  /** Key columns kept beside the predictions (`--key ID[,…]`). */
  readonly key?: readonly string[];
}
