import { coreError } from '../error-codes.js';
import { isClassification, type NamedColumn } from '../prediction/prediction-udf.js';
import type { AutoMLContainer, ProblemType } from '../ports/automl-port.js';
import type { Json } from '../ports/json.js';
import type { SqlValue } from '../ports/sql-port.js';
import { describeValue } from '../text.js';
import { textOf } from './metadata-rows.js';

// What a job row and its best candidate give a model: the training columns and the inference containers.

type Row = Readonly<Record<string, SqlValue>>;

export function stringList(json: Json, text: string | undefined, column: string): string[] {
  let decoded: unknown;
  try {
    decoded = text === undefined ? undefined : json.decode(text);
  } catch {
    decoded = undefined;
  }
  const out: string[] = [];
  if (Array.isArray(decoded)) {
    for (const item of decoded as unknown[]) if (typeof item === 'string') out.push(item);
  }
  if (out.length === 0) {
    throw coreError('SME-E-ENDPOINT-COLUMNS', 'the job row has no readable ' + column, { key: column });
  }
  return out;
}

/** The training columns of a job row, split into features (ordinal order) and target. */
export function trainingColumns(row: Row, json: Json): { features: NamedColumn[]; target: NamedColumn } {
  const names = stringList(json, textOf(row, 'COLUMN_NAMES'), 'COLUMN_NAMES');
  const types = stringList(json, textOf(row, 'COLUMN_TYPES'), 'COLUMN_TYPES');
  const targetName = textOf(row, 'TARGET_ATTRIBUTE_NAME') ?? '';
  if (names.length !== types.length) {
    throw coreError('SME-E-ENDPOINT-COLUMNS', 'COLUMN_NAMES and COLUMN_TYPES of the job row differ in length', {
      key: 'COLUMN_TYPES',
    });
  }
  const features: NamedColumn[] = [];
  let target: NamedColumn | undefined;
  names.forEach((name, i) => {
    const column = { name, type: types[i] ?? '' };
    if (name === targetName) target = column;
    else features.push(column);
  });
  if (target === undefined) {
    throw coreError(
      'SME-E-ENDPOINT-COLUMNS',
      'the target ' + describeValue(targetName) + ' is not among the recorded columns',
      { key: 'TARGET_ATTRIBUTE_NAME', value: describeValue(targetName) },
    );
  }
  return { features, target };
}

/** Containers of the best candidate, asking classification containers for the probability too. */
export function modelContainers(containers: readonly AutoMLContainer[], problemType: ProblemType): AutoMLContainer[] {
  return containers.map((c) => {
    const out: { Image: string; ModelDataUrl?: string; Environment?: Record<string, string> } = { Image: c.Image };
    if (c.ModelDataUrl !== undefined) out.ModelDataUrl = c.ModelDataUrl;
    const env: Record<string, string> = {};
    let any = false;
    for (const key of Object.keys(c.Environment ?? {})) {
      const v = c.Environment?.[key];
      if (v !== undefined) {
        env[key] = v;
        any = true;
      }
    }
    if (isClassification(problemType)) {
      // AWS: "SAGEMAKER_INFERENCE_OUTPUT" selects the inference response content of Autopilot containers
      // (https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-automate-model-development-container-output.html).
      env.SAGEMAKER_INFERENCE_OUTPUT = 'predicted_label,probability';
      any = true;
    }
    if (any) out.Environment = env;
    return out;
  });
}
