import { describe, expect, it } from 'vitest';
import { isSmeError } from '../errors.js';
import { InMemoryMetadataStores } from '../testing/in-memory-stores.js';
import { nodeJson } from '../testing/node-doubles.js';
import { findPredictionUdf } from './find-prediction-udf.js';

const JOB = 'churn-260101000000';

function stores(job: Record<string, string> = {}, endpoint: Record<string, string | null> = {}) {
  return new InMemoryMetadataStores({
    jobs: [
      {
        DATETIME: '2026-01-01 00:00:00.000',
        JOB_NAME: JOB,
        TARGET_ATTRIBUTE_NAME: 'CHURNED',
        COLUMN_NAMES: '["AGE","CHURNED","PLAN"]',
        COLUMN_TYPES: '["DECIMAL(3,0)","BOOLEAN","VARCHAR(10) UTF8"]',
        ...job,
      },
    ],
    endpoints: [
      {
        CREATED: '2026-01-02 00:00:00.000',
        ENDPOINT_NAME: 'churn-ep',
        JOB_NAME: JOB,
        UDF_SCHEMA: 'ML',
        PREDICTION_UDF: 'churn-ep',
        DELETED_AT: null,
        ...endpoint,
      },
    ],
  });
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  return isSmeError(e) ? e.code : undefined;
}

describe('findPredictionUdf', () => {
  const options = { metadataSchema: 'SME' };

  it('answers the UDF, the features in training order without the target, their types and the keys', async () => {
    const udf = await findPredictionUdf(stores({}, { KEY_COLUMNS: '["ID"]' }), nodeJson, 'CHURN-EP', options);
    expect(udf).toEqual({
      schema: 'ML',
      name: 'churn-ep',
      features: ['AGE', 'PLAN'],
      keys: ['ID'],
      featureTypes: ['DECIMAL(3,0)', 'VARCHAR(10) UTF8'],
      targetType: 'BOOLEAN',
    });
  });

  it('leaves the types out when the job row records none that fit', async () => {
    const udf = await findPredictionUdf(stores({ COLUMN_TYPES: '["DOUBLE"]' }), nodeJson, 'churn-ep', options);
    expect(udf).toMatchObject({ features: ['AGE', 'PLAN'], keys: [], featureTypes: [] });
    expect(udf.targetType).toBeUndefined();
  });

  it('refuses a deleted or unknown endpoint, with the caller’s remedy, and a job without readable columns', async () => {
    const deleted = stores({}, { DELETED_AT: '2026-01-03 00:00:00.000' });
    expect(await codeOf(findPredictionUdf(deleted, nodeJson, 'churn-ep', options))).toBe('SME-E-ENDPOINT-NOT-FOUND');
    const e: unknown = await findPredictionUdf(stores(), nodeJson, 'other', { ...options, remedy: 'Look.' }).catch(
      (x: unknown) => x,
    );
    expect(isSmeError(e) && e.details.remedy).toBe('Look.');
    expect(await codeOf(findPredictionUdf(stores({ COLUMN_NAMES: 'not json' }), nodeJson, 'churn-ep', options))).toBe(
      'SME-E-ENDPOINT-COLUMNS',
    );
  });
});
