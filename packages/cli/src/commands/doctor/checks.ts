import { clock, cliCredentials, httpsS3, httpsSageMaker, role } from './aws-checks.js';
import { connectionAccess, connectionAddress, exportProbe, removeExportProbe } from './connection-checks.js';
import { deployed, exasolVersion, luaScript, luaUdf, removeProbes } from './database-checks.js';
import { DoctorContext, check, messageOf, type DoctorCheck, type DoctorDeps } from './doctor-context.js';

// The checks of `sme doctor` live by what they look at: database-checks.ts (version, Lua, deployment),
// connection-checks.ts (the CONNECTION, ACCESS, EXPORT), aws-checks.ts (HTTPS to AWS, credentials, clock, role);
// doctor-context.ts holds what a run learns on the way. This module runs them in order.
export { formatSkew } from './aws-checks.js';
export { describeLuaFacts, majorMinor } from './database-checks.js';
export { CLOCK_FAIL_SECONDS, CLOCK_PASS_SECONDS, EXPORT_PROBE_PREFIX } from './doctor-context.js';
export type { DoctorCheck, DoctorDeps } from './doctor-context.js';

/**
 * Runs every check in order and removes the probes whatever happens. Checks that depend on something a previous
 * check found missing answer `unknown` and say what to do first.
 */
export async function runDoctorChecks(deps: DoctorDeps): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const ctx = new DoctorContext(deps);
  const steps: readonly (readonly [string, () => Promise<DoctorCheck>])[] = [
    ['database-version', () => exasolVersion(ctx)],
    ['lua-scripting', () => luaScript(ctx)],
    ['lua-udf', () => luaUdf(ctx)],
    ['sme-deployed', () => deployed(ctx)],
    ['connection', () => connectionAddress(ctx)],
    ['connection-access', () => connectionAccess(ctx)],
    ['export', () => exportProbe(ctx)],
    ['https-sagemaker', () => httpsSageMaker(ctx)],
    ['https-s3', () => httpsS3(ctx)],
    ['aws-credentials', () => cliCredentials(ctx)],
    ['clock', () => clock(ctx)],
    ['role', () => role(ctx)],
  ];
  try {
    for (const [name, step] of steps) {
      if (deps.signal?.aborted === true) break;
      try {
        checks.push(await step());
      } catch (error) {
        // A check that breaks (e.g. the session failed under it) is one unknown line; the others still run.
        checks.push(check(name, 'unknown', `the check could not run: ${messageOf(error)}`));
      }
    }
  } finally {
    await cleanUp(ctx);
  }
  return checks;
}

/** Removes every probe this run made (each on its own: one failure does not keep the others). */
async function cleanUp(ctx: DoctorContext): Promise<void> {
  if (ctx.exportedKey !== undefined) await removeExportProbe(ctx).catch(() => undefined);
  await removeProbes(ctx);
}
