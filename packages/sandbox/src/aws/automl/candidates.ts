import { objectiveType } from './metrics.js';
import type { MetricName, ProblemType } from './metrics.js';
import type { SandboxModelFile } from './model.js';

/** A candidate of a job: its AutoMLCandidate record as responses carry it, its objective value, its model. */
export interface Candidate {
  /** The AutoMLCandidate structure (the report phases add CandidateArtifactLocations to it later). */
  readonly record: Record<string, unknown>;
  readonly value: number;
  readonly file?: SandboxModelFile;
  readonly creationTime: number;
}

/** What a completed candidate's record is built from. */
export interface CompletedCandidate {
  readonly name: string;
  readonly objective: MetricName;
  readonly value: number;
  readonly metrics: Partial<Record<MetricName, number>>;
  readonly file: SandboxModelFile;
  readonly modelDataUrl: string;
  readonly problemType: ProblemType;
  /** Start of training, epoch milliseconds. */
  readonly start: number;
}

const epoch = (ms: number): number => ms / 1000;

/** A candidate that did not train (e.g. over MaxRuntimePerTrainingJobInSeconds). */
export function failedCandidate(name: string, reason: string, start: number): Candidate {
  const now = Date.now();
  return {
    record: {
      CandidateName: name,
      ObjectiveStatus: 'Failed',
      CandidateStatus: 'Failed',
      FailureReason: reason,
      CandidateSteps: [],
      CreationTime: epoch(start),
      EndTime: epoch(now),
      LastModifiedTime: epoch(now),
    },
    value: Number.NaN,
    creationTime: start,
  };
}

/** A trained candidate: objective, steps, inference container and validation metrics. */
export function completedCandidate(
  account: { readonly region: string; readonly accountId: string },
  c: CompletedCandidate,
): Candidate {
  const now = Date.now();
  const { region, accountId } = account;
  const { name, objective } = c;
  const classification = c.problemType !== 'Regression';
  const record: Record<string, unknown> = {
    CandidateName: name,
    FinalAutoMLJobObjectiveMetric: {
      Type: objectiveType(objective),
      MetricName: objective,
      Value: c.value,
      StandardMetricName: objective,
    },
    ObjectiveStatus: 'Succeeded',
    CandidateSteps: [
      {
        CandidateStepType: 'AWS::SageMaker::TrainingJob',
        CandidateStepArn: `arn:aws:sagemaker:${region}:${accountId}:training-job/${name.toLowerCase()}`,
        CandidateStepName: name,
      },
    ],
    CandidateStatus: 'Completed',
    InferenceContainers: [
      {
        // A plausible Autopilot ensembling image; the sandbox serves the model itself.
        Image: `763104351884.dkr.ecr.${region}.amazonaws.com/autogluon-inference:0.4-cpu-py38-ubuntu20.04`,
        ModelDataUrl: c.modelDataUrl,
        Environment: {
          MODEL_NAME: name,
          SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT: 'text/csv',
          SAGEMAKER_INFERENCE_OUTPUT: 'predicted_label',
          SAGEMAKER_INFERENCE_SUPPORTED: classification ? 'predicted_label,probability' : 'predicted_label',
          SAGEMAKER_PROGRAM: 'tabular_serve.py',
          SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code',
        },
      },
    ],
    CreationTime: epoch(c.start),
    EndTime: epoch(now),
    LastModifiedTime: epoch(now),
    // CandidateArtifactLocations are added once the report phases have written them.
    CandidateProperties: {
      CandidateMetrics: Object.entries(c.metrics).map(([m, v]) => ({
        MetricName: m,
        StandardMetricName: m,
        Value: v,
        Set: 'Validation',
      })),
    },
  };
  return { record, value: c.value, file: c.file, creationTime: c.start };
}
