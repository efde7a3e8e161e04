/**
 * The sandbox environment of the endpoint tests and the benchmark: the AWS part (S3 + SageMaker with
 * endpoints), the Exasol part with a chosen Lua runtime, a CONNECTION, and the Node adapters pointed at both.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EndpointDeps, SqlPort } from '@sme/core';
import { FixedClock, MemoryLog, nodeJson } from '@sme/core/testing';
import { connectExasol, type ExasolSqlPort } from '@sme/exasol-adapter';
import {
  AwsClients,
  S3ObjectStore,
  createSageMakerAdapters,
  resolveSageMakerOptions,
  type SageMakerAdapters,
} from '@sme/sagemaker-adapter';
import { startExasolSandbox } from '@sme/sandbox';
import { predictionUdfBundle } from '@sme/udf';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** What the tests use of the AWS sandbox (its entry is not exported by @sme/sandbox yet: loaded from its build). */
export interface AwsSandboxHandle {
  readonly region: string;
  readonly s3Endpoint: string;
  readonly sagemakerEndpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly faults: {
    setOperation(op: string, rule: { latencyMs?: number }): void;
    clear(): void;
    /** Requests per operation since the start or `resetObserved`; in flight at most and summed (SageMaker's). */
    observed(): Readonly<
      Record<string, { requests: number; peakPerSecond: number; peakInFlight?: number; inFlightMs?: number }>
    >;
    resetObserved(): void;
  };
  predictWithJobModel(
    jobName: string,
    csvRows: string,
  ): { readonly label: string; readonly probability?: number }[] | undefined;
  stop(): Promise<void>;
}

export async function startAwsSandboxForTests(options: Record<string, unknown>): Promise<AwsSandboxHandle> {
  const mod = (await import(pathToFileURL(join(ROOT, 'packages/sandbox/dist/aws/index.js')).href)) as {
    startAwsSandbox(o: Record<string, unknown>): Promise<AwsSandboxHandle>;
  };
  return mod.startAwsSandbox(options);
}

/** The prediction UDF's Lua bundle, as the built @sme/udf ships it. */
export function predictionBundle(): string {
  return predictionUdfBundle();
}

export interface EndpointEnvironment {
  readonly aws: AwsSandboxHandle;
  readonly sql: ExasolSqlPort;
  readonly adapters: SageMakerAdapters;
  readonly clock: { nowMillis(): number };
  readonly deps: EndpointDeps & { readonly sql: SqlPort };
  stop(): Promise<void>;
}

export const BUCKET = 'sme-sandbox';

/** Options of the Exasol sandbox a test may set: a multi-node cluster. */
export interface ExasolEnvironmentOptions {
  readonly nodes?: number;
}

export async function startEnvironment(
  lua: 'native' | 'wasm',
  awsOptions: Record<string, unknown> = {},
  exasolOptions: ExasolEnvironmentOptions = {},
) {
  const aws = await startAwsSandboxForTests({ clockSpeed: 50, endpointCreatingSeconds: 250, ...awsOptions });
  const exa = await startExasolSandbox({
    lua,
    s3Endpoint: aws.s3Endpoint,
    s3Region: aws.region,
    ...(exasolOptions.nodes !== undefined ? { nodes: exasolOptions.nodes } : {}),
  });
  const sql = await connectExasol({
    dsn: `${exa.host}/${exa.fingerprint ?? 'nocertcheck'}:${String(exa.port)}`,
    user: exa.user,
    password: exa.password,
  });
  const awsOptions2 = resolveSageMakerOptions({
    region: aws.region,
    endpointUrl: aws.sagemakerEndpoint,
    runtimeEndpointUrl: aws.sagemakerEndpoint,
    s3EndpointUrl: aws.s3Endpoint,
    credentials: aws.credentials,
    // The SDK's default retries stay on: the sandbox closes idle keep-alive sockets like AWS does, and a request
    // that meets a socket closed at that moment fails with ECONNRESET and must be sent again.
  });
  const adapters = createSageMakerAdapters(awsOptions2);
  // The sandbox's S3 (s3rver) answers a DeleteObjects of several keys under nested folders with HTTP 500 while
  // single-key requests work: the cleanup port deletes one key per request here (a documented tuning option).
  const clients = new AwsClients(awsOptions2);
  const objects = new S3ObjectStore(clients, aws.region, { deleteBatchSize: 1 });
  await sql.execute(
    `CREATE OR REPLACE CONNECTION AWS TO 'https://${BUCKET}.s3.${aws.region}.amazonaws.com/' USER '${aws.credentials.accessKeyId}' IDENTIFIED BY '${aws.credentials.secretAccessKey}'`,
  );
  const clock = { nowMillis: () => Date.now() };
  const deps = {
    sql,
    endpoints: adapters.endpoints,
    clock,
    log: new MemoryLog(),
  };
  return {
    aws,
    exa,
    sql,
    adapters,
    objects,
    clock,
    deps,
    json: nodeJson,
    fixedClock: new FixedClock(0),
    async stop() {
      await sql.close();
      adapters.close();
      clients.close();
      await exa.stop();
      await aws.stop();
    },
  };
}
