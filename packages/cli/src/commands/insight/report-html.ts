/**
 * The HTML report of a job: one self-contained file (no script, no network at view time) with hand-written
 * inline SVG charts. Colours come from CSS variables that follow `prefers-color-scheme`, so it reads in dark
 * and light mode. Chart elements carry classes (`bar`, `point`, `cell`, …) that tests count.
 */
import type { CandidatesResult, EvaluationResult, ExplanationResult, JobDetails } from '@sme/core';

/** What the report shows; a missing part is named with the reason it is missing. */
export interface ReportModel {
  readonly job: JobDetails;
  readonly candidates?: CandidatesResult;
  readonly evaluation?: EvaluationResult;
  readonly explanation?: ExplanationResult;
  /** Why a part is missing or incomplete (error codes and messages, warnings). */
  readonly notes: readonly string[];
  /** When the report was written (ISO text). */
  readonly generatedAt: string;
}

const WIDTH = 720;
const LABEL_WIDTH = 260;
const ROW = 22;
const MAX_BARS = 40;

export function escapeHtml(text: string): string {
  return text.split('&').join('&amp;').split('<').join('&lt;').split('>').join('&gt;').split('"').join('&quot;');
}

function num(value: number): string {
  return String(Number(value.toPrecision(4)));
}

function coord(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function svg(title: string, height: number, body: string, kind: string): string {
  return (
    `<svg class="chart ${kind}" role="img" viewBox="0 0 ${String(WIDTH)} ${coord(height)}" width="${String(WIDTH)}" ` +
    `height="${coord(height)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>${body}</svg>`
  );
}

function text(x: number, y: number, content: string, cls = 'label', anchor = 'start'): string {
  return `<text class="${cls}" x="${coord(x)}" y="${coord(y)}" text-anchor="${anchor}">${escapeHtml(content)}</text>`;
}

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly cls: string;
}

/** Horizontal bars from a common zero (or from the smallest value when some are negative). */
function barChart(title: string, bars: readonly Bar[], kind: string): string {
  const shown = bars.slice(0, MAX_BARS);
  const min = Math.min(0, ...shown.map((b) => b.value));
  const max = Math.max(...shown.map((b) => b.value), min + 1e-12);
  const span = WIDTH - LABEL_WIDTH - 70;
  const x = (v: number): number => LABEL_WIDTH + ((v - min) / (max - min)) * span;
  let body = `<line class="axis" x1="${coord(x(0))}" x2="${coord(x(0))}" y1="4" y2="${coord(shown.length * ROW + 4)}"/>`;
  shown.forEach((b, i) => {
    const y = 6 + i * ROW;
    const from = Math.min(x(0), x(b.value));
    const w = Math.max(1, Math.abs(x(b.value) - x(0)));
    body += text(LABEL_WIDTH - 8, y + 13, b.label, 'label', 'end');
    body += `<rect class="bar ${b.cls}" x="${coord(from)}" y="${coord(y)}" width="${coord(w)}" height="${String(ROW - 6)}"><title>${escapeHtml(`${b.label}: ${num(b.value)}`)}</title></rect>`;
    body += text(Math.max(x(0), x(b.value)) + 6, y + 13, num(b.value), 'value');
  });
  const more =
    bars.length > shown.length ? `<p class="note">${String(bars.length - shown.length)} more not shown.</p>` : '';
  return svg(title, shown.length * ROW + 12, body, kind) + more;
}

function section(id: string, title: string, content: string, caption = ''): string {
  return (
    `<section id="${id}"><h2>${escapeHtml(title)}</h2>` +
    (caption === '' ? '' : `<p class="caption">${caption}</p>`) +
    content +
    '</section>'
  );
}

function missing(what: string): string {
  return `<p class="missing">${escapeHtml(what)} is not available (see the notes below).</p>`;
}

function settings(model: ReportModel): string {
  const d = model.job;
  const meta = d.metadata ?? {};
  const metaText = (column: string): string | undefined => {
    const v = meta[column];
    return v === null || v === undefined ? undefined : String(v);
  };
  const rows: [string, string | undefined][] = [
    ['Job', d.jobName],
    ['Status', `${d.status} / ${d.secondaryStatus}`],
    ['Problem type', model.evaluation?.problemType ?? metaText('PROBLEM_TYPE')],
    ['Objective', d.bestMetricName ?? metaText('OBJECTIVE')],
    ['Best candidate', d.bestCandidateName],
    ['Best objective value', d.bestMetricValue === undefined ? undefined : num(d.bestMetricValue)],
    ['Created (UTC)', new Date(d.creationTime).toISOString()],
    ['Ended (UTC)', d.endTime === undefined ? undefined : new Date(d.endTime).toISOString()],
    [
      'Input table',
      metaText('INPUT_TABLE_NAME') === undefined
        ? undefined
        : `${metaText('INPUT_SCHEMA_NAME') ?? ''}.${metaText('INPUT_TABLE_NAME') ?? ''}`,
    ],
    ['Target column', metaText('TARGET_ATTRIBUTE_NAME')],
    ['Max candidates', metaText('MAX_CANDIDATES')],
    ['Region', metaText('AWS_REGION')],
    ['Output path', d.artifacts.outputPath],
    ['Failure reason', d.failureReason],
  ];
  const body = rows
    .filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '')
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  return section('settings', 'Job settings', `<table class="settings">${body}</table>`);
}

