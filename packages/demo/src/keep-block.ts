/** Where the kept sandbox answers and how to log in: everything `sme` needs, as environment variables. */
export interface SandboxCoordinates {
  readonly dsn: string;
  readonly user: string;
  /** The sandbox's public default password (not a secret: the sandbox listens on this machine only). */
  readonly password: string;
  readonly schema: string;
  readonly region: string;
  /** The sandbox's fixed stand-in keys (they work nowhere else). */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sagemakerEndpoint: string;
  readonly s3Endpoint: string;
}

/** A POSIX shell single-quoted word. */
function shellWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The environment `sme` reads to reach the kept sandbox, by name. */
export function keepEnvironment(c: SandboxCoordinates): Record<string, string> {
  return {
    SME_DSN: c.dsn,
    SME_USER: c.user,
    SME_PASSWORD: c.password,
    SME_SCHEMA: c.schema,
    AWS_REGION: c.region,
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    AWS_ENDPOINT_URL: c.sagemakerEndpoint,
    AWS_ENDPOINT_URL_S3: c.s3Endpoint,
  };
}

/**
 * The block `sme demo --keep` prints: pasted into a POSIX shell (bash, zsh), it points `sme` at the sandbox (a
 * profile or session token of the user's own would otherwise win) and lists the demo's job.
 *
 * @example
 * keepBlock(coordinates).join('\n'); // "unset AWS_PROFILE …\nexport SME_DSN='127.0.0.1/…:8563' …\nsme jobs"
 */
export function keepBlock(c: SandboxCoordinates): string[] {
  return [
    'unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL_SAGEMAKER AWS_ENDPOINT_URL_STS SME_CONFIG',
    ...Object.entries(keepEnvironment(c)).map(([name, value]) => `export ${name}=${shellWord(value)}`),
    'sme jobs',
  ];
}
