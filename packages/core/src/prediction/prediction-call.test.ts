import { describe, expect, it } from 'vitest';
import { predictionCallSql, PREDICTION_GROUP_BY, PREDICTION_GROUPS_PER_NODE } from './prediction-call.js';

describe('predictionCallSql', () => {
  it('groups the call by node and by k row slots per node, quoting every column', () => {
    expect(predictionCallSql('"ML"."churn-ep"', ['AGE', 'Plan "x"'], '"S"."T"')).toBe(
      'SELECT "ML"."churn-ep"("AGE", "Plan ""x""") FROM "S"."T" GROUP BY IPROC(), MOD(ROWNUM, 4)',
    );
  });

  it('keeps a subselect source as given', () => {
    const sql = predictionCallSql('"ML"."e"', ['A'], '(SELECT "A" FROM "S"."T" LIMIT 5)');
    expect(sql).toBe(`SELECT "ML"."e"("A") FROM (SELECT "A" FROM "S"."T" LIMIT 5) ${PREDICTION_GROUP_BY}`);
    expect(PREDICTION_GROUP_BY).toContain(`MOD(ROWNUM, ${String(PREDICTION_GROUPS_PER_NODE)})`);
  });
});
