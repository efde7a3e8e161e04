import type { TrainingParams } from './params.js';
import type { AutoMLJobCompletionCriteria, CreateAutoMLJobV2Request } from './ports/automl-port.js';

/** Content type of the exported CSV files: Exasol writes a header line (WITH COLUMN NAMES). */
export const CSV_WITH_HEADER = 'text/csv;header=present';

/**
 * The CreateAutoMLJobV2 request for validated parameters. `inputPrefixUri` must be the job's own prefix
 * ending with `/` (Autopilot reads every object under it); CompletionCriteria carries only given values.
 *
 * @example
 * createAutoMLJobRequest(params, { jobName, roleArn, inputPrefixUri: layout.inputPrefixUri, outputPrefixUri: layout.outputPrefixUri });
 */
export function createAutoMLJobRequest(
  params: TrainingParams,
  job: {
    readonly jobName: string;
    readonly roleArn: string;
    readonly inputPrefixUri: string;
    readonly outputPrefixUri: string;
  },
): CreateAutoMLJobV2Request {
  const criteria: {
    MaxCandidates?: number;
    MaxRuntimePerTrainingJobInSeconds?: number;
    MaxAutoMLJobRuntimeInSeconds?: number;
  } = {};
  let anyCriterion = false;
  if (params.maxCandidates !== undefined) {
    criteria.MaxCandidates = params.maxCandidates;
    anyCriterion = true;
  }
  if (params.maxRuntimePerTrainingJobInSeconds !== undefined) {
    criteria.MaxRuntimePerTrainingJobInSeconds = params.maxRuntimePerTrainingJobInSeconds;
    anyCriterion = true;
  }
  if (params.maxRuntimeForAutomlJobInSeconds !== undefined) {
    criteria.MaxAutoMLJobRuntimeInSeconds = params.maxRuntimeForAutomlJobInSeconds;
    anyCriterion = true;
  }
  const completion: AutoMLJobCompletionCriteria | undefined = anyCriterion ? criteria : undefined;
  const tabular: {
    TargetAttributeName: string;
    ProblemType?: TrainingParams['problemType'];
    CompletionCriteria?: AutoMLJobCompletionCriteria;
  } = { TargetAttributeName: params.targetAttributeName };
  if (params.problemType !== undefined) tabular.ProblemType = params.problemType;
  if (completion !== undefined) tabular.CompletionCriteria = completion;
  const request: {
    -readonly [K in keyof CreateAutoMLJobV2Request]: CreateAutoMLJobV2Request[K];
  } = {
    AutoMLJobName: job.jobName,
    AutoMLJobInputDataConfig: [
      {
        ChannelType: 'training',
        ContentType: CSV_WITH_HEADER,
        CompressionType: 'None',
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: job.inputPrefixUri } },
      },
    ],
    OutputDataConfig: { S3OutputPath: job.outputPrefixUri },
    AutoMLProblemTypeConfig: { TabularJobConfig: tabular },
    RoleArn: job.roleArn,
  };
  if (params.objective !== undefined) request.AutoMLJobObjective = { MetricName: params.objective };
  return request;
}
