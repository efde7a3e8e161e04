import { coreError } from '../error-codes.js';
import { MIN_SAMPLE_ROWS, type TrainingParams } from '../params.js';
import { describeValue, formatInteger } from '../text.js';
import { MAX_MULTICLASS_CLASSES } from './training-preflight.js';

/** `STRATIFIED`: each target value keeps its share; `UNIFORM`: rows taken regardless of the target. */
export type SampleMethod = 'STRATIFIED' | 'UNIFORM';

/** What a start exports when it samples: exactly `rows` of the `sourceRows` rows whose target is not NULL. */
export interface SamplePlan {
  readonly rows: number;
  readonly sourceRows: number;
  readonly method: SampleMethod;
}

/**
 * The sample a start exports, or undefined when it exports the whole table (no `sample_*` key, or the requested
 * size is at least the rows with a target). Size: `sample_max_rows`, `round(sample_fraction × rows with a
 * target)`, the smaller of both when both are given: exactly that many rows are exported.
 *
 * Stratified on the target unless the problem is a regression: when `problem_type` is a classification, or is
 * absent and the target has at most `MAX_MULTICLASS_CLASSES` distinct values (so it may be one). Throws
 * `SME-E-SAMPLE-TOO-SMALL` when the sample would hold fewer than 500 rows, or fewer rows than classes.
 *
 * @example
 * planSample({ ...params, sampleMaxRows: 1000 }, 50000, 3); // { rows: 1000, sourceRows: 50000, method: 'STRATIFIED' }
 */
export function planSample(
  params: TrainingParams,
  targetRowCount: number,
  targetDistinct: number,
): SamplePlan | undefined {
  if (params.sampleMaxRows === undefined && params.sampleFraction === undefined) return undefined;
  let rows = params.sampleMaxRows ?? targetRowCount;
  let requested = 'sample_max_rows ' + formatInteger(rows);
  if (params.sampleFraction !== undefined) {
    const share = Math.floor(params.sampleFraction * targetRowCount + 0.5);
    if (share < rows) {
      rows = share;
      requested = 'sample_fraction ' + describeValue(params.sampleFraction);
    }
  }
  if (rows >= targetRowCount) return undefined;
  const stratified =
    params.problemType === 'BinaryClassification' ||
    params.problemType === 'MulticlassClassification' ||
    (params.problemType === undefined && targetDistinct <= MAX_MULTICLASS_CLASSES);
  const key = requested.startsWith('sample_fraction') ? 'sample_fraction' : 'sample_max_rows';
  if (rows < MIN_SAMPLE_ROWS) {
    throw coreError(
      'SME-E-SAMPLE-TOO-SMALL',
      requested +
        ' of ' +
        formatInteger(targetRowCount) +
        ' rows with a target gives a sample of ' +
        formatInteger(rows) +
        ' rows; Autopilot needs at least ' +
        formatInteger(MIN_SAMPLE_ROWS),
      { key, value: formatInteger(rows) },
    );
  }
  if (stratified && targetDistinct > rows) {
    throw coreError(
      'SME-E-SAMPLE-TOO-SMALL',
      'a stratified sample of ' +
        formatInteger(rows) +
        ' rows cannot keep one row of each of the ' +
        formatInteger(targetDistinct) +
        ' target values',
      { key, value: formatInteger(rows) },
    );
  }
  return { rows, sourceRows: targetRowCount, method: stratified ? 'STRATIFIED' : 'UNIFORM' };
}
