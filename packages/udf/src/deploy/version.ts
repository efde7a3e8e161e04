import { readFileSync } from 'node:fs';

/**
 * The Lua comment that opens the body of the deployed library script (`SME_LIBRARY`), followed by the version that
 * deployed it: `sme doctor` reads it back from EXA_ALL_SCRIPTS to compare the deployed version with its own.
 */
export const DEPLOYED_VERSION_MARKER = '-- sme-version: ';

/** The version of this package: what `sme deploy` writes after `DEPLOYED_VERSION_MARKER`. */
export function smeVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/**
 * The version in a deployed library script's text (the whole CREATE statement or only its body, or its first few
 * hundred characters), or undefined when it has no marker (deployed before versions were recorded).
 *
 * @example
 * deployedVersionOf('CREATE LUA SCRIPT "SME"."SME_LIBRARY"() AS\n-- sme-version: 0.1.0\n…'); // '0.1.0'
 */
export function deployedVersionOf(scriptText: string): string | undefined {
  const at = scriptText.indexOf(DEPLOYED_VERSION_MARKER);
  if (at < 0) return undefined;
  const rest = scriptText.slice(at + DEPLOYED_VERSION_MARKER.length);
  const end = rest.search(/[\r\n]/);
  const version = (end < 0 ? rest : rest.slice(0, end)).trim();
  return version === '' ? undefined : version;
}
