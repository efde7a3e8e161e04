/**
 * Model insight through the `sme` binary: a job started by `sme train` on data where one column (DECIDER) alone
 * sets the label; `sme candidates|evaluate|explain` (JSON and tables), the same job read from SQL
 * (SME_EXPLAIN_SAGEMAKER_AUTOPILOT_JOB), coded errors, and `sme report`: one self-contained HTML file, rendered in
 * headless Chromium, whose charts are counted there; a screenshot is kept under integration-tests/artifacts/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, itTier } from '@sme/test-tiers';
import { quoteLiteral } from '@sme/core';
import type { ExasolSqlPort } from '@sme/exasol-adapter';
import { selectedProvider, type Environment } from '../environment/index.js';
import { connect, createBucketConnection } from './exasol-fixtures.js';
import { jsonOf, runSme, smeInstall } from './sme-binary.js';

const provider = selectedProvider();
const SCHEMA = 'SME_INSIGHT';
const ROLE = 'arn:aws:iam::123456789012:role/SmeIntegration';
/** Test artefacts (gitignored): the report and its screenshot. */
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'insight');

/** Appended to a copy of the report only: counts what Chromium drew (elements with a non-empty box). */
const MEASURE = `<script>
const drawn = (selector) => [...document.querySelectorAll(selector)].filter((e) => {
  const box = e.getBBox ? e.getBBox() : e.getBoundingClientRect();
  return box.width > 0 && box.height > 0;
}).length;
const counts = {
  charts: drawn('svg.chart'),
  leaderboardBars: drawn('svg.leaderboard rect.bar'),
  bestBars: drawn('svg.leaderboard rect.bar.best'),
  points: drawn('svg.progress circle.point'),
  cells: drawn('svg.confusion rect.cell'),
  roc: drawn('svg.roc polyline'),
  importanceBars: drawn('svg.importance rect.bar'),
  baselineBars: drawn('svg.baseline rect.bar'),
  topFeature: document.querySelector('svg.importance text.label')?.textContent,
  scripts: document.querySelectorAll('script').length,
  external: [...document.querySelectorAll('[src],[href]')].length,
};
const out = document.createElement('pre');
out.id = 'measured';
out.textContent = JSON.stringify(counts);
document.body.append(out);
</script>`;

function chromium(args: string[]): string {
  const r = spawnSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`chromium failed (${String(r.status)}): ${r.stderr}`);
  return r.stdout;
}

