import { describe, expect, it } from 'vitest';
import { estimateTrainingCost, formatUsd } from '../cost-estimate.js';
import { SmeError, isSmeError } from '../errors.js';
import { parseTrainingParams } from '../params.js';
import { sampleSelectSql } from '../sql/statements.js';
import { FakeAutoML } from '../testing/fake-automl.js';
import { FakeObjectStore } from '../testing/fake-endpoints.js';
import { InMemoryMetadataStores } from '../testing/in-memory-stores.js';
import { InMemoryTablesSql, type TableFixture } from '../testing/tables-sql.js';
import { StaticConnections } from '../testing/doubles.js';
import { FixedClock, MemoryLog, nodeJson } from '../testing/node-doubles.js';
import { EXAMPLE_PARAMS_JSON } from '../testing/example-params.js';
import { startTraining, type StartTrainingDeps } from './start-training.js';
import { MAX_TRAINING_COLUMNS, MAX_TRAINING_ROWS } from './training-preflight.js';
import { planSample } from './training-sample.js';

const NOW = 1700000000000;
const example = JSON.parse(EXAMPLE_PARAMS_JSON) as Record<string, unknown>;
const context = { sessionId: '1234567890123456789', user: 'ANALYST', metadataSchema: 'SME' };
const COLUMNS = [
  { name: 'AGE', type: 'DECIMAL(3,0)' },
  { name: 'PLAN', type: 'VARCHAR(20) UTF8' },
  { name: 'CHURNED', type: 'BOOLEAN' },
];

function params(extra: Record<string, unknown> = {}) {
  return parseTrainingParams({ ...example, ...extra });
}

function setup(fixture: Partial<TableFixture> = {}) {
  const sql = new InMemoryTablesSql().addTable('RETAIL', 'CUSTOMER_CHURN', {
    columns: COLUMNS,
    rowCount: 10000,
    ...fixture,
  });
  const stores = new InMemoryMetadataStores();
  const automl = new FakeAutoML(() => NOW);
  const objects = new FakeObjectStore();
  sql.onExport = (e) => objects.put(...e.fileKeys.map((k) => 's3://sme-training-data/' + k));
  const log = new MemoryLog();
  const deps: StartTrainingDeps = {
    sql,
    stores,
    automl: automl.factory,
    objects: objects.factory,
    clock: new FixedClock(NOW),
    json: nodeJson,
    log,
    connections: new StaticConnections({ AWS_CONNECTION: 'https://sme-training-data.s3.eu-central-1.amazonaws.com/' }),
  };
  return { sql, stores, automl, objects, log, deps };
}

