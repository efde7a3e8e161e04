import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Environment, EnvironmentProvider } from './environment.js';
import { startSandboxProcess } from './sandbox-process.js';

/** moto's default account (every ARN it makes). */
const MOTO_ACCOUNT = '123456789012';
const MOTO_BUCKET = 'sme-moto';
const REGION = 'eu-central-1';

/** Path of `moto_server` on PATH, or undefined (moto is optional: nothing may require it). */
export function findMotoServer(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
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

/** Starts `moto_server` on a free port (`env` adds variables, e.g. to turn authentication on); `stop()` ends it. */
export async function startMoto(
  bin: string,
  env: Record<string, string> = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  // Port 0: moto binds a free port and prints it (parallel test runs never collide).
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      reject(new Error(`moto_server did not start within 20 s: ${output}`));
    }, 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`moto_server exited with ${String(code)}: ${output}`));
    });
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `moto`: SageMaker, S3 and STS from moto_server; Exasol from the sandbox, exporting into moto's S3. */
export const motoProvider: EnvironmentProvider = {
  name: 'moto',
  unavailable: () =>
    Promise.resolve(
      findMotoServer() === undefined ? 'moto_server is not on PATH (pip install "moto[server]")' : undefined,
    ),
  async start(): Promise<Environment> {
    const bin = findMotoServer();
    if (bin === undefined) throw new Error('moto_server is not on PATH');
    const moto = await startMoto(bin);
    try {
      // Unsigned PUT: moto does not check signatures, and without a signing region the bucket needs no location.
      const created = await fetch(`${moto.url}/${MOTO_BUCKET}`, { method: 'PUT' });
      if (!created.ok) throw new Error(`creating the bucket in moto failed: HTTP ${created.status}`);
      const sandbox = await startSandboxProcess(['--s3-endpoint', moto.url]);
      const { exasol } = sandbox.coordinates;
      return {
        name: 'moto',
        exasol: {
          host: exasol.host,
          port: exasol.port,
          user: exasol.user,
          password: exasol.password,
          ...(exasol.fingerprint === null ? {} : { fingerprint: exasol.fingerprint }),
        },
        aws: {
          region: REGION,
          sagemakerEndpoint: moto.url,
          s3Endpoint: moto.url,
          stsEndpoint: moto.url,
          accountId: MOTO_ACCOUNT,
          credentials: { accessKeyId: 'AKIAMOTOEXAMPLE00001', secretAccessKey: 'moto-secret-not-checked' },
          bucket: MOTO_BUCKET,
        },
        capabilities: { completesJobs: false, faults: false, roleNames: true },
        setFaults: () => Promise.reject(new Error('moto has no fault injection')),
        stop: async () => {
          await sandbox.stop();
          await moto.stop();
        },
      };
    } catch (error) {
      await moto.stop();
      throw error;
    }
  },
};
