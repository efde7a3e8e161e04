// The AWS SDK warns on Node 20 when it loads; set before anything can load it (imports below are dynamic).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `sme jobs | head` closes the pipe early: that is no error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

async function main(): Promise<void> {
  const { hideBin } = await import('yargs/helpers');
  const { buildCli, UsageError } = await import('../cli.js');
  try {
    await buildCli(hideBin(process.argv)).parseAsync();
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
  }
}

// No top-level await: the bundle is a CommonJS file (see bundle.mjs); a failure ends the process as one would.
void main();
