/** Objective metrics Autopilot reports for tabular jobs. */
export type MetricName =
  | 'Accuracy'
  | 'AUC'
  | 'BalancedAccuracy'
  | 'F1'
  | 'Precision'
  | 'Recall'
  | 'F1macro'
  | 'PrecisionMacro'
  | 'RecallMacro'
  | 'MSE'
  | 'RMSE'
  | 'MAE'
  | 'R2';

export type ProblemType = 'BinaryClassification' | 'MulticlassClassification' | 'Regression';

/**
 * Objectives allowed per problem type; the first is Autopilot's default
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AutoMLJobObjective.html).
 */
export const OBJECTIVES: Readonly<Record<ProblemType, readonly MetricName[]>> = {
  Regression: ['MSE', 'MAE', 'R2', 'RMSE'],
  BinaryClassification: ['F1', 'Accuracy', 'AUC', 'BalancedAccuracy', 'Precision', 'Recall'],
  MulticlassClassification: ['Accuracy', 'BalancedAccuracy', 'F1macro', 'PrecisionMacro', 'RecallMacro'],
};

/** Whether a larger value of the metric is better. */
export function objectiveType(metric: MetricName): 'Maximize' | 'Minimize' {
  return metric === 'MSE' || metric === 'RMSE' || metric === 'MAE' ? 'Minimize' : 'Maximize';
}

/** True when `a` is a better value of `metric` than `b`. */
export function isBetter(metric: MetricName, a: number, b: number): boolean {
  return objectiveType(metric) === 'Maximize' ? a > b : a < b;
}

function safeDiv(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** Per-class precision/recall/F1 from class indices. */
function perClass(actual: readonly number[], predicted: readonly number[], k: number) {
  const tp = new Array<number>(k).fill(0);
  const fp = new Array<number>(k).fill(0);
  const fn = new Array<number>(k).fill(0);
  actual.forEach((a, i) => {
    const p = predicted[i] ?? -1;
    if (a === p) tp[a] = (tp[a] ?? 0) + 1;
    else {
      if (p >= 0) fp[p] = (fp[p] ?? 0) + 1;
      fn[a] = (fn[a] ?? 0) + 1;
    }
  });
  return tp.map((t, c) => {
    const precision = safeDiv(t, t + (fp[c] ?? 0));
    const recall = safeDiv(t, t + (fn[c] ?? 0));
    return { precision, recall, f1: safeDiv(2 * precision * recall, precision + recall), support: t + (fn[c] ?? 0) };
  });
}

/** Area under the ROC curve from scores of the positive class (ties counted half: Mann-Whitney U). */
export function auc(actualPositive: readonly boolean[], scores: readonly number[]): number {
  const idx = scores.map((s, i) => ({ s, pos: actualPositive[i] === true })).sort((a, b) => a.s - b.s);
  let rankSumPos = 0;
  let nPos = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]?.s === idx[i]?.s) j++;
    const avgRank = (i + j + 2) / 2;
    for (let t = i; t <= j; t++) {
      if (idx[t]?.pos === true) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = idx.length - nPos;
  if (nPos === 0 || nNeg === 0) return 0.5;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Classification metrics. `positive` is the positive class index (binary); `positiveScores` its
 * probabilities, for AUC.
 */
export function classificationMetrics(
  problem: 'BinaryClassification' | 'MulticlassClassification',
  actual: readonly number[],
  predicted: readonly number[],
  classCount: number,
  positive: number,
  positiveScores: readonly number[],
): Partial<Record<MetricName, number>> {
  const n = actual.length;
  const correct = actual.filter((a, i) => a === predicted[i]).length;
  const stats = perClass(actual, predicted, classCount);
  const present = stats.filter((s) => s.support > 0);
  const mean = (xs: number[]): number =>
    safeDiv(
      xs.reduce((a, b) => a + b, 0),
      xs.length,
    );
  const common = {
    Accuracy: safeDiv(correct, n),
    BalancedAccuracy: mean(present.map((s) => s.recall)),
  };
  if (problem === 'BinaryClassification') {
    const p = stats[positive] ?? { precision: 0, recall: 0, f1: 0 };
    return {
      ...common,
      F1: p.f1,
      Precision: p.precision,
      Recall: p.recall,
      AUC: auc(
        actual.map((a) => a === positive),
        positiveScores,
      ),
    };
  }
  return {
    ...common,
    F1macro: mean(present.map((s) => s.f1)),
    PrecisionMacro: mean(present.map((s) => s.precision)),
    RecallMacro: mean(present.map((s) => s.recall)),
  };
}

/** Regression metrics. */
export function regressionMetrics(
  actual: readonly number[],
  predicted: readonly number[],
): Partial<Record<MetricName, number>> {
  const n = actual.length;
  let se = 0;
  let ae = 0;
  let sum = 0;
  actual.forEach((a, i) => {
    const d = a - (predicted[i] ?? 0);
    se += d * d;
    ae += Math.abs(d);
    sum += a;
  });
  const mean = safeDiv(sum, n);
  const ss = actual.reduce((acc, a) => acc + (a - mean) * (a - mean), 0);
  const mse = safeDiv(se, n);
  return { MSE: mse, RMSE: Math.sqrt(mse), MAE: safeDiv(ae, n), R2: ss === 0 ? 0 : 1 - se / ss };
}
