import { freeze } from './freeze.js';
import { MAX_RUNTIME_SECONDS } from './params.js';
import { formatInteger, padInteger } from './text.js';

/** One instance type of the price table: on-demand US dollars per instance-hour. */
export interface InstancePrice {
  readonly instanceType: string;
  readonly usdPerHour: number;
}

/**
 * The prices the cost estimate uses: the one place in sme that holds them. SageMaker's on-demand training prices
 * of the m5 instances Autopilot is seen to train on, US East (N. Virginia), from
 * https://aws.amazon.com/sagemaker/pricing/ ("On-Demand Pricing", "Training" tab) as recalled on 2026-12-02
 * [unverified: not re-read against the live page here, where it cannot be opened]. Other regions cost up to ~30 %
 * more. Which instance types Autopilot picks is not documented, so the estimate spans the cheapest and the dearest.
 */
export const AUTOPILOT_PRICE_TABLE = freeze({
  source: 'https://aws.amazon.com/sagemaker/pricing/ (On-Demand, Training, US East (N. Virginia))',
  asOf: '2026-12-02',
  verified: false,
  currency: 'USD',
  instances: [
    { instanceType: 'ml.m5.2xlarge', usdPerHour: 0.461 },
    { instanceType: 'ml.m5.4xlarge', usdPerHour: 0.922 },
    { instanceType: 'ml.m5.12xlarge', usdPerHour: 2.765 },
  ] as readonly InstancePrice[],
});

/** MaxCandidates when the request sets none: AWS's default for tabular jobs, 250 [unverified]. */
export const DEFAULT_MAX_CANDIDATES = 250;

/**
 * How many candidates Autopilot trains at once, at most, as assumed by the upper end of the estimate: 10
 * [unverified: AWS does not document it]. The lower end assumes one at a time.
 */
export const ASSUMED_PARALLEL_CANDIDATES = 10;

/** The runtime caps of a start (the training parameters' names). */
export interface RuntimeCaps {
  readonly maxCandidates?: number;
  readonly maxRuntimeForAutomlJobInSeconds?: number;
  readonly maxRuntimePerTrainingJobInSeconds?: number;
}

/** A labelled estimate of what a job costs when it runs to its caps: never a quote. */
export interface CostEstimate {
  /** US dollars: candidates one after another on the cheapest instance of the table, stopped by the job cap. */
  readonly lowUsd: number;
  /** US dollars: `ASSUMED_PARALLEL_CANDIDATES` at once on the dearest instance, each to its own cap. */
  readonly highUsd: number;
  readonly lowInstanceHours: number;
  readonly highInstanceHours: number;
  /** False when a cap was left to AWS's defaults (30-day job, 250 candidates): the range is then huge. */
  readonly capped: boolean;
  /** One sentence, labelled as an estimate, with its assumptions and the price table's source and date. */
  readonly text: string;
}

/** Dollars with 2 decimals, rounded half up: `$0.15`, `$19908.00`. The same text in Node and Lua. */
export function formatUsd(value: number): string {
  const cents = Math.floor(value * 100 + 0.5);
  return '$' + formatInteger(Math.floor(cents / 100)) + '.' + padInteger(cents % 100, 2);
}

function roundCents(value: number): number {
  return Math.floor(value * 100 + 0.5) / 100;
}

/**
 * The cost range of an Autopilot job from its runtime caps and `AUTOPILOT_PRICE_TABLE`. Each candidate runs at
 * most min(per-candidate cap, job cap) and there are at most `max_candidates` (default 250) of them; the low end
 * runs them one after another until the job cap, the high end `ASSUMED_PARALLEL_CANDIDATES` at once. A job that
 * ends before its caps costs less than the low end. Not included: S3 storage, data transfer, endpoints.
 *
 * @example
 * estimateTrainingCost({ maxCandidates: 2, maxRuntimePerTrainingJobInSeconds: 600, maxRuntimeForAutomlJobInSeconds: 3600 });
 * // { lowUsd: 0.15, highUsd: 0.92, … }
 */
export function estimateTrainingCost(caps: RuntimeCaps): CostEstimate {
  const jobSeconds = caps.maxRuntimeForAutomlJobInSeconds ?? MAX_RUNTIME_SECONDS;
  const perCandidateCap = caps.maxRuntimePerTrainingJobInSeconds ?? jobSeconds;
  const perCandidate = perCandidateCap < jobSeconds ? perCandidateCap : jobSeconds;
  const candidates = caps.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  const candidateSeconds = candidates * perCandidate;
  const lowSeconds = candidateSeconds < jobSeconds ? candidateSeconds : jobSeconds;
  const parallelSeconds = jobSeconds * ASSUMED_PARALLEL_CANDIDATES;
  const highSeconds = candidateSeconds < parallelSeconds ? candidateSeconds : parallelSeconds;
  const prices = AUTOPILOT_PRICE_TABLE.instances;
  let cheapest = prices[0] ?? { instanceType: 'ml.m5.2xlarge', usdPerHour: 0 };
  let dearest = cheapest;
  for (const p of prices) {
    if (p.usdPerHour < cheapest.usdPerHour) cheapest = p;
    if (p.usdPerHour > dearest.usdPerHour) dearest = p;
  }
  const lowInstanceHours = lowSeconds / 3600;
  const highInstanceHours = highSeconds / 3600;
  const lowUsd = roundCents(lowInstanceHours * cheapest.usdPerHour);
  const highUsd = roundCents(highInstanceHours * dearest.usdPerHour);
  const capped =
    caps.maxCandidates !== undefined &&
    caps.maxRuntimeForAutomlJobInSeconds !== undefined &&
    caps.maxRuntimePerTrainingJobInSeconds !== undefined;
  const text =
    'estimated cost (an estimate, not a quote): ' +
    formatUsd(lowUsd) +
    ' to ' +
    formatUsd(highUsd) +
    ' if the job runs to its caps (' +
    formatInteger(candidates) +
    ' candidates x at most ' +
    formatInteger(perCandidate) +
    ' s each, job at most ' +
    formatInteger(jobSeconds) +
    ' s; 1 to ' +
    formatInteger(ASSUMED_PARALLEL_CANDIDATES) +
    ' candidates at once on ' +
    cheapest.instanceType +
    ' to ' +
    dearest.instanceType +
    ' at on-demand ' +
    AUTOPILOT_PRICE_TABLE.currency +
    ' prices of ' +
    AUTOPILOT_PRICE_TABLE.asOf +
    ', us-east-1); S3 and endpoints not included' +
    (capped
      ? ''
      : '; caps left to AWS defaults (250 candidates, 30 days): set max_candidates, ' +
        'max_runtime_for_automl_job_in_seconds and max_runtime_per_training_job_in_seconds to bound it');
  return freeze({ lowUsd, highUsd, lowInstanceHours, highInstanceHours, capped, text });
}