/** A candidate name without the job name it usually starts with, at most 22 characters (the tail kept). */
function shortName(name: string, jobName: string): string {
  const own = name.startsWith(`${jobName}-`) ? name.slice(jobName.length + 1) : name;
  return own.length > 22 ? '…' + own.slice(-21) : own;
}

function leaderboard(model: ReportModel): string {
  const c = model.candidates;
  const valued = c?.candidates.filter((r) => r.objectiveValue !== undefined) ?? [];
  if (c === undefined || valued.length === 0) return section('leaderboard', 'Leaderboard', missing('The leaderboard'));
  const metric = valued[0]?.objectiveMetric ?? 'objective';
  const bars = valued.map((r) => ({
    label: `#${String(r.rank)} ${shortName(r.candidateName, model.job.jobName)}${r.algorithm === undefined ? '' : ` (${r.algorithm})`}`,
    value: r.objectiveValue ?? 0,
    cls: r.isBest ? 'best' : '',
  }));
  const families = new Set(valued.map((r) => r.algorithm ?? '?'));
  return section(
    'leaderboard',
    'Leaderboard',
    barChart(`Leaderboard by ${metric}`, bars, 'leaderboard'),
    `${String(c.candidates.length)} candidates from ${String(families.size)} algorithm families, ranked by ${escapeHtml(metric)} on the validation split; the best is highlighted.`,
  );
}

function objectiveOverCandidates(model: ReportModel): string {
  const rows = (model.candidates?.candidates ?? []).filter((r) => r.objectiveValue !== undefined);
  if (rows.length === 0) return section('progress', 'Objective over candidates', missing('The candidate history'));
  const ordered = [...rows].sort((a, b) =>
    a.creationTime !== undefined && b.creationTime !== undefined && a.creationTime !== b.creationTime
      ? a.creationTime - b.creationTime
      : a.candidateName < b.candidateName
        ? -1
        : 1,
  );
  // The best rank is the direction of the objective: it tells which way "better" is.
  const best = rows.find((r) => r.rank === 1)?.objectiveValue ?? 0;
  const values = ordered.map((r) => r.objectiveValue ?? 0);
  const maximize = best >= Math.max(...values) - 1e-12;
  const lo = Math.min(...values);
  const hi = Math.max(...values, lo + 1e-12);
  const height = 240;
  const left = 60;
  const right = WIDTH - 20;
  const top = 16;
  const bottom = height - 34;
  const x = (i: number): number => left + (ordered.length === 1 ? 0.5 : i / (ordered.length - 1)) * (right - left);
  const y = (v: number): number => bottom - ((v - lo) / (hi - lo)) * (bottom - top);
  let body =
    `<line class="axis" x1="${String(left)}" x2="${String(left)}" y1="${String(top)}" y2="${String(bottom)}"/>` +
    `<line class="axis" x1="${String(left)}" x2="${String(right)}" y1="${String(bottom)}" y2="${String(bottom)}"/>` +
    text(left - 6, y(hi) + 4, num(hi), 'tick', 'end') +
    text(left - 6, y(lo) + 4, num(lo), 'tick', 'end') +
    text((left + right) / 2, height - 6, 'candidates in the order they were trained', 'tick', 'middle');
  let running = values[0] ?? 0;
  const steps: string[] = [];
  values.forEach((v, i) => {
    running = maximize ? Math.max(running, v) : Math.min(running, v);
    steps.push(`${coord(x(i))},${coord(y(running))}`);
  });
  body += `<polyline class="line running-best" points="${steps.join(' ')}"/>`;
  ordered.forEach((r, i) => {
    body += `<circle class="point${r.isBest ? ' best' : ''}" cx="${coord(x(i))}" cy="${coord(y(r.objectiveValue ?? 0))}" r="5"><title>${escapeHtml(`${r.candidateName}: ${num(r.objectiveValue ?? 0)}`)}</title></circle>`;
  });
  return section(
    'progress',
    'Objective over candidates',
    svg('Objective over candidates', height, body, 'progress'),
    'Each dot is a candidate; the line is the best value found so far.',
  );
}

