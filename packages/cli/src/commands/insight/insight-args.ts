import type { AwsArgs } from '../../options/aws-options.js';
import type { ExasolArgs } from '../../options/exasol-options.js';
import type { GlobalArgs } from '../../options/global-options.js';

/** The parsed flags of `sme candidates`, `sme evaluate` and `sme explain`. */
export interface InsightArgs extends GlobalArgs, ExasolArgs, AwsArgs {
  readonly job: string;
  /** The CONNECTION name recorded for a job that is not in the metadata table (needed with `--region`). */
  readonly connection?: string;
}

/** The parsed flags of `sme report`. */
export interface ReportArgs extends InsightArgs {
  /** The HTML file to write; default `<job>-report.html` in the current directory. */
  readonly out?: string;
}
