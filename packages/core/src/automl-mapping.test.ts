import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAutoMLJobRequest } from './automl-mapping.js';
import {
  AUTOML_JOB_SECONDARY_STATUSES,
  AUTOML_JOB_STATUSES,
  OBJECTIVES_BY_PROBLEM_TYPE,
  PROBLEM_TYPES,
  TABULAR_OBJECTIVES,
  isTerminalJobStatus,
} from './automl-model.js';
import { jobNameFor } from './job-name.js';
import { parseTrainingParams } from './params.js';
import { jobS3Layout } from './s3-layout.js';
import { validateAgainstShape, type ApiModel } from './testing/api-model-validator.js';
import { validParamsArb } from './testing/arbitraries.js';
import { nodeJson } from './testing/node-doubles.js';
import { EXAMPLE_PARAMS_JSON } from './testing/example-params.js';

// The AWS API model subset (from botocore, Apache-2.0) as the sandbox ships it: the same file in every checkout.
const MODEL_PATH = fileURLToPath(
  new URL('../../sandbox/src/aws/api-model/sagemaker-2017-07-24.subset.json', import.meta.url),
);
const model = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as ApiModel;
const enumOf = (shape: string) => model.shapes[shape]?.enum ?? [];

function requestFor(input: unknown, now = 1767225600000) {
  const params = parseTrainingParams(input, nodeJson);
  const jobName = jobNameFor(params.modelName, now);
  const layout = jobS3Layout({
    bucket: params.s3Bucket,
    prefix: params.s3BucketPrefix,
    outputPath: params.s3OutputPath,
    jobName,
  });
  const roleArn = params.roleArn ?? `arn:aws:iam::123456789012:role/${params.iamSagemakerRole}`;
  return createAutoMLJobRequest(params, {
    jobName,
    roleArn,
    inputPrefixUri: layout.inputPrefixUri,
    outputPrefixUri: layout.outputPrefixUri,
  });
}

describe('CreateAutoMLJobV2 mapping', () => {
  it('maps the user guide’s example parameters to the exact AWS request', () => {
    expect(requestFor(EXAMPLE_PARAMS_JSON)).toEqual({
      AutoMLJobName: 'churn-model-260101000000',
      AutoMLJobInputDataConfig: [
        {
          ChannelType: 'training',
          ContentType: 'text/csv;header=present',
          CompressionType: 'None',
          DataSource: {
            S3DataSource: {
              S3DataType: 'S3Prefix',
              S3Uri: 's3://sme-training-data/autopilot/churn/churn-model-260101000000/input/',
            },
          },
        },
      ],
      OutputDataConfig: { S3OutputPath: 's3://sme-training-data/autopilot/churn/churn-model-260101000000/output/' },
      AutoMLProblemTypeConfig: {
        TabularJobConfig: {
          TargetAttributeName: 'CHURNED',
          ProblemType: 'BinaryClassification',
          CompletionCriteria: {
            MaxCandidates: 10,
            MaxRuntimePerTrainingJobInSeconds: 600,
            MaxAutoMLJobRuntimeInSeconds: 3600,
          },
        },
      },
      RoleArn: 'arn:aws:iam::123456789012:role/SageMakerExecution',
      AutoMLJobObjective: { MetricName: 'F1' },
    });
  });

  it('leaves out CompletionCriteria, ProblemType and the objective when not given', () => {
    const example = JSON.parse(EXAMPLE_PARAMS_JSON) as Record<string, unknown>;
    const {
      problem_type: _p,
      objective: _o,
      max_candidates: _c,
      max_runtime_for_automl_job_in_seconds: _r,
      ...rest
    } = example;
    const { max_runtime_per_training_job_in_seconds: _t, ...minimal } = rest;
    const request = requestFor(minimal);
    expect(request.AutoMLProblemTypeConfig.TabularJobConfig).toEqual({ TargetAttributeName: 'CHURNED' });
    expect(request.AutoMLJobObjective).toBeUndefined();
    expect(validateAgainstShape(model, 'CreateAutoMLJobV2Request', request)).toEqual([]);
  });

  it('the validator catches what AWS would reject', () => {
    const bad = { ...requestFor(EXAMPLE_PARAMS_JSON), AutoMLJobName: 'bad_name', RoleArn: 'role', Extra: 1 };
    const problems = validateAgainstShape(model, 'CreateAutoMLJobV2Request', bad).map((v) => v.path);
    expect(problems).toEqual(expect.arrayContaining(['$', '$.AutoMLJobName', '$.RoleArn']));
  });

  it('property: every request built from generated valid parameters satisfies the AWS API model', () => {
    fc.assert(
      fc.property(validParamsArb, fc.integer({ min: 0, max: 4102444800000 }), (p, now) => {
        expect(validateAgainstShape(model, 'CreateAutoMLJobV2Request', requestFor(p, now))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('status model and enums agree with the AWS API model', () => {
  it('5 statuses, 19 secondary statuses, 3 problem types, tabular objectives known to AWS', () => {
    expect([...AUTOML_JOB_STATUSES].sort()).toEqual([...enumOf('AutoMLJobStatus')].sort());
    expect(AUTOML_JOB_SECONDARY_STATUSES).toHaveLength(19);
    expect([...AUTOML_JOB_SECONDARY_STATUSES].sort()).toEqual([...enumOf('AutoMLJobSecondaryStatus')].sort());
    expect([...PROBLEM_TYPES].sort()).toEqual([...enumOf('ProblemType')].sort());
    for (const o of TABULAR_OBJECTIVES) expect(enumOf('AutoMLMetricEnum')).toContain(o);
    expect(new Set(Object.values(OBJECTIVES_BY_PROBLEM_TYPE).flat())).toEqual(new Set(TABULAR_OBJECTIVES));
  });

  it('terminal statuses are Completed, Failed and Stopped', () => {
    expect(AUTOML_JOB_STATUSES.filter(isTerminalJobStatus)).toEqual(['Completed', 'Failed', 'Stopped']);
  });
});
