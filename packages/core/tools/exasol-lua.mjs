import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/* global process */
/**
 * Turns a TypeScriptToLua bundle into Lua that runs inside Exasol (used by @sme/udf's build for every deployed
 * bundle, and by core's build:lua for the differential test bundle; `node tools/exasol-lua.mjs <bundle.lua>`
 * rewrites a bundle in place):
 *
 * - `exasolPrelude`: locals `error`/`pcall`/`xpcall` for every module of the bundle. Exasol's `pcall` hands back a
 *   string when a table was thrown, so a thrown object travels as a string token
 *   (`<code>: message \1SME-ERR:<n>\1`) and the bundle's own `pcall` maps the token back to the object.
 * - lualib without `coroutine` and `debug`: synchronous `__TS__AsyncAwaiter`/`__TS__Await` (every port call in
 *   Lua answers at once: an awaited promise is settled; a pending one is a bug and fails clearly) and `Error`
 *   classes without stack traces.
 * - module tree-shaking: only the modules the entry reaches (through `require`), and of `@sme/core`'s index only the
 *   re-exports some kept module names.
 * - comments and indentation removed; optionally "colon-safe" text (no `:` directly before a name anywhere), so the
 *   text can go through the scripting API's `query()`, which reads `:name`/`::name` as parameters.
 */

/** Splits Lua source into code, string and comment pieces (enough of Lua's lexer for this rewriting). */
export function luaPieces(text) {
  const pieces = [];
  let code = '';
  let i = 0;
  const longEnd = (start) => {
    // At `[` (or after `--` at `[`): `[=*[` opens a long bracket; answers its level or -1.
    let j = start + 1;
    while (text[j] === '=') j++;
    return text[j] === '[' ? j - start - 1 : -1;
  };
  const flush = () => {
    if (code !== '') pieces.push({ kind: 'code', text: code });
    code = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '-') {
      flush();
      const level = text[i + 2] === '[' ? longEnd(i + 2) : -1;
      let end;
      if (level >= 0) {
        const close = ']' + '='.repeat(level) + ']';
        end = text.indexOf(close, i + 4 + level);
        if (end < 0) throw new Error('unterminated long comment');
        end += close.length;
      } else {
        end = text.indexOf('\n', i);
        if (end < 0) end = text.length;
      }
      pieces.push({ kind: 'comment', text: text.slice(i, end) });
      i = end;
    } else if (c === '"' || c === "'") {
      flush();
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && text[j + 1] === 'z') {
          j += 2;
          while (/\s/.test(text[j] ?? '')) j++;
          continue;
        }
        if (text[j] === '\\') j++;
        else if (text[j] === '\n') throw new Error('unterminated string');
        j++;
      }
      pieces.push({ kind: 'string', text: text.slice(i, j + 1) });
      i = j + 1;
    } else if (c === '[' && longEnd(i) >= 0) {
      flush();
      const level = longEnd(i);
      const close = ']' + '='.repeat(level) + ']';
      const end = text.indexOf(close, i + 2 + level);
      if (end < 0) throw new Error('unterminated long string');
      pieces.push({ kind: 'long', text: text.slice(i, end + close.length) });
      i = end + close.length;
    } else {
      code += c;
      i++;
    }
  }
  flush();
  return pieces;
}

/**
 * Drops comments and indentation; with `colonSafe`, also writes every `:` before a name as `: ` in code and as
 * `\058` in strings (same Lua meaning, no `:name` for the scripting API's parameter binding to find).
 */
export function compactLua(text, { colonSafe = false } = {}) {
  let out = '';
  for (const p of luaPieces(text)) {
    if (p.kind === 'comment') {
      // A long comment may stand between two tokens on one line.
      if (p.text.startsWith('--[')) out += ' ';
      continue;
    }
    if (p.kind === 'code') {
      let t = p.text.replace(/[ \t]*\n[ \t\n]*/g, '\n');
      if (colonSafe) t = t.replace(/:(?=[A-Za-z_])/g, ': ');
      out += t;
    } else if (p.kind === 'string') {
      out += sqlNeutralString(p.text, colonSafe);
    } else {
      if (colonSafe && /:[A-Za-z_]/.test(p.text))
        throw new Error('a long string holds ":name": cannot make it colon-safe');
      out += p.text;
    }
  }
  return out.replace(/^\n+/, '');
}

/**
 * A Lua short string rewritten double-quoted with every quote character inside as a decimal escape (`\\034`,
 * `\\039`), and with `colonSafe` every `:` as `\\058`: same bytes, but an SQL tokenizer that meets the script text
 * (Exasol's, a client's, the sandbox's) sees balanced `"…"` pieces and never a stray `'`.
 */
