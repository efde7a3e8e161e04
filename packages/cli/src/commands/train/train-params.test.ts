import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainingParams } from '@sme/core';
import { splitTableName, trainingInput } from './train-params.js';

const dir = mkdtempSync(join(tmpdir(), 'sme-cli-params-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const json = { decode: (t: string) => JSON.parse(t) as unknown, encode: (v: unknown) => JSON.stringify(v) };

describe('trainingInput', () => {
  const flags = {
    modelName: 'churn',
    table: 'sales.customers',
    target: 'CHURNED',
    connection: 'S3_CONN',
    bucket: 's3://ml-data',
    outputPath: 'sme',
    role: 'arn:aws:iam::123456789012:role/SageMaker',
    problemType: 'BinaryClassification',
    objective: 'F1',
    maxCandidates: 3,
    maxRuntime: 3600,
    maxRuntimePerJob: 600,
  };

  it('maps every flag to the user guide’s key and passes the core’s validation', () => {
    const input = trainingInput(flags, 'eu-central-1');
    expect(input).toEqual({
      model_name: 'churn',
      input_schema_name: 'sales',
      input_table_or_view_name: 'customers',
      target_attribute_name: 'CHURNED',
      aws_credentials_connection_name: 'S3_CONN',
      s3_bucket_uri: 's3://ml-data',
      s3_output_path: 'sme',
      iam_sagemaker_role: 'arn:aws:iam::123456789012:role/SageMaker',
      aws_region: 'eu-central-1',
      problem_type: 'BinaryClassification',
      objective: 'F1',
      max_candidates: 3,
      max_runtime_for_automl_job_in_seconds: 3600,
      max_runtime_per_training_job_in_seconds: 600,
    });
    const params = parseTrainingParams(input, json);
    expect([params.inputSchemaName, params.inputTableOrViewName, params.maxCandidates]).toEqual([
      'SALES',
      'CUSTOMERS',
      3,
    ]);
  });

  it('maps --sample-max-rows and --sample-fraction to their keys, validated by the core', () => {
    const input = trainingInput({ ...flags, sampleMaxRows: 5000, sampleFraction: 0.25 }, 'eu-central-1');
    expect([input.sample_max_rows, input.sample_fraction]).toEqual([5000, 0.25]);
    const params = parseTrainingParams(input, json);
    expect([params.sampleMaxRows, params.sampleFraction]).toEqual([5000, 0.25]);
    expect(() => parseTrainingParams(trainingInput({ ...flags, sampleFraction: 2 }, 'eu-central-1'), json)).toThrow(
      /SME-E-PARAM-RANGE: sample_fraction must be greater than 0 and at most 1/,
    );
  });

  it('reads --params and lets flags override its keys', () => {
    const file = join(dir, 'train.json');
    writeFileSync(file, JSON.stringify({ model_name: 'from-file', aws_region: 'us-east-1', max_candidates: 9 }));
    const input = trainingInput({ params: file, maxCandidates: 2 }, 'eu-central-1');
    expect(input).toEqual({ model_name: 'from-file', aws_region: 'us-east-1', max_candidates: 2 });
  });

  it.each([
    ['missing', join(dir, 'nope.json'), 'cannot be read'],
    ['not JSON', 'bad', 'not valid JSON'],
    ['an array', 'array', 'JSON object'],
  ])('refuses a --params file that is %s with SME-E-CLI-PARAMS-FILE', (_n, which, text) => {
    const file = which === 'bad' || which === 'array' ? join(dir, `${which}.json`) : which;
    if (which === 'bad') writeFileSync(file, '{"model_name": ');
    if (which === 'array') writeFileSync(file, '[1]');
    expect(() => trainingInput({ params: file }, undefined)).toThrow(text);
    try {
      trainingInput({ params: file }, undefined);
    } catch (e) {
      expect(e).toMatchObject({ code: 'SME-E-CLI-PARAMS-FILE', kind: 'InvalidInput' });
    }
  });
});

describe('splitTableName', () => {
  it('splits at the first dot outside quotes', () => {
    expect(splitTableName('"My.Schema".T')).toEqual({ schema: '"My.Schema"', table: 'T' });
    expect(splitTableName('S."a.b"')).toEqual({ schema: 'S', table: '"a.b"' });
  });

  it.each(['customers', '.t', 's.', '"a.b"'])('refuses %s with SME-E-CLI-TABLE', (text) => {
    expect(() => splitTableName(text)).toThrow(expect.objectContaining({ code: 'SME-E-CLI-TABLE' }));
  });

  it('gives back schema and table of any SCHEMA.TABLE built from plain names', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/);
    const quoted = fc.stringMatching(/^[A-Za-z0-9_. -]{1,20}$/).map((s) => `"${s}"`);
    fc.assert(
      fc.property(fc.oneof(name, quoted), fc.oneof(name, quoted), (schema, table) => {
        expect(splitTableName(`${schema}.${table}`)).toEqual({ schema, table });
      }),
    );
  });
});
