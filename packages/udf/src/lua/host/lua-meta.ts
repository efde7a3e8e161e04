import type { ScriptIdentity } from '../aws/aws-call.js';
import type { ExaGlobal } from './lua-libs.js';

function metaText(meta: Record<string, unknown>, name: string): string {
  const v = meta[name];
  return typeof v === 'string' ? v : v === undefined ? '' : tostring(v);
}

/** The running UDF and its caller from `exa.meta` (`script_schema`, `script_name`, `current_user`). */
export function luaScriptIdentity(exa: ExaGlobal): ScriptIdentity {
  return {
    schema: metaText(exa.meta, 'script_schema'),
    script: metaText(exa.meta, 'script_name'),
    user: metaText(exa.meta, 'current_user'),
  };
}
