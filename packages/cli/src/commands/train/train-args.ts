import type { ExasolArgs } from '../../options/exasol-options.js';
import type { AwsArgs } from '../../options/aws-options.js';
import type { GlobalArgs } from '../../options/global-options.js';

/** The parsed flags of `sme train`. */
export interface TrainArgs extends GlobalArgs, ExasolArgs, AwsArgs {
  readonly params?: string;
  readonly modelName?: string;
  readonly table?: string;
  readonly target?: string;
  readonly connection?: string;
  readonly bucket?: string;
  readonly outputPath?: string;
  readonly role?: string;
  readonly problemType?: string;
  readonly objective?: string;
  readonly maxCandidates?: number;
  readonly maxRuntime?: number;
  readonly maxRuntimePerJob?: number;
  readonly allowSuspectFeatures?: boolean;
  readonly sampleMaxRows?: number;
  readonly sampleFraction?: number;
  readonly wait: boolean;
  readonly pollInterval: number;
}