function confusionMatrix(e: EvaluationResult): string {
  const cm = e.confusionMatrix;
  if (cm === undefined || cm.labels.length === 0) return '';
  const n = cm.labels.length;
  const cell = Math.min(80, Math.floor(360 / n));
  const left = 150;
  const top = 40;
  let body =
    text(left + (n * cell) / 2, 16, 'predicted', 'tick', 'middle') +
    text(12, top + (n * cell) / 2, 'actual', 'tick', 'start');
  cm.labels.forEach((label, j) => {
    body += text(left + j * cell + cell / 2, top - 6, label, 'tick', 'middle');
  });
  cm.counts.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    body += text(left - 8, top + i * cell + cell / 2 + 4, cm.labels[i] ?? '', 'tick', 'end');
    row.forEach((count, j) => {
      const share = total === 0 ? 0 : count / total;
      body +=
        `<rect class="cell${i === j ? ' diagonal' : ''}" x="${String(left + j * cell)}" y="${String(top + i * cell)}" width="${String(cell - 2)}" height="${String(cell - 2)}" fill-opacity="${coord(0.12 + 0.88 * share)}"><title>${escapeHtml(`actual ${cm.labels[i] ?? ''}, predicted ${cm.labels[j] ?? ''}: ${String(count)}`)}</title></rect>` +
        text(left + j * cell + cell / 2 - 1, top + i * cell + cell / 2 + 4, String(count), 'count', 'middle');
    });
  });
  return (
    '<h3>Confusion matrix</h3>' +
    svg('Confusion matrix (validation)', top + n * cell + 10, body, 'confusion') +
    '<p class="caption">Rows: actual class; columns: predicted class; shade: share of the row.</p>'
  );
}

function residualPlot(e: EvaluationResult): string {
  const r = e.residuals;
  if (r === undefined || r.counts.length === 0) return '';
  const height = 220;
  const left = 50;
  const right = WIDTH - 20;
  const bottom = height - 34;
  const top = 12;
  const maxCount = Math.max(...r.counts, 1);
  const w = (right - left) / r.counts.length;
  let body = `<line class="axis" x1="${String(left)}" x2="${String(right)}" y1="${String(bottom)}" y2="${String(bottom)}"/>`;
  r.counts.forEach((c, i) => {
    const h = (c / maxCount) * (bottom - top);
    body += `<rect class="bar residual" x="${coord(left + i * w + 1)}" y="${coord(bottom - h)}" width="${coord(Math.max(1, w - 2))}" height="${coord(h)}"><title>${escapeHtml(`${num(r.binEdges[i] ?? 0)} … ${num(r.binEdges[i + 1] ?? 0)}: ${String(c)}`)}</title></rect>`;
  });
  body +=
    text(left, height - 16, num(r.binEdges[0] ?? 0), 'tick', 'start') +
    text(right, height - 16, num(r.binEdges[r.binEdges.length - 1] ?? 0), 'tick', 'end') +
    text((left + right) / 2, height - 4, 'residual (actual − predicted)', 'tick', 'middle');
  return '<h3>Residuals</h3>' + svg('Residual histogram (validation)', height, body, 'residuals');
}

function rocCurve(e: EvaluationResult): string {
  const roc = e.roc;
  if (roc === undefined || roc.falsePositiveRates.length < 2) return '';
  const size = 260;
  const left = 50;
  const top = 10;
  const x = (v: number): number => left + v * (size - 20);
  const y = (v: number): number => top + (1 - v) * (size - 40);
  const points = roc.falsePositiveRates.map((f, i) => `${coord(x(f))},${coord(y(roc.truePositiveRates[i] ?? 0))}`);
  const body =
    `<line class="axis" x1="${coord(x(0))}" y1="${coord(y(0))}" x2="${coord(x(1))}" y2="${coord(y(0))}"/>` +
    `<line class="axis" x1="${coord(x(0))}" y1="${coord(y(0))}" x2="${coord(x(0))}" y2="${coord(y(1))}"/>` +
    `<line class="chance" x1="${coord(x(0))}" y1="${coord(y(0))}" x2="${coord(x(1))}" y2="${coord(y(1))}"/>` +
    `<polyline class="line roc" points="${points.join(' ')}"/>` +
    text(x(0.5), size - 8, 'false positive rate', 'tick', 'middle') +
    text(left - 8, y(0.5), 'TPR', 'tick', 'end');
  return '<h3>ROC curve</h3>' + svg('ROC curve (validation)', size, body, 'roc');
}

