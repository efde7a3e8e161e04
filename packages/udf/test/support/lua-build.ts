import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Path of a built Lua bundle; builds the bundles once per test process if they are missing. */
export function luaBundlePath(file: string): string {
  const path = `${packageRoot}lua-build/${file}`;
  if (!existsSync(path)) execFileSync(process.execPath, [`${packageRoot}scripts/build-lua.mjs`], { stdio: 'inherit' });
  return path;
}

export function luaBundleText(file: string): string {
  return readFileSync(luaBundlePath(file), 'utf8');
}
