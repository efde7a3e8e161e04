import { describe, expect, it } from 'vitest';
import { isSmeError } from '../errors.js';
import { InMemoryMetadataStores } from '../testing/in-memory-stores.js';
import { InMemoryScriptsSql } from '../testing/scripts-sql.js';
import { FixedClock, MemoryLog, nodeJson } from '../testing/node-doubles.js';
import { promoteModel, stableUdfName } from './models.js';

const JOB = 'churn-260101000000';

function setup() {
  const stores = new InMemoryMetadataStores({
    jobs: [
      {
        DATETIME: '2026-01-01 00:00:00.000',
        JOB_NAME: JOB,
        TARGET_ATTRIBUTE_NAME: 'CHURNED',
        PROBLEM_TYPE: 'BinaryClassification',
        COLUMN_NAMES: '["USAGE","CHURNED"]',
        COLUMN_TYPES: '["DOUBLE","BOOLEAN"]',
      },
    ],
  });
  const sql = new InMemoryScriptsSql();
  const deps = {
    sql,
    stores,
    json: nodeJson,
    clock: new FixedClock(1767225600000),
    log: new MemoryLog(),
    predictionUdf: { luaBundle: 'return {}' },
  };
  return { sql, deps };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  return isSmeError(e) ? e.code : undefined;
}

describe('promoteModel', () => {
  it('names the stable UDF PREDICT_<NAME>, callable unquoted', () => {
    expect(stableUdfName('churn')).toBe('PREDICT_CHURN');
    expect(stableUdfName('Churn-EU_2')).toBe('PREDICT_CHURN_EU_2');
  });

  it.each([['1churn'], ['churn!'], [''], ['x'.repeat(49)]])(
    'refuses the model name %j before any SQL',
    async (name) => {
      const { sql, deps } = setup();
      expect(await codeOf(promoteModel({ jobName: JOB, modelName: name }, deps, { metadataSchema: 'SME' }))).toBe(
        'SME-E-PROMOTE-NAME',
      );
      expect(sql.statements).toEqual([]);
    },
  );

  it('refuses an unknown job and a job without a deployed endpoint, creating no UDF', async () => {
    const { sql, deps } = setup();
    const context = { metadataSchema: 'SME' };
    expect(await codeOf(promoteModel({ jobName: 'nope', modelName: 'churn' }, deps, context))).toBe(
      'SME-E-JOB-NOT-FOUND',
    );
    expect(await codeOf(promoteModel({ jobName: JOB, modelName: 'churn' }, deps, context))).toBe(
      'SME-E-PROMOTE-NO-ENDPOINT',
    );
    expect(sql.scripts.size).toBe(0);
  });
});
