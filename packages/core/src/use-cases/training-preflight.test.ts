import { describe, expect, it } from 'vitest';
import { SmeError, isSmeError } from '../errors.js';
import { FakeAutoML } from '../testing/fake-automl.js';
import { FakeObjectStore } from '../testing/fake-endpoints.js';
import { InMemoryMetadataStores } from '../testing/in-memory-stores.js';
import { InMemoryTablesSql, type TableFixture } from '../testing/tables-sql.js';
import { StaticConnections } from '../testing/doubles.js';
import { FixedClock, MemoryLog, nodeJson } from '../testing/node-doubles.js';
import { EXAMPLE_PARAMS_JSON } from '../testing/example-params.js';
import { trainingProfileSql } from '../sql/statements.js';
import { startTraining, type StartTrainingDeps } from './start-training.js';
import { MAX_MULTICLASS_CLASSES } from './training-preflight.js';

const NOW = 1700000000000;
const BUCKET_URI = 's3://sme-training-data/';
const example = JSON.parse(EXAMPLE_PARAMS_JSON) as Record<string, unknown>;
const context = { sessionId: '1234567890123456789', user: 'ANALYST', metadataSchema: 'SME' };
const COLUMNS = [
  { name: 'CUSTOMER_ID', type: 'DECIMAL(18,0)' },
  { name: 'AGE', type: 'DECIMAL(3,0)' },
  { name: 'SCORE', type: 'DOUBLE' },
  { name: 'Plan', type: 'VARCHAR(20) UTF8' },
  { name: 'CANCELLED', type: 'BOOLEAN' },
  { name: 'CHURNED', type: 'BOOLEAN' },
];

