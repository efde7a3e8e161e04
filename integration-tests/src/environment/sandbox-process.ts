import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** What `sme-sandbox` prints on its one JSON line. */
export interface SandboxCoordinates {
  readonly exasol: {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly password: string;
    readonly fingerprint: string | null;
  };
  readonly s3: {
    readonly endpoint: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
  };
  readonly sagemaker: { readonly endpoint: string };
  /** With `--aws-tls`: the PEM file of the CA that signed the sandbox's S3 and SageMaker certificates. */
  readonly awsCaFile?: string;
}

/** The `sme-sandbox` bin of @sme/sandbox. */
function sandboxBin(): string {
  const packageJson = createRequire(import.meta.url).resolve('@sme/sandbox/package.json');
  return join(dirname(packageJson), 'dist', 'bin', 'sme-sandbox.js');
}

/**
 * Starts the whole sandbox (Exasol-compatible server, S3, SageMaker-compatible service) as its own process,
 * the way users start it, and reads its coordinates.
 */
export async function startSandboxProcess(
  args: readonly string[] = [],
): Promise<{ coordinates: SandboxCoordinates; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [sandboxBin(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const coordinates = await new Promise<SandboxCoordinates>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      reject(new Error(`sme-sandbox did not start within 30 s: ${err}`));
    }, 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(out.slice(0, newline)) as SandboxCoordinates);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sme-sandbox exited with ${String(code)}: ${err}`));
    });
  });
  return {
    coordinates,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
