import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@sme/cli';

/**
 * The version of this package (what `sme --version` prints). Found by walking up from this module to the
 * package.json of `@sme/cli`, so it holds both for the compiled files (`dist/…`) and the bundle (`dist/bundle/…`),
 * which sit at different depths (yargs cannot find package.json from an ESM bin).
 */
export function packageVersion(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === PACKAGE_NAME && typeof parsed.version === 'string') return parsed.version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${PACKAGE_NAME}: no package.json above ${from}`);
    dir = parent;
  }
}
