import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auc, isBetter, OBJECTIVES, objectiveType } from './metrics.js';
import type { MetricName } from './metrics.js';
import { parseCsv, predictRows } from './model.js';
import { syntheticData, toCsv } from './synthetic.js';
import type { SyntheticKind } from './synthetic.js';
import {
  baselineMetrics,
  candidatePlans,
  DataProblem,
  inferProblemType,
  prepareData,
  trainCandidate,
} from './trainer.js';

const cases: [SyntheticKind, MetricName, number][] = [
  ['binary', 'Accuracy', 0.15],
  ['multiclass', 'Accuracy', 0.15],
  ['regression', 'R2', 0.5],
];

describe('training on data with a known signal', () => {
  it.each(cases)('%s: every family beats the trivial baseline on the validation split', (kind, metric, margin) => {
    const { header, rows } = syntheticData(kind, 1500, 11);
    const data = prepareData(header, rows, 'label', undefined, 0.2, 42);
    expect(data.problemType).toBe(
      kind === 'binary' ? 'BinaryClassification' : kind === 'multiclass' ? 'MulticlassClassification' : 'Regression',
    );
    const base = baselineMetrics(data)[metric] ?? Number.NaN;
    const families = new Set<string>();
    for (const plan of candidatePlans(data.problemType).slice(0, 3)) {
      const c = trainCandidate(data, plan, 42);
      families.add(plan.family);
      const value = c.metrics[metric] ?? Number.NaN;
      expect(value, `${plan.family} ${metric}=${value} vs baseline ${base}`).toBeGreaterThan(base + margin);
    }
    expect(families.size).toBe(3);
  });

  it('the stored model file predicts the same labels as the trained model', () => {
    const { header, rows } = syntheticData('binary', 800, 3);
    const data = prepareData(header, rows, 'label', 'BinaryClassification', 0.2, 1);
    const c = trainCandidate(
      data,
      candidatePlans(data.problemType)[1] ?? { family: 'cart', params: {}, maxRows: 10 },
      1,
    );
    const file = JSON.parse(JSON.stringify(c.file)) as typeof c.file;
    const inputs = rows.slice(0, 50).map((r) => r.slice(0, 4));
    const fromFile = predictRows(file, inputs);
    const correct = fromFile.filter((p, i) => p.label === rows[i]?.[4]).length;
    expect(correct).toBeGreaterThan(35);
    for (const p of fromFile) expect(p.probability).toBeGreaterThanOrEqual(0.5);
  });

  it('fails like Autopilot on a missing target or too few rows', () => {
    const { header, rows } = syntheticData('binary', 600, 3);
    expect(() => prepareData(header, rows, 'nope', undefined, 0.2, 1)).toThrow(DataProblem);
    expect(() => prepareData(header, rows, 'nope', undefined, 0.2, 1)).toThrow(/Target attribute 'nope' not found/);
    expect(() => prepareData(header, rows.slice(0, 499), 'label', undefined, 0.2, 1)).toThrow(/499 rows/);
  });

  it('infers the problem type from the target values', () => {
    expect(inferProblemType(['a', 'b', 'a'])).toBe('BinaryClassification');
    expect(inferProblemType(['1', '2', '3'])).toBe('MulticlassClassification');
    expect(inferProblemType(Array.from({ length: 50 }, (_v, i) => String(i / 3)))).toBe('Regression');
  });
});

describe('metrics', () => {
  it('knows which objectives to maximise', () => {
    for (const m of Object.values(OBJECTIVES).flat()) {
      expect(objectiveType(m)).toBe(['MSE', 'RMSE', 'MAE'].includes(m) ? 'Minimize' : 'Maximize');
    }
    expect(isBetter('MSE', 1, 2)).toBe(true);
    expect(isBetter('AUC', 1, 2)).toBe(false);
  });

  it('AUC is 1 for perfectly ranked scores and symmetric under inversion', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 2 }),
        (pairs) => {
          const pos = pairs.map((p) => p[0]);
          const s = pairs.map((p) => p[1]);
          const a = auc(pos, s);
          const b = auc(
            pos,
            s.map((v) => -v),
          );
          expect(a).toBeGreaterThanOrEqual(0);
          expect(a).toBeLessThanOrEqual(1);
          if (pos.some(Boolean) && pos.some((p) => !p)) expect(a + b).toBeCloseTo(1, 9);
        },
      ),
    );
    expect(auc([false, false, true, true], [0.1, 0.2, 0.8, 0.9])).toBe(1);
  });
});

describe('CSV parsing', () => {
  it('round-trips values with commas, quotes, newlines and empty fields', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 8 }), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const usable = rows.filter((r) => !r.every((c) => c === ''));
          const parsed = parseCsv(toCsv([], usable, false));
          expect(parsed).toEqual(usable);
        },
      ),
    );
  });
});
