/** Known values of every objective metric on tiny hand-computed cases, and the one-hot cardinality cap. */
import { describe, expect, it } from 'vitest';
import { classificationMetrics, regressionMetrics } from './metrics.js';
import { CATEGORY_CAP, encodeRows, fitFeatures } from './model.js';

describe('binary classification metrics', () => {
  // actual 6 positive, 2 negative; predicted → TP 4, FN 2, FP 1, TN 1
  const actual = [1, 1, 1, 1, 1, 1, 0, 0];
  const predicted = [1, 1, 1, 1, 0, 0, 1, 0];
  const scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.65, 0.1];

  it('computes F1, Precision, Recall, Accuracy and BalancedAccuracy of the positive class', () => {
    const m = classificationMetrics('BinaryClassification', actual, predicted, 2, 1, scores);
    expect(m.Precision).toBeCloseTo(4 / 5, 12);
    expect(m.Recall).toBeCloseTo(4 / 6, 12);
    expect(m.F1).toBeCloseTo(8 / 11, 12); // 2·0.8·(2/3) / (0.8 + 2/3)
    expect(m.Accuracy).toBeCloseTo(5 / 8, 12);
    expect(m.BalancedAccuracy).toBeCloseTo((4 / 6 + 1 / 2) / 2, 12); // mean of recall and specificity
    // 12 positive/negative pairs, 9 ranked right (the negative 0.65 outranks the positives 0.6, 0.4, 0.3)
    expect(m.AUC).toBeCloseTo(9 / 12, 12);
    expect(Object.keys(m).sort()).toEqual(['AUC', 'Accuracy', 'BalancedAccuracy', 'F1', 'Precision', 'Recall']);
  });

  it('takes the positive class from its argument', () => {
    const m = classificationMetrics('BinaryClassification', actual, predicted, 2, 0, scores);
    expect(m.Precision).toBeCloseTo(1 / 3, 12);
    expect(m.Recall).toBeCloseTo(1 / 2, 12);
    expect(m.F1).toBeCloseTo(2 / 5, 12);
  });
});

describe('multiclass metrics', () => {
  // class 0: P 1, R 2/3, F1 0.8 · class 1: P 1/2, R 1/2, F1 1/2 · class 2: P 1/2, R 1, F1 2/3
  const actual = [0, 0, 0, 1, 1, 2];
  const predicted = [0, 0, 1, 1, 2, 2];

  it('computes macro averages over the classes', () => {
    const m = classificationMetrics('MulticlassClassification', actual, predicted, 3, 0, []);
    expect(m.PrecisionMacro).toBeCloseTo(2 / 3, 12);
    expect(m.RecallMacro).toBeCloseTo(13 / 18, 12);
    expect(m.F1macro).toBeCloseTo(59 / 90, 12);
    expect(m.Accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.BalancedAccuracy).toBeCloseTo(13 / 18, 12);
    expect(Object.keys(m).sort()).toEqual(['Accuracy', 'BalancedAccuracy', 'F1macro', 'PrecisionMacro', 'RecallMacro']);
  });
});

describe('regression metrics', () => {
  it('computes MSE, RMSE, MAE and R2', () => {
    // errors −1, 0, 1, −2; mean 2.5, total sum of squares 5
    const m = regressionMetrics([1, 2, 3, 4], [2, 2, 2, 6]);
    expect(m.MSE).toBeCloseTo(1.5, 12);
    expect(m.RMSE).toBeCloseTo(Math.sqrt(1.5), 12);
    expect(m.MAE).toBeCloseTo(1, 12);
    expect(m.R2).toBeCloseTo(1 - 6 / 5, 12);
  });

  it('gives R2 = 1 and zero errors for a perfect fit', () => {
    expect(regressionMetrics([3, 5, 8], [3, 5, 8])).toEqual({ MSE: 0, RMSE: 0, MAE: 0, R2: 1 });
  });
});

describe('one-hot cardinality cap', () => {
  it(`keeps the ${String(CATEGORY_CAP)} most frequent categories; rarer ones encode as all zeros`, () => {
    // category c00 appears 30 times, c01 29 times, … c24 6 times: 25 distinct values
    const rows: string[][] = [];
    for (let i = 0; i < 25; i++) {
      const cat = `c${String(i).padStart(2, '0')}`;
      for (let n = 0; n < 30 - i; n++) rows.push([cat, String(i)]);
    }
    const [cat, num] = fitFeatures(['cat', 'num'], rows);
    expect(cat).toEqual({
      kind: 'categorical',
      column: 'cat',
      categories: Array.from({ length: CATEGORY_CAP }, (_, i) => `c${String(i).padStart(2, '0')}`),
    });
    expect(num?.kind).toBe('numeric');
    if (cat === undefined) throw new Error('no feature');
    const [common, rare, unseen] = encodeRows([cat], [['c03'], ['c24'], ['never']]);
    expect(common).toHaveLength(CATEGORY_CAP);
    expect(common?.indexOf(1)).toBe(3);
    expect(common?.reduce((a, b) => a + b, 0)).toBe(1);
    expect(rare).toEqual(new Array(CATEGORY_CAP).fill(0));
    expect(unseen).toEqual(new Array(CATEGORY_CAP).fill(0));
  });

  it('keeps every category of a column under the cap, ties in name order', () => {
    const [cat] = fitFeatures(['c'], [['b'], ['a'], ['c'], ['c'], ['a']]);
    expect(cat).toEqual({ kind: 'categorical', column: 'c', categories: ['a', 'c', 'b'] });
  });
});
