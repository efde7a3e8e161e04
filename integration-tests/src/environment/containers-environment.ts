import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { connectExasol } from '@sme/exasol-adapter';
import type { StartedTestContainer } from 'testcontainers';
import type { Environment, EnvironmentProvider } from './environment.js';

/** Images of the tier; `SME_EXASOL_IMAGE` / `SME_LOCALSTACK_IMAGE` choose others. */
export const EXASOL_IMAGE = 'exasol/docker-db:8.32.0';
export const LOCALSTACK_IMAGE = 'localstack/localstack:4';
/** testcontainers 12 (and its undici) need this Node; on older ones the library does not even load. */
export const MIN_NODE: readonly [number, number] = [22, 22];

const EXASOL_PORT = 8563;
const BUCKET = 'sme-containers';
const REGION = 'us-east-1';
/** localstack's fixed account id (every ARN it makes). */
const LOCALSTACK_ACCOUNT = '000000000000';
const EXASOL_READY_TIMEOUT_MS = 10 * 60_000;

/** What {@link containersUnavailableReason} looks at; the defaults are this process and machine. */
export interface ContainersProbe {
  readonly nodeVersion?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Whether a Unix socket exists at the path. */
  readonly isSocket?: (path: string) => boolean;
  /** The text of a file, or undefined. */
  readonly readText?: (path: string) => string | undefined;
  readonly home?: string;
}

function nodeTooOld(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1]);
}

function defaultIsSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

function defaultReadText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * Where testcontainers would find a Docker engine, or undefined: `DOCKER_HOST`, `docker.host` in
 * `~/.testcontainers.properties`, or one of the usual sockets (rootful, rootless, Docker Desktop).
 */
export function dockerEngineLocation(probe: ContainersProbe = {}): string | undefined {
  const env = probe.env ?? process.env;
  const home = probe.home ?? homedir();
  const isSocket = probe.isSocket ?? defaultIsSocket;
  const readText = probe.readText ?? defaultReadText;
  const fromEnv = env.DOCKER_HOST;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const properties = readText(join(home, '.testcontainers.properties'));
  const fromProperties = properties
    ?.split('\n')
    .map((line) => /^\s*docker\.host\s*[=:]\s*(\S+)/.exec(line)?.[1])
    .find((value) => value !== undefined);
  if (fromProperties !== undefined) return fromProperties;
  const sockets = [
    '/var/run/docker.sock',
    ...(env.XDG_RUNTIME_DIR === undefined ? [] : [join(env.XDG_RUNTIME_DIR, 'docker.sock')]),
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
  ];
  const socket = sockets.find((path) => isSocket(path));
  return socket === undefined ? undefined : `unix://${socket}`;
}

/**
 * The one place that decides whether the `containers` tier can run here: undefined when it can, else a sentence
 * naming everything that is missing (Node version, Docker engine, localstack auth token).
 */
export function containersUnavailableReason(probe: ContainersProbe = {}): string | undefined {
  const env = probe.env ?? process.env;
  const nodeVersion = probe.nodeVersion ?? process.versions.node;
  const missing: string[] = [];
  if (nodeTooOld(nodeVersion)) {
    missing.push(`Node >= ${MIN_NODE.join('.')} for testcontainers 12 (this is Node ${nodeVersion})`);
  }
  if (dockerEngineLocation(probe) === undefined) {
    missing.push(
      'a Docker engine (DOCKER_HOST is unset and there is no Docker socket at /var/run/docker.sock, ' +
        '$XDG_RUNTIME_DIR/docker.sock or ~/.docker/{run,desktop}/docker.sock)',
    );
  }
  if ((env.LOCALSTACK_AUTH_TOKEN ?? '') === '') {
    missing.push('LOCALSTACK_AUTH_TOKEN (the localstack image refuses to start without one since March 2026)');
  }
  return missing.length === 0 ? undefined : `the containers tier needs ${missing.join('; ')}`;
}

