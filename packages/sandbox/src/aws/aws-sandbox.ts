import { AutoMLJobs, DEFAULT_PHASE_SECONDS } from './automl-jobs.js';
import { createAwsTlsMaterial, type AwsTlsCertificateKind } from './aws-tls.js';
import type { JobPhaseSeconds } from './automl-jobs.js';
import { parseCsv, predictRows } from './automl/model.js';
import type { Prediction } from './automl/model.js';
import { Endpoints } from './endpoints.js';
import { FaultInjector, seededRandom } from './faults.js';
import type { FaultControl, FaultRules } from './faults.js';
import { startS3Store } from './s3-store.js';
import type { ObjectStore } from './s3-store.js';
import { startSageMakerServer } from './sagemaker-server.js';
import type { SandboxCredentials } from './sigv4-verify.js';
import { TransformJobs } from './transform-jobs.js';

/** Options of {@link startAwsSandbox}; every field is optional. */
export interface AwsSandboxOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** Port of the S3 endpoint; default 0 (a free port). */
  readonly s3Port?: number;
  /** Port of the SageMaker endpoint (control plane and InvokeEndpoint); default 0 (a free port). */
  readonly sagemakerPort?: number;
  /** Default `eu-central-1`. */
  readonly region?: string;
  /** The 12-digit account in ARNs; default `123456789012`. */
  readonly accountId?: string;
  /** The key pair clients sign with; default a fixed sandbox pair (`AKIASANDBOX…`). */
  readonly credentials?: SandboxCredentials;
  /** More accepted key pairs, e.g. temporary credentials with a session token. */
  readonly extraCredentials?: readonly SandboxCredentials[];
  /** Buckets that exist at start; default `['sme-sandbox']`. */
  readonly buckets?: readonly string[];
  /** Keep S3 objects in this directory across runs; default a temporary directory removed by stop(). */
  readonly s3DataDir?: string;
  /** Job seconds per real second (phases, MaxAutoMLJobRuntimeInSeconds, endpoint creation); default 5. */
  readonly clockSpeed?: number;
  /** Job seconds per phase; see {@link DEFAULT_PHASE_SECONDS}. */
  readonly phaseSeconds?: Partial<JobPhaseSeconds>;
  /** Job seconds an endpoint stays Creating; default 10. */
  readonly endpointCreatingSeconds?: number;
  /** Job seconds a batch transform job starts its instances before it reads its input; default 10. */
  readonly transformStartingSeconds?: number;
  /** Fault rules active from the start. */
  readonly faults?: FaultRules;
  /** Seed for data splits, forests and fault decisions; default 42. */
  readonly seed?: number;
  /** Account limits answered with ResourceLimitExceeded; defaults 10 running jobs, 20 endpoints. */
  readonly maxRunningJobs?: number;
  readonly maxEndpoints?: number;
  /**
   * Serve S3 and SageMaker over HTTPS with a CA made for this start (`sme-sandbox --aws-tls`); `certificate`
   * picks what the SageMaker endpoint presents: `valid` (default), `other-host` (issued for
   * `other-host.invalid` only) or `expired` (ended yesterday) — for tests of the in-database certificate check.
   * S3 always presents a valid certificate (EXPORT, which Exasol runs itself, writes there). Plain HTTP when absent.
   */
  readonly tls?: { readonly certificate?: AwsTlsCertificateKind };
}

/** A running AWS sandbox. */
export interface AwsSandbox {
  readonly region: string;
  readonly accountId: string;
  /** Path-style S3 endpoint (`forcePathStyle: true`). */
  readonly s3Endpoint: string;
  /** SageMaker control plane and runtime (InvokeEndpoint) on one URL. */
  readonly sagemakerEndpoint: string;
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Fault injection at run time (also `POST <sagemakerEndpoint>/_sandbox/faults` with `{"rules":{…}}`). */
  readonly faults: FaultControl;
  /** PEM of the CA that signed the endpoints' certificates (with the `tls` option); undefined over plain HTTP. */
  readonly caPem: string | undefined;
  /** Direct access to the S3 store (no signing), for tests and the demo. */
  readonly objects: ObjectStore;
  /**
   * Predicts CSV rows (no header, target absent) with the best candidate of a finished job, the same way its
   * endpoint would; undefined when the job has no best candidate.
   */
  predictWithJobModel(jobName: string, csvRows: string, positiveClassProbability?: boolean): Prediction[] | undefined;
  /**
   * Responses that violated the API model so far (each also answered 500 InternalFailure and written to
   * stderr): a sandbox bug. Tests assert this stays empty.
   */
  responseViolations(): readonly string[];
  stop(): Promise<void>;
}