describeTier(provider.name, `sme candidates, evaluate, explain and report against ${provider.name}`, () => {
  let env: Environment;
  let bin: string;
  let sql: ExasolSqlPort;
  let job = '';
  const sme = (args: string[]) => runSme(bin, env, [...args, '--schema', SCHEMA]);

  beforeAll(async () => {
    bin = smeInstall().bin;
    env = await provider.start();
    sql = await connect(env);
    const deployed = await sme([
      'deploy',
      '--aws-endpoint-url',
      env.aws.sagemakerEndpoint,
      '--s3-endpoint-url',
      env.aws.s3Endpoint,
    ]);
    expect(deployed.code, deployed.stderr).toBe(0);
    await sql.execute('CREATE SCHEMA IF NOT EXISTS INSIGHT_DATA');
    await sql.execute(
      'CREATE OR REPLACE TABLE INSIGHT_DATA.SIGNAL (DECIDER DOUBLE, NOISE_A DOUBLE, NOISE_B DOUBLE, LABEL VARCHAR(3))',
    );
    let seed = 11;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const rows: number[][] = [];
    for (let i = 0; i < 650; i++) rows.push([random(), random(), random()]);
    // LABEL is 'yes' exactly when DECIDER > 0.5, flipped for every 12th row so that candidates differ.
    await sql.insertRows(
      'INSIGHT_DATA.SIGNAL',
      ['DECIDER', 'NOISE_A', 'NOISE_B', 'LABEL'],
      rows.map((r, i) => [...r, (r[0] ?? 0) > 0.5 !== (i % 12 === 0) ? 'yes' : 'no']),
    );
    await createBucketConnection(sql, env, 'S3_INSIGHT');
    const trained = await sme([
      'train',
      '--model-name',
      'signal',
      '--table',
      'INSIGHT_DATA.SIGNAL',
      '--target',
      'LABEL',
      '--connection',
      'S3_INSIGHT',
      '--bucket',
      `s3://${env.aws.bucket}`,
      '--output-path',
      'insight/cli',
      '--role',
      ROLE,
      '--problem-type',
      'BinaryClassification',
      '--objective',
      'F1',
      '--max-candidates',
      '6',
      '--wait',
      '--poll-interval',
      '0.5',
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    job = trained.stdout.trim();
  }, 300_000);

  afterAll(async () => {
    await sql.close();
    await env.stop();
  });

  it('lists the candidates, evaluates and explains a CLI-started job; SQL reads the same job', async () => {
    const candidates = jsonOf<{
      candidates: { rank: number; isBest: boolean; algorithm?: string; objectiveValue: number }[];
    }>(await sme(['candidates', job, '--json']));
    expect(candidates.candidates).toHaveLength(6);
    expect(candidates.candidates.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(candidates.candidates[0]?.isBest).toBe(true);
    expect(new Set(candidates.candidates.map((c) => c.algorithm)).size).toBeGreaterThanOrEqual(3);

    const evaluation = jsonOf<{
      metrics: { metricName: string; value: number }[];
      confusionMatrix: { labels: string[] };
    }>(await sme(['evaluate', job, '--json']));
    const accuracy = evaluation.metrics.find((m) => m.metricName === 'accuracy')?.value ?? 0;
    expect(accuracy).toBeGreaterThan(0.8);
    expect(evaluation.confusionMatrix.labels).toEqual(['no', 'yes']);

    const explanation = jsonOf<{ features: { feature: string; rank: number }[] }>(
      await sme(['explain', job, '--json']),
    );
    expect(explanation.features.map((f) => f.feature)).toEqual(['DECIDER', expect.any(String), expect.any(String)]);
    const table = await sme(['explain', job, '--output', 'table']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^RANK\s+FEATURE\s+IMPORTANCE\n1\s+DECIDER\s+0\.\d+/);

    const fromSql = await sql.query(
      `EXECUTE SCRIPT ${SCHEMA}.SME_EXPLAIN_SAGEMAKER_AUTOPILOT_JOB(${quoteLiteral(job)}, 'S3_INSIGHT', ${quoteLiteral(env.aws.region)})`,
    );
    expect(fromSql.rows.map((r) => r[0])).toEqual(explanation.features.map((f) => f.feature));
  });

  it('says which job is unknown, with its code and exit code 2', async () => {
    const run = await sme(['evaluate', 'no-such-job-7', '--connection', 'S3_INSIGHT', '--region', env.aws.region]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SME-E-JOB-NOT-FOUND');
    expect(run.stderr).toContain('no-such-job-7');
    expect(run.stderr).toContain('AWS knows no AutoML job');
  });

  itTier(
    'chromium',
    'writes one self-contained HTML report whose charts Chromium draws; keeps light and dark screenshots',
    () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      const path = join(ARTIFACTS, 'report.html');
      return sme(['report', job, '--out', path, '--json']).then((run) => {
        expect(run.code, run.stderr).toBe(0);
        expect(jsonOf<{ path: string; warnings: string[] }>(run)).toMatchObject({ path, warnings: [] });
        const html = readFileSync(path, 'utf8');
        expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
        const measuring = join(ARTIFACTS, 'report-measured.html');
        writeFileSync(measuring, html.replace('</body>', `${MEASURE}</body>`));
        const dom = chromium(['--dump-dom', '--virtual-time-budget=5000', `file://${measuring}`]);
        const measured = /<pre id="measured">([^<]*)<\/pre>/.exec(dom)?.[1] ?? '';
        const counts = JSON.parse(measured.split('&quot;').join('"')) as Record<string, number | string>;
        expect(counts).toMatchObject({
          leaderboardBars: 6,
          bestBars: 1,
          points: 6,
          cells: 4,
          roc: 1,
          importanceBars: 3,
          topFeature: 'DECIDER',
          scripts: 1,
          external: 0,
        });
        expect(counts.charts).toBeGreaterThanOrEqual(6);
        expect(counts.baselineBars).toBeGreaterThanOrEqual(2);
        const shot = join(ARTIFACTS, 'report.png');
        chromium([`--screenshot=${shot}`, '--window-size=820,3200', '--hide-scrollbars', `file://${path}`]);
        expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
        // The same page as a viewer in dark mode sees it (prefers-color-scheme: dark).
        const dark = join(ARTIFACTS, 'report-dark.png');
        chromium([
          `--screenshot=${dark}`,
          '--force-dark-mode',
          '--window-size=820,3200',
          '--hide-scrollbars',
          `file://${path}`,
        ]);
        expect(readFileSync(dark).subarray(1, 4).toString()).toBe('PNG');
      });
    },
    180_000,
  );
});
