/** fast-check arbitraries of training parameters, shared by unit, API-model and differential tests. */
import fc from 'fast-check';
import { OBJECTIVES_BY_PROBLEM_TYPE, PROBLEM_TYPES } from '../automl-model.js';
import { OPTIONAL_PARAM_KEYS, REQUIRED_PARAM_KEYS } from '../params.js';

const lowerAlnum = 'abcdefghijklmnopqrstuvwxyz0123456789';
const alnum = lowerAlnum + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function charsOf(alphabet: string): fc.Arbitrary<string> {
  return fc.constantFrom(...alphabet.split(''));
}

export const modelNameArb: fc.Arbitrary<string> = fc
  .tuple(charsOf(alnum), fc.array(charsOf(alnum + '-'), { maxLength: 17 }), charsOf(alnum))
  .map(([a, mid, z]) => a + mid.join('') + z)
  .filter((s) => s.length <= 19);

export const regionArb: fc.Arbitrary<string> = fc.constantFrom(
  'eu-central-1',
  'us-east-1',
  'us-gov-west-1',
  'cn-north-1',
  'ap-southeast-3',
  'il-central-1',
);

export const roleArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.stringMatching(/^[0-9]{12}$/), fc.stringMatching(/^[A-Za-z0-9_+=,.@-]{1,40}$/))
    .map(([acct, name]) => `arn:aws:iam::${acct}:role/${name}`),
  fc.stringMatching(/^[A-Za-z0-9_+=,.@-]{1,64}$/),
);

export const bucketArb: fc.Arbitrary<string> = fc
  .tuple(charsOf(lowerAlnum), fc.array(charsOf(lowerAlnum + '-'), { minLength: 1, maxLength: 20 }), charsOf(lowerAlnum))
  .map(([a, mid, z]) => a + mid.join('') + z)
  .filter((b) => !b.startsWith('xn--') && !b.startsWith('sthree-') && !b.endsWith('-s3alias'));

const segmentArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
export const keyPrefixArb: fc.Arbitrary<string> = fc
  .array(segmentArb, { minLength: 1, maxLength: 3 })
  .map((a) => a.join('/'));

export const identifierArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/),
  fc.stringMatching(/^[ !#-~]{1,20}$/).map((s) => `"${s}"`),
);

export const validParamsArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    model_name: modelNameArb,
    aws_credentials_connection_name: identifierArb,
    aws_region: regionArb,
    iam_sagemaker_role: roleArb,
    s3_bucket_uri: fc
      .tuple(bucketArb, fc.option(keyPrefixArb, { nil: undefined }), fc.boolean())
      .map(([b, p, slash]) => `s3://${b}${p === undefined ? '' : '/' + p}${slash ? '/' : ''}`),
    s3_output_path: keyPrefixArb,
    input_schema_name: identifierArb,
    input_table_or_view_name: identifierArb,
    target_attribute_name: identifierArb,
    problem: fc.option(fc.constantFrom(...PROBLEM_TYPES), { nil: undefined }),
    objectiveForm: fc.constantFrom('none', 'string', 'object'),
    objectivePick: fc.nat(),
    max_runtime_for_automl_job_in_seconds: fc.option(fc.integer({ min: 100, max: 2592000 }), { nil: undefined }),
    max_candidates: fc.option(fc.integer({ min: 1, max: 750 }), { nil: undefined }),
    max_runtime_per_training_job_in_seconds: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  })
  .map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r) as [string, unknown][]) {
      if (v !== undefined && k !== 'problem' && k !== 'objectiveForm' && k !== 'objectivePick') out[k] = v;
    }
    if (r.problem !== undefined) {
      out.problem_type = r.problem;
      const objectives = OBJECTIVES_BY_PROBLEM_TYPE[r.problem];
      const objective = objectives[r.objectivePick % objectives.length];
      if (r.objectiveForm === 'string') out.objective = objective;
      if (r.objectiveForm === 'object') out.objective = { MetricName: objective };
    }
    return out;
  })
  .filter((r) => typeof r.model_name === 'string' && typeof r.s3_output_path === 'string');

/** Any JSON value without nulls inside arrays (Lua cannot represent those). */
export const jsonishArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant({}),
  fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** Every key of `SME_TRAIN_WITH_SAGEMAKER_AUTOPILOT`'s JSON, required and optional. */
export const ALL_PARAM_KEYS: readonly string[] = [...REQUIRED_PARAM_KEYS, ...OPTIONAL_PARAM_KEYS];

/** Valid params with some keys replaced by arbitrary values, deleted, or joined by unknown keys. */
export const mutatedParamsArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    validParamsArb,
    fc.array(fc.tuple(fc.constantFrom(...ALL_PARAM_KEYS), jsonishArb), { maxLength: 4 }),
    fc.array(fc.constantFrom(...ALL_PARAM_KEYS), { maxLength: 3 }),
    fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), jsonishArb), { maxLength: 2 }),
  )
  .map(([valid, replaced, deleted, extra]) => {
    const merged = new Map<string, unknown>(Object.entries(valid));
    for (const [k, v] of replaced) merged.set(k, v);
    for (const k of deleted) merged.delete(k);
    for (const [k, v] of extra) if (!merged.has(k) && k !== '__proto__') merged.set(k, v);
    return Object.fromEntries(merged);
  });
