import { existsSync } from 'node:fs';
import type { Environment, EnvironmentProvider } from './environment.js';

/**
 * The slice of the `testcontainers` API this provider uses, declared here so the suite type-checks without the
 * package (it needs Node ≥ 22.22 and a Docker engine, neither of which every machine has). Names and shapes follow
 * https://node.testcontainers.org/features/containers/.
 */
interface StartedContainer {
  getHost(): string;
  getMappedPort(port: number): number;
  stop(): Promise<unknown>;
}
interface ContainerBuilder {
  withExposedPorts(...ports: number[]): ContainerBuilder;
  withPrivilegedMode(): ContainerBuilder;
  withEnvironment(environment: Record<string, string>): ContainerBuilder;
  withWaitStrategy(strategy: unknown): ContainerBuilder;
  withStartupTimeout(ms: number): ContainerBuilder;
  start(): Promise<StartedContainer>;
}
interface TestcontainersModule {
  GenericContainer: new (image: string) => ContainerBuilder;
  Wait: { forLogMessage(message: string | RegExp): unknown };
}

const EXASOL_IMAGE = 'exasol/docker-db:8.32.0';
const LOCALSTACK_IMAGE = 'localstack/localstack:4';
const MIN_NODE: readonly [number, number] = [22, 22];

function nodeTooOld(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1]);
}

async function loadTestcontainers(): Promise<TestcontainersModule | undefined> {
  // A variable specifier keeps TypeScript from requiring the package at build time.
  const specifier = 'testcontainers';
  try {
    return (await import(specifier)) as TestcontainersModule;
  } catch {
    return undefined;
  }
}

/**
 * `containers`: real Exasol (`exasol/docker-db`) and localstack in containers. Native EXPORT cannot write to
 * localstack (Exasol accepts only AWS bucket URLs for CSV export), so this tier needs the client-streamed
 * export mode; it is skipped where Docker, Node ≥ 22.22 or `testcontainers` is missing.
 */
export const containersProvider: EnvironmentProvider = {
  name: 'containers',
  async unavailable() {
    if (nodeTooOld()) return `testcontainers needs Node >= ${MIN_NODE.join('.')}; this is ${process.versions.node}`;
    if (!existsSync('/var/run/docker.sock') && process.env.DOCKER_HOST === undefined) return 'no Docker engine';
    if ((await loadTestcontainers()) === undefined) return 'the testcontainers package is not installed';
    return undefined;
  },
  async start(): Promise<Environment> {
    const tc = await loadTestcontainers();
    if (tc === undefined) throw new Error('testcontainers is not installed');
    const exasol = await new tc.GenericContainer(EXASOL_IMAGE)
      .withPrivilegedMode()
      .withExposedPorts(8563)
      .withWaitStrategy(tc.Wait.forLogMessage(/All stages finished/))
      .withStartupTimeout(300_000)
      .start();
    const localstack = await new tc.GenericContainer(LOCALSTACK_IMAGE)
      .withExposedPorts(4566)
      .withEnvironment({ SERVICES: 's3,sts,sagemaker' })
      .withWaitStrategy(tc.Wait.forLogMessage(/Ready\./))
      .start();
    const aws = `http://${localstack.getHost()}:${localstack.getMappedPort(4566)}`;
    await fetch(`${aws}/sme-containers`, { method: 'PUT' });
    return {
      name: 'containers',
      exasol: {
        host: exasol.getHost(),
        port: exasol.getMappedPort(8563),
        user: 'sys',
        password: 'exasol',
        // docker-db has a self-signed certificate whose fingerprint changes per container: no check.
        fingerprint: 'nocertcheck',
      },
      aws: {
        region: 'us-east-1',
        sagemakerEndpoint: aws,
        s3Endpoint: aws,
        stsEndpoint: aws,
        accountId: '000000000000',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        bucket: 'sme-containers',
      },
      capabilities: { completesJobs: false, faults: false, roleNames: true },
      setFaults: () => Promise.reject(new Error('containers have no fault injection')),
      stop: async () => {
        await localstack.stop();
        await exasol.stop();
      },
    };
  },
};