function setup(profile: TableFixture['profile'], columns = COLUMNS) {
  const sql = new InMemoryTablesSql().addTable('RETAIL', 'CUSTOMER_CHURN', { columns, rowCount: 1000, profile });
  const stores = new InMemoryMetadataStores();
  const automl = new FakeAutoML(() => NOW);
  const objects = new FakeObjectStore();
  sql.onExport = (e) => objects.put(...e.fileKeys.map((k) => BUCKET_URI + k));
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

function params(extra: Record<string, unknown>): string {
  return JSON.stringify({ ...example, ...extra });
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

/** A refusal leaves nothing behind: no export, no job, no metadata row. */
function expectNothingTouched(world: ReturnType<typeof setup>): void {
  expect(world.sql.exports).toEqual([]);
  expect(world.automl.requests).toEqual([]);
  expect(world.stores.jobs.rows).toEqual([]);
}

describe('trainingProfileSql', () => {
  it('counts distinct values of target and features and compares only columns of the target type family', () => {
    expect(
      trainingProfileSql('S', 'T', { name: 'Y', type: 'DECIMAL(9,0)' }, [
        { name: 'A', type: 'DOUBLE' },
        { name: 'B', type: 'VARCHAR(9) UTF8' },
      ]),
    ).toBe(
      'SELECT COUNT(DISTINCT "Y") AS "TARGET_DISTINCT", COUNT(DISTINCT "A") AS "D1", ' +
        'COUNT(CASE WHEN "A" = "Y" THEN 1 END) AS "E1", COUNT(DISTINCT "B") AS "D2", 0 AS "E2", ' +
        'CAST(COALESCE(SUM(LENGTH(CAST("Y" AS VARCHAR(2000000)))), 0) + ' +
        'COALESCE(SUM(LENGTH(CAST("A" AS VARCHAR(2000000)))), 0) + ' +
        'COALESCE(SUM(LENGTH(CAST("B" AS VARCHAR(2000000)))), 0) AS DECIMAL(18,0)) AS "TEXT_CHARS" FROM "S"."T"',
    );
  });
});

describe('pre-flight checks of startTraining', () => {
  it('passes a table with a 2-valued target and ordinary features, one profile query, no warnings', async () => {
    const world = setup({});
    const result = await startTraining(params({ problem_type: 'BinaryClassification' }), world.deps, context);
    expect(result.warnings).toEqual([]);
    expect(world.sql.statements.filter((s) => s.includes('TARGET_DISTINCT'))).toHaveLength(1);
  });

  it.each([0, 1])('refuses a target with %i distinct values (SME-E-TARGET-CONSTANT)', async (n) => {
    const world = setup({ targetDistinct: n });
    const e = await refusal(startTraining(EXAMPLE_PARAMS_JSON, world.deps, context));
    expect(e.code).toBe('SME-E-TARGET-CONSTANT');
    expect(e.message).toContain(`has ${String(n)} distinct value`);
    expectNothingTouched(world);
  });

  it.each([
    ['BinaryClassification', 3, 'exactly 2 classes'],
    ['MulticlassClassification', 2, 'at least 3 classes'],
  ])('refuses %s on a target with %i values (SME-E-PROBLEM-TYPE-MISMATCH)', async (type, n, needs) => {
    const world = setup({ targetDistinct: n });
    const e = await refusal(startTraining(params({ problem_type: type, objective: null }), world.deps, context));
    expect(e.code).toBe('SME-E-PROBLEM-TYPE-MISMATCH');
    expect(e.message).toContain(needs);
    expectNothingTouched(world);
  });

  it('refuses Regression on a non-numeric target, accepts it on a numeric one', async () => {
    const world = setup({ targetDistinct: 2 });
    const e = await refusal(
      startTraining(params({ problem_type: 'Regression', objective: null }), world.deps, context),
    );
    expect(e.code).toBe('SME-E-PROBLEM-TYPE-MISMATCH');
    expect(e.message).toContain('a numeric target');
    expectNothingTouched(world);

    const numeric = setup({ targetDistinct: 700 }, [
      { name: 'AGE', type: 'DECIMAL(3,0)' },
      { name: 'CHURNED', type: 'DECIMAL(9,2)' },
    ]);
    await expect(
      startTraining(params({ problem_type: 'Regression', objective: null }), numeric.deps, context),
    ).resolves.toMatchObject({ warnings: [] });
  });

  it('accepts MulticlassClassification up to the class limit and refuses beyond (SME-E-TOO-MANY-CLASSES)', async () => {
    const type = { problem_type: 'MulticlassClassification', objective: null };
    await expect(
      startTraining(params(type), setup({ targetDistinct: MAX_MULTICLASS_CLASSES }).deps, context),
    ).resolves.toMatchObject({ warnings: [] });
    const world = setup({ targetDistinct: MAX_MULTICLASS_CLASSES + 1 });
    const e = await refusal(startTraining(params(type), world.deps, context));
    expect(e.code).toBe('SME-E-TOO-MANY-CLASSES');
    expectNothingTouched(world);
  });

  it('refuses a feature equal to the target in every row with a target (SME-E-SUSPECT-FEATURES)', async () => {
    const world = setup({ equalToTarget: { CANCELLED: 1000 } });
    const e = await refusal(startTraining(EXAMPLE_PARAMS_JSON, world.deps, context));
    expect(e.code).toBe('SME-E-SUSPECT-FEATURES');
    expect(e.message).toContain('"CANCELLED" equals the target');
    expect(e.details.value).toBe('CANCELLED');
    expectNothingTouched(world);
  });

  it('refuses a whole-number or text unique key, but not an all-distinct DOUBLE', async () => {
    const world = setup({ distinct: { CUSTOMER_ID: 1000, Plan: 1000, SCORE: 1000 } });
    const e = await refusal(startTraining(EXAMPLE_PARAMS_JSON, world.deps, context));
    expect(e.code).toBe('SME-E-SUSPECT-FEATURES');
    expect(e.message).toContain('"CUSTOMER_ID" has a different value in every row');
    expect(e.message).toContain('"Plan" has a different value');
    expect(e.message).not.toContain('SCORE');
    expectNothingTouched(world);
  });

  it('with allow_suspect_features trains and returns the warnings (also logged)', async () => {
    // AGE (a number) is never compared with the BOOLEAN target: the profile asks 0 for it.
    const world = setup({ distinct: { CUSTOMER_ID: 1000 }, equalToTarget: { AGE: 1000, CANCELLED: 1000 } });
    const result = await startTraining(params({ allow_suspect_features: true }), world.deps, context);
    expect(result.warnings).toEqual([
      'feature column "CUSTOMER_ID" has a different value in every row (a unique key)',
      'feature column "CANCELLED" equals the target "CHURNED" in every row',
    ]);
    expect(world.sql.exports).toHaveLength(1);
    expect(world.log.lines.filter((l) => l.includes('allow_suspect_features'))).toHaveLength(2);
  });

  it('refuses a non-boolean allow_suspect_features before touching the database', async () => {
    const world = setup({});
    const e = await refusal(startTraining(params({ allow_suspect_features: 'yes' }), world.deps, context));
    expect(e.code).toBe('SME-E-PARAMS');
    expect(e.message).toContain('allow_suspect_features');
    expect(world.sql.statements).toEqual([]);
  });
});
