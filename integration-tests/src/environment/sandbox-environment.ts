import type { Environment, EnvironmentProvider, FaultRules } from './environment.js';
import { startSandboxProcess } from './sandbox-process.js';

/** Account and bucket of the AWS sandbox's defaults (`startAwsSandbox`). */
const SANDBOX_ACCOUNT = '123456789012';
const SANDBOX_BUCKET = 'sme-sandbox';

/** Posts fault rules to the AWS sandbox's control endpoint. */
export async function postFaults(sagemakerEndpoint: string, rules: FaultRules): Promise<void> {
  const response = await fetch(`${sagemakerEndpoint}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules }),
  });
  if (!response.ok) throw new Error(`setting faults failed: HTTP ${response.status} ${await response.text()}`);
}

/** `sandbox` (the default, and CI's): the whole sandbox; EXPORT writes to its S3. */
export const sandboxProvider: EnvironmentProvider = {
  name: 'sandbox',
  unavailable: () => Promise.resolve(undefined),
  start: () => startSandboxEnvironment(),
};

/**
 * The sandbox environment, started with extra `sme-sandbox` flags (e.g. `['--clock-offset', '10m']`) for tests
 * that need a sandbox broken in one precise way.
 */
export async function startSandboxEnvironment(args: readonly string[] = []): Promise<Environment> {
  const sandbox = await startSandboxProcess(args);
  const { exasol, s3, sagemaker } = sandbox.coordinates;
  return {
    name: 'sandbox',
    exasol: {
      host: exasol.host,
      port: exasol.port,
      user: exasol.user,
      password: exasol.password,
      ...(exasol.fingerprint === null ? {} : { fingerprint: exasol.fingerprint }),
    },
    aws: {
      region: s3.region,
      sagemakerEndpoint: sagemaker.endpoint,
      s3Endpoint: s3.endpoint,
      accountId: SANDBOX_ACCOUNT,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      bucket: SANDBOX_BUCKET,
      ...(sandbox.coordinates.awsCaFile === undefined ? {} : { caFile: sandbox.coordinates.awsCaFile }),
    },
    capabilities: { completesJobs: true, faults: true, roleNames: false },
    setFaults: (rules) => postFaults(sagemaker.endpoint, rules),
    stop: () => sandbox.stop(),
  };
}
