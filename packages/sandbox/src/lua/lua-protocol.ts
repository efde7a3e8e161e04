import { createHash } from 'node:crypto';
import { LuaError, LuaHostError } from './lua-errors.js';
import type {
  LuaProfile,
  LuaQueryError,
  LuaQueryResult,
  LuaSqlValue,
  ScriptOutcome,
  ScriptRun,
  UdfOutcome,
  UdfRun,
} from './lua-runtime.js';

/**
 * Node's half of the JSON-line protocol both runtimes speak with the Lua host (lua-src/host-lua.ts):
 * requests `{t:"script"|"udf", sourceKey, …}`; from Lua `{t:"query"|"import"|"connection"|"source"}` (answered
 * with one reply), `{t:"emit", rows}` (no reply), and finally `{t:"done"}` or `{t:"error", message, sqlCode?}`.
 * Sources travel by key: a request or an import answer names the source by its key, and a Lua state that has not
 * compiled that key yet asks for the text once (`{t:"source", key}`), so a UDF's ~400 KB bundle is not sent,
 * decoded and compiled again for every instance of every statement.
 */

type Row = readonly LuaSqlValue[];

interface LuaMessage {
  readonly t: string;
  readonly id?: number;
  readonly sql?: string;
  readonly params?: Record<string, LuaSqlValue>;
  readonly hasParams?: boolean;
  readonly name?: string;
  readonly key?: string;
  readonly rows?: Row[];
  readonly message?: string;
  readonly sqlCode?: string;
  readonly outcome?: ScriptOutcome;
}

const SOURCE_KEYS_KEPT = 64;
const sourceKeys = new Map<string, string>();

/** The key a source travels by: a hash of its text (remembered for the texts seen last, so a statement's instances hash it once). */
export function sourceKey(source: string): string {
  let key = sourceKeys.get(source);
  if (key === undefined) {
    key = createHash('sha256').update(source).digest('base64url');
    if (sourceKeys.size >= SOURCE_KEYS_KEPT) sourceKeys.clear();
    sourceKeys.set(source, key);
  }
  return key;
}

/** The state of one run on the Node side: what Lua may call back into, and what it emitted. */
export class RunExchange {
  readonly request: string;
  private readonly emitted: Row[] = [];
  /** Sources this run may ask for by key: its own and those it imported. */
  private readonly sources = new Map<string, string>();

  constructor(
    readonly id: number,
    private readonly target: { readonly script: ScriptRun } | { readonly udf: UdfRun },
    options: {
      readonly profile: LuaProfile;
      readonly opensslPrefix: 'openssl' | '_openssl';
      readonly clockOffsetSeconds?: number;
    } = {
      profile: 'exasol',
      opensslPrefix: 'openssl',
    },
  ) {
    const common = {
      profile: options.profile,
      opensslPrefix: options.opensslPrefix,
      ...(options.clockOffsetSeconds ? { clockOffset: options.clockOffsetSeconds } : {}),
    };
    const key = sourceKey('script' in target ? target.script.source : target.udf.source);
    this.sources.set(key, 'script' in target ? target.script.source : target.udf.source);
    if ('script' in target) {
      const r = target.script;
      this.request = JSON.stringify({
        t: 'script',
        id,
        ...common,
        sourceKey: key,
        parameterNames: r.parameterNames,
        args: r.args,
        meta: r.meta,
      });
    } else {
      const r = target.udf;
      this.request = JSON.stringify({
        t: 'udf',
        id,
        ...common,
        sourceKey: key,
        inputType: r.inputType,
        outputMode: r.outputMode,
        inputNames: r.inputNames,
        inputTypes: r.inputTypes,
        outputTypes: r.outputTypes,
        groups: r.groups,
        meta: r.meta,
      });
    }
  }

  /** Parses one line from Lua. Returns the reply to send for a call, `undefined` for an emit, or the end. */
  async handle(line: string): Promise<{ reply: string } | { end: LuaMessage } | undefined> {
    const msg = parseMessage(line);
    switch (msg.t) {
      case 'emit':
        for (const row of msg.rows ?? []) this.emitted.push(row);
        return undefined;
      case 'query':
        return { reply: await this.query(msg.sql ?? '', msg.params ?? (msg.hasParams === true ? {} : undefined)) };
      case 'import':
        return { reply: await this.importScript(msg.name ?? '') };
      case 'connection':
        return { reply: await this.connection(msg.name ?? '') };
      case 'source': {
        const source = this.sources.get(msg.key ?? '');
        return { reply: JSON.stringify(source === undefined ? {} : { source }) };
      }
      case 'done':
      case 'error':
        return { end: msg };
      default:
        throw new LuaHostError('SME-E-SANDBOX-LUA-PROTOCOL', `The Lua host sent an unknown message "${msg.t}".`);
    }
  }

  scriptOutcome(end: LuaMessage): ScriptOutcome {
    throwIfError(end);
    if (end.outcome === undefined) {
      throw new LuaHostError('SME-E-SANDBOX-LUA-PROTOCOL', 'The Lua host ended a script without an outcome.');
    }
    return end.outcome;
  }

  udfOutcome(end: LuaMessage): UdfOutcome {
    throwIfError(end);
    return { rows: this.emitted };
  }

  private async query(sql: string, params: Record<string, LuaSqlValue> | undefined): Promise<string> {
    if (!('script' in this.target))
      return JSON.stringify({ ok: false, error: { sqlCode: '0A000', message: 'no SQL in UDFs' } });
    let result: LuaQueryResult;
    try {
      result = await this.target.script.host.query(sql, params);
    } catch (e) {
      const err = toQueryError(e);
      return JSON.stringify({ ok: false, error: err });
    }
    return JSON.stringify({ ok: true, result });
  }

  private async importScript(name: string): Promise<string> {
    if (!('script' in this.target)) return JSON.stringify({});
    const source = await this.target.script.host.importScript(name);
    if (source === undefined) return JSON.stringify({});
    const key = sourceKey(source);
    this.sources.set(key, source);
    return JSON.stringify({ key });
  }

  private async connection(name: string): Promise<string> {
    if (!('udf' in this.target)) return JSON.stringify({ ok: false, message: 'exa.get_connection is only for UDFs' });
    try {
      const c = await this.target.udf.getConnection(name);
      return JSON.stringify({
        ok: true,
        connection: { type: c.type, address: c.address, user: c.user, password: c.password },
      });
    } catch (e) {
      return JSON.stringify({ ok: false, message: e instanceof Error ? e.message : String(e) });
    }
  }
}

function parseMessage(line: string): LuaMessage {
  try {
    return JSON.parse(line) as LuaMessage;
  } catch (e) {
    throw new LuaHostError(
      'SME-E-SANDBOX-LUA-PROTOCOL',
      `The Lua host wrote a line that is not JSON: ${line.slice(0, 120)}`,
      { remedy: 'This is a bug in the sandbox: report it with the script that ran.' },
      e,
    );
  }
}

function throwIfError(end: LuaMessage): void {
  if (end.t === 'error') throw new LuaError(end.message ?? 'unknown Lua error', end.sqlCode);
}

function toQueryError(e: unknown): LuaQueryError {
  if (typeof e === 'object' && e !== null) {
    const v = e as { sqlCode?: unknown; message?: unknown };
    if (typeof v.message === 'string') {
      return { sqlCode: typeof v.sqlCode === 'string' ? v.sqlCode : '00000', message: v.message };
    }
  }
  return { sqlCode: '00000', message: String(e) };
}
