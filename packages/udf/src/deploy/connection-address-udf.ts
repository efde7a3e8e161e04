import { quoteIdentifier } from '@sme/core';

/**
 * Lua pattern of URL user information, the same text core's `maskUserinfo` masks: from `://` to the last `@`
 * before a control character, space, quote, angle bracket or backtick (the greedy class backtracks to that `@`).
 */
const USERINFO_PATTERN = '://[^\u0000- "\'<>`]*@';
import { AWS_CALL_ERRORS } from '../lua/aws/aws-errors.js';
import { CONNECTION_ADDRESS_UDF_NAME } from '../lua/scripting/names.js';
import { luaStringLiteral } from './lua-literal.js';

/**
 * `CREATE OR REPLACE LUA SCALAR SCRIPT <schema>.SME_CONNECTION_ADDRESS(connection_name) RETURNS VARCHAR`:
 * a CONNECTION's address (never its user or secret; a secret written into the address itself, `https://KEY:SECRET@…`,
 * comes back as `https://***@…`, as core's `maskUserinfo` writes it), NULL when it does not exist. Hand-written: a few lines of Lua
 * need no bundle. A scripting program cannot read CONNECTIONs at all; a UDF can, given the ACCESS privilege — when
 * Exasol refuses for lack of it (`insufficient privileges …`), the UDF fails with SME-E-CONNECTION-ACCESS and the
 * exact GRANT, as the AWS-call UDF does.
 */
export function connectionAddressUdfScript(schema: string): string {
  const code = 'SME-E-CONNECTION-ACCESS';
  const what = AWS_CALL_ERRORS[code].what;
  return (
    `CREATE OR REPLACE LUA SCALAR SCRIPT ${quoteIdentifier(schema)}.${quoteIdentifier(CONNECTION_ADDRESS_UDF_NAME)}(` +
    'connection_name VARCHAR(2000) UTF8) RETURNS VARCHAR(2000000) UTF8 AS\n' +
    'local function q(name)\n' +
    "  return '\"' .. (string.gsub(tostring(name), '\"', '\"\"')) .. '\"'\n" +
    'end\n' +
    'function run(ctx)\n' +
    '  local ok, c = pcall(exa.get_connection, ctx.connection_name)\n' +
    "  if ok and type(c) == 'table' then\n" +
    `    return (string.gsub(tostring(c.address), ${luaStringLiteral(USERINFO_PATTERN)}, '://***@'))\n` +
    '  end\n' +
    "  if string.find(string.lower(tostring(c)), 'insufficient privileges', 1, true) then\n" +
    '    local m = exa.meta\n' +
    `    error(${luaStringLiteral(code + ': connection ')} .. tostring(ctx.connection_name) .. ${luaStringLiteral(': ' + what + '. Run GRANT ACCESS ON CONNECTION ')}\n` +
    `      .. q(ctx.connection_name) .. ' FOR SCRIPT ' .. q(m.script_schema) .. '.' .. q(m.script_name)\n` +
    `      .. ' TO ' .. q(m.current_user) .. ${luaStringLiteral(" (as the CONNECTION's owner or a user with ACCESS ANY CONNECTION).")}, 0)\n` +
    '  end\n' +
    '  return NULL\n' +
    'end\n'
  );
}
