import type { CommandImpl } from '../run-command.js';
import type { DemoArgs } from './demo-args.js';
import { cliError } from '../cli-error-codes.js';

/**
 * The package that implements `sme demo`. It brings the sandbox (an embedded DuckDB, ~70 MB), so `@sme/cli` does not
 * depend on it: the demo is loaded only when the package is installed beside the cli.
 */
export const DEMO_PACKAGE = '@sme/demo';

/** How `sme demo` loads its implementation: a dynamic import (a module name in a variable, so no build follows it). */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

const importModule: ModuleImporter = (specifier) => import(specifier);

/**
 * Loads the demo package. When it is not installed, the error says how to get it.
 *
 * @throws SmeError `SME-E-CLI-DEMO-NOT-INSTALLED` when `packageName` cannot be found; any other failure to load
 *   (such as a dependency missing inside the package) is rethrown as it is.
 */
export async function loadDemo(
  packageName: string = DEMO_PACKAGE,
  importer: ModuleImporter = importModule,
): Promise<CommandImpl<DemoArgs>> {
  try {
    return (await importer(packageName)) as CommandImpl<DemoArgs>;
  } catch (error: unknown) {
    if (!isPackageMissing(error, packageName)) throw error;
    const install = `npm install ${packageName}`;
    throw cliError(
      'SME-E-CLI-DEMO-NOT-INSTALLED',
      `sme demo needs the package ${packageName}, which is not installed (it brings the sandbox, ~70 MB)`,
      {
        key: 'package',
        value: packageName,
        remedy:
          `Install it where sme is installed: ${install} (beside a global sme: ${install} -g); ` +
          'in a clone of the sme repository run npm ci && npm run demo.',
      },
      error,
    );
  }
}

/** Node's answer when the package itself (not something it imports) cannot be found. */
function isPackageMissing(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${packageName}'`);
}
