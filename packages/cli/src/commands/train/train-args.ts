import type { ExasolArgs } from '../../options/exasol-options.js';
import type { AwsArgs } from '../../options/aws-options.js';
import type { GlobalArgs } from '../../options/global-options.js';
import type { TrainFlags } from './train-params.js';

/** The parsed flags of `sme train`: the training flags (train-params.ts), the connections, and how to follow. */
export interface TrainArgs extends GlobalArgs, ExasolArgs, AwsArgs, TrainFlags {
  readonly wait: boolean;
  readonly pollInterval: number;
}