function sqlNeutralString(text, colonSafe) {
  let out = '"';
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i];
    if (c === '\\') {
      const next = text[i + 1];
      out += next === '"' ? '\\034' : next === "'" ? '\\039' : '\\' + next;
      i++;
    } else if (c === '"') out += '\\034';
    else if (c === "'") out += '\\039';
    else if (c === ':' && colonSafe) out += '\\058';
    else out += c;
  }
  return out + '"';
}

/** Lua locals that carry thrown objects across Exasol's `pcall` (see the file comment). */
export const EXASOL_PRELUDE = `local error, pcall, xpcall = error, pcall, xpcall
do
local raw_error, raw_pcall, raw_xpcall = error, pcall, xpcall
local thrown, count = {}, 0
local function describe(e)
if type(e) ~= "table" then return tostring(e) end
local code, message = e.code, e.message
if type(message) ~= "string" then message = tostring(e) end
if type(code) == "string" and string.sub(message, 1, #code) ~= code then message = code .. ": " .. message end
return message
end
error = function(e, level)
if type(e) == "string" then
if level == 0 then return raw_error(e, 0) end
return raw_error(e, (level or 1) + 1)
end
count = count + 1
thrown[count] = e
return raw_error(describe(e) .. " \\1SME-ERR:" .. count .. "\\1", 0)
end
local function restore(e)
if type(e) == "string" then
local n = tonumber(string.match(e, "\\1SME%-ERR:(%d+)\\1"))
local object = n ~= nil and thrown[n] or nil
if object ~= nil then
thrown[n] = nil
return object
end
end
return e
end
local function settle(ok, ...)
if ok then return true, ... end
return false, restore((...))
end
pcall = function(f, ...) return settle(raw_pcall(f, ...)) end
xpcall = function(f, handler, ...)
return raw_xpcall(f, function(e) return handler(restore(e)) end, ...)
end
end
`;

const ERROR_CLASSES = `local Error, RangeError, ReferenceError, SyntaxError, TypeError, URIError
do
local function define(name, base)
local class = {name = name, prototype = {}}
class.prototype.__index = class.prototype
class.prototype.constructor = class
if base ~= nil then
class.____super = base
setmetatable(class.prototype, base.prototype)
end
function class.prototype.____constructor(self, message)
if message == nil then message = "" end
self.message = message
self.name = name
end
function class.prototype.__tostring(self)
if self.message ~= "" then return self.name .. ": " .. self.message end
return self.name
end
return setmetatable(class, {__call = function(_, _, message) return __TS__New(class, message) end})
end
Error = define("Error")
RangeError = define("RangeError", Error)
ReferenceError = define("ReferenceError", Error)
SyntaxError = define("SyntaxError", Error)
TypeError = define("TypeError", Error)
URIError = define("URIError", Error)
end
`;

const SYNC_ASYNC = `local __TS__AsyncAwaiter, __TS__Await
do
function __TS__AsyncAwaiter(body)
return __TS__New(__TS__Promise, function(_, resolve, reject)
local returned = false
local function settle(_, value)
returned = true
return __TS__Promise.resolve(value):addCallbacks(resolve, reject)
end
local ok, result = pcall(body, settle)
if not ok then return reject(nil, result) end
if not returned then return resolve(nil, result) end
end)
end
function __TS__Await(value)
if not __TS__InstanceOf(value, __TS__Promise) then return value end
if value.state == 1 then return value.value end
if value.state == 2 then error(value.rejectionReason, 0) end
error("SME-E-UDF-INTERNAL: an awaited promise is still pending (every port call in Lua must answer at once)", 0)
end
end
`;

const GENERATOR_STEP = `    local function iteratorGeneratorStep(self)
        error("generators are not supported in sme's Lua bundles", 0)
    end
`;

/** Replaces the block from `start` through `end` (inclusive); absent `start` leaves the text alone. */
function replaceBlock(text, start, end, replacement) {
  const from = text.indexOf(start);
  if (from < 0) return text;
  const to = text.indexOf(end, from);
  if (to < 0) throw new Error(`lualib changed: no end marker ${JSON.stringify(end)} after ${JSON.stringify(start)}`);
  return text.slice(0, from) + replacement + text.slice(to + end.length);
}

