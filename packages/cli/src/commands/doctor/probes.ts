import { quoteIdentifier } from '@sme/core';

/**
 * The temporary Lua objects `sme doctor` creates to observe the database's Lua (Exasol's Lua rules, packages/sandbox/README.md) and removes again.
 * Names carry the session id, so two runs never share (or drop) each other's probes.
 */
export interface ProbeNames {
  readonly schema: string;
  /** The scripting program. */
  readonly script: string;
  /** The scalar UDF. */
  readonly udf: string;
}

/** Every probe's name starts with this (what the tests look for to prove nothing is left behind). */
export const PROBE_PREFIX = 'SME_DOCTOR_PROBE_';

export function probeNames(schema: string, sessionId: string): ProbeNames {
  return { schema, script: `${PROBE_PREFIX}SCRIPT_${sessionId}`, udf: `${PROBE_PREFIX}UDF_${sessionId}` };
}

/** Lua shared by both probes: `add(name, value)` collects `name=value` facts. */
const COMMON_FACTS = `local facts = {}
local function add(name, value) facts[#facts + 1] = name .. '=' .. tostring(value) end
local _, thrown = pcall(error, {10, 20})
add('pcall_table_error', type(thrown))
add('load', type(load))
add('coroutine', type(coroutine))
add('os_time', string.format('%d', os.time()))
`;

/** The scripting program: pcall with a table, `load`, `coroutine`, its clock; one VARCHAR row of facts. */
export function probeScriptSql(names: ProbeNames): string {
  return (
    `CREATE OR REPLACE LUA SCRIPT ${quoteIdentifier(names.schema)}.${quoteIdentifier(names.script)}() RETURNS TABLE AS\n` +
    COMMON_FACTS +
    `exit({{table.concat(facts, ';')}}, "FACTS VARCHAR(2000) UTF8")\n`
  );
}

/** Modules whose loading the UDF probe reports (LuaSec, luaossl under both names Exasol uses, LuaSocket, cjson). */
export const PROBED_MODULES = [
  'ssl',
  'openssl.digest',
  'openssl.hmac',
  '_openssl.digest',
  '_openssl.hmac',
  'socket',
  'cjson',
] as const;

/** The scalar UDF: the same facts as the program, plus which modules `require` loads. */
export function probeUdfSql(names: ProbeNames): string {
  return (
    `CREATE OR REPLACE LUA SCALAR SCRIPT ${quoteIdentifier(names.schema)}.${quoteIdentifier(names.udf)}(x DOUBLE) ` +
    'RETURNS VARCHAR(2000) UTF8 AS\n' +
    'function run(ctx)\n' +
    COMMON_FACTS +
    `for _, m in ipairs({${PROBED_MODULES.map((m) => `'${m}'`).join(', ')}}) do\n` +
    "  add('require:' .. m, (pcall(require, m)) and 'yes' or 'no')\n" +
    'end\n' +
    "return table.concat(facts, ';')\n" +
    'end\n'
  );
}

/** `name=value;…` → a map. */
export function parseFacts(text: string): ReadonlyMap<string, string> {
  const facts = new Map<string, string>();
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) facts.set(part.slice(0, at), part.slice(at + 1));
  }
  return facts;
}
