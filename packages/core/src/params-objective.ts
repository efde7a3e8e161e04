/** The `problem_type` and `objective` keys of the training parameters. */
import {
  OBJECTIVES_BY_PROBLEM_TYPE,
  PROBLEM_TYPES,
  TABULAR_OBJECTIVES,
  type TabularObjective,
} from './automl-model.js';
import { present, stringValue, type Problems } from './param-values.js';
import type { ProblemType } from './ports/automl-port.js';
import { compareAscii, isJsonObject, jsonTypeOf } from './text.js';

function objectiveValue(problems: Problems, value: unknown): TabularObjective | undefined {
  const key = 'objective';
  let name: unknown = value;
  if (typeof value === 'object' && value !== null) {
    if (!isJsonObject(value)) {
      problems.add('SME-E-PARAM-TYPE', key, value, 'must be a metric name or {"MetricName": "<name>"}');
      return undefined;
    }
    const keys = Object.keys(value);
    const extra = keys.filter((k) => k !== 'MetricName');
    if (extra.length > 0) {
      extra.sort((a, b) => compareAscii(a, b));
      problems.add('SME-E-PARAM-UNKNOWN', key, value, 'has keys other than MetricName: ' + extra.join(', '));
      return undefined;
    }
    name = value.MetricName;
    if (name === undefined || name === null) {
      problems.add('SME-E-PARAM-MISSING', key, value, 'must name the metric in MetricName');
      return undefined;
    }
  }
  if (typeof name !== 'string') {
    problems.add('SME-E-PARAM-TYPE', key, value, 'must be a metric name string, not ' + jsonTypeOf(name));
    return undefined;
  }
  const found = TABULAR_OBJECTIVES.find((o) => o === name);
  if (found !== undefined) return found;
  const lower = name.toLowerCase();
  const near = TABULAR_OBJECTIVES.find((o) => o.toLowerCase() === lower);
  problems.add(
    'SME-E-PARAM-OBJECTIVE',
    key,
    value,
    'is not a tabular Autopilot metric' + (near === undefined ? '' : ' (metric names are case-sensitive)'),
    near === undefined ? undefined : 'Did you mean ' + near + '?',
  );
  return undefined;
}

/** `problem_type` and `objective`, and whether the objective fits the problem type. */
export function problemValues(
  problems: Problems,
  raw: Readonly<Record<string, unknown>>,
): { problemType: ProblemType | undefined; objective: TabularObjective | undefined } {
  let problemType: ProblemType | undefined;
  if (present(raw.problem_type)) {
    const text = stringValue(problems, 'problem_type', raw.problem_type);
    if (text !== undefined) {
      problemType = PROBLEM_TYPES.find((p) => p === text);
      if (problemType === undefined) {
        problems.add('SME-E-PARAM-PROBLEM-TYPE', 'problem_type', text, 'is not an Autopilot problem type');
      }
    }
  }

  const objective = present(raw.objective) ? objectiveValue(problems, raw.objective) : undefined;
  if (
    objective !== undefined &&
    problemType !== undefined &&
    !OBJECTIVES_BY_PROBLEM_TYPE[problemType].includes(objective)
  ) {
    problems.add(
      'SME-E-PARAM-OBJECTIVE-MISMATCH',
      'objective',
      objective,
      'is not valid for problem_type ' + problemType,
      'For ' + problemType + ' use one of ' + OBJECTIVES_BY_PROBLEM_TYPE[problemType].join(', ') + '.',
    );
  }
  return { problemType, objective };
}