/** SHA-256 fingerprint of the server's TLS certificate, as a DSN pins it (64 hex digits). */
export function certificateFingerprint(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port, rejectUnauthorized: false }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      if (fingerprint === '') reject(new Error(`${host}:${port} sent no certificate`));
      else resolve(fingerprint.replaceAll(':', '').toUpperCase());
    });
    socket.once('error', reject);
  });
}

/**
 * Waits until Exasol accepts a login and answers a query: the port opens minutes before the database is up
 * (docker-db boots a whole cluster node first).
 */
async function waitForExasol(host: string, port: number, password: string): Promise<void> {
  const deadline = Date.now() + EXASOL_READY_TIMEOUT_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const sql = await connectExasol({ dsn: `${host}/nocertcheck:${port}`, user: 'sys', password });
      try {
        await sql.query('SELECT 1 FROM DUAL');
        return;
      } finally {
        await sql.close();
      }
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  }
  throw new Error(`Exasol in the container did not answer within ${EXASOL_READY_TIMEOUT_MS / 60_000} min`, {
    cause: last,
  });
}

/**
 * `containers`: a real Exasol (`exasol/docker-db`, privileged) and localstack (S3, STS; SageMaker where the auth
 * token's plan includes it), both through testcontainers. Native EXPORT cannot write to localstack (Exasol
 * accepts only AWS bucket URLs for CSV export), so suites that train need the client-streamed export mode.
 */
export const containersProvider: EnvironmentProvider = {
  name: 'containers',
  unavailable: () => Promise.resolve(containersUnavailableReason()),
  async start(): Promise<Environment> {
    const reason = containersUnavailableReason();
    if (reason !== undefined) throw new Error(reason);
    // Loaded only here: testcontainers does not load on Node < 22.22, and every suite imports this module.
    const { GenericContainer, Wait } = await import('testcontainers');
    const { LocalstackContainer } = await import('@testcontainers/localstack');
    const started: StartedTestContainer[] = [];
    try {
      const password = 'exasol';
      const exasol = await new GenericContainer(process.env.SME_EXASOL_IMAGE ?? EXASOL_IMAGE)
        .withPrivilegedMode()
        .withExposedPorts(EXASOL_PORT)
        .withWaitStrategy(Wait.forListeningPorts())
        .withStartupTimeout(EXASOL_READY_TIMEOUT_MS)
        .start();
      started.push(exasol);
      const localstack = await new LocalstackContainer(process.env.SME_LOCALSTACK_IMAGE ?? LOCALSTACK_IMAGE)
        .withEnvironment({ LOCALSTACK_AUTH_TOKEN: process.env.LOCALSTACK_AUTH_TOKEN ?? '' })
        .start();
      started.push(localstack);
      const host = exasol.getHost();
      const port = exasol.getMappedPort(EXASOL_PORT);
      await waitForExasol(host, port, password);
      const fingerprint = await certificateFingerprint(host, port);
      const aws = localstack.getConnectionUri();
      // Unsigned PUT: localstack does not check signatures by default; us-east-1 needs no location constraint.
      const created = await fetch(`${aws}/${BUCKET}`, { method: 'PUT' });
      if (!created.ok) throw new Error(`creating the bucket in localstack failed: HTTP ${created.status}`);
      return {
        name: 'containers',
        exasol: { host, port, user: 'sys', password, fingerprint },
        aws: {
          region: REGION,
          sagemakerEndpoint: aws,
          s3Endpoint: aws,
          stsEndpoint: aws,
          accountId: LOCALSTACK_ACCOUNT,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          bucket: BUCKET,
        },
        capabilities: { completesJobs: false, faults: false, roleNames: true },
        setFaults: () => Promise.reject(new Error('containers have no fault injection')),
        stop: async () => {
          await Promise.all(started.map((c) => c.stop()));
        },
      };
    } catch (error) {
      await Promise.allSettled(started.map((c) => c.stop()));
      throw error;
    }
  },
};
