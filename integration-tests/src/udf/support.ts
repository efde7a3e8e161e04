import { startMoto as startMotoServer } from '../environment/moto-environment.js';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { amzDate, nodeSha256Crypto, signRequest, utf8ToByteString } from '@sme/udf';

/** The slice of the AWS sandbox these tests use (see packages/sandbox/src/aws/aws-sandbox.ts). */
export interface AwsSandboxHandle {
  readonly region: string;
  readonly s3Endpoint: string;
  readonly sagemakerEndpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly objects: {
    list(bucket: string, prefix: string): Promise<string[]>;
    get(bucket: string, key: string): Promise<Buffer | undefined>;
  };
  stop(): Promise<void>;
}

interface AwsSandboxModule {
  startAwsSandbox(options: {
    readonly clockSpeed?: number;
    readonly phaseSeconds?: Record<string, number>;
    readonly region?: string;
  }): Promise<AwsSandboxHandle>;
}

/**
 * `startAwsSandbox` is not (yet) exported from @sme/sandbox's entry point; it is loaded from the package's
 * built `dist/aws/index.js` until it is.
 */
export async function startAwsSandbox(options: {
  readonly clockSpeed?: number;
  readonly phaseSeconds?: Record<string, number>;
}): Promise<AwsSandboxHandle> {
  const sandbox = (await import('@sme/sandbox')) as Partial<AwsSandboxModule>;
  if (typeof sandbox.startAwsSandbox === 'function') return sandbox.startAwsSandbox(options);
  const packageJson = createRequire(import.meta.url).resolve('@sme/sandbox/package.json');
  const aws = (await import(
    pathToFileURL(join(dirname(packageJson), 'dist', 'aws', 'index.js')).href
  )) as AwsSandboxModule;
  return aws.startAwsSandbox(options);
}

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** One signed AWS call from Node (the tests' own view of AWS state): JSON 1.1 or the IAM query protocol. */
export async function awsCall(
  endpoint: string,
  region: string,
  credentials: AwsCredentials,
  request: {
    readonly service: string;
    readonly target?: string;
    readonly body: string;
    readonly contentType: string;
    readonly method?: string;
    readonly path?: string;
  },
): Promise<{ status: number; text: string }> {
  const method = request.method ?? 'POST';
  const path = request.path ?? '/';
  const url = new URL(endpoint);
  const headers: [string, string][] = [
    ['host', url.host],
    ['content-type', request.contentType],
  ];
  if (request.target !== undefined) headers.push(['x-amz-target', request.target]);
  const signed = signRequest(
    nodeSha256Crypto,
    { method, path, headers, body: utf8ToByteString(request.body) },
    credentials,
    { region, service: request.service, amzDate: amzDate(Date.now()) },
  );
  const response = await fetch(new URL(path, endpoint), {
    method,
    headers: Object.fromEntries(signed.headers.filter(([name]) => name !== 'host')),
    body: request.body,
  });
  return { status: response.status, text: await response.text() };
}

/** A SageMaker JSON 1.1 call; throws with AWS's answer on an HTTP error. */
export async function sageMaker(
  endpoint: string,
  region: string,
  credentials: AwsCredentials,
  operation: string,
  input: unknown,
): Promise<Record<string, unknown>> {
  const r = await awsCall(endpoint, region, credentials, {
    service: 'sagemaker',
    target: `SageMaker.${operation}`,
    contentType: 'application/x-amz-json-1.1',
    body: JSON.stringify(input),
  });
  if (r.status !== 200) throw new Error(`${operation}: HTTP ${r.status}: ${r.text}`);
  return JSON.parse(r.text) as Record<string, unknown>;
}

/** Path of `moto_server` on PATH, or undefined (moto is optional on machines that run these tests). */
export function findMotoServer(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, 'moto_server'), constants.X_OK);
      return join(dir, 'moto_server');
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface Moto {
  readonly url: string;
  stop(): Promise<void>;
}

/** moto_server on a free port: the environment module's starter. */
export const startMoto: (executable: string, env?: Record<string, string>) => Promise<Moto> = startMotoServer;

/** A 600-row table whose target is learnable: LABEL = 1 exactly when X1 + X2 > 100. */
export function learnableRows(count: number): string {
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const x1 = (i * 37) % 101;
    const x2 = (i * 53) % 97;
    rows.push(`(${x1}, ${x2}, ${x1 + x2 > 100 ? 1 : 0})`);
  }
  return rows.join(', ');
}
