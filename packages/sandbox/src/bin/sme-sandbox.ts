#!/usr/bin/env node
/**
 * `sme-sandbox`: starts the whole local sandbox (Exasol-compatible server + S3 + SageMaker-compatible
 * service), prints one JSON line with its coordinates and serves until SIGINT/SIGTERM.
 */
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { startAwsSandbox } from '../aws/index.js';
import { startExasolSandbox } from '../exasol/exasol-sandbox.js';

async function main(): Promise<number> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName('sme-sandbox')
    .usage('$0 [options]\n\nStarts the local Exasol + S3 + SageMaker sandbox and prints one JSON line.')
    .option('port', { type: 'number', default: 0, describe: 'Exasol WebSocket port (0 = a free port)' })
    .option('lua', {
      choices: ['native', 'wasm'] as const,
      describe: 'Lua runtime (default: native when lua5.4 is installed)',
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
    .check((a) => {
      if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535)
        throw new Error(`--port must be an integer 0..65535, got ${String(a.port)}`);
      return true;
    })
    .strict()
    .help()
    .parseAsync();
  const dataDir = argv['data-dir'];
  const aws = await startAwsSandbox(dataDir !== undefined ? { s3DataDir: join(dataDir, 's3') } : {});
  const s3Endpoint = argv['s3-endpoint'] ?? aws.s3Endpoint;
  const exa = await startExasolSandbox({
    port: argv.port,
    tls: argv.tls,
    s3Endpoint,
    s3Region: aws.region,
    ...(argv.lua !== undefined ? { lua: argv.lua } : {}),
    ...(dataDir !== undefined ? { dataDir: join(dataDir, 'exasol') } : {}),
  }).catch(async (e: unknown) => {
    await aws.stop();
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
    }) + '\n',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await exa.stop();
  await aws.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`sme-sandbox: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
