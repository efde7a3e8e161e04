import { coreError } from '../error-codes.js';
import type { TrainingParams } from '../params.js';
import type { SqlColumn, SqlPort } from '../ports/sql-port.js';
import { columnFamily, trainingProfileSql } from '../sql/statements.js';
import { describeValue, formatInteger } from '../text.js';
import { countAt } from './metadata-rows.js';

/**
 * The most classes a MulticlassClassification target may have: 2000, the class limit of AWS's Autopilot guide
 * ("Autopilot datasets and problem types") as recalled; not yet confirmed against the page [unverified].
 */
export const MAX_MULTICLASS_CLASSES = 2000;

/**
 * Autopilot's input limit: training data under 100 GB (AWS's Autopilot dataset requirements, as summarised in the
 * team's reference). Taken as 100 × 10^9 bytes, the strict reading of "GB".
 */
export const MAX_TRAINING_BYTES = 100000000000;

/**
 * The most rows sme sends to Autopilot: 3 billion, the row limit AWS documents for Autopilot's time-series jobs
 * ("Time-series forecasting resource limits for Autopilot"); no row limit for tabular jobs is documented where we
 * looked [unverified], so the documented one is taken as the strict side.
 */
export const MAX_TRAINING_ROWS = 3000000000;

/**
 * The most columns (target included) sme sends to Autopilot: 1000 [unverified: no column limit of tabular
 * Autopilot jobs is documented where we looked; 1000 is the strict side chosen until one is confirmed].
 */
export const MAX_TRAINING_COLUMNS = 1000;

/** A feature column that likely leaks the label or identifies the row. */
export interface SuspectFeature {
  readonly column: string;
  /** `equals-target`: equal to the target in every row with a target; `unique-key`: a different value in every row. */
  readonly reason: 'equals-target' | 'unique-key';
}

export interface PreflightResult {
  /** Distinct non-NULL values of the target. */
  readonly targetDistinct: number;
  readonly suspectFeatures: readonly SuspectFeature[];
  /** One sentence per suspect feature let through by `allow_suspect_features` (empty otherwise). */
  readonly warnings: readonly string[];
  /** Estimated bytes of one exported CSV row: its values as text, separators and line end. */
  readonly bytesPerRow: number;
}

/** Whole numbers and text identify rows when all distinct; a DOUBLE measurement is often all distinct anyway. */
function canBeKey(type: string): boolean {
  const upper = type.toUpperCase();
  if (upper.startsWith('VARCHAR') || upper.startsWith('CHAR')) return true;
  if (!upper.startsWith('DECIMAL')) return false;
  const comma = upper.indexOf(',');
  if (comma < 0) return true;
  const scale = upper.slice(comma + 1).split(')')[0] ?? '';
  return scale.trim() === '0';
}

function suspectText(s: SuspectFeature, target: string): string {
  return s.reason === 'equals-target'
    ? 'feature column ' + describeValue(s.column) + ' equals the target ' + describeValue(target) + ' in every row'
    : 'feature column ' + describeValue(s.column) + ' has a different value in every row (a unique key)';
}

/**
 * The checks that keep a job from being paid for when it cannot work, from one aggregate query over the table
 * (`trainingProfileSql`): the target has at least 2 distinct values; a given problem type matches them
 * (BinaryClassification exactly 2, MulticlassClassification 3 to `MAX_MULTICLASS_CLASSES`, Regression a numeric
 * target); no feature column equals the target or is a unique key, unless `allow_suspect_features` is true (then
 * each one becomes a warning). Throws a coded error before anything is exported.
 *
 * @example
 * const checked = await preflightTraining(params, columns, rowCount, targetRowCount, sql);
 * checked.warnings; // [] unless allow_suspect_features let a suspect column through
 */
