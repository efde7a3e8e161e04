import { describe, expect, it } from 'vitest';
import { seededRandom } from '../faults.js';
import { baselineRow, shapleyValues } from './explain.js';
import { candidatePlans, prepareData, trainCandidate } from './trainer.js';

/** Rows where column `decider` alone sets the label; the other columns are noise. */
function decidedBy(kind: 'binary' | 'regression', n: number, extraNoise = 0) {
  const random = seededRandom(5);
  const colors = ['red', 'green', 'blue'];
  const noiseNames = Array.from({ length: extraNoise }, (_v, i) => `n${i}`);
  const header = ['noise_a', 'decider', 'color', ...noiseNames, 'label'];
  const rows = Array.from({ length: n }, () => {
    const d = random() * 2 - 1;
    const extra = noiseNames.map(() => (random() * 2 - 1).toFixed(4));
    const label = kind === 'binary' ? (d > 0 ? 'yes' : 'no') : (5 * d + 0.01 * random()).toFixed(4);
    const color = colors[Math.floor(random() * 3)] ?? 'red';
    return [(random() * 2 - 1).toFixed(4), d.toFixed(4), color, ...extra, label];
  });
  return { header, rows };
}

function ranking(global: Readonly<Record<string, number>>): string[] {
  return Object.entries(global)
    .sort((a, b) => b[1] - a[1])
    .map(([k]) => k);
}

describe('Shapley values on data where one column decides the label', () => {
  const { header, rows } = decidedBy('binary', 800);
  const data = prepareData(header, rows, 'label', 'BinaryClassification', 0.25, 3);

  it.each(candidatePlans('BinaryClassification').slice(0, 3))('$family ranks that column first', (plan) => {
    const { model } = trainCandidate(data, plan, 3);
    const shap = shapleyValues(data, model);
    expect(shap.exact).toBe(true);
    expect(shap.outputs.map((o) => o.name)).toEqual(['label0']);
    const global = shap.outputs[0]?.global ?? {};
    expect(ranking(global)[0]).toBe('decider');
    expect(global.decider ?? 0).toBeGreaterThan(3 * Math.max(global.noise_a ?? 0, global.color ?? 0));
  });

  it('a row’s values add up to its output minus the baseline output (efficiency)', () => {
    const plan = candidatePlans('BinaryClassification')[1] ?? { family: 'forest', params: {}, maxRows: 500 };
    const { model } = trainCandidate(data, plan, 3);
    const shap = shapleyValues(data, model, { budget: 2000 });
    const out = shap.outputs[0];
    const explained = Math.floor(data.xVal.length / shap.rows);
    expect(out?.expected).toBeCloseTo(model.predictProba([baselineRow(data.features)])[0]?.[data.positive] ?? -1, 12);
    out?.local.forEach((values, r) => {
      const x = data.xVal[Math.floor(r * (data.xVal.length / shap.rows))] ?? [];
      const fx = model.predictProba([x])[0]?.[data.positive] ?? 0;
      expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(fx - out.expected, 9);
    });
    expect(explained).toBeGreaterThanOrEqual(1);
  });

  it('regression (ridge, exact for a linear model) and more than five columns (sampled orderings)', () => {
    const reg = decidedBy('regression', 700, 4);
    const rdata = prepareData(reg.header, reg.rows, 'label', 'Regression', 0.2, 3);
    const plan = candidatePlans('Regression')[0] ?? { family: 'ridge', params: { lambda: 1 }, maxRows: 1000 };
    const shap = shapleyValues(rdata, trainCandidate(rdata, plan, 3).model);
    expect(shap.exact).toBe(false);
    expect(shap.permutations).toBe(16);
    expect(ranking(shap.outputs[0]?.global ?? {})[0]).toBe('decider');
  });

  it('multiclass explains every class probability, keyed by the class label', () => {
    const multi = decidedBy('binary', 600);
    const three = multi.rows.map((r) => [
      ...r.slice(0, -1),
      Number(r[1]) > 0.33 ? 'hi' : Number(r[1]) < -0.33 ? 'lo' : 'mid',
    ]);
    const mdata = prepareData(multi.header, three, 'label', 'MulticlassClassification', 0.25, 3);
    const plan = candidatePlans('MulticlassClassification')[2] ?? { family: 'cart', params: {}, maxRows: 900 };
    const shap = shapleyValues(mdata, trainCandidate(mdata, plan, 3).model, { budget: 3000 });
    expect(shap.outputs.map((o) => o.name)).toEqual(['hi', 'lo', 'mid']);
    for (const o of shap.outputs) expect(ranking(o.global)[0]).toBe('decider');
  });
});