function evaluation(model: ReportModel): string {
  const e = model.evaluation;
  if (e === undefined) return section('evaluation', 'Evaluation of the best candidate', missing('The evaluation'));
  const table =
    '<table class="metrics"><tr><th>metric</th><th>value</th></tr>' +
    e.metrics.map((m) => `<tr><td>${escapeHtml(m.metricName)}</td><td>${num(m.value)}</td></tr>`).join('') +
    '</table>';
  return section(
    'evaluation',
    `Evaluation of the best candidate (${e.candidateName})`,
    confusionMatrix(e) + residualPlot(e) + rocCurve(e) + '<h3>Validation metrics</h3>' + table,
    e.source === 'report'
      ? 'From Autopilot’s model-quality report (statistics.json) on the validation split.'
      : 'The model-quality report is missing: these are the candidate metrics of DescribeAutoMLJobV2.',
  );
}

function baseline(model: ReportModel): string {
  const e = model.evaluation;
  const pairs = (e?.baseline ?? [])
    .map((b) => ({ b, m: e?.metrics.find((m) => m.metricName === b.metricName) }))
    .filter((p) => p.m !== undefined);
  if (pairs.length === 0) return section('baseline', 'Compared with a baseline', missing('A baseline'));
  const bars: Bar[] = [];
  for (const p of pairs) {
    bars.push({ label: `${p.b.metricName} · model`, value: p.m?.value ?? 0, cls: 'model' });
    bars.push({ label: `${p.b.metricName} · baseline`, value: p.b.value, cls: 'baseline' });
  }
  return section(
    'baseline',
    'Compared with a baseline',
    barChart('Model against baseline', bars, 'baseline'),
    model.evaluation?.problemType === 'Regression'
      ? 'Baseline: always predicting the mean of the target.'
      : 'Baseline: the best constant classifier (always answering one class).',
  );
}

function importance(model: ReportModel): string {
  const x = model.explanation;
  if (x === undefined || x.features.length === 0) {
    return section('importance', 'Feature importance', missing('Feature importance'));
  }
  const bars = x.features.map((f) => ({ label: f.feature, value: f.importance, cls: f.rank === 1 ? 'top' : '' }));
  return section(
    'importance',
    'Feature importance',
    barChart('Feature importance (mean |SHAP|)', bars, 'importance'),
    'Mean absolute SHAP value of each input column from Autopilot’s explainability report (analysis.json): how much the column moves the prediction on average.',
  );
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d2433; --bg: #ffffff; --muted: #5b6475; --grid: #c9ced8; --card: #f4f6f9;
  --accent: #2f6fde; --best: #d9731a; --base: #9aa3b2; --cell: #2f6fde; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ef; --bg: #12151b; --muted: #9aa3b2; --grid: #3a414d;
  --card: #1b1f27; --accent: #6fa0ff; --best: #ffad5c; --base: #6b7383; --cell: #6fa0ff; } }
body { margin: 0 auto; max-width: 780px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 22px; margin-bottom: 2px; } h2 { font-size: 17px; margin: 0 0 6px; } h3 { font-size: 14px; margin: 14px 0 4px; }
section { background: var(--card); border-radius: 8px; padding: 14px 16px; margin: 16px 0; }
.caption, .note, .generated { color: var(--muted); font-size: 12px; margin: 2px 0 8px; }
.missing { color: var(--best); }
table { border-collapse: collapse; } th, td { text-align: left; padding: 2px 14px 2px 0; vertical-align: top; }
th { color: var(--muted); font-weight: 500; } td { overflow-wrap: anywhere; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg text { fill: var(--fg); font: 11px system-ui, sans-serif; } svg text.tick, svg text.value { fill: var(--muted); }
svg text.count { font-weight: 600; }
.axis { stroke: var(--grid); stroke-width: 1; } .chance { stroke: var(--grid); stroke-dasharray: 4 4; }
.bar { fill: var(--accent); } .bar.best, .bar.top { fill: var(--best); } .bar.baseline { fill: var(--base); }
.point { fill: var(--accent); } .point.best { fill: var(--best); }
.line { fill: none; stroke: var(--best); stroke-width: 2; } .line.roc { stroke: var(--accent); }
.cell { fill: var(--cell); }
ul.notes { color: var(--muted); }
`;

/** The whole report as one HTML document. */
export function renderReportHtml(model: ReportModel): string {
  const notes =
    model.notes.length === 0
      ? ''
      : section(
          'notes',
          'Notes',
          `<ul class="notes">${model.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`,
        );
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<meta name="color-scheme" content="light dark">' +
    `<title>sme report: ${escapeHtml(model.job.jobName)}</title><style>${STYLE}</style></head><body>` +
    `<h1>What Autopilot learned: ${escapeHtml(model.job.jobName)}</h1>` +
    `<p class="generated">Written by sme report at ${escapeHtml(model.generatedAt)}.</p>` +
    settings(model) +
    leaderboard(model) +
    objectiveOverCandidates(model) +
    evaluation(model) +
    importance(model) +
    baseline(model) +
    notes +
    '</body></html>\n'
  );
}
