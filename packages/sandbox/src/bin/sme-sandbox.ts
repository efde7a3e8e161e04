#!/usr/bin/env node
/**
 * `sme-sandbox`: starts the whole local sandbox (Exasol-compatible server + S3 + SageMaker-compatible
 * service), prints one JSON line with its coordinates and serves until SIGINT/SIGTERM.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { AWS_TLS_CERTIFICATE_KINDS, OTHER_HOST_NAME, startAwsSandbox } from '../aws/index.js';
import { parseClockOffset } from '../exasol/clock-offset.js';
import { DEFAULT_INSTANCES_PER_NODE, MAX_NODES } from '../exasol/cluster.js';
import { startExasolSandbox } from '../exasol/exasol-sandbox.js';

async function main(): Promise<number> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName('sme-sandbox')
    .usage(
      '$0 [options]\n\nStarts the local Exasol + S3 + SageMaker sandbox, prints one JSON line with its coordinates\n' +
        '({"exasol":{…},"s3":{…},"sagemaker":{…}[,"awsCaFile":"…"]}) and serves until SIGINT/SIGTERM.',
    )
    .option('port', { type: 'number', default: 0, describe: 'Exasol WebSocket port (0 = a free port)' })
    .option('s3-port', { type: 'number', default: 0, describe: 'S3 endpoint port (0 = a free port)' })
    .option('sagemaker-port', {
      type: 'number',
      default: 0,
      describe: 'SageMaker endpoint port, control plane and InvokeEndpoint (0 = a free port)',
    })
    .option('clock-speed', {
      type: 'number',
      default: 5,
      describe: 'AutoML job seconds per real second (job phases, runtime limits, endpoint creation)',
    })
    .option('endpoint-creating-seconds', {
      type: 'number',
      default: 10,
      describe: 'job seconds a new endpoint stays Creating before InService (scaled by --clock-speed)',
    })
    .option('clock-offset', {
      type: 'string',
      default: '0',
      describe:
        "the database's clock ahead of (or, negative, behind) the real one: CURRENT_TIMESTAMP and Lua os.time(), " +
        'which signs the in-database AWS calls (e.g. 10m, -90s, 1h; plain number = seconds)',
    })
    .option('lua', {
      choices: ['native', 'wasm'] as const,
      describe: 'Lua runtime (default: native when lua5.4 is installed, else wasm)',
    })
    .option('lua-profile', {
      choices: ['exasol', 'vanilla'] as const,
      default: 'exasol' as const,
      describe: "Lua behaviour: exasol (like Exasol's Lua, default) or vanilla (stock Lua 5.4, for debugging only)",
    })
    .option('nodes', {
      type: 'number',
      default: 1,
      describe:
        `simulated Exasol cluster nodes (1..${String(MAX_NODES)}): NPROC(), IPROC(), and UDF instances on every node at once ` +
        `(at most ${String(DEFAULT_INSTANCES_PER_NODE)} per node)`,
    })
    .option('s3-endpoint', {
      type: 'string',
      describe: 'send EXPORT to this S3-compatible endpoint (e.g. moto) instead of the embedded store',
    })
    .option('data-dir', { type: 'string', describe: 'keep data in this directory (default: memory)' })
    .option('tls', {
      type: 'boolean',
      default: true,
      describe: 'serve wss:// with a self-signed certificate (--no-tls: ws://)',
    })
    .option('aws-tls', {
      type: 'boolean',
      default: false,
      describe:
        'serve S3 and SageMaker over https:// with a CA made for this start; its PEM file is "awsCaFile" in the JSON line',
    })
    .option('aws-tls-certificate', {
      choices: AWS_TLS_CERTIFICATE_KINDS,
      default: 'valid' as const,
      describe: `with --aws-tls: what SageMaker presents — valid, other-host (issued for ${OTHER_HOST_NAME}) or expired (for tests)`,
    })
    .example('$0', 'everything on free ports, TLS on, data in memory')
    .example('$0 --port 8563', 'Exasol on port 8563 (the port of docker-db)')
    .example('$0 --s3-port 9000 --sagemaker-port 9001', 'S3 and SageMaker on fixed ports')
    .example('$0 --clock-speed 100', 'AutoML jobs run 100 times faster than real time')
    .example(
      '$0 --endpoint-creating-seconds 100',
      'new endpoints stay Creating for 100 job seconds (20 s at the default clock speed)',
    )
    .example('$0 --clock-offset 10m', 'a database clock 10 minutes fast (what sme doctor reports as skew)')
    .example('$0 --lua wasm', 'run Lua scripts and UDFs in embedded wasmoon')
    .example('$0 --lua-profile vanilla', "debug Lua without Exasol's restrictions (not what Exasol runs)")
    .example('$0 --nodes 4', 'a 4-node cluster: NPROC() = 4, UDF calls run up to 16 instances at once')
    .example('$0 --s3-endpoint http://127.0.0.1:5000', 'EXPORT into moto_server listening on port 5000')
    .example('$0 --data-dir ./sandbox-data', 'keep tables and S3 objects across runs')
    .example('$0 --no-tls', 'serve ws:// without TLS')
    .example('$0 --aws-tls', 'S3 and SageMaker over https://; deploy sme with --aws-ca-file <awsCaFile>')
    .example('$0 --aws-tls --aws-tls-certificate expired', 'SageMaker presents an expired certificate')
    .check((a) => {
      for (const [flag, value] of [
        ['--port', a.port],
        ['--s3-port', a['s3-port']],
        ['--sagemaker-port', a['sagemaker-port']],
      ] as const) {
        if (!Number.isInteger(value) || value < 0 || value > 65535)
          throw new Error(`${flag} must be an integer 0..65535 (0 = a free port), got ${String(value)}`);
      }
      if (a['aws-tls-certificate'] !== 'valid' && !a['aws-tls'])
        throw new Error('--aws-tls-certificate needs --aws-tls');
      const speed = a['clock-speed'];
      if (!Number.isFinite(speed) || speed <= 0)
        throw new Error(`--clock-speed must be a positive number, got ${String(speed)}`);
      if (!Number.isInteger(a.nodes) || a.nodes < 1 || a.nodes > MAX_NODES)
        throw new Error(`--nodes must be an integer 1..${String(MAX_NODES)}, got ${String(a.nodes)}`);
      if (parseClockOffset(a['clock-offset']) === undefined)
        throw new Error(`--clock-offset must be a duration such as 10m, -90s or 1h, got ${a['clock-offset']}`);
      return true;
    })
    .strict()
    .wrap(120)
    .help()
    .parseAsync();
  const dataDir = argv['data-dir'];
  const aws = await startAwsSandbox({
    s3Port: argv['s3-port'],
    sagemakerPort: argv['sagemaker-port'],
    clockSpeed: argv['clock-speed'],
    endpointCreatingSeconds: argv['endpoint-creating-seconds'],
    ...(dataDir !== undefined ? { s3DataDir: join(dataDir, 's3') } : {}),
    ...(argv['aws-tls'] ? { tls: { certificate: argv['aws-tls-certificate'] } } : {}),
  });
  // The CA as a file, for `sme deploy --aws-ca-file`; removed when the sandbox stops.
  const caDir = aws.caPem === undefined ? undefined : mkdtempSync(join(tmpdir(), 'sme-sandbox-tls-'));
  const awsCaFile = caDir === undefined ? undefined : join(caDir, 'aws-ca.pem');
  if (awsCaFile !== undefined && aws.caPem !== undefined) writeFileSync(awsCaFile, aws.caPem);
  const s3Endpoint = argv['s3-endpoint'] ?? aws.s3Endpoint;
  const exa = await startExasolSandbox({
    port: argv.port,
    tls: argv.tls,
    s3Endpoint,
    s3Region: aws.region,
    ...(argv['s3-endpoint'] === undefined && aws.caPem !== undefined ? { s3CaPem: aws.caPem } : {}),
    ...(argv.lua !== undefined ? { lua: argv.lua } : {}),
    luaProfile: argv['lua-profile'],
    nodes: argv.nodes,
    clockOffsetSeconds: parseClockOffset(argv['clock-offset']) ?? 0,
    ...(dataDir !== undefined ? { dataDir: join(dataDir, 'exasol') } : {}),
  }).catch(async (e: unknown) => {
    await aws.stop();
    if (caDir !== undefined) rmSync(caDir, { recursive: true, force: true });
    throw e;
  });
  process.stdout.write(
    JSON.stringify({
      exasol: {
        host: exa.host,
        port: exa.port,
        url: exa.url,
        user: exa.user,
        password: exa.password,
        fingerprint: exa.fingerprint ?? null,
      },
      s3: {
        endpoint: s3Endpoint,
        region: aws.region,
        accessKeyId: aws.credentials.accessKeyId,
        secretAccessKey: aws.credentials.secretAccessKey,
      },
      sagemaker: { endpoint: aws.sagemakerEndpoint },
      ...(awsCaFile !== undefined ? { awsCaFile } : {}),
    }) + '\n',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await exa.stop();
  await aws.stop();
  if (caDir !== undefined) rmSync(caDir, { recursive: true, force: true });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`sme-sandbox: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
