/** Which kind of environment the suite runs against. */
export type EnvironmentName = 'sandbox' | 'moto' | 'containers';

/** The faults the AWS side injects (sandbox only): per operation, or `*`. */
export type FaultRules = Readonly<
  Record<string, { readonly latencyMs?: number; readonly throttleRate?: number; readonly serverErrorRate?: number }>
>;

/**
 * What the integration suite runs against: an Exasol database and an AWS (or AWS-compatible) account. Every test
 * is written against this, once; providers make it from the sandbox, moto or containers.
 */
export interface Environment {
  readonly name: EnvironmentName;
  readonly exasol: {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly password: string;
    /** SHA-256 fingerprint of the server certificate (pin it), when the server speaks TLS with a self-signed one. */
    readonly fingerprint?: string;
  };
  readonly aws: {
    readonly region: string;
    readonly sagemakerEndpoint: string;
    readonly s3Endpoint: string;
    /** STS endpoint, where the environment has one (role names → ARNs). */
    readonly stsEndpoint?: string;
    readonly accountId: string;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
    /** A bucket that exists and that EXPORT can write to. */
    readonly bucket: string;
    /** PEM file of the CA of HTTPS endpoints that no public root signs (the sandbox's `--aws-tls`). */
    readonly caFile?: string;
  };
  /** What this environment can do, so tests skip what it cannot. */
  readonly capabilities: {
    /** AutoML jobs reach Completed (moto's never do). */
    readonly completesJobs: boolean;
    /** `setFaults` works. */
    readonly faults: boolean;
    /** STS GetCallerIdentity answers, so bare role names resolve. */
    readonly roleNames: boolean;
  };
  /** Injects faults into the AWS side (latency, throttling, 5xx). */
  setFaults(rules: FaultRules): Promise<void>;
  stop(): Promise<void>;
}

/** The DSN in the pyexasol form with the pinned fingerprint, as a user would write it. */
export function dsnOf(env: Environment): string {
  const { host, port, fingerprint } = env.exasol;
  return fingerprint === undefined ? `${host}:${port}` : `${host}/${fingerprint}:${port}`;
}

/** The address an Exasol CONNECTION for the environment's bucket uses (virtual-hosted AWS form, as Exasol needs). */
export function bucketConnectionAddress(env: Environment): string {
  return `https://${env.aws.bucket}.s3.${env.aws.region}.amazonaws.com`;
}

/**
 * Environment variables for the `sme` binary: Exasol from `SME_*`, AWS from `AWS_*` (endpoints through the
 * SDKs' `AWS_ENDPOINT_URL_*`). HOME points at an empty directory so no developer profile leaks in.
 */
export function smeEnv(env: Environment, home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    SME_DSN: dsnOf(env),
    SME_USER: env.exasol.user,
    SME_PASSWORD: env.exasol.password,
    AWS_REGION: env.aws.region,
    AWS_ACCESS_KEY_ID: env.aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: env.aws.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_SAGEMAKER: env.aws.sagemakerEndpoint,
    AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: env.aws.sagemakerEndpoint,
    AWS_ENDPOINT_URL_S3: env.aws.s3Endpoint,
    ...(env.aws.stsEndpoint === undefined ? {} : { AWS_ENDPOINT_URL_STS: env.aws.stsEndpoint }),
    // moto answers unimplemented operations with HTTP 500: a retry would only wait longer for the same answer.
    AWS_MAX_ATTEMPTS: env.name === 'moto' ? '1' : '3',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The CLI's own AWS calls (Node's TLS) trust such a CA the documented Node way.
    ...(env.aws.caFile === undefined ? {} : { NODE_EXTRA_CA_CERTS: env.aws.caFile }),
  };
}

/** A provider makes an environment, or says why it cannot here (the suite then skips with that reason). */
export interface EnvironmentProvider {
  readonly name: EnvironmentName;
  /** Undefined when the provider can run here, else the reason it cannot. */
  unavailable(): Promise<string | undefined>;
  start(): Promise<Environment>;
}