async function refusal(p: Promise<unknown>): Promise<SmeError> {
  try {
    await p;
  } catch (e: unknown) {
    if (isSmeError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

function expectNothingTouched(world: ReturnType<typeof setup>): void {
  expect(world.sql.exports).toEqual([]);
  expect(world.automl.requests).toEqual([]);
  expect(world.stores.jobs.rows).toEqual([]);
}

describe('planSample', () => {
  it('exports the whole table when no sample is asked for, or when it asks for at least every row', () => {
    expect(planSample(params(), 10000, 2)).toBeUndefined();
    expect(planSample(params({ sample_max_rows: 10000 }), 10000, 2)).toBeUndefined();
    expect(planSample(params({ sample_fraction: 1 }), 10000, 2)).toBeUndefined();
  });

  it('takes sample_max_rows, round(sample_fraction × rows), or the smaller of both', () => {
    expect(planSample(params({ sample_max_rows: 600 }), 10000, 2)).toEqual({
      rows: 600,
      sourceRows: 10000,
      method: 'STRATIFIED',
    });
    expect(planSample(params({ sample_fraction: 0.12345 }), 10000, 2)?.rows).toBe(1235);
    expect(planSample(params({ sample_fraction: 0.1, sample_max_rows: 700 }), 10000, 2)?.rows).toBe(700);
    expect(planSample(params({ sample_fraction: 0.06, sample_max_rows: 700 }), 10000, 2)?.rows).toBe(600);
  });

  it('stratifies classification targets and targets that may be one; a regression is sampled uniformly', () => {
    const method = (extra: Record<string, unknown>, distinct: number) =>
      planSample(params({ sample_max_rows: 5000, objective: undefined, ...extra }), 10000, distinct)?.method;
    expect(method({ problem_type: 'MulticlassClassification' }, 5)).toBe('STRATIFIED');
    expect(method({ problem_type: 'Regression' }, 5)).toBe('UNIFORM');
    expect(method({ problem_type: undefined }, 2000)).toBe('STRATIFIED');
    expect(method({ problem_type: undefined }, 2001)).toBe('UNIFORM');
  });

  it('refuses a sample under 500 rows, and a stratified one with fewer rows than classes', () => {
    const small = (() => {
      try {
        planSample(params({ sample_fraction: 0.04 }), 10000, 2);
      } catch (e: unknown) {
        return e as SmeError;
      }
      return undefined;
    })();
    expect(small?.code).toBe('SME-E-SAMPLE-TOO-SMALL');
    expect(small?.message).toBe(
      'sample_fraction 0.04 of 10000 rows with a target gives a sample of 400 rows; Autopilot needs at least 500',
    );
    expect(() =>
      planSample(
        params({ sample_max_rows: 600, problem_type: 'MulticlassClassification', objective: undefined }),
        10000,
        700,
      ),
    ).toThrow('a stratified sample of 600 rows cannot keep one row of each of the 700 target values');
  });
});

describe('sampleSelectSql', () => {
  it('ranks rows by a content hash within each target value and takes the first by their share of the class', () => {
    const sql = sampleSelectSql('S', 'T', ['A', 'Y'], { rows: 1000, target: 'Y', stratified: true });
    const content = `CASE WHEN "A" IS NULL THEN 'N' ELSE 'V' || CAST("A" AS VARCHAR(2000000)) END || '|' || CASE WHEN "Y" IS NULL THEN 'N' ELSE 'V' || CAST("Y" AS VARCHAR(2000000)) END`;
    expect(sql).toBe(
      'SELECT "A", "Y" FROM (SELECT "A", "Y", "SME_SAMPLE_HASH", (ROW_NUMBER() OVER (PARTITION BY "Y" ORDER BY ' +
        '"SME_SAMPLE_HASH", "A", "Y") - 1) / CAST(COUNT(*) OVER (PARTITION BY "Y") AS DOUBLE) AS "SME_SAMPLE_PLACE" ' +
        `FROM (SELECT "A", "Y", HASH_MD5(${content}) AS "SME_SAMPLE_HASH" FROM "S"."T" WHERE "Y" IS NOT NULL) ` +
        '"SME_SAMPLE_ROWS") "SME_SAMPLE_RANKED" ORDER BY "SME_SAMPLE_PLACE", "SME_SAMPLE_HASH", "A", "Y" LIMIT 1000',
    );
  });

  it('orders by the hash alone when not stratified, and never reuses a column name for its helper columns', () => {
    const sql = sampleSelectSql('S', 'T', ['SME_SAMPLE_HASH', 'Y'], { rows: 500, target: 'Y', stratified: false });
    expect(sql).toContain('AS "SME_SAMPLE_HASH_" FROM "S"."T" WHERE "Y" IS NOT NULL) "SME_SAMPLE_ROWS"');
    expect(sql).toMatch(/ORDER BY "SME_SAMPLE_HASH_", "SME_SAMPLE_HASH", "Y" LIMIT 500$/);
    expect(sql).not.toContain('PARTITION BY');
  });
});

describe('startTraining with a sample', () => {
  it('exports exactly the sample, records it in the metadata row and returns it', async () => {
    const world = setup({ targetRowCount: 9000 });
    const result = await startTraining({ ...example, sample_max_rows: 900 }, world.deps, context);
    expect(result.rowCount).toBe(900);
    expect(result.sample).toEqual({ rows: 900, sourceRows: 9000, method: 'STRATIFIED' });
    const [exported] = world.sql.exports;
    expect(exported?.columns).toEqual(['AGE', 'PLAN', 'CHURNED']);
    expect(exported?.sql).toContain('PARTITION BY "CHURNED"');
    expect(exported?.sql).toContain('WHERE "CHURNED" IS NOT NULL');
    expect(exported?.sql).toMatch(/ LIMIT 900\) INTO CSV AT/);
    expect(world.stores.jobs.rows[0]).toMatchObject({
      SAMPLE_MAX_ROWS: 900,
      SAMPLE_FRACTION: null,
      SAMPLE_METHOD: 'STRATIFIED',
      SAMPLE_ROW_COUNT: 900,
      SAMPLE_SOURCE_ROW_COUNT: 9000,
    });
    expect(world.log.lines).toContainEqual(
      expect.stringContaining('exporting a stratified sample of 900 of 9000 rows'),
    );
  });

  it('records a sample that was asked for but not needed, and exports every row', async () => {
    const world = setup({ rowCount: 1000 });
    const result = await startTraining({ ...example, sample_fraction: 1 }, world.deps, context);
    expect(result.sample).toBeUndefined();
    expect(result.rowCount).toBe(1000);
    expect(world.sql.exports[0]?.sql).not.toContain('LIMIT');
    expect(world.stores.jobs.rows[0]).toMatchObject({ SAMPLE_FRACTION: 1, SAMPLE_METHOD: null });
  });

  it('refuses a too small sample before exporting anything', async () => {
    const world = setup();
    const e = await refusal(startTraining({ ...example, sample_fraction: 0.01 }, world.deps, context));
    expect(e.code).toBe('SME-E-SAMPLE-TOO-SMALL');
    expectNothingTouched(world);
  });
});

describe('Autopilot limits in pre-flight', () => {
  it('refuses more columns than the limit before the profile query', async () => {
    const many = Array.from({ length: MAX_TRAINING_COLUMNS }, (_, i) => ({ name: 'F' + String(i), type: 'DOUBLE' }));
    const world = setup({ columns: [...many, { name: 'CHURNED', type: 'BOOLEAN' }] });
    const e = await refusal(startTraining(example, world.deps, context));
    expect(e.code).toBe('SME-E-TOO-MANY-COLUMNS');
    expect(e.message).toBe(
      '"RETAIL.CUSTOMER_CHURN" has 1001 columns; sme sends Autopilot at most 1000 (target included)',
    );
    expect(world.sql.statements.some((s) => s.includes('TARGET_DISTINCT'))).toBe(false);
    expectNothingTouched(world);
  });

  it('refuses more rows than the limit and suggests the sample that fits; that sample then starts', async () => {
    const rows = MAX_TRAINING_ROWS + 1;
    const world = setup({ rowCount: rows, profile: { textChars: rows * 10 } });
    const e = await refusal(startTraining(example, world.deps, context));
    expect(e.code).toBe('SME-E-TOO-MANY-ROWS');
    expect(e.message).toContain('would send 3000000001 rows; sme sends Autopilot at most 3000000000');
    expect(e.message).toContain('set sample_max_rows to 3000000000 or less (sme train --sample-max-rows 3000000000)');
    expectNothingTouched(world);
    const ok = setup({ rowCount: rows, profile: { textChars: rows * 10 } });
    const started = await startTraining({ ...example, sample_max_rows: MAX_TRAINING_ROWS }, ok.deps, context);
    expect(started.rowCount).toBe(MAX_TRAINING_ROWS);
  });

  it('refuses an export estimated at 100 GB or more and suggests the sample that fits', async () => {
    // 200 characters of values + 3 separators per row: 203 bytes; 500 million rows are about 101 GB.
    const rows = 500000000;
    const world = setup({ rowCount: rows, profile: { textChars: rows * 200 } });
    const e = await refusal(startTraining(example, world.deps, context));
    expect(e.code).toBe('SME-E-INPUT-TOO-LARGE');
    const fits = Math.floor(90e9 / 203);
    expect(e.message).toBe(
      `"RETAIL.CUSTOMER_CHURN" would export about 101 GB (500000000 rows of about 203 bytes); Autopilot takes less ` +
        `than 100 GB; train on a sample: set sample_max_rows to ${String(fits)} or less (sme train --sample-max-rows ${String(fits)})`,
    );
    expectNothingTouched(world);
    const ok = setup({ rowCount: rows, profile: { textChars: rows * 200 } });
    expect((await startTraining({ ...example, sample_max_rows: fits }, ok.deps, context)).rowCount).toBe(fits);
  });
});

describe('estimateTrainingCost', () => {
  it('spans one candidate at a time on the cheapest instance to ten at once on the dearest, up to the caps', () => {
    const e = estimateTrainingCost({
      maxCandidates: 2,
      maxRuntimePerTrainingJobInSeconds: 600,
      maxRuntimeForAutomlJobInSeconds: 3600,
    });
    // 2 × 600 s = 1200 s: 1/3 h at $0.461 and at $2.765.
    expect([e.lowUsd, e.highUsd, e.capped]).toEqual([0.15, 0.92, true]);
    expect(e.text).toMatch(
      /^estimated cost \(an estimate, not a quote\): \$0\.15 to \$0\.92 if the job runs to its caps/,
    );
  });

  it('lets the job cap bound the candidates: one at a time fills it, ten at once fill ten times it', () => {
    const e = estimateTrainingCost({
      maxCandidates: 100,
      maxRuntimePerTrainingJobInSeconds: 3600,
      maxRuntimeForAutomlJobInSeconds: 7200,
    });
    expect([e.lowInstanceHours, e.highInstanceHours]).toEqual([2, 20]);
    expect([e.lowUsd, e.highUsd]).toEqual([0.92, 55.3]);
  });

  it('says when caps are left to AWS and shows what the defaults allow', () => {
    const e = estimateTrainingCost({});
    expect(e.capped).toBe(false);
    expect([e.lowInstanceHours, e.highInstanceHours]).toEqual([720, 7200]);
    expect(e.text).toContain('caps left to AWS defaults');
  });

  it('formats dollars with two decimals, rounding half up', () => {
    expect([formatUsd(0), formatUsd(0.125), formatUsd(19908), formatUsd(1.999)]).toEqual([
      '$0.00',
      '$0.13',
      '$19908.00',
      '$2.00',
    ]);
  });
});
