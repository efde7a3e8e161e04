import { describe, expect, it } from 'vitest';
import { modelQualityStatistics } from './quality.js';

const when = new Date('2026-01-02T03:04:05Z');

describe('model-quality statistics (Model Monitor format)', () => {
  it('binary: the documented example — confusion matrix actual → predicted, NaN spread below 200 rows', () => {
    // Model Monitor's documented example: recall 1, precision 1/3, accuracy 0.5 on 4 rows.
    const stats = modelQualityStatistics(
      {
        problemType: 'BinaryClassification',
        labels: ['0', '1'],
        positive: 1,
        actual: [0, 0, 0, 1],
        proba: [
          [0.9, 0.1],
          [0.2, 0.8],
          [0.3, 0.7],
          [0.1, 0.9],
        ],
      },
      when,
    ) as { dataset: unknown; binary_classification_metrics: Record<string, unknown> };
    expect(stats.dataset).toEqual({ item_count: 4, evaluation_time: '2026-01-02T03:04:05.000Z' });
    const m = stats.binary_classification_metrics;
    expect(m.confusion_matrix).toEqual({ '0': { '0': 1, '1': 2 }, '1': { '0': 0, '1': 1 } });
    expect(m.recall).toEqual({ value: 1, standard_deviation: 'NaN' });
    expect((m.precision as { value: number }).value).toBeCloseTo(1 / 3, 12);
    expect((m.accuracy as { value: number }).value).toBe(0.5);
    expect((m.precision_best_constant_classifier as { value: number }).value).toBe(0.25);
    expect((m.false_positive_rate as { value: number }).value).toBeCloseTo(2 / 3, 12);
    expect((m.auc as { value: number }).value).toBe(1);
    expect(m.receiver_operating_characteristic_curve).toEqual({
      false_positive_rates: [0, 0, 1 / 3, 2 / 3, 1],
      true_positive_rates: [0, 1, 1, 1, 1],
    });
    expect((m.precision_recall_curve as { recalls: number[] }).recalls).toEqual([1, 1, 1, 1]);
  });

  it('gives a standard deviation from 200 rows on, and thins long curves to 101 points', () => {
    const n = 400;
    const actual = Array.from({ length: n }, (_v, i) => i % 2);
    const proba = actual.map((a, i) => {
      const p = Math.min(0.99, Math.max(0.01, 0.5 + (a === 1 ? 0.2 : -0.2) + ((i * 37) % 100) / 250 - 0.2));
      return [1 - p, p];
    });
    const stats = modelQualityStatistics(
      { problemType: 'BinaryClassification', labels: ['no', 'yes'], positive: 1, actual, proba },
      when,
    ) as { binary_classification_metrics: Record<string, { value?: number; standard_deviation?: unknown }> };
    const m = stats.binary_classification_metrics;
    expect(typeof m.f1?.standard_deviation).toBe('number');
    const roc = m.receiver_operating_characteristic_curve as unknown as { true_positive_rates: number[] };
    expect(roc.true_positive_rates.length).toBeLessThanOrEqual(101);
    expect(roc.true_positive_rates.at(-1)).toBe(1);
  });

  it('multiclass: weighted metrics and the confusion matrix by label', () => {
    const stats = modelQualityStatistics(
      {
        problemType: 'MulticlassClassification',
        labels: ['a', 'b', 'c'],
        positive: 0,
        actual: [0, 1, 2, 2],
        proba: [
          [0.8, 0.1, 0.1],
          [0.1, 0.8, 0.1],
          [0.1, 0.1, 0.8],
          [0.1, 0.8, 0.1],
        ],
      },
      when,
    ) as { multiclass_classification_metrics: Record<string, unknown> };
    const m = stats.multiclass_classification_metrics;
    expect(m.confusion_matrix).toEqual({ a: { a: 1, b: 0, c: 0 }, b: { a: 0, b: 1, c: 0 }, c: { a: 0, b: 1, c: 1 } });
    expect((m.accuracy as { value: number }).value).toBe(0.75);
    // recall a=1, b=1, c=0.5 weighted by support 1,1,2 → 0.75
    expect((m.weighted_recall as { value: number }).value).toBeCloseTo(0.75, 12);
  });

  it('regression: MAE/MSE/RMSE/R2 and the residual histogram', () => {
    const stats = modelQualityStatistics(
      { problemType: 'Regression', labels: [], positive: 0, actual: [1, 2, 3, 4], predicted: [1, 2, 3, 6] },
      when,
    ) as { regression_metrics: Record<string, { value: number }>; residuals: { counts: number[]; mean: number } };
    expect(stats.regression_metrics.mae?.value).toBe(0.5);
    expect(stats.regression_metrics.mse?.value).toBe(1);
    expect(stats.regression_metrics.rmse?.value).toBe(1);
    expect(stats.regression_metrics.r2?.value).toBeCloseTo(1 - 4 / 5, 12);
    expect(stats.residuals.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(stats.residuals.mean).toBe(-0.5);
  });
});
