/** Public API of @sme/cli: the command line (for embedding and tests) and the settings resolver. */
export { buildCli, EXIT_CODES_TEXT, UsageError } from './cli.js';
export { ExitCode } from './exit-codes.js';
export type { ExitCodeValue } from './exit-codes.js';
export { resolveCliSettings, parseSchemaName, DEFAULT_SCHEMA } from './settings/settings.js';
export type { CliEnv, CliSettings, CliSettingsArgs } from './settings/settings.js';
export { loadConfigFile, CONFIG_FILE_KEYS } from './settings/config-file.js';
export { createOutput } from './output.js';
export type { Output, OutputStreams } from './output.js';
