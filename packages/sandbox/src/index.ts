/** Public API of @sme/sandbox. */
export { startExasolSandbox } from './exasol/exasol-sandbox.js';
export type { ExasolSandbox, ExasolSandboxOptions } from './exasol/exasol-sandbox.js';
