import { containersProvider } from './containers-environment.js';
import type { EnvironmentName, EnvironmentProvider } from './environment.js';
import { motoProvider } from './moto-environment.js';
import { sandboxProvider } from './sandbox-environment.js';
export { startSandboxEnvironment } from './sandbox-environment.js';

export type { Environment, EnvironmentName, EnvironmentProvider, FaultRules } from './environment.js';
export { bucketConnectionAddress, dsnOf, smeEnv } from './environment.js';
export { AwsInspector } from './aws-inspector.js';
export { containersUnavailableReason } from './containers-environment.js';

export const PROVIDERS: Readonly<Record<EnvironmentName, EnvironmentProvider>> = {
  sandbox: sandboxProvider,
  moto: motoProvider,
  containers: containersProvider,
};

/**
 * The environment named by `SME_TEST_ENV` (default `sandbox`). Suites that target one tier (e.g. moto) take
 * that provider directly.
 */
export function selectedProvider(env: Readonly<Record<string, string | undefined>> = process.env): EnvironmentProvider {
  const name = env.SME_TEST_ENV ?? 'sandbox';
  if (name !== 'sandbox' && name !== 'moto' && name !== 'containers') {
    throw new Error(`SME_TEST_ENV must be sandbox, moto or containers; received '${name}'`);
  }
  return PROVIDERS[name];
}
