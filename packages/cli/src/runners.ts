/**
 * `@sme/cli/runners`: the command implementations for programs that embed sme (the `@sme/demo` package uses them).
 * Each runner takes the parsed flags (camel case, as yargs gives them), an `Output` and a `Runtime` (the
 * environment, terminal and credentials it runs with) and returns the exit code; a coded failure is thrown as an
 * `SmeError`. Nothing here edits `process.env` or parses a command line.
 */
export { run as runEndpointDeploy } from './commands/endpoint/deploy.js';
export { run as runEndpointStatus } from './commands/endpoint/status.js';
export { run as runEndpointDelete } from './commands/endpoint/delete.js';
export { run as runDrop } from './commands/drop/drop.js';
export type {
  EndpointDeleteArgs,
  EndpointDeployArgs,
  EndpointListArgs,
  EndpointStatusArgs,
} from './commands/endpoint/endpoint-args.js';
export type { DropArgs } from './commands/drop/drop-args.js';
export type { DemoArgs } from './demo/demo-args.js';
export { processRuntime } from './runtime/session.js';
export type { PromptTerminal, Runtime } from './runtime/session.js';
export { processInterrupts } from './runtime/interrupt.js';
export type { InterruptSource } from './runtime/interrupt.js';
export { createOutput } from './output.js';
export type { Output, OutputStreams } from './output.js';
export { ExitCode } from './exit-codes.js';
export type { ExitCodeValue } from './exit-codes.js';
