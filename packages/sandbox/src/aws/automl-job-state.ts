/** An AutoML job as the sandbox keeps it, and the options of the jobs part. */
import type { Candidate } from './automl/candidates.js';
import type { MetricName, ProblemType } from './automl/metrics.js';
import type { Json } from './aws-json.js';
import type { ObjectStore } from './s3-store.js';

/** Simulated durations of each phase, in job seconds (scaled by the clock speed). */
export interface JobPhaseSeconds {
  readonly starting: number;
  readonly analyzingData: number;
  readonly featureEngineering: number;
  /** Per candidate. */
  readonly candidate: number;
  readonly reports: number;
}

export const DEFAULT_PHASE_SECONDS: JobPhaseSeconds = {
  starting: 2,
  analyzingData: 3,
  featureEngineering: 3,
  candidate: 2,
  reports: 2,
};

export interface JobsOptions {
  readonly region: string;
  readonly accountId: string;
  readonly objects: ObjectStore;
  /** Simulated seconds per real second (job phases, runtime limits, endpoint creation). */
  readonly clockSpeed: number;
  readonly phaseSeconds: JobPhaseSeconds;
  /** Jobs in progress at once before ResourceLimitExceeded. */
  readonly maxRunningJobs: number;
  readonly seed: number;
}

export interface Job {
  readonly name: string;
  readonly arn: string;
  readonly request: Json;
  readonly creationTime: number;
  status: 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';
  secondary: string;
  lastModified: number;
  endTime?: number;
  failureReason?: string;
  problemType?: ProblemType;
  objective?: MetricName;
  candidates: Candidate[];
  best?: Candidate;
  stopRequested: boolean;
  reportUri?: string;
  baseline?: Partial<Record<MetricName, number>>;
}

/** Autopilot's default MaxCandidates (AWS API reference, AutoMLJobCompletionCriteria). */
export const DEFAULT_MAX_CANDIDATES = 250;
