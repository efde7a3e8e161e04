import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSmeError, type SmeError } from './errors.js';
import { parseTrainingParams } from './params.js';
import { mutatedParamsArb, validParamsArb } from './testing/arbitraries.js';
import { nodeJson } from './testing/node-doubles.js';
import { EXAMPLE_PARAMS_JSON } from './testing/example-params.js';

const example = JSON.parse(EXAMPLE_PARAMS_JSON) as Record<string, unknown>;

function problemsOf(input: unknown): SmeError[] {
  try {
    parseTrainingParams(input, nodeJson);
  } catch (e: unknown) {
    if (!isSmeError(e)) throw e;
    expect(e.code).toBe('SME-E-PARAMS');
    return [...(e.details.problems ?? [])];
  }
  throw new Error('expected SME-E-PARAMS');
}

function withValue(key: string, value: unknown): Record<string, unknown> {
  return { ...example, [key]: value };
}

describe('parseTrainingParams', () => {
  it("accepts the user guide's example JSON with valid values and normalises it", () => {
    const p = parseTrainingParams(EXAMPLE_PARAMS_JSON, nodeJson);
    expect(p).toEqual({
      modelName: 'churn-model',
      awsCredentialsConnectionName: 'AWS_CONNECTION',
      awsRegion: 'eu-central-1',
      iamSagemakerRole: 'arn:aws:iam::123456789012:role/SageMakerExecution',
      roleArn: 'arn:aws:iam::123456789012:role/SageMakerExecution',
      s3BucketUri: 's3://sme-training-data',
      s3Bucket: 'sme-training-data',
      s3BucketPrefix: '',
      s3OutputPath: 'autopilot/churn',
      inputSchemaName: 'RETAIL',
      inputTableOrViewName: 'CUSTOMER_CHURN',
      targetAttributeName: 'CHURNED',
      problemType: 'BinaryClassification',
      objective: 'F1',
      maxRuntimeForAutomlJobInSeconds: 3600,
      maxCandidates: 10,
      maxRuntimePerTrainingJobInSeconds: 600,
      allowSuspectFeatures: false,
    });
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('accepts a decoded object, the objective as {"MetricName": …}, quoted identifiers and a bare role name', () => {
    const p = parseTrainingParams({
      ...example,
      objective: { MetricName: 'AUC' },
      input_table_or_view_name: '"Customer Churn"',
      iam_sagemaker_role: 'SageMakerExecution',
      s3_bucket_uri: 's3://sme-training-data/team-a/',
      s3_output_path: 'runs/',
    });
    expect(p.objective).toBe('AUC');
    expect(p.inputTableOrViewName).toBe('Customer Churn');
    expect(p.roleArn).toBeUndefined();
    expect(p.s3BucketPrefix).toBe('team-a');
    expect(p.s3OutputPath).toBe('runs');
  });

  it('treats optional keys as optional and null as absent', () => {
    const { problem_type: _a, objective: _b, max_candidates: _c, ...required } = example;
    const p = parseTrainingParams({ ...required, max_candidates: null });
    expect(p.problemType).toBeUndefined();
    expect(p.maxCandidates).toBeUndefined();
  });

  // One row per rule: the key it is about, a bad value, the code expected.
  const rejected: [string, unknown, string][] = [
    ['model_name', 'my_model', 'SME-E-PARAM-MODEL-NAME'],
    ['model_name', '-model', 'SME-E-PARAM-MODEL-NAME'],
    ['model_name', 'model-', 'SME-E-PARAM-MODEL-NAME'],
    ['model_name', 'a--', 'SME-E-PARAM-MODEL-NAME'],
    ['model_name', 'a'.repeat(20), 'SME-E-PARAM-MODEL-NAME'],
    ['model_name', '', 'SME-E-PARAM-MODEL-NAME'],
    ['model_name', 42, 'SME-E-PARAM-TYPE'],
    ['aws_region', 'Frankfurt', 'SME-E-PARAM-REGION'],
    ['aws_region', 'eu-central', 'SME-E-PARAM-REGION'],
    ['iam_sagemaker_role', 'arn:aws:iam::12345:role/x', 'SME-E-PARAM-ROLE'],
    ['iam_sagemaker_role', 'role with spaces', 'SME-E-PARAM-ROLE'],
    ['s3_bucket_uri', 'https://bucket', 'SME-E-PARAM-S3-URI'],
    ['s3_bucket_uri', 's3://Upper_Case', 'SME-E-PARAM-S3-BUCKET'],
    ['s3_bucket_uri', 's3://192.168.1.1', 'SME-E-PARAM-S3-BUCKET'],
    ['s3_bucket_uri', 's3://ok-bucket//x', 'SME-E-PARAM-S3-URI'],
    ['s3_output_path', '/abs', 'SME-E-PARAM-S3-PATH'],
    ['s3_output_path', 'a/../b', 'SME-E-PARAM-S3-PATH'],
    ['s3_output_path', 'a//b', 'SME-E-PARAM-S3-PATH'],
    ['s3_output_path', 'x'.repeat(480), 'SME-E-PARAM-S3-PATH'],
    ['input_schema_name', 'a; DROP TABLE x', 'SME-E-PARAM-IDENTIFIER'],
    ['input_table_or_view_name', '"a"b"', 'SME-E-PARAM-IDENTIFIER'],
    ['target_attribute_name', '1col', 'SME-E-PARAM-IDENTIFIER'],
    ['aws_credentials_connection_name', "conn' OR 1=1", 'SME-E-PARAM-IDENTIFIER'],
    ['problem_type', 'Clustering', 'SME-E-PARAM-PROBLEM-TYPE'],
    ['objective', 'f1', 'SME-E-PARAM-OBJECTIVE'],
    ['objective', { MetricName: 'F1', Type: 'Maximize' }, 'SME-E-PARAM-UNKNOWN'],
    ['objective', 'MSE', 'SME-E-PARAM-OBJECTIVE-MISMATCH'],
    ['max_candidates', 0, 'SME-E-PARAM-RANGE'],
    ['max_candidates', 751, 'SME-E-PARAM-RANGE'],
    ['max_candidates', 2.5, 'SME-E-PARAM-NOT-INTEGER'],
    ['max_candidates', '10', 'SME-E-PARAM-TYPE'],
    ['max_runtime_for_automl_job_in_seconds', 2592001, 'SME-E-PARAM-RANGE'],
    ['max_runtime_for_automl_job_in_seconds', 0, 'SME-E-PARAM-RANGE'],
    ['max_runtime_per_training_job_in_seconds', 0, 'SME-E-PARAM-RANGE'],
    ['max_runtime_per_training_job_in_seconds', 2592001, 'SME-E-PARAM-RANGE'],
    ['max_runtime_per_training_job_in_seconds', 7200, 'SME-E-PARAM-RUNTIME-ORDER'],
    ['max_candidate', 5, 'SME-E-PARAM-UNKNOWN'],
    ['sample_max_rows', 499, 'SME-E-PARAM-RANGE'],
    ['sample_max_rows', 1000000000001, 'SME-E-PARAM-RANGE'],
    ['sample_max_rows', 1000.5, 'SME-E-PARAM-NOT-INTEGER'],
    ['sample_max_rows', '1000', 'SME-E-PARAM-TYPE'],
    ['sample_fraction', 0, 'SME-E-PARAM-RANGE'],
    ['sample_fraction', 1.5, 'SME-E-PARAM-RANGE'],
    ['sample_fraction', -0.1, 'SME-E-PARAM-RANGE'],
    ['sample_fraction', '0.1', 'SME-E-PARAM-TYPE'],
  ];
  it.each(rejected)('rejects %s = %j with %s, naming the key', (key, value, code) => {
    const problems = problemsOf(withValue(key, value));
    expect(problems.map((p) => p.code)).toEqual([code]);
    const [problem] = problems;
    expect(problem?.details.key).toBe(key);
    expect(problem?.message).toContain(key);
    expect(problem?.details.remedy).toBeTruthy();
  });

  it('accepts the sample keys at the edges of their ranges', () => {
    const p = parseTrainingParams({ ...example, sample_max_rows: 500, sample_fraction: 1 });
    expect([p.sampleMaxRows, p.sampleFraction]).toEqual([500, 1]);
    const q = parseTrainingParams({ ...example, sample_max_rows: 1000000000000, sample_fraction: 0.0001 });
    expect([q.sampleMaxRows, q.sampleFraction]).toEqual([1000000000000, 0.0001]);
    expect(parseTrainingParams(example).sampleMaxRows).toBeUndefined();
  });

  it('accepts the longest model name whose job name fits 32 characters', () => {
    // 19 characters + '-' + 12 digits of yyMMddHHmmss = 32.
    expect(parseTrainingParams(withValue('model_name', 'a'.repeat(19)), nodeJson).modelName).toBe('a'.repeat(19));
    expect(parseTrainingParams(withValue('model_name', 'a-b-c'), nodeJson).modelName).toBe('a-b-c');
  });

  it('reports a missing required key', () => {
    const { aws_region: _r, ...rest } = example;
    const problems = problemsOf(rest);
    expect(problems.map((p) => [p.code, p.details.key])).toEqual([['SME-E-PARAM-MISSING', 'aws_region']]);
    expect(problems[0]?.message).toContain('aws_region');
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ ...example, model_name: 'x_y', aws_region: 'x', max_candidates: 0, typo: 1 });
    expect(problems.map((p) => p.details.key)).toEqual(['model_name', 'aws_region', 'max_candidates', 'typo']);
  });

  it('rejects malformed JSON and non-objects with their own codes', () => {
    expect(problemsOf('{"model_name": ').map((p) => p.code)).toEqual(['SME-E-PARAMS-JSON']);
    expect(problemsOf('[1]').map((p) => p.code)).toEqual(['SME-E-PARAMS-NOT-OBJECT']);
    expect(problemsOf(7).map((p) => p.code)).toEqual(['SME-E-PARAMS-NOT-OBJECT']);
  });

  it('never shows a long or binary value verbatim', () => {
    const [problem] = problemsOf(withValue('model_name', '\u0000é'.repeat(100)));
    expect(problem?.details.value).toBe('"' + '?é'.repeat(40) + '..."');
  });

  it('property: generated valid parameters are accepted', () => {
    fc.assert(
      fc.property(validParamsArb, (p) => {
        expect(parseTrainingParams(p).modelName).toBe(p.model_name);
      }),
    );
  });

  it('property: anything else fails only with SME-E-PARAMS, each problem coded and keyed', () => {
    fc.assert(
      fc.property(mutatedParamsArb, (p) => {
        try {
          parseTrainingParams(JSON.stringify(p), nodeJson);
        } catch (e: unknown) {
          expect(isSmeError(e) && e.code).toBe('SME-E-PARAMS');
          for (const problem of (e as SmeError).details.problems ?? []) {
            expect(problem.code).toMatch(/^SME-E-PARAM/);
            expect(problem.message).toContain(problem.details.key ?? '');
          }
        }
      }),
    );
  });
});
