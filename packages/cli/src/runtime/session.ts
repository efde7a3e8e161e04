import type { Clock, Json, Log } from '@sme/core';
import type { ExasolSqlPort, PromptInput } from '@sme/exasol-adapter';
import type { SageMakerAdapters, SageMakerOptions } from '@sme/sagemaker-adapter';
import type { Output } from '../output.js';
import { processInterrupts, type InterruptSource } from './interrupt.js';
import type { CliEnv, CliSettings } from '../settings/settings.js';

/** The terminal the password prompt reads from (process.stdin satisfies it): the adapter's prompt input. */
export type PromptTerminal = PromptInput;

/** What a command runs against; only the parts it asks for are opened. */
export interface Runtime {
  readonly env: CliEnv;
  readonly stdin: PromptTerminal;
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Ctrl-C while a command watches a job or endpoint; default the process's SIGINT. */
  readonly interrupts?: InterruptSource;
  /**
   * AWS options an embedding caller fixes (`sme demo` hands over the sandbox's region, endpoints and static
   * credentials); they win over flags, the environment and the config file. Without credentials here, the AWS
   * default credential chain applies, as for every `sme` command.
   */
  readonly aws?: SageMakerOptions;
}

/** The process's runtime. */
export function processRuntime(): Runtime {
  return { env: process.env, stdin: process.stdin, stderr: process.stderr, interrupts: processInterrupts };
}

/**
 * Opens an Exasol session with the settings' options. Asks for the password without echo when neither
 * `--password` nor `SME_PASSWORD` gives one and stdin is a terminal; the password is masked in all output.
 */
export async function openExasol(settings: CliSettings, output: Output, runtime: Runtime): Promise<ExasolSqlPort> {
  const { connectExasol, needsPasswordPrompt, promptPassword } = await import('@sme/exasol-adapter');
  let options = settings.exasol;
  output.addSecret(options.password);
  output.addSecret(settings.exasolEnv.SME_PASSWORD);
  if (needsPasswordPrompt(options, settings.exasolEnv) && runtime.stdin.isTTY === true) {
    const password = await promptPassword(runtime.stdin, runtime.stderr);
    output.addSecret(password);
    options = { ...options, password };
  }
  return connectExasol(options, settings.exasolEnv, settings.exasolConfigured);
}

/** The settings' AWS options, with what the runtime fixes on top. */
export function runtimeAwsOptions(settings: CliSettings, runtime: Runtime): SageMakerOptions {
  return { ...settings.aws, ...runtime.aws };
}

/**
 * Creates the AWS adapters (nothing connects until the first call): one factory per service that makes a port per
 * (connection, region), so a job's or endpoint's own region comes from its metadata row and only a call without one
 * needs the default region (`SME-E-AWS-REGION-MISSING` then). AWS secrets are masked in all output.
 */
export async function openAws(settings: CliSettings, output: Output, runtime: Runtime): Promise<SageMakerAdapters> {
  output.addSecret(runtime.env.AWS_SECRET_ACCESS_KEY);
  output.addSecret(runtime.env.AWS_SESSION_TOKEN);
  output.addSecret(runtime.aws?.credentials?.secretAccessKey);
  output.addSecret(runtime.aws?.credentials?.sessionToken);
  const { createSageMakerAdapters, loadSageMakerOptions } = await import('@sme/sagemaker-adapter');
  return createSageMakerAdapters(
    await loadSageMakerOptions(runtimeAwsOptions(settings, runtime), runtime.env, settings.awsConfigured),
  );
}

/** Runs `fn` with an Exasol session and closes it afterwards, whatever happens. */
export async function withExasol<T>(
  settings: CliSettings,
  output: Output,
  runtime: Runtime,
  fn: (sql: ExasolSqlPort) => Promise<T>,
): Promise<T> {
  const sql = await openExasol(settings, output, runtime);
  try {
    return await fn(sql);
  } finally {
    await sql.close().catch(() => undefined);
  }
}

/** Clock, Json and Log ports for the core's use cases. Log lines go to stderr (never stdout, never secrets). */
export function nodePorts(output: Output, verbose: boolean): { clock: Clock; json: Json; log: Log } {
  return {
    clock: { nowMillis: () => Date.now() },
    json: {
      decode: (text) => JSON.parse(text) as unknown,
      encode: (value) => JSON.stringify(value),
    },
    log: {
      info: (message) => {
        output.note(message);
      },
      warn: (message) => {
        output.note(`warning: ${message}`);
      },
      debug: (message) => {
        if (verbose) output.note(`debug: ${message}`);
      },
    },
  };
}
