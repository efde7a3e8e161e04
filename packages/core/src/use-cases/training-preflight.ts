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
  return { targetDistinct, suspectFeatures, warnings: texts };
}
