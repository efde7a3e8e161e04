import type { JobDetails } from '@sme/core';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderReportHtml, type ReportModel } from './report-html.js';

const job: JobDetails = {
  jobName: 'churn-261202101010',
  status: 'Completed',
  secondaryStatus: 'Completed',
  terminal: true,
  bestCandidateName: 'churn-261202101010-forest-002',
  bestMetricName: 'RMSE',
  bestMetricValue: 2.5,
  recorded: true,
  jobArn: 'arn',
  creationTime: 0,
  artifacts: { modelDataUrls: [] },
};

function model(overrides: Partial<ReportModel> = {}): ReportModel {
  return {
    job,
    candidates: {
      jobName: job.jobName,
      jobStatus: 'Completed',
      warnings: [],
      cached: false,
      candidates: [
        {
          candidateName: 'churn-261202101010-forest-002',
          rank: 1,
          objectiveMetric: 'RMSE',
          objectiveValue: 2.5,
          candidateStatus: 'Completed',
          algorithm: 'random-forest',
          isBest: true,
          creationTime: 2,
        },
        {
          candidateName: 'churn-261202101010-ridge-001',
          rank: 2,
          objectiveMetric: 'RMSE',
          objectiveValue: 3.5,
          candidateStatus: 'Completed',
          algorithm: 'ridge',
          isBest: false,
          creationTime: 1,
        },
        {
          candidateName: 'churn-261202101010-cart-003',
          rank: 3,
          candidateStatus: 'Failed',
          isBest: false,
          creationTime: 3,
        },
      ],
    },
    evaluation: {
      jobName: job.jobName,
      candidateName: 'churn-261202101010-forest-002',
      problemType: 'Regression',
      metrics: [
        { metricName: 'mse', value: 6.25, set: 'Validation' },
        { metricName: 'r2', value: 0.75, set: 'Validation' },
      ],
      baseline: [
        { metricName: 'mse', value: 25, set: 'Validation' },
        { metricName: 'r2', value: 0, set: 'Validation' },
      ],
      residuals: { binEdges: [-2, -1, 0, 1, 2], counts: [1, 5, 6, 2] },
      source: 'report',
      warnings: [],
      cached: false,
    },
    explanation: {
      jobName: job.jobName,
      candidateName: 'churn-261202101010-forest-002',
      features: [
        { feature: 'TENURE', importance: 1.5, rank: 1 },
        { feature: '<b>AGE</b>', importance: 0.2, rank: 2 },
      ],
      warnings: [],
      cached: false,
    },
    notes: [],
    generatedAt: '2026-12-02T10:00:00.000Z',
    ...overrides,
  };
}

const count = (html: string, pattern: RegExp): number => html.match(pattern)?.length ?? 0;
/** The SVG text of one chart kind. */
const chart = (html: string, kind: string): string => {
  const at = html.indexOf(`<svg class="chart ${kind}"`);
  return at < 0 ? '' : html.slice(at, html.indexOf('</svg>', at));
};

describe('renderReportHtml', () => {
  it('draws the leaderboard, history, residuals, importance and baseline of a regression job', () => {
    const html = renderReportHtml(model());
    expect(count(chart(html, 'leaderboard'), /<rect class="bar/g)).toBe(2); // the candidates with a value
    expect(count(chart(html, 'leaderboard'), /<rect class="bar best"/g)).toBe(1);
    expect(count(chart(html, 'progress'), /<circle class="point/g)).toBe(2);
    expect(count(chart(html, 'residuals'), /<rect class="bar residual"/g)).toBe(4);
    expect(count(chart(html, 'importance'), /<rect class="bar/g)).toBe(2);
    expect(chart(html, 'importance')).toMatch(/<rect class="bar top"[^>]*><title>TENURE: 1.5</);
    expect(count(chart(html, 'baseline'), /<rect class="bar (model|baseline)"/g)).toBe(4);
    expect(html).toContain('Baseline: always predicting the mean');
    expect(html).not.toContain('confusion');
    // The minimised objective: the running best only goes down (3.5 first, then 2.5).
    expect(html).toMatch(/<polyline class="line running-best" points="[\d.]+,([\d.]+) [\d.]+,(?!\1)[\d.]+/);
  });

  it('escapes every text it did not write itself and loads nothing from elsewhere', () => {
    const html = renderReportHtml(model({ notes: ['explain: <script>alert(1)</script>'] }));
    expect(html).toContain('&lt;b&gt;AGE&lt;/b&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/ (src|href)=/);
    expect(escapeHtml('"&<>')).toBe('&quot;&amp;&lt;&gt;');
  });

  it('names a missing part instead of drawing it', () => {
    const { explanation: _x, ...rest } = model();
    const html = renderReportHtml({ ...rest, notes: ['feature importance: SME-E-INSIGHT-REPORT-MISSING: gone'] });
    expect(html).toContain('Feature importance is not available');
    expect(html).toContain('SME-E-INSIGHT-REPORT-MISSING');
    expect(count(html, /<rect class="bar top"/g)).toBe(0);
  });

  it('draws a confusion matrix with one cell per pair of classes for classification', () => {
    const evaluation = model().evaluation;
    if (evaluation === undefined) throw new Error('fixture');
    const html = renderReportHtml(
      model({
        evaluation: {
          ...evaluation,
          problemType: 'MulticlassClassification',
          residuals: undefined,
          confusionMatrix: {
            labels: ['a', 'b', 'c'],
            counts: [
              [5, 1, 0],
              [0, 4, 2],
              [1, 0, 7],
            ],
          },
        },
      }),
    );
    expect(count(chart(html, 'confusion'), /<rect class="cell/g)).toBe(9);
    expect(count(chart(html, 'confusion'), /<rect class="cell diagonal"/g)).toBe(3);
  });
});