/** The sandbox's default key pair (not a real AWS key; fine to print). */
export const SANDBOX_CREDENTIALS: SandboxCredentials = Object.freeze({
  accessKeyId: 'AKIASANDBOX0EXAMPLE1',
  secretAccessKey: 'sandbox/secret/key/not-for-aws/0000000000',
});

function portOption(name: string, v: number | undefined): number {
  const value = v ?? 0;
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new RangeError(
      `startAwsSandbox: ${name} must be an integer 0..65535 (0 = a free port), received ${String(v)}`,
    );
  return value;
}

function positive(name: string, v: number | undefined, fallback: number): number {
  const value = v ?? fallback;
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new RangeError(`startAwsSandbox: ${name} must be a positive number, received ${String(v)}`);
  }
  return value;
}

/**
 * Starts S3 (s3rver behind a SigV4-checking proxy) and a SageMaker-compatible AutoML service that really
 * trains small models.
 *
 * @example
 * const aws = await startAwsSandbox({ clockSpeed: 200 });
 * const sm = new SageMakerClient({ region: aws.region, endpoint: aws.sagemakerEndpoint, credentials: aws.credentials });
 * // …
 * await aws.stop();
 */
export async function startAwsSandbox(options: AwsSandboxOptions = {}): Promise<AwsSandbox> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'eu-central-1';
  const accountId = options.accountId ?? '123456789012';
  if (!/^\d{12}$/.test(accountId))
    throw new RangeError(`startAwsSandbox: accountId must have 12 digits, received '${accountId}'`);
  const credentials = options.credentials ?? SANDBOX_CREDENTIALS;
  const allCredentials = [credentials, ...(options.extraCredentials ?? [])];
  const clockSpeed = positive('clockSpeed', options.clockSpeed, 5);
  const seed = options.seed ?? 42;
  const s3Port = portOption('s3Port', options.s3Port);
  const sagemakerPort = portOption('sagemakerPort', options.sagemakerPort);
  const faults = new FaultInjector(options.faults ?? {}, seededRandom(seed));
  const tls =
    options.tls === undefined
      ? undefined
      : createAwsTlsMaterial(
          host === '127.0.0.1' ? ['127.0.0.1', 'localhost'] : [host, 'localhost'],
          options.tls.certificate,
        );

  const s3 = await startS3Store({
    host,
    port: s3Port,
    region,
    credentials: allCredentials,
    buckets: options.buckets ?? ['sme-sandbox'],
    faults,
    ...(options.s3DataDir !== undefined ? { dataDir: options.s3DataDir } : {}),
    ...(tls !== undefined ? { tls: tls.s3 } : {}),
  });
  const jobs = new AutoMLJobs({
    region,
    accountId,
    objects: s3.objects,
    clockSpeed,
    phaseSeconds: { ...DEFAULT_PHASE_SECONDS, ...options.phaseSeconds },
    maxRunningJobs: options.maxRunningJobs ?? 10,
    seed,
  });
  const endpoints = new Endpoints({
    region,
    accountId,
    objects: s3.objects,
    creatingMs: (positive('endpointCreatingSeconds', options.endpointCreatingSeconds, 10) * 1000) / clockSpeed,
    maxEndpoints: options.maxEndpoints ?? 20,
  });
  const transforms = new TransformJobs({
    region,
    accountId,
    objects: s3.objects,
    endpoints,
    clockSpeed,
    startingSeconds: positive('transformStartingSeconds', options.transformStartingSeconds, 10),
  });
  const violations: string[] = [];
  let sm: Awaited<ReturnType<typeof startSageMakerServer>>;
  try {
    sm = await startSageMakerServer({
      host,
      port: sagemakerPort,
      region,
      credentials: allCredentials,
      jobs,
      endpoints,
      transforms,
      faults,
      ...(tls !== undefined ? { tls: tls.sagemaker } : {}),
      onResponseViolation(message) {
        violations.push(message);
        process.stderr.write(`[sme-sandbox] ${message}\n`);
      },
    });
  } catch (e) {
    await s3.stop();
    throw e;
  }
  return {
    region,
    accountId,
    s3Endpoint: s3.endpoint,
    sagemakerEndpoint: sm.endpoint,
    credentials: { ...credentials },
    caPem: tls?.caPem,
    faults,
    objects: s3.objects,
    predictWithJobModel(jobName, csvRows, positiveClassProbability = false) {
      const file = jobs.bestModel(jobName);
      return file === undefined ? undefined : predictRows(file, parseCsv(csvRows), positiveClassProbability);
    },
    responseViolations: () => [...violations],
    async stop() {
      jobs.close();
      endpoints.close();
      transforms.close();
      await sm.stop();
      await s3.stop();
    },
  };
}