/** Swaps tstl's lualib parts that need `coroutine`, `debug` or `_G` for synchronous, debug-free ones. */
export function exasolLualib(text) {
  let t = replaceBlock(
    text,
    'local Error, RangeError, ReferenceError, SyntaxError, TypeError, URIError\ndo\n',
    '    URIError = createErrorClass(nil, "URIError")\nend\n',
    ERROR_CLASSES,
  );
  t = replaceBlock(
    t,
    'local __TS__AsyncAwaiter, __TS__Await\ndo\n',
    '    function __TS__Await(thing)\n        return coyield(thing)\n    end\nend\n',
    SYNC_ASYNC,
  );
  t = replaceBlock(
    t,
    '    local function iteratorGeneratorStep(self)\n',
    '        return true, value\n    end\n',
    GENERATOR_STEP,
  );
  t = t.replaceAll('local ____pcall = _G.pcall', 'local ____pcall = pcall');
  t = t.replaceAll('local _unpack = unpack or table.unpack', 'local _unpack = table.unpack');
  return t;
}

const MODULE_HEAD = /^\["([^"]+)"\] = function\(\.\.\.\) $/gm;

/**
 * Keeps the modules the entry reaches. A module is `["name"] = function(...) … end,` inside `____modules = {…}`;
 * `core.src.index` (the `@sme/core` barrel) keeps only the re-export blocks whose names some kept module reads.
 */
export function treeShake(text) {
  const open = text.indexOf('____modules = {\n');
  const close = text.lastIndexOf('\n}\nlocal ____entry = require("');
  if (open < 0 || close < 0) throw new Error('not a tstl bundle');
  const body = text.slice(open + '____modules = {\n'.length, close + 1);
  const heads = [...body.matchAll(MODULE_HEAD)];
  const modules = new Map();
  heads.forEach((h, k) => {
    const end = k + 1 < heads.length ? heads[k + 1].index : body.length;
    modules.set(h[1], body.slice(h.index, end));
  });
  const entry = /local ____entry = require\("([^"]+)"/.exec(text.slice(close))[1];
  const requires = (src) => [...src.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);

  const index = modules.get('core.src.index');
  const reach = (indexText) => {
    const seen = new Set();
    const todo = [entry, 'lualib_bundle'];
    while (todo.length > 0) {
      const name = todo.pop();
      if (seen.has(name) || !modules.has(name)) continue;
      seen.add(name);
      todo.push(...requires(name === 'core.src.index' ? indexText : modules.get(name)));
    }
    return seen;
  };
  let indexText = index;
  if (index !== undefined) {
    // Fixpoint: names read by the modules kept so far decide which re-export blocks (and so modules) stay.
    let kept = new Set();
    for (;;) {
      const others = [...reach(indexText)].filter((n) => n !== 'core.src.index').map((n) => modules.get(n));
      const read = indexReads(others);
      indexText = index.replace(/^do\n(?:.*\n)*?end\n/gm, (block) => {
        const names = [...block.matchAll(/____exports\.([A-Za-z_][A-Za-z0-9_]*) =/g)].map((m) => m[1]);
        return read === 'all' || names.some((n) => read.has(n)) ? block : '';
      });
      const now = reach(indexText);
      if (now.size === kept.size) break;
      kept = now;
    }
  }
  const keep = reach(indexText);
  let out = '';
  for (const [name, src] of modules) {
    if (keep.has(name)) out += name === 'core.src.index' ? indexText : src;
  }
  return text.slice(0, open + '____modules = {\n'.length) + out + text.slice(close + 1);
}

/**
 * Names the modules read from `@sme/core`'s index: tstl binds it as `local ____core = require("core.src.index")`
 * and reads `____core.Name`. Any other use of that local (indexing, passing it on) keeps every name ('all').
 */
function indexReads(sources) {
  const read = new Set();
  for (const src of sources) {
    for (const bound of src.matchAll(/local ([A-Za-z_][A-Za-z0-9_]*) = require\("core\.src\.index"\)/g)) {
      const local = bound[1];
      const uses = [...src.matchAll(new RegExp(`\\b${local}\\b(\\.([A-Za-z_][A-Za-z0-9_]*))?`, 'g'))];
      // The binding itself is one use without a field.
      if (uses.filter((u) => u[2] === undefined).length > 1) return 'all';
      for (const u of uses) if (u[2] !== undefined) read.add(u[2]);
    }
  }
  return read;
}

/** The whole post-processing of one bundle. */
export function exasolBundle(text, { colonSafe = false } = {}) {
  return compactLua(EXASOL_PRELUDE + treeShake(exasolLualib(text)), { colonSafe });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2)) writeFileSync(file, exasolBundle(readFileSync(file, 'utf8')));
}
