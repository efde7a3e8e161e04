import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTier, luaTier } from '@sme/test-tiers';
import { runTrainingChaos, startChaosEnvironment, type ChaosEnvironment, type ChaosReport } from './training-chaos.js';

/** Replay a failure with SME_CHAOS_SEED=<the printed seed>. */
const SEED = Number(process.env.SME_CHAOS_SEED ?? 20261202);
const ROUNDS = 2;
/** Starts per round: one per table through SQL, one through the CLI. */
const PER_ROUND = 4;

describeTier(luaTier('native'), `training chaos: SQL and CLI starts under seeded faults (seed ${String(SEED)})`, () => {
  let env: ChaosEnvironment;
  let report: ChaosReport;

  beforeAll(async () => {
    env = await startChaosEnvironment(SEED, 'native');
    report = await runTrainingChaos(env, { seed: SEED, rounds: ROUNDS });
    console.log(
      `training chaos seed ${String(SEED)}: ${String(report.attempted)} attempted, ${String(report.started)} started ` +
        `(${String(report.recovered)} recovered), ${String(report.refusedCleanly)} refused cleanly, ` +
        `${String(report.injectedFaults)} faults injected, ${String(report.violations.length)} violations` +
        `; failures: ${report.outcomes
          .filter((o) => !o.started)
          .map((o) => `${o.via}:${String(o.code)}`)
          .join(' ')}`,
    );
    if (process.env.SME_CHAOS_VERBOSE !== undefined || report.violations.length > 0) {
      for (const o of report.outcomes) console.log(JSON.stringify(o));
    }
  }, 170_000);

  afterAll(async () => {
    await env.stop();
  });

  it('keeps every invariant: one row per job or stopped, own data only, no copy left behind', () => {
    expect(report.violations).toEqual([]);
  });

  it('really exercised faults and concurrency: faults were injected, starts both succeeded and were refused', () => {
    expect(report.attempted).toBe((ROUNDS + 1) * PER_ROUND);
    expect(report.injectedFaults).toBeGreaterThan(0);
    expect(report.started).toBeGreaterThan(0);
    // The starts of a round share one model name: at most one per name and second can start.
    expect(report.started + report.refusedCleanly).toBe(report.attempted);
    expect(report.refusedCleanly).toBeGreaterThan(0);
  });

  it('refuses the losers of a same-name start with a coded error', () => {
    // The first round (no faults) starts four at once with one name: at least two share a second.
    const taken = report.outcomes.filter((o) => o.code === 'SME-E-JOB-NAME-TAKEN');
    expect(taken.length).toBeGreaterThan(0);
    // Refused at AWS (after the export): the message says what happened to this start's export.
    for (const o of taken.filter((t) => t.message?.includes('(AWS') === true)) {
      expect(o.message).toMatch(/export \(s3:.*\) was deleted|remain/);
    }
  });
});
