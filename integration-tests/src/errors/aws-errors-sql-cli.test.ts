/**
 * The same AWS failure reads the same from SQL (`EXECUTE SCRIPT`, through the AWS-call UDF in Lua) and from the
 * CLI (`sme train`, through the AWS SDK): both look the answer up in core's one AWS error table and make the error
 * with core's `awsError`, so code, kind and remedy are equal. Each row makes the sandbox answer every
 * CreateAutoMLJobV2 with one kind of failure, then starts one training through each front door.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AWS_ERROR_CODES, type AwsErrorCode } from '@sme/core';
import { describeTier, luaTier } from '@sme/test-tiers';
import {
  startChaosEnvironment,
  startViaCli,
  startViaSql,
  type ChaosEnvironment,
  type StartOutcome,
} from '../chaos/training-chaos.js';

/** The `{"error": {…}}` document `sme --json` printed (the outcome's message ends with stdout). */
function cliError(outcome: StartOutcome): { code?: string; kind?: string; remedy?: string } {
  const text = outcome.message ?? '';
  const at = text.lastIndexOf('{\n  "error"');
  if (at < 0) throw new Error(`no JSON error document in: ${text}`);
  return (JSON.parse(text.slice(at)) as { error: { code?: string; kind?: string; remedy?: string } }).error;
}

const FAILURES: readonly [string, Record<string, number>, AwsErrorCode][] = [
  ['throttled', { throttleRate: 1 }, 'SME-E-AWS-THROTTLED'],
  ['a server error', { serverErrorRate: 1 }, 'SME-E-AWS-SERVICE'],
];

describeTier(luaTier('native'), 'an AWS failure reads the same from SQL and from the CLI', () => {
  let env: ChaosEnvironment;

  beforeAll(async () => {
    env = await startChaosEnvironment(20261202, 'native');
  }, 120_000);

  afterAll(async () => {
    await env.stop();
  });

  it.each(FAILURES)(
    'CreateAutoMLJobV2 %s: same code and remedy through both front doors',
    async (_what, fault, code) => {
      env.aws.faults.set({ CreateAutoMLJobV2: fault });
      let sql: StartOutcome;
      let cli: StartOutcome;
      try {
        sql = await startViaSql(env, `same-sql-${code.slice(10).toLowerCase()}`, 'T_ALPHA');
        cli = await startViaCli(env, `same-cli-${code.slice(10).toLowerCase()}`, 'T_ALPHA');
      } finally {
        env.aws.faults.clear();
      }
      const { remedy, kind } = AWS_ERROR_CODES[code];
      expect(sql.started).toBe(false);
      expect(sql.message).toContain(`${code}: `);
      expect(sql.message).toContain(remedy);
      expect(cli.started).toBe(false);
      expect(cliError(cli)).toMatchObject({ code, kind, remedy });
    },
    90_000,
  );
});
