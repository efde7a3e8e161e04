import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { expect, it } from 'vitest';
import { connectDriver } from './testing/driver-harness.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const bin = fileURLToPath(new URL('../../dist/bin/sme-sandbox.js', import.meta.url));

/** A port that was free a moment ago (the OS picks it; closed again before use). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

it('sme-sandbox prints one JSON line, serves the driver, honours ports, nodes and clock speed, stops on SIGTERM', async () => {
  const [s3Port, smPort] = [await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [
      bin,
      ...['--lua', 'wasm', '--s3-port', String(s3Port), '--sagemaker-port', String(smPort)],
      ...['--clock-speed', '2000', '--nodes', '3'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const lines = createInterface({ input: child.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    const info = JSON.parse(first) as {
      exasol: { url: string; user: string; password: string; fingerprint: string };
      s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
      sagemaker: { endpoint: string };
    };
    expect(info.exasol.url).toMatch(/^wss:\/\//);
    expect(info.exasol.fingerprint).toMatch(/^[0-9A-F]{64}$/);
    expect(info.s3.endpoint).toBe(`http://127.0.0.1:${String(s3Port)}`);
    expect(info.sagemaker.endpoint).toBe(`http://127.0.0.1:${String(smPort)}`);
    const db = await connectDriver(info.exasol);
    const r = await db.query('SELECT 1 AS one, NPROC() AS nodes FROM dual');
    expect(r.getRows()).toEqual([{ ONE: 1, NODES: 3 }]);
    await db.close();

    // An endpoint stays Creating for 10 job seconds: 2 s at the default clock, 5 ms at --clock-speed 2000.
    const sm = new SageMakerClient({
      region: info.s3.region,
      endpoint: info.sagemaker.endpoint,
      credentials: { accessKeyId: info.s3.accessKeyId, secretAccessKey: info.s3.secretAccessKey },
      maxAttempts: 1,
    });
    await sm.send(
      new CreateModelCommand({
        ModelName: 'm',
        ExecutionRoleArn: 'arn:aws:iam::123456789012:role/r',
        PrimaryContainer: { Image: 'sandbox', ModelDataUrl: 's3://sme-sandbox/none/model.tar.gz' },
      }),
    );
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'c',
        ProductionVariants: [
          { VariantName: 'v', ModelName: 'm', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
        ],
      }),
    );
    await sm.send(new CreateEndpointCommand({ EndpointName: 'e', EndpointConfigName: 'c' }));
    let status: string | undefined = 'Creating';
    const started = Date.now();
    while (status === 'Creating' && Date.now() - started < 1500) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await sm.send(new DescribeEndpointCommand({ EndpointName: 'e' }))).EndpointStatus;
    }
    expect(status).toBe('Failed');
    sm.destroy();
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await once(child, 'exit')) as [number];
  expect(code).toBe(0);
});

it('sme-sandbox --help documents every option, each with an example', () => {
  const out = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  expect(out.status).toBe(0);
  const [options = '', examples = ''] = out.stdout.split('\nOptions:')[1]?.split('\nExamples:') ?? [];
  const flags = [...options.matchAll(/^\s+(--[a-z0-9-]+)/gm)].map((m) => m[1] ?? '');
  expect(flags).toEqual(
    expect.arrayContaining(['--port', '--s3-port', '--sagemaker-port', '--clock-speed', '--lua', '--s3-endpoint']),
  );
  expect(flags).toEqual(expect.arrayContaining(['--data-dir', '--tls']));
  for (const flag of flags.filter((f) => f !== '--help' && f !== '--version')) {
    const spelled = flag === '--tls' ? /--no-tls\b/ : new RegExp(`^\\s+sme-sandbox .*${flag}\\b`, 'm');
    expect(examples, flag).toMatch(spelled);
  }
});

it('sme-sandbox refuses out-of-range ports and clock speeds before starting anything', () => {
  for (const [args, message] of [
    [['--s3-port', '70000'], '--s3-port must be an integer 0..65535 (0 = a free port), got 70000'],
    [['--sagemaker-port', '-1'], '--sagemaker-port must be an integer 0..65535 (0 = a free port), got -1'],
    [['--clock-speed', '0'], '--clock-speed must be a positive number, got 0'],
    [['--nodes', '0'], '--nodes must be an integer 1..64, got 0'],
  ] as const) {
    const out = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    expect(out.status, args.join(' ')).toBe(1);
    expect(out.stderr).toContain(message);
    expect(out.stdout).toBe('');
  }
});