export async function preflightTraining(
  params: TrainingParams,
  columns: readonly SqlColumn[],
  rowCount: number,
  targetRowCount: number,
  sql: SqlPort,
): Promise<PreflightResult> {
  const targetName = params.targetAttributeName;
  const target = columns.find((c) => c.name === targetName) ?? { name: targetName, type: '' };
  const features = columns.filter((c) => c.name !== targetName);
  const where = params.inputSchemaName + '.' + params.inputTableOrViewName;
  if (columns.length > MAX_TRAINING_COLUMNS) {
    throw coreError(
      'SME-E-TOO-MANY-COLUMNS',
      describeValue(where) +
        ' has ' +
        formatInteger(columns.length) +
        ' columns; sme sends Autopilot at most ' +
        formatInteger(MAX_TRAINING_COLUMNS) +
        ' (target included)',
      { key: 'input_table_or_view_name', value: formatInteger(columns.length) },
    );
  }
  const profile = await sql.query(
    trainingProfileSql(params.inputSchemaName, params.inputTableOrViewName, target, features),
  );
  const targetDistinct = countAt(profile, 0, 'target_attribute_name');

  if (targetDistinct < 2) {
    throw coreError(
      'SME-E-TARGET-CONSTANT',
      'the target ' +
        describeValue(targetName) +
        ' of ' +
        describeValue(where) +
        ' has ' +
        formatInteger(targetDistinct) +
        ' distinct value' +
        (targetDistinct === 1 ? '' : 's') +
        '; a model needs at least 2 to learn anything',
      { key: 'target_attribute_name', value: formatInteger(targetDistinct) },
    );
  }
  const mismatch = (expected: string): never => {
    throw coreError(
      'SME-E-PROBLEM-TYPE-MISMATCH',
      'problem_type ' +
        String(params.problemType) +
        ' needs ' +
        expected +
        ', but the target ' +
        describeValue(targetName) +
        ' (' +
        target.type +
        ') has ' +
        formatInteger(targetDistinct) +
        ' distinct values',
      { key: 'problem_type', value: String(params.problemType) },
    );
  };
  if (params.problemType === 'BinaryClassification' && targetDistinct !== 2) mismatch('exactly 2 classes');
  if (params.problemType === 'MulticlassClassification') {
    if (targetDistinct < 3) mismatch('at least 3 classes');
    if (targetDistinct > MAX_MULTICLASS_CLASSES) {
      throw coreError(
        'SME-E-TOO-MANY-CLASSES',
        'the target ' +
          describeValue(targetName) +
          ' has ' +
          formatInteger(targetDistinct) +
          ' distinct values; Autopilot classifies into at most ' +
          formatInteger(MAX_MULTICLASS_CLASSES) +
          ' classes',
        { key: 'target_attribute_name', value: formatInteger(targetDistinct) },
      );
    }
  }
  if (params.problemType === 'Regression' && columnFamily(target.type) !== 'number') mismatch('a numeric target');

  const suspectFeatures: SuspectFeature[] = [];
  features.forEach((f, i) => {
    const distinct = countAt(profile, 1 + 2 * i, f.name);
    const equal = countAt(profile, 2 + 2 * i, f.name);
    if (targetRowCount > 0 && equal === targetRowCount)
      suspectFeatures.push({ column: f.name, reason: 'equals-target' });
    else if (rowCount > 1 && distinct === rowCount && canBeKey(f.type)) {
      suspectFeatures.push({ column: f.name, reason: 'unique-key' });
    }
  });
  const texts = suspectFeatures.map((s) => suspectText(s, targetName));
  if (suspectFeatures.length > 0 && !params.allowSuspectFeatures) {
    throw coreError(
      'SME-E-SUSPECT-FEATURES',
      texts.join('; ') +
        ': such a column leaks the label or identifies the row, so the model learns nothing that carries over. ' +
        'Train on a view without it, or set allow_suspect_features to true (sme train --allow-suspect-features)',
      { key: 'allow_suspect_features', value: suspectFeatures.map((s) => s.column).join(', ') },
    );
  }
  const chars = countAt(profile, 1 + 2 * features.length, 'input_table_or_view_name');
  // Per row: the values' characters, a comma between columns, a line end (quotes are not counted).
  const bytesPerRow = rowCount > 0 ? chars / rowCount + columns.length : columns.length;
  return { targetDistinct, suspectFeatures, warnings: texts, bytesPerRow };
}

/**
 * Refuses an export Autopilot would not accept: more than `MAX_TRAINING_ROWS` rows, or an estimated CSV size of
 * `MAX_TRAINING_BYTES` or more. The error suggests the `sample_max_rows` that fits (with 10 % headroom for the
 * estimate). Runs before anything is exported.
 *
 * @example
 * checkExportSize(params, 1000000, 120); // passes: about 120 MB
 */
export function checkExportSize(params: TrainingParams, exportRows: number, bytesPerRow: number): void {
  const where = params.inputSchemaName + '.' + params.inputTableOrViewName;
  const bytes = exportRows * bytesPerRow;
  if (exportRows <= MAX_TRAINING_ROWS && bytes < MAX_TRAINING_BYTES) return;
  let fits = Math.floor((MAX_TRAINING_BYTES * 0.9) / bytesPerRow);
  if (fits > MAX_TRAINING_ROWS) fits = MAX_TRAINING_ROWS;
  const remedy =
    '; train on a sample: set sample_max_rows to ' +
    formatInteger(fits) +
    ' or less (sme train --sample-max-rows ' +
    formatInteger(fits) +
    ')';
  if (exportRows > MAX_TRAINING_ROWS) {
    throw coreError(
      'SME-E-TOO-MANY-ROWS',
      describeValue(where) +
        ' would send ' +
        formatInteger(exportRows) +
        ' rows; sme sends Autopilot at most ' +
        formatInteger(MAX_TRAINING_ROWS) +
        remedy,
      {
        key: 'sample_max_rows',
        value: formatInteger(exportRows),
        remedy: 'Set sample_max_rows to ' + formatInteger(fits) + '.',
      },
    );
  }
  throw coreError(
    'SME-E-INPUT-TOO-LARGE',
    describeValue(where) +
      ' would export about ' +
      formatInteger(Math.floor(bytes / 1000000000)) +
      ' GB (' +
      formatInteger(exportRows) +
      ' rows of about ' +
      formatInteger(Math.floor(bytesPerRow + 0.5)) +
      ' bytes); Autopilot takes less than ' +
      formatInteger(MAX_TRAINING_BYTES / 1000000000) +
      ' GB' +
      remedy,
    {
      key: 'sample_max_rows',
      value: formatInteger(exportRows),
      remedy: 'Set sample_max_rows to ' + formatInteger(fits) + '.',
    },
  );
}
