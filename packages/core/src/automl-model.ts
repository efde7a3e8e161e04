import type { AutoMLJobSecondaryStatus, AutoMLJobStatus, ProblemType } from './ports/automl-port.js';

/** The problem types of tabular Autopilot jobs. */
export const PROBLEM_TYPES: readonly ProblemType[] = ['BinaryClassification', 'MulticlassClassification', 'Regression'];

/** Tabular objective metrics, as AWS spells them. */
export type TabularObjective =
  | 'Accuracy'
  | 'AUC'
  | 'BalancedAccuracy'
  | 'F1'
  | 'F1macro'
  | 'MAE'
  | 'MSE'
  | 'Precision'
  | 'PrecisionMacro'
  | 'R2'
  | 'Recall'
  | 'RecallMacro'
  | 'RMSE';

/**
 * Objectives valid per problem type; the first is AWS's default.
 * Source: AutoMLJobObjective in the AWS API model (packages/sandbox/src/aws/api-model/) and
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AutoMLJobObjective.html
 */
export const OBJECTIVES_BY_PROBLEM_TYPE: Readonly<Record<ProblemType, readonly TabularObjective[]>> = {
  BinaryClassification: ['F1', 'Accuracy', 'AUC', 'BalancedAccuracy', 'Precision', 'Recall'],
  MulticlassClassification: ['Accuracy', 'BalancedAccuracy', 'F1macro', 'PrecisionMacro', 'RecallMacro'],
  Regression: ['MSE', 'MAE', 'R2', 'RMSE'],
};

/** Every tabular objective, sorted. */
export const TABULAR_OBJECTIVES: readonly TabularObjective[] = [
  'AUC',
  'Accuracy',
  'BalancedAccuracy',
  'F1',
  'F1macro',
  'MAE',
  'MSE',
  'Precision',
  'PrecisionMacro',
  'R2',
  'RMSE',
  'Recall',
  'RecallMacro',
];

/** The 5 AutoML job statuses. */
export const AUTOML_JOB_STATUSES: readonly AutoMLJobStatus[] = [
  'InProgress',
  'Completed',
  'Failed',
  'Stopping',
  'Stopped',
];

/** Job statuses after which nothing changes any more. */
export const TERMINAL_JOB_STATUSES: readonly AutoMLJobStatus[] = ['Completed', 'Failed', 'Stopped'];

/** The 19 secondary statuses of DescribeAutoMLJobV2. */
export const AUTOML_JOB_SECONDARY_STATUSES: readonly AutoMLJobSecondaryStatus[] = [
  'Starting',
  'AnalyzingData',
  'FeatureEngineering',
  'ModelTuning',
  'TrainingModels',
  'PreTraining',
  'MaxCandidatesReached',
  'Failed',
  'Stopped',
  'MaxAutoMLJobRuntimeReached',
  'Stopping',
  'CandidateDefinitionsGenerated',
  'GeneratingExplainabilityReport',
  'ExplainabilityError',
  'GeneratingModelInsightsReport',
  'ModelInsightsError',
  'DeployingModel',
  'ModelDeploymentError',
  'Completed',
];

/**
 * Secondary statuses AWS reports only once the job has ended (its primary status is then Completed,
 * Failed or Stopped). The explainability/insights/deployment errors end a job whose candidates exist.
 */
export const TERMINAL_SECONDARY_STATUSES: readonly AutoMLJobSecondaryStatus[] = [
  'Completed',
  'Failed',
  'Stopped',
  'MaxCandidatesReached',
  'MaxAutoMLJobRuntimeReached',
  'CandidateDefinitionsGenerated',
  'ExplainabilityError',
  'ModelInsightsError',
  'ModelDeploymentError',
];

/**
 * Whether a job with this status will not change any more.
 *
 * @example
 * isTerminalJobStatus('Stopping'); // false
 */
export function isTerminalJobStatus(status: string): boolean {
  return (TERMINAL_JOB_STATUSES as readonly string[]).includes(status);
}

/** Whether a secondary status is only reported for a job that has ended. */
export function isTerminalSecondaryStatus(status: string): boolean {
  return (TERMINAL_SECONDARY_STATUSES as readonly string[]).includes(status);
}
